/*
 * fuzz_scan.c - libFuzzer harness for the whole scan: every handler the
 * input reaches, the driver, and the JSON and text reports.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_scan
 * Run:   tests/fuzz/fuzz_scan -dict=tests/fuzz/scan.dict tests/fuzz/corpus/scan samples
 */
#include <stdio.h>
#include "core/scan.h"
#include "report/report.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	lure_limits limits;
	lure_report_opts opts = {.file = "fuzz"};

	if (sink == NULL)
		sink = fopen("/dev/null", "w");
	/* Keep each run fast and small; limits themselves are under test. */
	fz_limits(&limits, 5000, 32u * 1024 * 1024, 64u * 1024 * 1024, 0);

	lure_scan *scan = lure_scan_new(&limits, "fuzz");
	lure_scan_run(scan, data, size);
	if (sink != NULL) {
		lure_report_json_write(scan, &opts, sink);
		lure_report_text_write(scan, &opts, sink);
	}
	lure_scan_free(scan);
	return 0;
}
