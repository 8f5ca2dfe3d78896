/*
 * rules.h - YARA glue: load a rule set once, scan every artifact with it,
 * save compiled rules, time rule files, and lint a rule set.
 *
 * Loading. lure_rules_load() takes files and directories. A directory is
 * walked recursively in sorted order for *.yar and *.yara (dot files and
 * symlinked directories are skipped). A rule file's YARA namespace is its
 * path relative to the directory given ("romcom/altchunk.yar"), or its base
 * name when the file itself was given. A compiled file (the output of
 * lure_rules_save(), or of yarac / yr_rules_save, recognised by its magic)
 * is loaded without compiling; it cannot be mixed with other rule files.
 * Compiled rules run code-like bytecode: load only compiled files you made.
 *
 * PE-only files. A rule file that imports "pe" or "dotnet" runs only on
 * artifacts that are PE files: libyara loads every imported module on
 * every scan, and the pe module costs about 0.5 ms per artifact even on
 * bytes that are not a PE, more than the rest of a document's scan. So the
 * rules are compiled into two sets, one for every artifact and one for PE
 * artifacts; put a rule meant for documents in a file that imports
 * neither module. A yarac file is one set and runs on every artifact.
 *
 * External variables. Every rule set is compiled with these declared, and
 * every artifact is scanned with them set:
 *   artifact_kind   the artifact's kind: "ole2", "ooxml", "zip", "xml",
 *                   "rels", "content_types", "rtf", "ole1", "pe", "data"
 *   artifact_name   its display name (control bytes written as \xNN, so the
 *                   stream "\x01Ole" is the 7 characters `\x01Ole`)
 *   artifact_path   its display path from the root, joined with " > "
 *   artifact_depth  its depth (the input is 0)
 *   parent_kind     the parent's kind, "" for the input
 *   root_name       the input's display name
 *
 * Scanning. lure_rules_attach() registers an artifact hook on a scan. For
 * each artifact with bytes it runs YARA (libyara's timeout is the scan's
 * limits.yara_timeout_s, never past the scan's own deadline) and records,
 * per matching rule, a lure_yara_match (rule, namespace, tags, meta as
 * text, and at most LURE_RULES_MAX_STRINGS string matches, the first
 * LURE_RULES_MAX_HITS_PER_STRING of each string) plus a yara.match finding
 * whose severity is the rule's `severity` meta (medium when absent or
 * unknown). A timeout is limit.exceeded with details.limit "yara_timeout".
 *
 * Threads. A lure_rules is shared read-only by any number of threads. A
 * YR_SCANNER must not be used by two threads at once, so the rules keep a
 * pool of idle scanners: the hook takes one for the artifact it scans and
 * gives it back right after (one mutex round trip per artifact). The pool
 * grows to the number of threads scanning at once and lives until
 * lure_rules_free(): nothing is created per scan, nothing needs detaching,
 * and a scan can be freed whenever. The rules must outlive every scan they
 * are attached to.
 *
 * libyara's global state: lure_rules_load() and lure_rules_lint() call
 * yr_initialize() through a thread-safe reference count, and the matching
 * free calls yr_finalize() when the last user is gone.
 */
#ifndef LURE_RULES_H
#define LURE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "core/error.h"
#include "core/scan.h"

/* GError domain of this module; the codes are lure_error values
 * (LURE_E_RULES, LURE_E_IO, LURE_E_NOMEM, LURE_E_INVALID_ARG). */
#define LURE_RULES_ERROR (lure_rules_error_quark())
GQuark lure_rules_error_quark(void);

/* Output bounds of one rule match: a rule with a string that hits
 * thousands of times must not flood the report. */
#define LURE_RULES_MAX_STRINGS 16u
#define LURE_RULES_MAX_HITS_PER_STRING 1u

/* The names of the external variables, as rules use them. */
#define LURE_EXT_ARTIFACT_KIND "artifact_kind"
#define LURE_EXT_ARTIFACT_NAME "artifact_name"
#define LURE_EXT_ARTIFACT_PATH "artifact_path"
#define LURE_EXT_ARTIFACT_DEPTH "artifact_depth"
#define LURE_EXT_PARENT_KIND "parent_kind"
#define LURE_EXT_ROOT_NAME "root_name"
/* The artifact's SHA-256 (lower-case hex), already computed by the core:
 * a hash rule compares it instead of making the hash module hash every
 * artifact again. */
#define LURE_EXT_ARTIFACT_SHA256 "artifact_sha256"

typedef struct lure_rules lure_rules;

struct _YR_COMPILER;
/* Declares every external variable above on a compiler, with neutral
 * defaults. Returns a libyara error code (ERROR_SUCCESS = 0). */
int lure_rules_define_externals(struct _YR_COMPILER *c);

/* One rule file found by lure_rules_collect(). */
typedef struct lure_rule_file {
	char *path;     /* as found (the given path joined with the walk) */
	char *ns;       /* YARA namespace: relative path or base name */
	bool compiled;  /* a compiled file ("YARA" or our container magic) */
	bool pe_only;   /* imports "pe" or "dotnet": runs on PE artifacts only */
} lure_rule_file;

/* One rule of a loaded set. */
typedef struct lure_rule_ref {
	char *ns;
	char *name;
} lure_rule_ref;

/* ---- loading and scanning ---- */

/* Expands paths[0..n) into rule files: directories walked as described
 * above, sorted by namespace within each directory argument, files taken as
 * given; a file reached twice (the same real path) is kept once. Returns a new array of lure_rule_file* (free with
 * g_ptr_array_unref), or NULL with *err set when a path cannot be read,
 * nothing is found, or compiled and source files are mixed. */
