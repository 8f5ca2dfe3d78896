/*
 * lint.c - `lurescan rules check`: compile a rule set and lint its meta;
 * the checks are listed in rules.h.
 *
 * Each rule file is compiled by a compiler of its own. libyara refuses any
 * more input once a file failed, so this is the only way to report the
 * errors of every file in one run; it also ties each warning to its file.
 * The external variables are declared as lure_rules_load() declares them,
 * so a rule that passes here compiles there.
 *
 * libyara does not keep the line of a rule, so a meta problem is reported
 * at the line of the rule's header, found in the source text
 * ("[private|global] rule NAME").
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>
#include "rules/regress.h"
#include "rules/rules.h"

/* Meta every rule must carry, as non-empty strings. */
static const char *const required_meta[] = {
	"description", "author", "date", "reference", "severity", NULL,
};
/* The severities a rule may claim (info would make a match invisible). */
static const char *const rule_severities[] = {"low", "medium", "high", "critical", NULL};
/* Meta whose value is a ", "-separated list, each item matching a pattern. */
static const struct {
	const char *key;
	const char *pattern;
	const char *what;
} list_meta[] = {
	{"attack", "^T[0-9]{4}(\\.[0-9]{3})?$", "an ATT&CK id like T1221 or T1566.001"},
	{"cve", "^CVE-[0-9]{4}-[0-9]{4,7}$", "a CVE id like CVE-2023-36884"},
	{"hash", "^([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$",
	 "an MD5, SHA-1 or SHA-256 in hex"},
};
/* The meta that excuses a rule from needing a sample, and says why. */
#define META_NO_SAMPLE "no_sample"

typedef struct lint_ctx {
	lure_lint *l;
	const char *file;         /* the file being linted */
	const char *source;       /* its text, for rule lines */
	GHashTable *defined;      /* rule name -> file path (owned) */
	GHashTable *exercised;    /* names listed under "yara" (owned keys) */
	GHashTable *nearmiss;     /* names listed under "yara_absent" */
} lint_ctx;

static void msg_free(gpointer p)
{
	lure_lint_msg *m = p;
	if (m == NULL)
		return;
	g_free(m->file);
	g_free(m->rule);
	g_free(m->text);
	g_free(m);
}

