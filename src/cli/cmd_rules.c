/*
 * cmd_rules.c - `lurescan rules check|compile`.
 *
 *   lurescan rules check [--strict] [--samples DIR | --manifest FILE |
 *                        --no-samples] [PATH...]
 *   lurescan rules compile [-v] -o FILE [PATH...]
 *
 * PATH is a rule file or directory (default: the bundled rules). `check`
 * compiles every file on its own and lints the meta (lure_rules_lint);
 * with a manifest (--samples DIR reads DIR/expected.json; by default the
 * source tree's samples/expected.json when it exists) it also warns about
 * rules that no sample must hit or must miss. `compile` writes the rules
 * compiled (yr_rules_save format), which `--rules FILE` loads without
 * compiling; it reloads the file to check it and prints both times.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "cli/commands_rules.h"
#include "core/text.h"
#include "rules/rules.h"

#define EXIT_OK 0
#define EXIT_FINDINGS 1
#define EXIT_ERROR 2

#define MANIFEST_NAME "expected.json"

static void print_error(const char *what, const GError *err)
{
	char *shown = lure_display_escape_str(err != NULL ? err->message : "failed");
	fprintf(stderr, "lurescan rules %s: %s\n", what, shown);
	g_free(shown);
}

/* The paths to use: the arguments, or the default rules directory. */
static const char *const *rule_paths(char **args, size_t *n)
{
	static const char *defaults[1];

	if (args != NULL && args[0] != NULL) {
		*n = g_strv_length(args);
		return (const char *const *)args;
	}
	defaults[0] = lure_rules_default_dir();
	*n = 1;
	return defaults;
}

/* The bundled manifest when it exists (g_free), else NULL. */
static char *bundled_manifest(void)
{
#ifdef LURE_SRCDIR_RULES
	char *top = g_path_get_dirname(LURE_SRCDIR_RULES);
	char *path = g_build_filename(top, "samples", MANIFEST_NAME, NULL);
	g_free(top);
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return path;
	g_free(path);
#endif
	return NULL;
}

static bool parse(GOptionContext *ctx, int argc, char **argv, const char *what)
{
	GError *err = NULL;
	char **copy = g_new0(char *, (gsize)argc + 1);

	/* GOption rewrites argv; hand it a shallow copy. */
	for (int i = 0; i < argc; i++)
		copy[i] = argv[i];
	char **args = copy;
	bool ok = g_option_context_parse(ctx, &argc, &args, &err);
	g_free(copy);
	if (!ok) {
		print_error(what, err);
		g_error_free(err);
	}
	return ok;
}

static void print_lint(const lure_lint *l, const char *manifest)
{
	for (guint i = 0; i < l->msgs->len; i++) {
		char *line = lure_lint_msg_format(g_ptr_array_index(l->msgs, i));
		char *shown = lure_display_escape_str(line);
		printf("%s\n", shown);
		g_free(shown);
		g_free(line);
	}
	printf("%u rule%s in %u file%s: %u error%s, %u warning%s", l->nrules,
	       l->nrules == 1 ? "" : "s", l->nfiles, l->nfiles == 1 ? "" : "s", l->nerrors,
	       l->nerrors == 1 ? "" : "s", l->nwarnings, l->nwarnings == 1 ? "" : "s");
	if (manifest != NULL) {
		char *shown = lure_display_escape_str(manifest);
		printf("; samples from %s (%u rule%s excused by no_sample)", shown, l->nexempt,
		       l->nexempt == 1 ? "" : "s");
		g_free(shown);
	} else {
		printf("; no manifest, sample coverage not checked");
	}
	printf("\n");
}

