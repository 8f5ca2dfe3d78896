/*
 * regress.h - the regression engine behind `lurescan regress`: scan a
 * labelled sample set with the rules and compare with its manifest.
 *
 * The manifest (samples/expected.json; format in samples/README.md and
 * doc/regress.md) says, per sample file, what a correct scanner reports:
 * verdict, root kind, artifacts, counts, findings, and which YARA rules must
 * (`yara`) and must not (`yara_absent`) match anywhere in the sample's tree.
 *
 * What counts as a regression (any one makes the run fail):
 *   - a sample that cannot be read or scanned, or a manifest entry naming a
 *     file that is not there;
 *   - verdict, kind, artifacts, artifact_count, max_depth, iocs,
 *     iocs_absent or an expected finding that does not match, or a finding
 *     more severe than max_unexpected_severity (default low) that no entry
 *     expects. These
 *     are judged as tests/e2e/test_samples judges them, on the findings
 *     lurescan makes without YARA: yara.match findings are left out of the
 *     verdict and of the unexpected-finding check, because the yara lists
 *     govern them;
 *   - a rule in `yara` that did not match (a miss);
 *   - a rule in `yara_absent` that matched (a false positive).
 * A rule that matched a sample that lists it in neither list is reported
 * as "unexpected": it is not a failure (the manifest does not know about
 * every rule a sample may trip), unless strict mode is on.
 *
 * Names in `yara`/`yara_absent` are bare rule names ("RomCom_Foo") or
 * namespaced ("romcom/hosts.yar:RomCom_Foo").
 */
#ifndef LURE_REGRESS_H
#define LURE_REGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include "core/limits.h"
#include "core/scan.h"
#include "rules/rules.h"

/* ---- the manifest ---- */

typedef struct lure_manifest {
	char *path;
	GPtrArray *samples;   /* lure_manifest_sample* */
	void *priv;           /* the parsed JSON, owned */
} lure_manifest;

typedef struct lure_manifest_sample {
	const char *file;           /* borrowed from the parsed JSON */
	const char *verdict;        /* NULL when not given */
	GPtrArray *yara;            /* const char*, borrowed */
	GPtrArray *yara_absent;     /* const char*, borrowed */
	void *spec;                 /* the entry's JsonObject, borrowed */
} lure_manifest_sample;

/* Reads and checks a manifest: version 1, an array "samples" of objects
 * with a string "file" (relative, without "..") and only known keys.
 * Returns NULL with *err set (LURE_RULES_ERROR domain) when it cannot.
 * Free with lure_manifest_free(). */
lure_manifest *lure_manifest_load(const char *path, GError **err);
void lure_manifest_free(lure_manifest *m);
/* True when a manifest rule name ("R" or "ns:R") names rule ns:rule. */
bool lure_manifest_name_is(const char *listed, const char *ns, const char *rule);

/* The keys a manifest entry, an expected artifact and an expected finding
 * may have; NULL-terminated. */
extern const char *const lure_manifest_entry_keys[];
extern const char *const lure_manifest_artifact_keys[];
extern const char *const lure_manifest_finding_keys[];

/* The matching rules of samples/README.md, shared by `lurescan regress` and
 * tests/e2e/test_samples so both judge a sample the same way. */
/* True when artifact a of scan s has everything expected artifact e gives:
 * name (required), kind, path, sha256 (any case), size, depth and the
 * parent's name. */
bool lure_manifest_artifact_matches(const lure_scan *s, const lure_artifact *a, JsonObject *e);
/* True when finding f of scan s satisfies expected finding e: id
 * (required), severity and artifact name when given, and every member of
 * "details" equal to f's detail of that key (a subset). */
bool lure_manifest_finding_matches(const lure_scan *s, const lure_finding *f, JsonObject *e);

/* ---- a run ---- */

typedef enum lure_regress_format {
	LURE_REGRESS_TEXT = 0,
	LURE_REGRESS_JSON,
	LURE_REGRESS_JUNIT,
} lure_regress_format;

typedef struct lure_regress_opts {
	const char *samples_dir;      /* sample files are relative to this */
	lure_rules *rules;            /* may be NULL: no YARA expectations pass */
	lure_rules_timer *timer;      /* may be NULL: no timings */
	const lure_limits *limits;    /* NULL: defaults */
	bool strict;                  /* unexpected rule matches fail too */
} lure_regress_opts;

/* Per rule or per finding id. */
typedef struct lure_regress_stat {
	char *name;
	unsigned hits;        /* expected and seen */
	unsigned misses;      /* expected and not seen */
	unsigned false_pos;   /* must be absent, seen / unexpected above the max */
	unsigned unexpected;  /* seen, not listed (rules) */
} lure_regress_stat;

typedef struct lure_regress_sample {
	char *file;
	char *verdict;          /* verdict without YARA, as judged */
	char *verdict_yara;     /* verdict with yara.match findings */
	double seconds;
	GPtrArray *failures;    /* char*, one line each */
	GPtrArray *notes;       /* char*: unexpected matches and the like */
	GPtrArray *matched;     /* char* "ns:rule", unique, in match order */
} lure_regress_sample;

typedef struct lure_regress {
	GPtrArray *samples;     /* lure_regress_sample*, manifest order */
	GPtrArray *rules;       /* lure_regress_stat*, sorted by name */
	GPtrArray *findings;    /* lure_regress_stat*, sorted by name */
	GPtrArray *timings;     /* lure_rules_timing* (borrowed) or NULL */
	char *manifest_path;
	size_t nrules;          /* rules loaded */
	unsigned npassed;
	unsigned nfailed;
	double seconds;
} lure_regress;

/* Scans every sample of m found under opts->samples_dir and compares.
 * Returns the result (never NULL); lure_regress_failed() says whether it
 * is a regression. Free with lure_regress_free(). */
lure_regress *lure_regress_run(const lure_manifest *m, const lure_regress_opts *opts);
void lure_regress_free(lure_regress *r);
bool lure_regress_failed(const lure_regress *r);

/* Writes the result in format fmt to out. Returns LURE_E_IO when writing
 * fails. JUnit: one testsuite, one testcase per sample, a <failure> with
 * every mismatch, written with libxml2's xmlTextWriter. */
lure_error lure_regress_write(const lure_regress *r, lure_regress_format fmt, FILE *out);

#endif
