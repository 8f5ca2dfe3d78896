/*
 * fuzz_zip.c - libFuzzer harness for the ZIP handler (src/formats/zip.c):
 * a whole scan of the input, so the central directory walk through libzip,
 * the local header salvage, the limits while inflating, and every handler
 * the entries reach (OPC parts, nested archives) are exercised.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_zip
 * Run:   tests/fuzz/fuzz_zip -dict=tests/fuzz/zip.dict tests/fuzz/corpus/zip
 */
#include <stddef.h>
#include <stdint.h>
#include "core/scan.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_limits limits;

	/* Small limits keep each run fast; they are under test as well. A
	 * small ratio floor lets tiny inputs reach the ratio check. */
	fz_limits(&limits, 5000, 8u * 1024 * 1024, 32u * 1024 * 1024, 2000);
	limits.ratio_floor = 64u * 1024;

	lure_scan *scan = lure_scan_new(&limits, "fuzz.zip");
	lure_scan_run(scan, data, size);
	/* Every child must be within the limits it was charged against. */
	for (guint i = 1; i < scan->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		if (a->size > limits.max_artifact_size)
			__builtin_trap();
	}
	if (scan->total_bytes > limits.max_total_size)
		__builtin_trap();
	lure_scan_free(scan);
	return 0;
}