static int cmd_check(int argc, char **argv)
{
	gboolean strict = FALSE, no_samples = FALSE;
	char *samples = NULL, *manifest = NULL, **args = NULL;
	GOptionEntry entries[] = {
		{"strict", 0, 0, G_OPTION_ARG_NONE, &strict, "fail on warnings too", NULL},
		{"samples", 0, 0, G_OPTION_ARG_FILENAME, &samples,
		 "sample set whose " MANIFEST_NAME " says which rules are exercised", "DIR"},
		{"manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest, "the manifest itself", "FILE"},
		{"no-samples", 0, 0, G_OPTION_ARG_NONE, &no_samples,
		 "do not check that samples exercise the rules", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, "[PATH...]"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("[PATH...] - compile and lint YARA rules");
	int status = EXIT_ERROR;
	char *mpath = NULL;
	GError *err = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!parse(ctx, argc, argv, "check"))
		goto out;
	if (manifest != NULL)
		mpath = g_strdup(manifest);
	else if (samples != NULL)
		mpath = g_build_filename(samples, MANIFEST_NAME, NULL);
	else if (!no_samples)
		mpath = bundled_manifest();
	if (no_samples)
		g_clear_pointer(&mpath, g_free);

	size_t n;
	const char *const *paths = rule_paths(args, &n);
	lure_lint *l = lure_rules_lint(paths, n, mpath, &err);
	if (l == NULL) {
		print_error("check", err);
		g_error_free(err);
		goto out;
	}
	print_lint(l, mpath);
	status = l->nerrors > 0 || (strict && l->nwarnings > 0) ? EXIT_FINDINGS : EXIT_OK;
	lure_lint_free(l);
out:
	g_free(mpath);
	g_free(samples);
	g_free(manifest);
	g_strfreev(args);
	g_option_context_free(ctx);
	return status;
}

static double ms_since(gint64 t0)
{
	return (double)(g_get_monotonic_time() - t0) / 1000.0;
}

static int cmd_compile(int argc, char **argv)
{
	gboolean verbose = FALSE;
	char *output = NULL, **args = NULL;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "compiled rules file to write",
		 "FILE"},
		{"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "print times and counts", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, "[PATH...]"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new("-o FILE [PATH...] - compile YARA rules");
	int status = EXIT_ERROR;
	GError *err = NULL;
	lure_rules *r = NULL, *again = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!parse(ctx, argc, argv, "compile"))
		goto out;
	if (output == NULL) {
		fprintf(stderr, "lurescan rules compile: -o FILE is required\n");
		goto out;
	}
	size_t n;
	const char *const *paths = rule_paths(args, &n);
	gint64 t0 = g_get_monotonic_time();
	if ((r = lure_rules_load(paths, n, &err)) == NULL)
		goto fail;
	double compile_ms = ms_since(t0);
	if (!lure_rules_save(r, output, &err))
		goto fail;
	const char *out1[] = {output};
	t0 = g_get_monotonic_time();
	if ((again = lure_rules_load(out1, 1, &err)) == NULL)
		goto fail;
	double load_ms = ms_since(t0);
	if (lure_rules_count(again) != lure_rules_count(r)) {
		fprintf(stderr, "lurescan rules compile: the written file has %zu rules, not %zu\n",
			lure_rules_count(again), lure_rules_count(r));
		goto out;
	}
	if (verbose)
		printf("%zu rules: compiled from source in %.1f ms; the compiled file loads in "
		       "%.1f ms\n", lure_rules_count(r), compile_ms, load_ms);
	status = EXIT_OK;
	goto out;
fail:
	print_error("compile", err);
	g_error_free(err);
out:
	lure_rules_free(again);
	lure_rules_free(r);
	g_free(output);
	g_strfreev(args);
	g_option_context_free(ctx);
	return status;
}

static void rules_usage(FILE *out)
{
	fputs("Usage: lurescan rules check [--strict] [--samples DIR | --manifest FILE | "
	      "--no-samples] [PATH...]\n"
	      "       lurescan rules compile [-v] -o FILE [PATH...]\n"
	      "\n"
	      "PATH is a .yar/.yara file or a directory of them (default: the bundled rules).\n"
	      "check: exit 0 clean, 1 errors (or warnings with --strict), 2 could not run.\n",
	      out);
}

int lure_cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		rules_usage(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(argv[1], "check") == 0) {
		g_set_prgname("lurescan rules check");
		return cmd_check(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "compile") == 0) {
		g_set_prgname("lurescan rules compile");
		return cmd_compile(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		rules_usage(stdout);
		return EXIT_OK;
	}
	char *shown = lure_display_escape_str(argv[1]);
	fprintf(stderr, "lurescan rules: unknown action '%s'\n", shown);
	g_free(shown);
	rules_usage(stderr);
	return EXIT_ERROR;
}
