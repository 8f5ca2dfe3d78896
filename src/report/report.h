/*
 * report.h - what a finished scan looks like to people and programs.
 *
 * Text: an indented tree of artifacts (name, kind, size) with the findings
 * under their artifact, then a verdict line. JSON: one object per input, the
 * contract in doc/json.md, built with json-glib. Extraction: every artifact
 * written under DIR/<input sha256>/ with a manifest.json.
 *
 * These read a finished lure_scan and never change it. Output is safe for a
 * terminal: all names were escaped when the tree was built (text.h).
 */
#ifndef LURE_REPORT_H
#define LURE_REPORT_H

#include <stdio.h>
#include <json-glib/json-glib.h>
#include "core/scan.h"

#define LURE_JSON_SCHEMA_VERSION 1

typedef struct lure_report_opts {
	const char *file;     /* the input as named by the user (raw) */
	bool defang;          /* print IOCs defanged (text output) */
	bool color;           /* ANSI colours in text output */
} lure_report_opts;

/* Builds the JSON object of scan (caller unrefs). */
JsonNode *lure_report_json(const lure_scan *scan, const lure_report_opts *opts);
/* Serialises scan as one line of JSON to out, followed by '\n'. */
lure_error lure_report_json_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out);
/* Writes the text tree and verdict of scan to out. */
lure_error lure_report_text_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out);

/* ---- extraction ---- */

typedef struct lure_extractor lure_extractor;

/* Prepares extraction of one input under dir (which must exist or be
 * creatable) into dir/<sha256>/. Returns NULL with *err set on failure. The
 * directory is opened once; symlinks are never followed. */
lure_extractor *lure_extractor_new(const char *dir, const char *input_sha256, lure_error *err);
/* A lure_artifact_hook: writes a's bytes as <id>-<sanitised name>, 0600,
 * O_EXCL. Failures are recorded in the extractor. */
void lure_extract_hook(lure_scan *scan, lure_artifact *a, void *extractor);
/* Writes manifest.json, closes, frees. Returns the first error seen. */
lure_error lure_extractor_finish(lure_extractor *ex, const lure_scan *scan);
/* Sanitises a display name into a file name component: [A-Za-z0-9._-]
 * only, no leading dot, at most 80 bytes, never empty. g_free the result. */
char *lure_extract_sanitise(const char *name);

#endif