static void add_msg(lure_lint *l, lure_lint_level level, const char *file, int line,
		    const char *rule, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static void add_msg(lure_lint *l, lure_lint_level level, const char *file, int line,
		    const char *rule, const char *fmt, ...)
{
	lure_lint_msg *m = g_new0(lure_lint_msg, 1);
	va_list ap;

	va_start(ap, fmt);
	m->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	m->level = level;
	m->file = g_strdup(file != NULL ? file : "");
	m->line = line;
	m->rule = g_strdup(rule);
	g_ptr_array_add(l->msgs, m);
	if (level == LURE_LINT_ERROR)
		l->nerrors++;
	else
		l->nwarnings++;
}

char *lure_lint_msg_format(const lure_lint_msg *m)
{
	GString *s = g_string_new(m->file);
	if (m->line > 0)
		g_string_append_printf(s, ":%d", m->line);
	g_string_append_printf(s, ": %s: ", m->level == LURE_LINT_ERROR ? "error" : "warning");
	if (m->rule != NULL)
		g_string_append_printf(s, "rule %s: ", m->rule);
	g_string_append(s, m->text);
	return g_string_free(s, FALSE);
}

void lure_lint_free(lure_lint *l)
{
	if (l == NULL)
		return;
	g_ptr_array_unref(l->msgs);
	g_free(l);
}

/* ---- compiling one file ---- */

static void on_compile_msg(int level, const char *file, int line, const YR_RULE *rule,
			   const char *text, void *user)
{
	lint_ctx *c = user;
	(void)rule; /* may be half built when an error is reported */
	add_msg(c->l, level == YARA_ERROR_LEVEL_ERROR ? LURE_LINT_ERROR : LURE_LINT_WARNING,
		file != NULL ? file : c->file, line, NULL, "%s", text);
}

/* Compiles file f alone; NULL when it has errors (reported) or memory ran
 * out. */
static YR_RULES *compile_one(lint_ctx *c, const lure_rule_file *f)
{
	YR_COMPILER *comp = NULL;
	YR_RULES *out = NULL;
	FILE *fp = NULL;

	if (yr_compiler_create(&comp) != ERROR_SUCCESS) {
		add_msg(c->l, LURE_LINT_ERROR, f->path, 0, NULL, "out of memory");
		return NULL;
	}
	yr_compiler_set_callback(comp, on_compile_msg, c);
	if (lure_rules_define_externals(comp) != ERROR_SUCCESS)
		goto out;
	if ((fp = fopen(f->path, "rb")) == NULL) {
		add_msg(c->l, LURE_LINT_ERROR, f->path, 0, NULL, "cannot open");
		goto out;
	}
	if (yr_compiler_add_file(comp, fp, f->ns, f->path) == 0 &&
	    yr_compiler_get_rules(comp, &out) != ERROR_SUCCESS)
		out = NULL;
out:
	if (fp != NULL)
		fclose(fp);
	yr_compiler_destroy(comp);
	return out;
}

/* ---- meta ---- */

/* The line of "rule NAME" in the source, or 0. */
static int rule_line(const char *source, const char *name)
{
	if (source == NULL)
		return 0;
	char *esc = g_regex_escape_string(name, -1);
	char *pat = g_strdup_printf("^[ \\t]*(?:(?:private|global)[ \\t]+)*rule[ \\t]+%s\\b", esc);
	GRegex *re = g_regex_new(pat, G_REGEX_MULTILINE, 0, NULL);
	GMatchInfo *mi = NULL;
	int line = 0;

	if (re != NULL && g_regex_match(re, source, 0, &mi)) {
		int start = 0;
		g_match_info_fetch_pos(mi, 0, &start, NULL);
		line = 1;
		for (int i = 0; i < start; i++)
			line += source[i] == '\n';
	}
	g_match_info_free(mi);
	if (re != NULL)
		g_regex_unref(re);
	g_free(pat);
	g_free(esc);
	return line;
}

/* A real calendar date written YYYY-MM-DD. */
static bool date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	return m >= 1 && m <= 12 && g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

static bool url_ok(const char *s)
{
	const char *rest = g_str_has_prefix(s, "https://") ? s + 8
			 : g_str_has_prefix(s, "http://") ? s + 7 : NULL;
	if (rest == NULL || *rest == '\0' || *rest == '/')
		return false;
	for (const char *p = rest; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ')
			return false;
	return true;
}

/* True when every ", "-separated item of value matches pattern. */
static bool list_ok(const char *value, const char *pattern)
{
	char **items = g_strsplit(value, ", ", -1);
	bool ok = items[0] != NULL;
	for (size_t i = 0; items[i] != NULL && ok; i++)
		ok = g_regex_match_simple(pattern, items[i], 0, 0);
	g_strfreev(items);
	return ok;
}

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* Counts the metas of rule named key; *value gets the first string one. */
static unsigned meta_lookup(const YR_RULE *rule, const char *key, const YR_META **first)
{
	const YR_META *meta;
	unsigned n = 0;

	*first = NULL;
	yr_rule_metas_foreach(rule, meta) {
		if (strcmp(meta->identifier, key) != 0)
			continue;
		if (n++ == 0)
			*first = meta;
	}
	return n;
}

static void lint_required(lint_ctx *c, const YR_RULE *rule, int line)
{
	for (size_t i = 0; required_meta[i] != NULL; i++) {
		const YR_META *m;
		const char *key = required_meta[i];
		if (meta_lookup(rule, key, &m) == 0)
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"missing meta %s", key);
		else if (m->type != META_TYPE_STRING || m->string == NULL || *m->string == '\0')
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"meta %s must be a non-empty string", key);
	}
}

static void lint_values(lint_ctx *c, const YR_RULE *rule, int line)
{
	const YR_META *meta;

	yr_rule_metas_foreach(rule, meta) {
		const char *k = meta->identifier;
		const char *v = meta->type == META_TYPE_STRING ? meta->string : NULL;
		if (v == NULL)
			continue;
		if (strcmp(k, "severity") == 0 && !in_list(rule_severities, v))
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"bad severity \"%s\" (low, medium, high or critical)", v);
		else if (strcmp(k, "date") == 0 && !date_ok(v))
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"bad date \"%s\" (YYYY-MM-DD)", v);
		else if (strcmp(k, "reference") == 0 && !url_ok(v))
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"reference \"%s\" is not an http(s) URL", v);
		for (size_t i = 0; i < G_N_ELEMENTS(list_meta); i++)
			if (strcmp(k, list_meta[i].key) == 0 && !list_ok(v, list_meta[i].pattern))
				add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
					"bad %s \"%s\" (want %s)", k, v, list_meta[i].what);
	}
}

