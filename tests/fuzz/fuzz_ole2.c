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

	lure_limits_default(&limits);
	limits.timeout_ms = 3000;
	limits.max_artifacts = 2000;
	limits.max_artifact_size = 16u * 1024 * 1024;
	limits.max_total_size = 64u * 1024 * 1024;

	lure_scan *scan = lure_scan_new(&limits, "fuzz.ole2");
	lure_scan_run(scan, copy, size);
	(void)lure_scan_verdict(scan);
	lure_scan_free(scan);
	g_free(copy);
	return 0;
}
