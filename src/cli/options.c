/*
 * options.c - parsing `lurescan scan`'s command line; see options.h.
 *
 * GOption does the option syntax (long and short forms, "--opt=value",
 * "--", options after file names). Every numeric option goes through a
 * callback with our strict parsers instead of G_OPTION_ARG_INT, which takes
 * signs and has no range. GOption's own --help is off: it would exit() from
 * inside the parse; -h sets a flag and the caller prints the help.
 */
#include <limits.h>
#include <string.h>
#include "cli/options.h"

void lure_cli_opts_init(lure_cli_opts *o)
{
	memset(o, 0, sizeof *o);
	lure_limits_default(&o->limits);
	o->jobs = 1;
	o->fail_on = LURE_VERDICT_SUSPICIOUS;
}

void lure_cli_opts_clear(lure_cli_opts *o)
{
	g_free(o->extract_dir);
	g_strfreev(o->rules);
	g_strfreev(o->inputs);
	o->extract_dir = NULL;
	o->rules = NULL;
	o->inputs = NULL;
}

static bool bad_value(GError **error, const char *option, const char *s, const char *why)
{
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		    "invalid value '%s' for %s: %s", s, option, why);
	return false;
}

/* Reads the decimal digits at *p into *v; false on no digit or overflow. */
static bool read_digits(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	if (!g_ascii_isdigit(*s))
		return false;
	for (; g_ascii_isdigit(*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*p = s;
	*v = n;
	return true;
}

bool lure_cli_parse_count(const char *option, const char *s, uint64_t max, uint64_t *out,
			  GError **error)
{
	const char *p = s;
	uint64_t v;

	if (s == NULL || !read_digits(&p, &v) || *p != '\0')
		return bad_value(error, option, s != NULL ? s : "", "expected a whole number");
	if (v > max) {
		char *why = g_strdup_printf("at most %" G_GUINT64_FORMAT, max);
		bad_value(error, option, s, why);
		g_free(why);
		return false;
	}
	*out = v;
	return true;
}

bool lure_cli_parse_size(const char *option, const char *s, uint64_t *out, GError **error)
{
	static const char suffixes[] = "KMGT";
	const char *p = s;
	uint64_t v, mult = 1;

	if (s == NULL || !read_digits(&p, &v))
		return bad_value(error, option, s != NULL ? s : "",
				 "expected a size such as 4096, 64K, 100M or 1G");
	if (*p != '\0') {
		const char *k = strchr(suffixes, g_ascii_toupper(*p));
		if (k == NULL || p[1] != '\0')
			return bad_value(error, option, s,
					 "expected a size such as 4096, 64K, 100M or 1G");
		mult = (uint64_t)1 << (10 * (k - suffixes + 1));
	}
	if (v > UINT64_MAX / mult)
		return bad_value(error, option, s, "too large");
	*out = v * mult;
	return true;
}

bool lure_cli_parse_seconds(const char *option, const char *s, unsigned *ms, GError **error)
{
	static const char *const why = "expected seconds such as 30 or 1.5";
	const char *p = s;
	uint64_t whole = 0, frac = 0;
	unsigned ndigits = 0;
	bool round_up = false;

	if (s == NULL || *s == '\0')
		return bad_value(error, option, "", why);
	if (*p != '.' && !read_digits(&p, &whole))
		return bad_value(error, option, s, why);
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			return bad_value(error, option, s, why);
		for (; g_ascii_isdigit(*p); p++) {
			if (ndigits < 3) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				ndigits++;
			} else if (*p != '0') {
				round_up = true; /* finer than a millisecond */
			}
		}
		for (; ndigits < 3; ndigits++)
			frac *= 10;
	}
	if (*p != '\0')
		return bad_value(error, option, s, why);
	if (whole > UINT_MAX / 1000)
		return bad_value(error, option, s, "too large");
	uint64_t total = whole * 1000 + frac + (round_up ? 1 : 0);
	if (total > UINT_MAX)
		return bad_value(error, option, s, "too large");
	*ms = (unsigned)total;
	return true;
}