GPtrArray *lure_rules_collect(const char *const *paths, size_t n, GError **err);

/* Compiles (or loads) the rules at paths[0..n). Returns a new rule set, or
 * NULL with *err set; a compile error's message names file:line. Free with
 * lure_rules_free(). */
lure_rules *lure_rules_load(const char *const *paths, size_t n, GError **err);
/* Frees the rules and their scanner pool; NULL is a no-op. No scan using
 * them may still be running. */
void lure_rules_free(lure_rules *r);
/* Writes the compiled rules to path (atomically: a temporary file renamed
 * into place): a container (magic "LURESCAN-YARA-1\n") holding each set as
 * yr_rules_save output, so the PE-only split survives. Returns false with
 * *err set on failure. */
bool lure_rules_save(const lure_rules *r, const char *path, GError **err);
/* Number of rules (private rules included). */
size_t lure_rules_count(const lure_rules *r);
/* True when the set came from a compiled file. */
bool lure_rules_is_compiled(const lure_rules *r);
/* Every rule, in compiled order: a new array of lure_rule_ref* (free with
 * g_ptr_array_unref). */
GPtrArray *lure_rules_list(const lure_rules *r);
/* Registers the YARA hook on scan (before lure_scan_run()). Returns
 * LURE_E_LIMIT when the scan has no free hook slot. r must outlive scan. */
lure_error lure_rules_attach(lure_rules *r, lure_scan *scan);

/* The rules directory used when none is named: the source tree's
 * yara-rules when this program runs from its build directory, else the
 * installed one. Static string; it may not exist. */
const char *lure_rules_default_dir(void);

/* ---- per-file timing (for `lurescan regress`) ----
 *
 * libyara 4.2 measures rule cost only in a profiling build, so we measure
 * it ourselves, honestly and within bounds: each rule file is compiled on
 * its own, plus a baseline set with one rule that is never true. For every
 * artifact the timer's hook scans the artifact with the baseline and then
 * with each file's set, and charges each file the difference (never below
 * zero). The unit is the rule file, not the rule: with one topic per file
 * that points at the slow rule closely, and it counts what a file really
 * costs (its atoms, its modules, its conditions). The cost is one extra
 * YARA pass per rule file per artifact (PE artifacts only for PE-only
 * files, as in the real scan), so only regress uses it. A timer serves one
 * scan at a time. */
typedef struct lure_rules_timer lure_rules_timer;

typedef struct lure_rules_timing {
	const char *ns;      /* the rule file's namespace (owned by the timer) */
	unsigned nrules;
	uint64_t ns_total;   /* nanoseconds over the baseline, summed */
	uint64_t artifacts;  /* artifacts scanned */
} lure_rules_timing;

/* Compiles one set per rule file under paths. Returns NULL with *err set
 * on a compile error or when paths name a compiled file. */
lure_rules_timer *lure_rules_timer_new(const char *const *paths, size_t n, GError **err);
void lure_rules_timer_free(lure_rules_timer *t);
/* Registers the timing hook on scan; LURE_E_LIMIT when no slot is free. */
lure_error lure_rules_timer_attach(lure_rules_timer *t, lure_scan *scan);
/* The timings so far, slowest first: a new array of borrowed
 * lure_rules_timing* (g_ptr_array_unref; the items belong to the timer). */
GPtrArray *lure_rules_timer_results(const lure_rules_timer *t);

/* ---- lint (lint.c; `lurescan rules check`) ----
 *
 * Compiles each rule file on its own, so every file's errors are found,
 * and reports, with file:line:
 *   errors   - compile errors; missing or empty required meta
 *              (description, author, date, reference, severity); severity
 *              not low|medium|high|critical; date not a real YYYY-MM-DD;
 *              reference not an http(s) URL; attack not T1234 or
 *              T1234.001; cve not CVE-YYYY-NNNN; hash not 32, 40 or 64
 *              hex digits (lists separated by ", " are allowed); a rule
 *              name used in two files;
 *   warnings - compiler warnings (slow strings among them); a rule that no
 *              sample in the manifest exercises (listed under some
 *              sample's "yara"), unless its meta `no_sample` says why no
 *              sample can exist (a hash IOC of live malware, say).
 */
typedef enum lure_lint_level {
	LURE_LINT_WARNING = 1,
	LURE_LINT_ERROR = 2,
} lure_lint_level;

typedef struct lure_lint_msg {
	lure_lint_level level;
	char *file;   /* rule file path */
	int line;     /* 0 when unknown */
	char *rule;   /* NULL when not about one rule */
	char *text;
} lure_lint_msg;

typedef struct lure_lint {
	GPtrArray *msgs;         /* lure_lint_msg*, in file order */
	unsigned nerrors;
	unsigned nwarnings;
	unsigned nfiles;
	unsigned nrules;
	unsigned nexempt;        /* rules with no_sample */
	bool exercised_checked;  /* a manifest was read */
} lure_lint;

/* Lints the rule files under paths. manifest (may be NULL: the exercised
 * check is skipped) is a regress manifest. Returns the report, or NULL with
 * *err set when the paths or the manifest cannot be read. Free with
 * lure_lint_free(). */
lure_lint *lure_rules_lint(const char *const *paths, size_t n, const char *manifest,
			   GError **err);
void lure_lint_free(lure_lint *l);
/* "file:line: error: rule R: text" (g_free). */
char *lure_lint_msg_format(const lure_lint_msg *m);

/* ---- shared with lint.c ---- */

/* Takes a reference on libyara's global state (yr_initialize() on the
 * first). Returns false with *err set when libyara cannot start. */
bool lure_yara_acquire(GError **err);
/* Drops one reference; yr_finalize() on the last. */
void lure_yara_release(void);

#endif
