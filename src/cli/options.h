/*
 * options.h - the command line of `lurescan scan`, parsed with GOption.
 *
 * Every number is parsed strictly: digits only (no sign, no spaces, no
 * junk after), no overflow, inside the option's range. A bad value is an
 * error with a message naming the option; the command then exits 2.
 */
#ifndef LURE_OPTIONS_H
#define LURE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "core/limits.h"
#include "core/scan.h"

/* -j accepts 1..LURE_CLI_MAX_JOBS. */
#define LURE_CLI_MAX_JOBS 256u

typedef struct lure_cli_opts {
	lure_limits limits;
	gboolean json;        /* --json: NDJSON, one object per input */
	gboolean recursive;   /* -r: walk directories */
	gboolean defang;      /* --defang: defanged IOCs in text output */
	gboolean quiet;       /* -q: only "FILE: verdict" lines, no notes */
	gboolean no_color;    /* --no-color */
	gboolean help;        /* -h/--help: the caller prints the help */
	char *extract_dir;    /* --extract DIR (raw bytes), or NULL */
	char **rules;         /* --rules PATH..., NULL-terminated, or NULL */
	gboolean no_rules;    /* --no-rules: no YARA at all, not even the bundled set */
	unsigned jobs;        /* -j N, default 1 */
	lure_verdict fail_on; /* SUSPICIOUS (default) or MALICIOUS */
	char **inputs;        /* FILE|DIR|- ..., NULL-terminated, or NULL */
} lure_cli_opts;

/* Fills *o with defaults (limits from limits.h, 1 job, fail on
 * suspicious). */
void lure_cli_opts_init(lure_cli_opts *o);
/* Frees what parsing stored in *o (not o itself). */
void lure_cli_opts_clear(lure_cli_opts *o);

/* Parses the arguments of `scan` (argv[0] is "scan" or the program name)
 * into *o, which lure_cli_opts_init() prepared. Returns false with *error
 * set on a bad option or value, or when no input is given (unless --help).
 * argv is not changed. */
bool lure_cli_parse_scan(int argc, char **argv, lure_cli_opts *o, GError **error);
/* The --help text of `scan` (g_free); its usage line names g_get_prgname(),
 * so set that to "lurescan scan" first. */
char *lure_cli_scan_help(void);

/* Strict parsers, exported for the tests. Each returns false with *error
 * set (G_OPTION_ERROR_BAD_VALUE, message naming option) on bad input. */

/* A count: decimal digits only, value <= max. */
bool lure_cli_parse_count(const char *option, const char *s, uint64_t max, uint64_t *out,
			  GError **error);
/* A byte size: decimal digits with an optional suffix K, M, G or T (either
 * case; powers of 1024). */
bool lure_cli_parse_size(const char *option, const char *s, uint64_t *out, GError **error);
/* Seconds, fractional allowed ("30", "1.5", ".25"), into milliseconds
 * (rounded up, so a non-zero value is never 0 ms); 0 means no limit. At most
 * UINT_MAX ms. */
bool lure_cli_parse_seconds(const char *option, const char *s, unsigned *ms, GError **error);

#endif