/* Parses a count into an unsigned field, within [min, UINT_MAX]. */
static bool set_unsigned(const char *option, const char *value, unsigned min, unsigned max,
			 unsigned *field, GError **error)
{
	uint64_t v;
	if (!lure_cli_parse_count(option, value, max, &v, error))
		return false;
	if (v < min) {
		char *why = g_strdup_printf("at least %u", min);
		bad_value(error, option, value, why);
		g_free(why);
		return false;
	}
	*field = (unsigned)v;
	return true;
}

/* One callback for every option with a checked value; data is the opts. */
static gboolean on_value(const gchar *name, const gchar *value, gpointer data, GError **error)
{
	lure_cli_opts *o = data;
	lure_limits *l = &o->limits;

	if (strcmp(name, "-j") == 0 || strcmp(name, "--jobs") == 0)
		return set_unsigned(name, value, 1, LURE_CLI_MAX_JOBS, &o->jobs, error);
	if (strcmp(name, "--max-depth") == 0)
		return set_unsigned(name, value, 0, UINT_MAX, &l->max_depth, error);
	if (strcmp(name, "--max-artifacts") == 0)
		return set_unsigned(name, value, 1, UINT_MAX, &l->max_artifacts, error);
	if (strcmp(name, "--max-ratio") == 0)
		return set_unsigned(name, value, 1, UINT_MAX, &l->max_ratio, error);
	if (strcmp(name, "--max-artifact-size") == 0)
		return lure_cli_parse_size(name, value, &l->max_artifact_size, error);
	if (strcmp(name, "--max-total-size") == 0)
		return lure_cli_parse_size(name, value, &l->max_total_size, error);
	if (strcmp(name, "--max-input-size") == 0)
		return lure_cli_parse_size(name, value, &l->max_input_size, error);
	if (strcmp(name, "--yara-timeout") == 0)
		return set_unsigned(name, value, 0, UINT_MAX, &l->yara_timeout_s, error);
	if (strcmp(name, "--timeout") == 0)
		return lure_cli_parse_seconds(name, value, &l->timeout_ms, error);
	if (strcmp(name, "--fail-on") == 0) {
		if (strcmp(value, "suspicious") == 0)
			o->fail_on = LURE_VERDICT_SUSPICIOUS;
		else if (strcmp(value, "malicious") == 0)
			o->fail_on = LURE_VERDICT_MALICIOUS;
		else
			return bad_value(error, name, value, "expected suspicious or malicious");
		return TRUE;
	}
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "unknown option %s", name);
	return FALSE;
}

#define VALUE_OPT(long_name, short_name, help, arg) \
	{long_name, short_name, 0, G_OPTION_ARG_CALLBACK, (gpointer)on_value, help, arg}

