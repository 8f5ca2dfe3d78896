/*
 * fuzz_ole2.c - libFuzzer harness for the OLE2 / Compound File Binary
 * handler (src/formats/ole2.c): the preflight, libgsf's reader, reading every
 * stream, and whatever the scan then unpacks from those streams.
 *
 * Every input is scanned as a compound file: the CFB signature is written
 * over its first 8 bytes (inputs without the signature are fuzz_scan's job),
 * so no mutation is wasted on the signature. The whole scan runs, with small
 * limits so that one run stays fast, and everything is freed.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_ole2
 * Run:   tests/fuzz/fuzz_ole2 -dict=tests/fuzz/ole2.dict -timeout=20 \
 *            tests/fuzz/corpus/ole2
 */
#include <stdint.h>
#include <string.h>
#include <glib.h>
#include "core/scan.h"
#include "fuzz_common.h"

/* MS-CFB 2.2: the header signature. */
static const uint8_t CFB_SIGNATURE[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_limits limits;
	uint8_t *copy;

	if (size < sizeof(CFB_SIGNATURE))
		return 0;
	/* An exact-size copy, so reads past the end are caught. */
	copy = g_malloc(size);
	memcpy(copy, data, size);
	memcpy(copy, CFB_SIGNATURE, sizeof(CFB_SIGNATURE));

	fz_limits(&limits, 3000, 16u * 1024 * 1024, 64u * 1024 * 1024, 2000);
	fz_scan_and_free(&limits, "fuzz.ole2", copy, size);
	g_free(copy);
	return 0;
}
