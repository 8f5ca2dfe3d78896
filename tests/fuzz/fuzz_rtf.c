/*
 * fuzz_rtf.c - libFuzzer harness for the RTF handler (src/formats/rtf.c):
 * the tokenizer, group stack, \objdata decoding, templates and fields, and
 * whatever the scan then unpacks from the objects (OLE1, CFB, ...).
 *
 * Every input is scanned as RTF: inputs that do not start with "{\rt" get
 * it prepended (other inputs are fuzz_scan's job). The copy is exact-size so
 * reads past the end are caught. The group-depth limit is small so that
 * the past-the-limit path is reached without megabyte inputs.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_rtf
 * Run:   tests/fuzz/fuzz_rtf -dict=tests/fuzz/rtf.dict -timeout=20 \
 *            tests/fuzz/corpus/rtf
 */
#include <stdint.h>
#include <string.h>
#include <glib.h>
#include "core/scan.h"
#include "fuzz_common.h"

#define RTF_SIGNATURE "{\\rt"
#define RTF_SIGNATURE_LEN 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_limits limits;
	size_t prefix = 0, len;
	uint8_t *copy;

	if (size < RTF_SIGNATURE_LEN || memcmp(data, RTF_SIGNATURE, RTF_SIGNATURE_LEN) != 0)
		prefix = RTF_SIGNATURE_LEN;
	len = prefix + size;
	copy = g_malloc(len);
	memcpy(copy, RTF_SIGNATURE, prefix);
	if (size > 0)
		memcpy(copy + prefix, data, size);

	fz_limits(&limits, 5000, 16u * 1024 * 1024, 64u * 1024 * 1024, 2000);
	limits.rtf_group_depth = 48;
	fz_scan_and_free(&limits, "fuzz.rtf", copy, len);
	g_free(copy);
	return 0;
}