static GOptionContext *scan_context_new(lure_cli_opts *o)
{
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &o->json,
		 "Print one JSON object per input, one per line (doc/json.md)", NULL},
		{"recursive", 'r', 0, G_OPTION_ARG_NONE, &o->recursive,
		 "Scan every regular file below a DIR (symlinks to directories are not followed)",
		 NULL},
		{"extract", 0, 0, G_OPTION_ARG_FILENAME, &o->extract_dir,
		 "Write every artifact to DIR/<sha256>/<id>-<name>, with a manifest.json", "DIR"},
		{"rules", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->rules,
		 "YARA rules file, directory or compiled file (repeatable; default: the bundled rules)",
		 "PATH"},
		{"no-rules", 0, 0, G_OPTION_ARG_NONE, &o->no_rules,
		 "run no YARA rules, not even the bundled ones", NULL},
		VALUE_OPT("jobs", 'j', "Scan N inputs in parallel (1-256); output keeps input order",
			  "N"),
		VALUE_OPT("fail-on", 0, "Lowest verdict that makes the exit status 1 "
			  "(suspicious|malicious; default suspicious)", "LEVEL"),
		{"defang", 0, 0, G_OPTION_ARG_NONE, &o->defang,
		 "Defang URLs and hosts in text output (hxxp, [.])", NULL},
		{"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
		 "Print only one \"FILE: verdict\" line per input; no notes or progress", NULL},
		{"no-color", 0, 0, G_OPTION_ARG_NONE, &o->no_color, "Never use colours", NULL},
		VALUE_OPT("max-depth", 0, "Nesting depth of artifacts (default 16)", "N"),
		VALUE_OPT("max-artifacts", 0, "Artifacts per input (default 10000)", "N"),
		VALUE_OPT("max-artifact-size", 0, "Bytes of one artifact (default 100M)", "SIZE"),
		VALUE_OPT("max-total-size", 0, "Expanded bytes per input (default 400M)", "SIZE"),
		VALUE_OPT("max-ratio", 0, "Decompression ratio per entry past 1 MiB (default 200)",
			  "N"),
		VALUE_OPT("timeout", 0, "Seconds per input, fractions allowed, 0 = none (default 30)",
			  "SECONDS"),
		VALUE_OPT("max-input-size", 0, "Largest input read at all (default 1G)", "SIZE"),
		VALUE_OPT("yara-timeout", 0, "Whole seconds YARA may spend on one artifact, "
			  "0 = none (default 10)", "SECONDS"),
		{"help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->inputs, NULL,
		 "FILE|DIR|-..."},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx = g_option_context_new(NULL);
	GOptionGroup *group = g_option_group_new("scan", "Scan options", "Scan options", o, NULL);

	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(ctx, group);
	g_option_context_set_help_enabled(ctx, FALSE);
	g_option_context_set_summary(ctx,
		"Scan Office documents (OLE2, OOXML, RTF) and everything nested in them.\n"
		"'-' reads standard input. SIZE takes a K, M, G or T suffix (powers of 1024).");
	g_option_context_set_description(ctx,
		"Exit status: 0 all inputs clean; 1 at least one at or above --fail-on;\n"
		"2 at least one input could not be scanned (or a bad option). The worst wins.\n"
		"\n"
		"See lurescan(1) and doc/json.md.");
	return ctx;
}

/* GOption does not take a short option's value glued to it ("-j4"), which
 * is how people type -j: split "-jN" into "-j" "N" (up to a "--"). */
static char **split_glued_values(int argc, char **argv, GPtrArray *owned, int *out_argc)
{
	GPtrArray *args = g_ptr_array_new();
	bool options_done = false;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			options_done = true;
		if (!options_done && i > 0 && strncmp(a, "-j", 2) == 0 && a[2] != '\0') {
			char *value = g_strdup(a + 2);
			g_ptr_array_add(owned, value);
			g_ptr_array_add(args, "-j");
			g_ptr_array_add(args, value);
			continue;
		}
		g_ptr_array_add(args, argv[i]);
	}
	*out_argc = (int)args->len;
	g_ptr_array_add(args, NULL);
	return (char **)g_ptr_array_free(args, FALSE);
}

bool lure_cli_parse_scan(int argc, char **argv, lure_cli_opts *o, GError **error)
{
	GOptionContext *ctx = scan_context_new(o);
	GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
	int nargs;
	/* GOption rearranges the vector; give it a copy of the pointers. */
	char **args = split_glued_values(argc, argv, owned, &nargs);
	char **orig = args;
	bool ok = g_option_context_parse(ctx, &nargs, &args, error);

	g_free(orig);
	g_ptr_array_free(owned, TRUE);
	g_option_context_free(ctx);
	if (ok && !o->help && (o->inputs == NULL || o->inputs[0] == NULL)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "no input given");
		ok = false;
	}
	return ok;
}

char *lure_cli_scan_help(void)
{
	lure_cli_opts o;
	lure_cli_opts_init(&o);
	GOptionContext *ctx = scan_context_new(&o);
	char *text = g_option_context_get_help(ctx, TRUE, NULL);
	g_option_context_free(ctx);
	lure_cli_opts_clear(&o);
	return text;
}
