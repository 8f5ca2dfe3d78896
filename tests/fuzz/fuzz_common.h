/*
 * fuzz_common.h - what the libFuzzer harnesses share: the small limits that
 * keep one run fast (the limits are under test as well, so each harness
 * picks its own sizes), and a whole scan of a buffer that is freed again.
 *
 * Header only, so each harness stays one translation unit
 * (tests/fuzz/fuzz_<name>.c plus liblurescan.a).
 */
#ifndef LURE_FUZZ_COMMON_H
#define LURE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "core/scan.h"

/* Fills *limits with the defaults, then the run time in milliseconds, the
 * bytes per artifact and per input, and the artifacts per input; a 0 for
 * max_artifacts keeps the default. */
static inline void fz_limits(lure_limits *limits, unsigned timeout_ms,
			     uint64_t max_artifact_size, uint64_t max_total_size,
			     unsigned max_artifacts)
{
	lure_limits_default(limits);
	limits->timeout_ms = timeout_ms;
	limits->max_artifact_size = max_artifact_size;
	limits->max_total_size = max_total_size;
	if (max_artifacts > 0)
		limits->max_artifacts = max_artifacts;
}

/* Scans data[0..size) (borrowed) as an input named name under limits,
 * judges the verdict and frees the scan. */
static inline void fz_scan_and_free(const lure_limits *limits, const char *name,
				    const uint8_t *data, size_t size)
{
	lure_scan *scan = lure_scan_new(limits, name);
	lure_scan_run(scan, data, size);
	(void)lure_scan_verdict(scan);
	lure_scan_free(scan);
}

#endif
