/*
 * report.h - what a finished scan looks like to people and programs.
 *
 * Text: an indented tree of artifacts (name, kind, size) with the findings
 * under their artifact, then a verdict line. JSON: one object per input, the
 * contract in doc/json.md, built with json-glib. Extraction: every artifact
 * written under DIR/<input sha256>/ with a manifest.json.
 *
 * These read a finished lure_scan and never change it. Output is safe for a
 * terminal and valid JSON whatever the tree holds: all names were escaped
 * when the tree was built (text.h), and every string is passed through the
 * same (idempotent) escape again on the way out, so a caller that filled the
 * tree by hand cannot smuggle control bytes or invalid UTF-8 through either.
 *
 * Thread safety: every function works on its own arguments only; scans may
 * be reported from several threads at once.
 */
#ifndef LURE_REPORT_H
#define LURE_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include "core/scan.h"

#define LURE_JSON_SCHEMA_VERSION 1

typedef struct lure_report_opts {
	const char *file;        /* the input as named by the user (raw); NULL: root name */
	bool defang;             /* text: URLs, UNC paths and IOCs defanged */
	bool color;              /* text: ANSI colours (the caller checks tty/NO_COLOR) */
	bool quiet;              /* text: only the "FILE: verdict (...)" line */
	const char *extract_dir; /* where the artifacts were written, or NULL */
} lure_report_opts;

/* Builds the JSON object of scan (caller json_node_unref()s). opts may be
 * NULL. Never fails. */
JsonNode *lure_report_json(const lure_scan *scan, const lure_report_opts *opts);
/* Serialises scan as one line of JSON to out, followed by '\n'. Returns
 * LURE_E_IO when writing fails. */
lure_error lure_report_json_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out);
/* Serialises node (borrowed, not freed) with json-glib: pretty (indented,
 * for files people read) or on one line. Returns the text (g_free); *len,
 * when len is not NULL, gets its length. The one place JSON text is made:
 * the report, the extraction manifest and `lurescan regress` use it. */
char *lure_report_json_text(JsonNode *node, bool pretty, gsize *len);
/* Writes the text tree and verdict of scan to out (opts may be NULL).
 * Returns LURE_E_IO when writing fails. */
lure_error lure_report_text_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out);

/* The verdict with its finding counts, e.g. "malicious (2 high, 1 medium)"
 * or "clean". g_free the result. */
char *lure_report_summary(const lure_scan *scan);

/* Returns a copy of free text (g_free) with every URL (http, https, ftp)
 * and UNC path in it defanged: the scheme becomes hxxp, hxxps or fxp and
 * every dot of the host "[.]" ("see http://a.b/x.y" gives
 * "see hxxp://a[.]b/x.y", "\\srv.corp\s" gives "\\srv[.]corp\s").
 * Other text is kept. NULL gives "". */
char *lure_report_defang(const char *text);

/* ---- extraction ---- */

typedef struct lure_extractor lure_extractor;

/* Prepares extraction of one input under dir into dir/<sha256>/. dir is
 * created with its parents (mode 0700) when missing; dir/<sha256> is created
 * with mkdirat and must be new: when it exists (the same input extracted
 * before) dir/<sha256>.1, .2, ... up to .999 are tried. The directory is
 * opened once with O_NOFOLLOW and every file is created relative to it, so
 * symlinks are never followed. input_sha256 must be 64 hex digits. Returns
 * NULL with *err set (LURE_E_IO, LURE_E_EXISTS, LURE_E_INVALID_ARG) on
 * failure. */
lure_extractor *lure_extractor_new(const char *dir, const char *input_sha256, lure_error *err);
/* The directory the artifacts go to (dir/<sha256>[.N]); owned by ex. */
const char *lure_extractor_dir(const lure_extractor *ex);
/* A lure_artifact_hook: writes a's bytes as <id>-<sanitised name>, mode
 * 0600, O_EXCL|O_NOFOLLOW. Failures are recorded in the extractor (and in
 * the manifest); the scan goes on. The root (the input) is written too. */
void lure_extract_hook(lure_scan *scan, lure_artifact *a, void *extractor);
/* Writes manifest.json (every artifact of scan, with the file it was
 * written to or null; no manifest when scan is NULL), closes and frees ex.
 * Returns the first error seen while extracting or writing the manifest,
 * LURE_OK otherwise; *errmsg (when errmsg is not NULL) then gets a
 * display-safe message for it (g_free; NULL when all went well). NULL ex is
 * a no-op returning LURE_OK. */
lure_error lure_extractor_finish(lure_extractor *ex, const lure_scan *scan, char **errmsg);
/* Sanitises a display name into a file name component: [A-Za-z0-9._-]
 * only (every other byte becomes '_'), runs of dots collapsed to one, no
 * leading dot, at most LURE_EXTRACT_NAME_MAX bytes, never empty (""
 * gives "_"). NULL is treated as "". g_free the result. */
char *lure_extract_sanitise(const char *name);
#define LURE_EXTRACT_NAME_MAX 80

#endif