static void lint_duplicate(lint_ctx *c, const YR_RULE *rule, int line)
{
	const char *other = g_hash_table_lookup(c->defined, rule->identifier);
	if (other != NULL) {
		add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
			"rule name also used in %s (manifests and reports name rules "
			"without their namespace)", other);
		return;
	}
	g_hash_table_insert(c->defined, g_strdup(rule->identifier), g_strdup(c->file));
}

static void lint_exercised(lint_ctx *c, const YR_RULE *rule, int line)
{
	const YR_META *m;

	if (c->exercised == NULL || RULE_IS_PRIVATE(rule))
		return;
	if (meta_lookup(rule, META_NO_SAMPLE, &m) > 0) {
		if (m->type != META_TYPE_STRING || m->string == NULL || *m->string == '\0')
			add_msg(c->l, LURE_LINT_ERROR, c->file, line, rule->identifier,
				"meta " META_NO_SAMPLE " must say why no sample can exist");
		c->l->nexempt++;
		return;
	}
	char *full = g_strdup_printf("%s:%s", rule->ns->name, rule->identifier);
	if (!g_hash_table_contains(c->exercised, rule->identifier) &&
	    !g_hash_table_contains(c->exercised, full))
		add_msg(c->l, LURE_LINT_WARNING, c->file, line, rule->identifier,
			"no sample exercises this rule (list it under a sample's \"yara\")");
	if (!g_hash_table_contains(c->nearmiss, rule->identifier) &&
	    !g_hash_table_contains(c->nearmiss, full))
		add_msg(c->l, LURE_LINT_WARNING, c->file, line, rule->identifier,
			"no near miss guards this rule (list it under a sample's \"yara_absent\")");
	g_free(full);
}

static void lint_file(lint_ctx *c, const lure_rule_file *f)
{
	char *source = NULL;

	c->file = f->path;
	c->l->nfiles++;
	if (f->compiled) {
		add_msg(c->l, LURE_LINT_ERROR, f->path, 0, NULL,
			"a compiled rules file cannot be linted; check its sources");
		return;
	}
	YR_RULES *yr = compile_one(c, f);
	if (yr == NULL)
		return;
	if (!g_file_get_contents(f->path, &source, NULL, NULL))
		source = NULL;
	c->source = source;

	const YR_RULE *rule;
	yr_rules_foreach(yr, rule) {
		int line = rule_line(source, rule->identifier);
		c->l->nrules++;
		lint_required(c, rule, line);
		lint_values(c, rule, line);
		lint_duplicate(c, rule, line);
		lint_exercised(c, rule, line);
	}
	c->source = NULL;
	g_free(source);
	yr_rules_destroy(yr);
}

/* The rule names listed under "yara" and "yara_absent" anywhere in the
 * manifest, into c. */
static bool read_manifest(lint_ctx *c, const char *manifest, GError **err)
{
	lure_manifest *m = lure_manifest_load(manifest, err);
	if (m == NULL)
		return false;
	c->exercised = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->nearmiss = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < m->samples->len; i++) {
		const lure_manifest_sample *s = g_ptr_array_index(m->samples, i);
		for (guint k = 0; k < s->yara->len; k++)
			g_hash_table_add(c->exercised, g_strdup(g_ptr_array_index(s->yara, k)));
		for (guint k = 0; k < s->yara_absent->len; k++)
			g_hash_table_add(c->nearmiss, g_strdup(g_ptr_array_index(s->yara_absent, k)));
	}
	lure_manifest_free(m);
	return true;
}

static void ctx_clear(lint_ctx *c)
{
	if (c->exercised != NULL)
		g_hash_table_unref(c->exercised);
	if (c->nearmiss != NULL)
		g_hash_table_unref(c->nearmiss);
	if (c->defined != NULL)
		g_hash_table_unref(c->defined);
}

lure_lint *lure_rules_lint(const char *const *paths, size_t n, const char *manifest,
			   GError **err)
{
	lint_ctx c = {0};
	GPtrArray *files = NULL;

	if (manifest != NULL && !read_manifest(&c, manifest, err))
		goto fail;
	if (!lure_yara_acquire(err))
		goto fail;
	files = lure_rules_collect(paths, n, err);
	if (files == NULL) {
		lure_yara_release();
		goto fail;
	}
	c.l = g_new0(lure_lint, 1);
	c.l->msgs = g_ptr_array_new_with_free_func(msg_free);
	c.l->exercised_checked = c.exercised != NULL;
	c.defined = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < files->len; i++)
		lint_file(&c, g_ptr_array_index(files, i));
	g_ptr_array_unref(files);
	lure_yara_release();
	ctx_clear(&c);
	return c.l;
fail:
	ctx_clear(&c);
	return NULL;
}
