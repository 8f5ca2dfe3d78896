/*
 * cmd_regress.c - `lurescan regress`: scan a labelled sample set against its
 * manifest with the rules, and fail on any regression (regress.h).
 *
 *   lurescan regress SAMPLES_DIR [--manifest FILE] [--rules PATH]...
 *                    [--format text|json|junit] [-o FILE] [--strict]
 *                    [--no-timing] [--yara-timeout SECONDS]
 *
 * The manifest defaults to SAMPLES_DIR/expected.json and the rules to the
 * bundled ones. Per-file rule timings need rule sources; with a compiled
 * rules file they are skipped (and said so).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cli/commands_rules.h"
#include "core/limits.h"
#include "core/text.h"
#include "rules/regress.h"
#include "rules/rules.h"

#define EXIT_OK 0
#define EXIT_REGRESSION 1
#define EXIT_ERROR 2

#define MANIFEST_NAME "expected.json"

typedef struct regress_args {
	char *manifest;
	char **rules;
	char *format;
	char *output;
	gboolean strict;
	gboolean no_timing;
	int yara_timeout;
	char **rest;
} regress_args;

static void complain(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* One line on stderr, display-escaped. */
static void complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *shown = lure_display_escape_str(msg);
	fprintf(stderr, "lurescan regress: %s\n", shown);
	g_free(shown);
	g_free(msg);
}

static bool parse_args(int argc, char **argv, regress_args *a)
{
	GOptionEntry entries[] = {
		{"manifest", 0, 0, G_OPTION_ARG_FILENAME, &a->manifest,
		 "manifest (default SAMPLES_DIR/" MANIFEST_NAME ")", "FILE"},
		{"rules", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->rules,
		 "YARA rules file or directory (repeatable; default: the bundled rules)", "PATH"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &a->format, "text (default), json or junit",
		 "FORMAT"},
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &a->output,
		 "write the report to FILE", "FILE"},
		{"strict", 0, 0, G_OPTION_ARG_NONE, &a->strict,
		 "a rule matching a sample that does not list it fails too", NULL},
		{"no-timing", 0, 0, G_OPTION_ARG_NONE, &a->no_timing,
		 "do not time each rule file", NULL},
		{"yara-timeout", 0, 0, G_OPTION_ARG_INT, &a->yara_timeout,
		 "seconds YARA may spend on one artifact", "SECONDS"},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->rest, NULL,
		 "SAMPLES_DIR"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("SAMPLES_DIR - check rules and findings "
						   "against a labelled sample set");
	char **copy = g_new0(char *, (gsize)argc + 1);
	GError *err = NULL;

	for (int i = 0; i < argc; i++)
		copy[i] = argv[i];
	char **args = copy;
	g_option_context_add_main_entries(ctx, entries, NULL);
	bool ok = g_option_context_parse(ctx, &argc, &args, &err);
	g_free(copy);
	g_option_context_free(ctx);
	if (!ok) {
		complain("%s", err->message);
		g_error_free(err);
		return false;
	}
	if (a->rest == NULL || a->rest[0] == NULL || a->rest[1] != NULL) {
		fprintf(stderr, "lurescan regress: give exactly one SAMPLES_DIR\n");
		return false;
	}
	if (a->yara_timeout < 0) {
		fprintf(stderr, "lurescan regress: --yara-timeout must be 0 or more\n");
		return false;
	}
	return true;
}

static bool parse_format(const char *s, lure_regress_format *out)
{
	if (s == NULL || strcmp(s, "text") == 0)
		*out = LURE_REGRESS_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = LURE_REGRESS_JSON;
	else if (strcmp(s, "junit") == 0)
		*out = LURE_REGRESS_JUNIT;
	else
		return false;
	return true;
}

static void args_clear(regress_args *a)
{
	g_free(a->manifest);
	g_strfreev(a->rules);
	g_free(a->format);
	g_free(a->output);
	g_strfreev(a->rest);
}

/* Loads the rules and, unless off or impossible, the per-file timer. */
static bool load_rules(const regress_args *a, lure_rules **rules, lure_rules_timer **timer)
{
	const char *def[] = {lure_rules_default_dir()};
	const char *const *paths = a->rules != NULL ? (const char *const *)a->rules : def;
	size_t n = a->rules != NULL ? g_strv_length(a->rules) : 1;
	GError *err = NULL;

	*timer = NULL;
	if ((*rules = lure_rules_load(paths, n, &err)) == NULL) {
		complain("%s", err->message);
		g_error_free(err);
		return false;
	}
	if (a->no_timing)
		return true;
	if (lure_rules_is_compiled(*rules)) {
		fprintf(stderr, "lurescan regress: compiled rules: no per-file timings\n");
		return true;
	}
	if ((*timer = lure_rules_timer_new(paths, n, &err)) == NULL) {
		complain("timing: %s", err->message);
		g_error_free(err);
		return false;
	}
	return true;
}

static int write_report(const lure_regress *r, lure_regress_format fmt, const char *output)
{
	FILE *out = stdout;

	if (output != NULL && (out = g_fopen(output, "w")) == NULL) {
		int e = errno;
		complain("%s: %s", output, g_strerror(e));
		return EXIT_ERROR;
	}
	lure_error err = lure_regress_write(r, fmt, out);
	if (out != stdout && fclose(out) != 0)
		err = LURE_E_IO;
	if (err != LURE_OK) {
		complain("cannot write the report: %s", lure_strerror(err));
		return EXIT_ERROR;
	}
	if (output != NULL)
		printf("%u passed, %u failed\n", r->npassed, r->nfailed);
	return lure_regress_failed(r) ? EXIT_REGRESSION : EXIT_OK;
}

int lure_cmd_regress(int argc, char **argv)
{
	regress_args a = {0};
	lure_regress_format fmt;
	lure_rules *rules = NULL;
	lure_rules_timer *timer = NULL;
	lure_manifest *m = NULL;
	int status = EXIT_ERROR;
	GError *err = NULL;

	g_set_prgname("lurescan regress");
	if (!parse_args(argc, argv, &a))
		goto out;
	if (!parse_format(a.format, &fmt)) {
		complain("unknown format '%s' (text, json or junit)", a.format);
		goto out;
	}
	char *mpath = a.manifest != NULL ? g_strdup(a.manifest)
					 : g_build_filename(a.rest[0], MANIFEST_NAME, NULL);
	m = lure_manifest_load(mpath, &err);
	g_free(mpath);
	if (m == NULL) {
		complain("%s", err->message);
		g_error_free(err);
		goto out;
	}
	if (!load_rules(&a, &rules, &timer))
		goto out;

	lure_limits limits;
	lure_limits_default(&limits);
	if (a.yara_timeout > 0)
		limits.yara_timeout_s = (unsigned)a.yara_timeout;
	lure_regress_opts opts = {
		.samples_dir = a.rest[0], .rules = rules, .timer = timer, .limits = &limits,
		.strict = a.strict,
	};
	lure_regress *r = lure_regress_run(m, &opts);
	status = write_report(r, fmt, a.output);
	lure_regress_free(r);
out:
	lure_rules_timer_free(timer);
	lure_rules_free(rules);
	lure_manifest_free(m);
	args_clear(&a);
	return status;
}
