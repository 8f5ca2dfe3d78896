/*
 * test_rules.c - unit tests for the YARA engine (src/rules/rules.c), the
 * lint (lint.c), the regression engine (regress.c), the synthetic PE
 * builder (tests/gen/genpe.c) and the bundled rule set (yara-rules/).
 *
 * The bundled rules are checked two ways: every rule compiles without a
 * warning and has complete meta (lint, no manifest), and every rule that
 * keys on content has a hit and a near miss below, either as an in-memory
 * artifact of a chosen kind/name (rule_cases) or as a synthetic PE
 * (pe_cases, built by genpe.c, which this file includes so the test needs
 * no extra sources in Makefile.am).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <yara.h>

#include "core/scan.h"
#include "rules/regress.h"
#include "rules/rules.h"
#include "testutil.h"
#include "../gen/genpe.c"

#ifndef LURE_RULES_DIR
#define LURE_RULES_DIR "yara-rules"
#endif

/* Complete meta, for rules written by the tests. */
#define META "meta: description = \"d\" author = \"lurescan\" date = \"2026-01-31\" " \
	     "reference = \"https://example.invalid/x\" severity = \"high\" "

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		GDir *d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			char *child = g_build_filename(path, name, NULL);
			rm_rf(child);
			g_free(child);
		}
		if (d != NULL)
			g_dir_close(d);
		g_rmdir(path);
	} else {
		g_remove(path);
	}
}

/* Writes text to dir/rel (creating folders); returns the path (g_free). */
static char *write_file(const char *dir, const char *rel, const void *data, gssize len)
{
	char *path = g_build_filename(dir, rel, NULL);
	char *parent = g_path_get_dirname(path);
	g_mkdir_with_parents(parent, 0700);
	g_free(parent);
	assert_true(g_file_set_contents(path, data, len, NULL));
	return path;
}

static lure_rules *load_one(const char *path, GError **err)
{
	const char *paths[] = {path};
	return lure_rules_load(paths, 1, err);
}

static lure_rules *bundled_rules(void)
{
	GError *err = NULL;
	lure_rules *r = load_one(LURE_RULES_DIR, &err);
	if (r == NULL)
		fail_msg("bundled rules: %s", err->message);
	return r;
}

/* Scans data as an input with r attached; lure_scan_free() the result. */
static lure_scan *scan_with(lure_rules *r, const void *data, size_t len, const lure_limits *lim)
{
	lure_scan *s = lure_scan_new(lim, "input.bin");
	uint8_t *copy = g_memdup2(data, len);
	assert_int_equal(lure_rules_attach(r, s), LURE_OK);
	assert_int_equal(lure_scan_run(s, copy, len), LURE_OK);
	g_free(copy);
	return s;
}

static const lure_yara_match *find_match(const lure_scan *s, const char *rule)
{
	for (guint i = 0; i < s->yara_matches->len; i++) {
		const lure_yara_match *m = g_ptr_array_index(s->yara_matches, i);
		if (strcmp(m->rule, rule) == 0)
			return m;
	}
	return NULL;
}

static const char *match_meta(const lure_yara_match *m, const char *key)
{
	for (guint i = 0; i < m->meta->len; i++) {
		const lure_kv *kv = g_ptr_array_index(m->meta, i);
		if (strcmp(kv->key, key) == 0)
			return kv->value;
	}
	return NULL;
}

static bool lint_has(const lure_lint *l, lure_lint_level level, const char *needle)
{
	for (guint i = 0; i < l->msgs->len; i++) {
		const lure_lint_msg *m = g_ptr_array_index(l->msgs, i);
		char *line = lure_lint_msg_format(m);
		bool hit = m->level == level && strstr(line, needle) != NULL;
		g_free(line);
		if (hit)
			return true;
	}
	return false;
}

static void print_lint(const lure_lint *l)
{
	for (guint i = 0; i < l->msgs->len; i++) {
		char *line = lure_lint_msg_format(g_ptr_array_index(l->msgs, i));
		print_message("  %s\n", line);
		g_free(line);
	}
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void test_collect_namespaces(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	const char *rule = "rule r { condition: false }";
	g_free(write_file(dir, "b.yara", rule, -1));
	g_free(write_file(dir, "sub/a.yar", rule, -1));
	g_free(write_file(dir, ".hidden.yar", rule, -1));
	g_free(write_file(dir, "notes.txt", rule, -1));
	char *single = write_file(dir, "sub/a.yar", rule, -1);

	const char *paths[] = {single, dir, dir};
	GPtrArray *files = lure_rules_collect(paths, 3, NULL);
	assert_non_null(files);
	/* sub/a.yar is reached three times and kept once, as first named. */
	assert_int_equal(files->len, 2);
	assert_string_equal(((lure_rule_file *)g_ptr_array_index(files, 0))->ns, "a.yar");
	assert_string_equal(((lure_rule_file *)g_ptr_array_index(files, 1))->ns, "b.yara");
	g_ptr_array_unref(files);
	const char *twice[] = {dir, dir};
	lure_rules *r = lure_rules_load(twice, 2, NULL);
	assert_non_null(r);
	assert_int_equal(lure_rules_count(r), 2);
	lure_rules_free(r);

	GError *err = NULL;
	char *empty = g_build_filename(dir, "empty", NULL);
	g_mkdir(empty, 0700);
	const char *none[] = {empty};
	assert_null(lure_rules_collect(none, 1, &err));
	assert_non_null(strstr(err->message, "no rule files"));
	g_clear_error(&err);
	g_free(empty);
	g_free(single);
	rm_rf(dir);
	g_free(dir);
}

static void test_compile_and_count(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	g_free(write_file(dir, "x/one.yar",
			  "rule A { " META "condition: true }\n"
			  "private rule B { condition: true }\n", -1));
	GError *err = NULL;
	lure_rules *r = load_one(dir, &err);
	assert_non_null(r);
	assert_int_equal(lure_rules_count(r), 2);
	assert_false(lure_rules_is_compiled(r));
	GPtrArray *list = lure_rules_list(r);
	assert_int_equal(list->len, 2);
	assert_string_equal(((lure_rule_ref *)g_ptr_array_index(list, 0))->ns, "x/one.yar");
	assert_string_equal(((lure_rule_ref *)g_ptr_array_index(list, 0))->name, "A");
	g_ptr_array_unref(list);
	lure_rules_free(r);
	lure_rules_free(NULL);
	rm_rf(dir);
	g_free(dir);
}

/* Number of "rules-*.lyc" files in dir. */
static unsigned count_cache_files(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;
	unsigned count = 0;
	while (d != NULL && (n = g_dir_read_name(d)) != NULL)
		count += g_str_has_prefix(n, "rules-") && g_str_has_suffix(n, ".lyc");
	if (d != NULL)
		g_dir_close(d);
	return count;
}

static void test_compiled_cache(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *cache = g_build_filename(dir, "cache", NULL);
	char *src = g_build_filename(dir, "src", NULL);
	char *old_dir = g_strdup(g_getenv("LURESCAN_CACHE_DIR"));
	char *old_off = g_strdup(g_getenv("LURESCAN_NO_RULES_CACHE"));
	g_setenv("LURESCAN_CACHE_DIR", cache, TRUE);
	g_unsetenv("LURESCAN_NO_RULES_CACHE");
	g_free(write_file(src, "one.yar", "rule A { " META "condition: true }\n", -1));

	/* a miss compiles and stores; a hit gives the same rules */
	GError *err = NULL;
	lure_rules *r = load_one(src, &err);
	assert_non_null(r);
	assert_int_equal(count_cache_files(cache), 1);
	lure_rules_free(r);
	r = load_one(src, &err);
	assert_non_null(r);
	assert_int_equal(lure_rules_count(r), 1);
	assert_false(lure_rules_is_compiled(r)); /* still the source the user named */
	lure_rules_free(r);
	assert_int_equal(count_cache_files(cache), 1);

	/* any edit is a new key: the new rule is seen, not the cached one */
	g_free(write_file(src, "one.yar",
			  "rule A { " META "condition: true }\nrule B { " META "condition: true }\n",
			  -1));
	r = load_one(src, &err);
	assert_non_null(r);
	assert_int_equal(lure_rules_count(r), 2);
	lure_rules_free(r);
	assert_int_equal(count_cache_files(cache), 2);

	/* a corrupt cache file is ignored and rewritten */
	GDir *d = g_dir_open(cache, 0, NULL);
	const char *n;
	while ((n = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(cache, n, NULL);
		assert_true(g_file_set_contents(p, "LURESCAN-YARA-1\ngarbage", -1, NULL));
		g_free(p);
	}
	g_dir_close(d);
	r = load_one(src, &err);
	assert_non_null(r);
	assert_int_equal(lure_rules_count(r), 2);
	lure_rules_free(r);

	/* off: nothing is written */
	g_setenv("LURESCAN_NO_RULES_CACHE", "1", TRUE);
	rm_rf(cache);
	r = load_one(src, &err);
	assert_non_null(r);
	lure_rules_free(r);
	assert_false(g_file_test(cache, G_FILE_TEST_EXISTS));

	if (old_dir != NULL)
		g_setenv("LURESCAN_CACHE_DIR", old_dir, TRUE);
	else
		g_unsetenv("LURESCAN_CACHE_DIR");
	if (old_off != NULL)
		g_setenv("LURESCAN_NO_RULES_CACHE", old_off, TRUE);
	else
		g_unsetenv("LURESCAN_NO_RULES_CACHE");
	g_free(old_dir);
	g_free(old_off);
	rm_rf(dir);
	g_free(dir);
	g_free(cache);
	g_free(src);
}

static void test_compile_error_names_file_line(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *bad = write_file(dir, "bad.yar", "rule ok { condition: true }\n\n"
				"rule broken { condition: $missing }\n", -1);
	GError *err = NULL;
	assert_null(load_one(bad, &err));
	assert_non_null(err);
	char *want = g_strdup_printf("%s:3:", bad);
	if (strstr(err->message, want) == NULL)
		fail_msg("message '%s' does not name %s", err->message, want);
	assert_int_equal(err->code, LURE_E_RULES);
	g_free(want);
	g_clear_error(&err);

	char *missing = g_build_filename(dir, "nope.yar", NULL);
	assert_null(load_one(missing, &err));
	assert_int_equal(err->code, LURE_E_IO);
	g_clear_error(&err);
	g_free(missing);
	g_free(bad);
	rm_rf(dir);
	g_free(dir);
}

static void test_default_dir(void **state)
{
	(void)state;
	const char *d = lure_rules_default_dir();
	assert_non_null(d);
	/* The tests run from the build directory. */
	if (g_file_test(LURE_RULES_DIR, G_FILE_TEST_IS_DIR))
		assert_string_equal(d, LURE_RULES_DIR);
}

/* ------------------------------------------------------------------ */
/* Scanning                                                            */
/* ------------------------------------------------------------------ */

static void test_externals_rtf_only(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *path = write_file(dir, "kind.yar",
		"rule OnlyRtf { " META "strings: $w = \"lurescan-word\" "
		"condition: artifact_kind == \"rtf\" and $w }\n"
		"rule RootNamed { " META "condition: root_name == \"input.bin\" and "
		"artifact_depth == 0 and parent_kind == \"\" and artifact_path == artifact_name }\n",
		-1);
	lure_rules *r = load_one(path, NULL);
	assert_non_null(r);

	static const char rtf[] = "{\\rtf1\\ansi lurescan-word}";
	static const char txt[] = "plain text with lurescan-word in it";
	lure_scan *s = scan_with(r, rtf, sizeof(rtf) - 1, NULL);
	assert_string_equal(lure_scan_root(s)->kind, "rtf");
	const lure_yara_match *m = find_match(s, "OnlyRtf");
	assert_non_null(m);
	assert_int_equal(m->artifact, 0);
	assert_string_equal(m->ns, "kind.yar");
	assert_int_equal(m->strings->len, 1);
	assert_int_equal(g_array_index(m->strings, lure_yara_string, 0).offset, 12);
	assert_int_equal(g_array_index(m->strings, lure_yara_string, 0).length, 13);
	assert_non_null(find_match(s, "RootNamed"));
	lure_scan_free(s);

	s = scan_with(r, txt, sizeof(txt) - 1, NULL);
	assert_null(find_match(s, "OnlyRtf"));
	assert_non_null(find_match(s, "RootNamed"));
	assert_int_equal(tu_count_findings(s, "yara.match"), 1);
	lure_scan_free(s);

	lure_rules_free(r);
	g_free(path);
	rm_rf(dir);
	g_free(dir);
}

static void test_match_finding_and_meta(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *path = write_file(dir, "sev.yar",
		"rule Crit : tagA tagB { meta: description = \"critical thing\" severity = \"critical\" "
		"count = 42 flag = true cve = \"CVE-2017-0199\" condition: true }\n"
		"rule NoSev { meta: description = \"plain\" condition: true }\n"
		"rule BadSev { meta: severity = \"severe\" condition: true }\n", -1);
	lure_rules *r = load_one(path, NULL);
	assert_non_null(r);
	lure_scan *s = scan_with(r, "x", 1, NULL);

	const lure_finding *f = tu_find_finding(s, "yara.match", "rule", "Crit");
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_CRITICAL);
	assert_string_equal(lure_finding_get_detail(f, "namespace"), "sev.yar");
	assert_string_equal(lure_finding_get_detail(f, "description"), "critical thing");
	assert_string_equal(lure_finding_get_detail(f, "cve"), "CVE-2017-0199");
	f = tu_find_finding(s, "yara.match", "rule", "NoSev");
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	f = tu_find_finding(s, "yara.match", "rule", "BadSev");
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	assert_null(lure_finding_get_detail(f, "description"));

	const lure_yara_match *m = find_match(s, "Crit");
	assert_int_equal(m->tags->len, 2);
	assert_string_equal(g_ptr_array_index(m->tags, 1), "tagB");
	assert_string_equal(match_meta(m, "count"), "42");
	assert_string_equal(match_meta(m, "flag"), "true");
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	lure_scan_free(s);
	lure_rules_free(r);
	g_free(path);
	rm_rf(dir);
	g_free(dir);
}

static void test_string_caps(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	GString *src = g_string_new("rule Many { strings:");
	for (int i = 0; i < 20; i++)
		g_string_append_printf(src, " $s%02d = \"token%02d\"", i, i);
	g_string_append(src, " condition: all of them }\n");
	char *path = write_file(dir, "many.yar", src->str, -1);
	g_string_free(src, TRUE);
	lure_rules *r = load_one(path, NULL);
	assert_non_null(r);

	GString *data = g_string_new(NULL);
	for (int rep = 0; rep < 3; rep++)
		for (int i = 0; i < 20; i++)
			g_string_append_printf(data, "token%02d ", i);
	lure_scan *s = scan_with(r, data->str, data->len, NULL);
	const lure_yara_match *m = find_match(s, "Many");
	assert_non_null(m);
	assert_int_equal(m->strings->len, LURE_RULES_MAX_STRINGS);
	/* One hit per string: the first string's first occurrence only. */
	assert_string_equal(g_array_index(m->strings, lure_yara_string, 0).id, "$s00");
	assert_string_equal(g_array_index(m->strings, lure_yara_string, 1).id, "$s01");
	lure_scan_free(s);
	g_string_free(data, TRUE);
	lure_rules_free(r);
	g_free(path);
	rm_rf(dir);
	g_free(dir);
}

static void test_yara_timeout(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	/* filesize^2 iterations: hours on 64 KiB, stopped after 1 s. */
	char *path = write_file(dir, "slow.yar",
		"rule Slow { condition: for all i in (0 .. filesize - 1) : "
		"( for all j in (0 .. filesize - 1) : ( uint8(i) | uint8(j) >= 0 ) ) }\n", -1);
	lure_rules *r = load_one(path, NULL);
	assert_non_null(r);
	lure_limits lim;
	lure_limits_default(&lim);
	lim.yara_timeout_s = 1;
	size_t len = 64 * 1024;
	uint8_t *big = g_malloc0(len);
	gint64 t0 = g_get_monotonic_time();
	lure_scan *s = scan_with(r, big, len, &lim);
	gint64 took_ms = (g_get_monotonic_time() - t0) / 1000;

	const lure_finding *f = tu_find_finding(s, "limit.exceeded", "limit", "yara_timeout");
	assert_non_null(f);
	assert_int_equal(s->limits_hit->len, 1);
	assert_string_equal(g_ptr_array_index(s->limits_hit, 0), LURE_LIMIT_YARA_TIMEOUT);
	assert_null(find_match(s, "Slow"));
	assert_true(took_ms < 10000);
	lure_scan_free(s);
	g_free(big);
	lure_rules_free(r);
	g_free(path);
	rm_rf(dir);
	g_free(dir);
}

static gint compare_str_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Matched rule names of one scan, unique, sorted and joined. */
static char *matched_names(const lure_scan *s)
{
	GPtrArray *names = g_ptr_array_new();
	for (guint i = 0; i < s->yara_matches->len; i++) {
		char *rule = ((lure_yara_match *)g_ptr_array_index(s->yara_matches, i))->rule;
		bool seen = false;
		for (guint k = 0; k < names->len && !seen; k++)
			seen = strcmp(g_ptr_array_index(names, k), rule) == 0;
		if (!seen)
			g_ptr_array_add(names, rule);
	}
	g_ptr_array_sort(names, compare_str_ptr);
	g_ptr_array_add(names, NULL);
	char *joined = g_strjoinv(",", (char **)names->pdata);
	g_ptr_array_unref(names);
	return joined;
}

static void test_save_load_same_results(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *out = g_build_filename(dir, "rules.yarc", NULL);
	lure_rules *src = bundled_rules();
	GError *err = NULL;
	assert_true(lure_rules_save(src, out, &err));

	lure_rules *bin = load_one(out, &err);
	assert_non_null(bin);
	assert_true(lure_rules_is_compiled(bin));
	assert_int_equal(lure_rules_count(bin), lure_rules_count(src));

	for (size_t i = 0; i < genpe_nsamples; i++) {
		GBytes *b = genpe_samples[i].make();
		gsize len;
		const uint8_t *d = g_bytes_get_data(b, &len);
		lure_scan *a = scan_with(src, d, len, NULL), *c = scan_with(bin, d, len, NULL);
		char *na = matched_names(a), *nc = matched_names(c);
		assert_string_equal(na, nc);
		g_free(na);
		g_free(nc);
		lure_scan_free(a);
		lure_scan_free(c);
		g_bytes_unref(b);
	}
	/* A compiled file cannot be mixed with sources. */
	const char *mixed[] = {out, LURE_RULES_DIR};
	assert_null(lure_rules_load(mixed, 2, &err));
	assert_non_null(strstr(err->message, "compiled"));
	g_clear_error(&err);
	/* Nor timed per file. */
	const char *one[] = {out};
	assert_null(lure_rules_timer_new(one, 1, &err));
	g_clear_error(&err);

	lure_rules_free(bin);
	lure_rules_free(src);
	g_free(out);
	rm_rf(dir);
	g_free(dir);
}

/* A file that imports pe runs on PE artifacts only; the split survives
 * save and load; a plain yr_rules_save file is one every-artifact set. */
static void test_pe_only_split(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	g_free(write_file(dir, "pe.yar", "import \"pe\"\nrule P { " META
			  "strings: $s = \"marker-string\" condition: $s }\n", -1));
	g_free(write_file(dir, "any.yar", "rule Q { " META
			  "strings: $s = \"marker-string\" condition: $s }\n", -1));
	char *out = g_build_filename(dir, "x.yarc", NULL);
	lure_rules *src = load_one(dir, NULL);
	assert_non_null(src);
	assert_int_equal(lure_rules_count(src), 2);
	assert_true(lure_rules_save(src, out, NULL));
	lure_rules *bin = load_one(out, NULL);
	assert_non_null(bin);
	assert_int_equal(lure_rules_count(bin), 2);

	static const char *const ascii[] = {"marker-string", NULL};
	genpe_spec spec = {.ascii = ascii, .sections = sections_no_rsrc};
	GBytes *pe = genpe_build(&spec);
	gsize pelen;
	const uint8_t *ped = g_bytes_get_data(pe, &pelen);
	lure_rules *sets[] = {src, bin};
	for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
		lure_scan *s = scan_with(sets[i], "a marker-string", 15, NULL);
		char *names = matched_names(s);
		assert_string_equal(names, "Q");
		g_free(names);
		lure_scan_free(s);
		s = scan_with(sets[i], ped, pelen, NULL);
		names = matched_names(s);
		assert_string_equal(names, "P,Q");
		g_free(names);
		lure_scan_free(s);
	}
	g_bytes_unref(pe);
	lure_rules_free(bin);
	lure_rules_free(src);

	/* yarac's format: one set, every artifact. */
	YR_COMPILER *c = NULL;
	YR_RULES *yr = NULL;
	assert_int_equal(yr_initialize(), ERROR_SUCCESS);
	assert_int_equal(yr_compiler_create(&c), ERROR_SUCCESS);
	assert_int_equal(yr_compiler_add_string(c, "import \"pe\" rule Y { condition: true }",
						NULL), 0);
	assert_int_equal(yr_compiler_get_rules(c, &yr), ERROR_SUCCESS);
	assert_int_equal(yr_rules_save(yr, out), ERROR_SUCCESS);
	yr_rules_destroy(yr);
	yr_compiler_destroy(c);
	yr_finalize();
	lure_rules *plain = load_one(out, NULL);
	assert_non_null(plain);
	assert_true(lure_rules_is_compiled(plain));
	assert_int_equal(lure_rules_count(plain), 1);
	lure_scan *s = scan_with(plain, "text", 4, NULL);
	assert_non_null(find_match(s, "Y"));
	lure_scan_free(s);
	lure_rules_free(plain);

	/* A damaged container is refused. */
	char *bad = write_file(dir, "bad.yarc", "LURESCAN-YARA-1\n\x01\x00\x00\x00\xff", 21);
	GError *err = NULL;
	assert_null(load_one(bad, &err));
	assert_int_equal(err->code, LURE_E_RULES);
	g_clear_error(&err);
	g_free(bad);
	g_free(out);
	rm_rf(dir);
	g_free(dir);
}

static void test_timer(void **state)
{
	(void)state;
	const char *paths[] = {LURE_RULES_DIR};
	GError *err = NULL;
	lure_rules_timer *t = lure_rules_timer_new(paths, 1, &err);
	assert_non_null(t);
	GPtrArray *files = lure_rules_collect(paths, 1, NULL);

	GBytes *b = genpe_samples[0].make();
	gsize len;
	const uint8_t *d = g_bytes_get_data(b, &len);
	lure_scan *s = lure_scan_new(NULL, "x.dll");
	assert_int_equal(lure_rules_timer_attach(t, s), LURE_OK);
	assert_int_equal(lure_scan_run(s, d, len), LURE_OK);
	assert_int_equal(s->yara_matches->len, 0); /* timing records nothing */
	GPtrArray *res = lure_rules_timer_results(t);
	assert_int_equal(res->len, files->len);
	for (guint i = 0; i < res->len; i++) {
		const lure_rules_timing *ti = g_ptr_array_index(res, i);
		assert_int_equal(ti->artifacts, 1);
		assert_true(ti->nrules > 0);
		if (i > 0)
			assert_true(ti->ns_total <=
				    ((lure_rules_timing *)g_ptr_array_index(res, i - 1))->ns_total);
	}
	g_ptr_array_unref(res);
	g_ptr_array_unref(files);
	lure_scan_free(s);
	g_bytes_unref(b);
	lure_rules_timer_free(t);
}

/* ------------------------------------------------------------------ */
/* Lint                                                                */
/* ------------------------------------------------------------------ */

static void test_lint_catches(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	g_free(write_file(dir, "a.yar",
		"rule Good { " META "attack = \"T1566.001, T1221\" cve = \"CVE-2023-36884\" "
		"hash = \"d227874863036b8e73a3894a19bd25a0\" strings: $a = \"abcdefgh\" condition: $a }\n"
		"\n"
		"rule NoMeta { strings: $a = \"abcdefgh\" condition: $a }\n"
		"rule BadValues { meta: description = \"d\" author = \"lurescan\" date = \"2026-02-30\" "
		"reference = \"ftp://example.invalid\" severity = \"severe\" attack = \"T12\" "
		"cve = \"CVE-21-1\" hash = \"xyz\" condition: true }\n"
		"rule EmptyAuthor { meta: description = \"d\" author = \"\" date = \"2026-01-01\" "
		"reference = \"https://example.invalid\" severity = 3 condition: true }\n", -1));
	g_free(write_file(dir, "b.yar",
		"rule Good { " META "condition: true }\n"
		"rule Slow { " META "strings: $a = { 00 ?? 01 } condition: $a }\n", -1));
	g_free(write_file(dir, "c.yar", "rule Fine { " META "condition: true }\n"
			  "rule Broken { condition: $nothing }\n", -1));
	GError *err = NULL;
	const char *paths[] = {dir};
	lure_lint *l = lure_rules_lint(paths, 1, NULL, &err);
	assert_non_null(l);

	const struct {
		lure_lint_level level;
		const char *text;
	} want[] = {
		{LURE_LINT_ERROR, "a.yar:3: error: rule NoMeta: missing meta description"},
		{LURE_LINT_ERROR, "rule NoMeta: missing meta severity"},
		{LURE_LINT_ERROR, "a.yar:4: error: rule BadValues: bad severity \"severe\""},
		{LURE_LINT_ERROR, "bad date \"2026-02-30\""},
		{LURE_LINT_ERROR, "reference \"ftp://example.invalid\" is not an http(s) URL"},
		{LURE_LINT_ERROR, "bad attack \"T12\""},
		{LURE_LINT_ERROR, "bad cve \"CVE-21-1\""},
		{LURE_LINT_ERROR, "bad hash \"xyz\""},
		{LURE_LINT_ERROR, "rule EmptyAuthor: meta author must be a non-empty string"},
		{LURE_LINT_ERROR, "rule EmptyAuthor: meta severity must be a non-empty string"},
		{LURE_LINT_ERROR, "b.yar:1: error: rule Good: rule name also used in"},
		{LURE_LINT_WARNING, "b.yar:2: warning: string \"$a\" may slow down scanning"},
		{LURE_LINT_ERROR, "c.yar:2: error:"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		if (!lint_has(l, want[i].level, want[i].text)) {
			print_lint(l);
			fail_msg("lint did not report: %s", want[i].text);
		}
	}
	assert_false(lint_has(l, LURE_LINT_ERROR, "rule Good: missing"));
	assert_false(lint_has(l, LURE_LINT_ERROR, "a.yar:1:"));
	assert_int_equal(l->nfiles, 3);
	assert_int_equal(l->nwarnings, 1);
	lure_lint_free(l);
	rm_rf(dir);
	g_free(dir);
}

static void test_lint_exercised(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *rules = write_file(dir, "r.yar",
		"rule Listed { " META "condition: true }\n"
		"rule Unlisted { " META "condition: true }\n"
		"rule Exempt { " META "no_sample = \"hash of live malware\" condition: true }\n"
		"private rule Helper { " META "condition: true }\n", -1);
	char *manifest = write_file(dir, "expected.json",
		"{\"version\": 1, \"samples\": ["
		"{\"file\": \"a\", \"verdict\": \"clean\", \"yara\": [\"Listed\"]},"
		"{\"file\": \"b\", \"verdict\": \"clean\", \"yara_absent\": [\"r.yar:Listed\"]}]}", -1);
	const char *paths[] = {rules};
	lure_lint *l = lure_rules_lint(paths, 1, manifest, NULL);
	assert_non_null(l);
	assert_true(l->exercised_checked);
	assert_int_equal(l->nerrors, 0);
	assert_int_equal(l->nexempt, 1);
	assert_true(lint_has(l, LURE_LINT_WARNING, "rule Unlisted: no sample exercises"));
	assert_true(lint_has(l, LURE_LINT_WARNING, "rule Unlisted: no near miss"));
	assert_false(lint_has(l, LURE_LINT_WARNING, "rule Listed:"));
	assert_false(lint_has(l, LURE_LINT_WARNING, "Helper"));
	assert_int_equal(l->nwarnings, 2);
	lure_lint_free(l);
	g_free(rules);
	g_free(manifest);
	rm_rf(dir);
	g_free(dir);
}

static void test_bundled_rules_lint_clean(void **state)
{
	(void)state;
	const char *paths[] = {LURE_RULES_DIR};
	GError *err = NULL;
	lure_lint *l = lure_rules_lint(paths, 1, NULL, &err);
	assert_non_null(l);
	if (l->nerrors > 0 || l->nwarnings > 0) {
		print_lint(l);
		fail_msg("the bundled rules have %u errors and %u warnings", l->nerrors,
			 l->nwarnings);
	}
	assert_true(l->nrules >= 40);
	assert_true(l->nfiles >= 15);
	lure_lint_free(l);
}

/* ------------------------------------------------------------------ */
/* The bundled rules, rule by rule                                     */
/* ------------------------------------------------------------------ */

/* One artifact, placed under a root of kind parent (NULL: it is the
 * input itself), and whether rule must match it. */
typedef struct rule_case {
	const char *rule;
	bool hit;
	const char *kind;
	const char *parent;
	const char *name;
	const char *data;
	size_t len;              /* 0: strlen(data) */
} rule_case;

#define W(s) s /* marks strings the case turns into UTF-16LE via wide_cases */

static const char url_moniker_stream[] =
	"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\xe0\xc9\xea\x79\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00\x4b\xa9\x0b"
	"\x4c\x00\x00\x00"
	"h\0t\0t\0p\0:\0/\0/\0""1\0""9\0""2\0.\0""0\0.\0""2\0.\0""2\0""0\0/\0x\0.\0x\0m\0l\0\0\0";
static const char url_moniker_file_scheme[] =
	"\xe0\xc9\xea\x79\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00\x4b\xa9\x0b"
	"\x20\x00\x00\x00"
	"f\0i\0l\0e\0:\0/\0/\0x\0\0\0";
static const char file_moniker_unc[] =
	"\x03\x03\x00\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
	"\x00\x00\x1a\x00\x00\x00\\\\192.0.2.10\\share1\\x.url";
static const char ole1_ole2link[] =
	"\x01\x05\x00\x00\x01\x00\x00\x00\x09\x00\x00\x00OLE2Link\0\0\0\0\0\0\0\0\0";
static const char ole1_url_moniker[] =
	"\x01\x05\x00\x00\x02\x00\x00\x00\x18\x00\x00\x00Msxml2.SAXXMLReader.5.0\0"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00"
	"\xe0\xc9\xea\x79\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00\x4b\xa9\x0b"
	"\x30\x00\x00\x00"
	"h\0t\0t\0p\0:\0/\0/\0x\0\0\0";
static const char ole1_cfb_url_moniker[] =
	"\x01\x05\x00\x00\x02\x00\x00\x00\x09\x00\x00\x00OLE2Link\0"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00"
	"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
	"\xe0\xc9\xea\x79\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00\x4b\xa9\x0b"
	"\x30\x00\x00\x00"
	"h\0t\0t\0p\0:\0/\0/\0x\0\0\0";
static const char ole1_package[] =
	"\x01\x05\x00\x00\x02\x00\x00\x00\x08\x00\x00\x00Package\0"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00"
	"\x30\x00\x00\x00\x02\x00run.hta\0C:\\tmp\\run.hta\0";
static const char ole1_equation[] =
	"\x01\x05\x00\x00\x02\x00\x00\x00\x0b\x00\x00\x00" "Equation.3\0\0\0\0\0\0\0\0\0";
static const char ole1_paint[] =
	"\x01\x05\x00\x00\x02\x00\x00\x00\x0e\x00\x00\x00Paint.Picture\0\0\0\0\0\0\0\0\0";
static const char ole10native_js[] =
	"\x40\x00\x00\x00\x02\x00invoice.js\0C:\\Users\\u\\invoice.js\0\x00\x00\x03\x00";
static const char ole10native_txt[] =
	"\x40\x00\x00\x00\x02\x00report.txt\0C:\\Users\\u\\report.txt\0\x00\x00\x03\x00";
static const char eq_native_mtef[] =
	"\x1c\x00\x00\x00\x02\x00\x9e\xc4\xa9\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x03\x01\x01\x03\x0a\x0a\x01\x08\x00\x00\x00\x00";
static const char eq_native_zero[] =
	"\x1c\x00\x00\x00\x02\x00\x9e\xc4\xa9\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
static const char word_stream_dde[] = "\x00\x00\x13 DDEAUTO example topic \x14\x15\x00";
static const char word_stream_page[] = "\x00\x00\x13 PAGE \x14\x31\x15 DDEAUTO text\x00";

#define RTF_OLE2LINK_AUTO \
	"{\\rtf1{\\object\\objautlink\\objupdate\\rsltpict{\\*\\objclass OLE2Link}" \
	"{\\*\\objdata 0105000002000000090000004f4c45324c696e6b000000000000000000000000}}}"
#define RTF_OLE2LINK_EMB \
	"{\\rtf1{\\object\\objemb{\\*\\objclass OLE2Link}" \
	"{\\*\\objdata 0105000002000000090000004f4c45324c696e6b000000000000000000000000}}}"
#define REL(attrs) "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/" \
	"relationships\"><Relationship Id=\"rId1\" " attrs "/></Relationships>"
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const rule_case rule_cases[] = {
	/* romcom/altchunk_rtf.yar */
	{"RomCom_AltChunk_RTF_Autolinked_Objects", true, "rtf", "ooxml", "word/afchunk.rtf",
	 RTF_OLE2LINK_AUTO, 0},
	{"RomCom_AltChunk_RTF_Autolinked_Objects", true, "rtf", "ooxml", "word/afchunk.rtf",
	 "{\\rtf1{\\object\\objautlink{\\*\\objdata 01050000020000001800000"
	 "04d73786d6c322e534158584d4c5265616465722e352e3000}}}", 0},
	{"RomCom_AltChunk_RTF_Autolinked_Objects", false, "rtf", NULL, NULL, RTF_OLE2LINK_AUTO, 0},
	{"RomCom_AltChunk_RTF_Autolinked_Objects", false, "rtf", "ooxml", "word/afchunk.rtf",
	 RTF_OLE2LINK_EMB, 0},
	/* romcom/stage_markers.yar */
	{"RomCom_MSHTML_C7_Stage_Path", true, "data", "ole2", "Contents",
	 "<iframe src=\"http://192.0.2.20/MSHTML_C7/RFile.asp?d=198.51.100.7\">", 0},
	{"RomCom_MSHTML_C7_Stage_Path", false, "data", "ole2", "Contents",
	 "<iframe src=\"http://192.0.2.20/MSHTML_C8/start.xml\">", 0},
	{"RomCom_Stage_File_Markers", true, "data", "zip", "a.htm",
	 "open file001.url then RFile.asp", 0},
	{"RomCom_Stage_File_Markers", false, "data", "zip", "a.htm",
	 "only /start.xml and file002.url here", 0},
	{"RomCom_Victim_Staging_File_Name", true, "data", "zip", "a",
	 "\\\\192.0.2.10\\share1\\MSHTML_C7\\1\\198.51.100.7_a15fa_file001.htm", 0},
	{"RomCom_Victim_Staging_File_Name", false, "data", "zip", "a",
	 "\\\\192.0.2.10\\share1\\198.51.100.7_file001.htm", 0},
	{"RomCom_SearchMS_Stage_Crumb", true, "data", "zip", "a.htm",
	 "search-ms:query=file001&crumb=location:\\\\192.0.2.10\\share1\\MSHTML_C7\\1", 0},
	{"RomCom_SearchMS_Stage_Crumb", false, "data", "zip", "a.htm",
	 "search-ms:query=report&crumb=location:\\\\192.0.2.10\\share\\docs", 0},
	/* romcom/hosts.yar: real indicators, in memory only */
	{"RomCom_NATO_Stage_Hosts", true, "data", "zip", "a", "\\\\104.234.239.26\\share1", 0},
	{"RomCom_NATO_Stage_Hosts", true, "data", "zip", "a", "http://74.50.94.156/x", 0},
	{"RomCom_NATO_Stage_Hosts", false, "data", "zip", "a", "http://174.50.94.156/x", 0},
	{"RomCom_NATO_C2_Hosts", true, "data", "zip", "a", "http://FinFormService.com:80/", 0},
	{"RomCom_NATO_C2_Hosts", true, "data", "zip", "a", "65.21.27.250:8080/mds/O", 0},
	{"RomCom_NATO_C2_Hosts", false, "data", "zip", "a", "xfinformservice.com", 0},
	{"RomCom_UWC_Lookalike_Domain", true, "data", "zip", "a",
	 "https://ukrainianworldcongress.info/", 0},
	{"RomCom_UWC_Lookalike_Domain", false, "data", "zip", "a",
	 "https://ukrainianworldcongress.org/", 0},
	{"RomCom_Lite_2023_Domains", true, "data", "zip", "a", "https://mctelemetryzone.com/", 0},
	{"RomCom_Lite_2023_Domains", false, "data", "zip", "a", "https://telemetry.example/", 0},
	/* romcom/hashes.yar: no positive can exist; the gates hold */
	{"RomCom_NATO_Lure_Overview_UWC_Docx", false, "zip", "zip", "a", "PK\x03\x04xxxx", 0},
	{"RomCom_NATO_AfChunk_RTF", false, "rtf", "ooxml", "a", "{\\rtf1 x}", 0},
	/* payloads/magicspell.yar */
	{"MagicSpell_Delivery_Stage_VBS_Reference", true, "data", "zip", "a.htm",
	 "<iframe src=\"file://192.0.2.10/share1/MSHTML_C7/ex001.zip/file001.vbs\">", 0},
	{"MagicSpell_Delivery_Stage_VBS_Reference", false, "data", "zip", "a.htm",
	 "<iframe src=\"file://192.0.2.10/share1/file001.vbs\">", 0},
	/* payloads/romcom_components.yar: the CLSID also appears outside PEs */
	{"RomCom_PSFactoryBuffer_COM_Hijack", true, "data", "zip", "x.reg",
	 "[HKEY_CURRENT_USER\\Software\\Classes\\CLSID\\{c90250f3-4d7d-4991-9b69-a5c5bc1c2ae6}"
	 "\\InprocServer32]", 0},
	/* techniques/remote_template.yar */
	{"Technique_Remote_Template_Injection", true, "rels", "ooxml", "word/_rels/settings.xml.rels",
	 REL("Type=\"" RT "attachedTemplate\" Target=\"http://192.0.2.20/t.dotm\" "
	     "TargetMode=\"External\""), 0},
	{"Technique_Remote_Template_Injection", true, "rels", "ooxml", "word/_rels/settings.xml.rels",
	 REL("Target=\"\\\\192.0.2.10\\t\\x.dotm\" TargetMode=\"External\" Type=\"" RT
	     "attachedTemplate\""), 0},
	{"Technique_Remote_Template_Injection", false, "rels", "ooxml",
	 "word/_rels/settings.xml.rels",
	 REL("Type=\"" RT "attachedTemplate\" Target=\"templates/Normal.dotm\""), 0},
	{"Technique_Remote_Template_Injection", true, "rels", "ooxml", "word/_rels/settings.xml.rels",
	 REL("Type=\"" RT "attachedTemplate\" Target=\"file://192.0.2.10/t/x.dotm\" "
	     "TargetMode=\"External\""), 0},
	{"Technique_Remote_Template_Injection", false, "rels", "ooxml",
	 "word/_rels/settings.xml.rels",
	 REL("Type=\"" RT "attachedTemplate\" Target=\"file:///C:\\Templates\\Normal.dotm\" "
	     "TargetMode=\"External\""), 0},
	{"Technique_Remote_Template_Injection", false, "xml", "ooxml", "word/settings.xml",
	 REL("Type=\"" RT "attachedTemplate\" Target=\"http://192.0.2.20/t.dotm\" "
	     "TargetMode=\"External\""), 0},
	/* techniques/follina.yar */
	{"Technique_Follina_OleObject_Rels", true, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "oleObject\" Target=\"http://192.0.2.20/x.html!\" "
	     "TargetMode=\"External\""), 0},
	{"Technique_Follina_OleObject_Rels", false, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "oleObject\" Target=\"http://192.0.2.20/x.html\" "
	     "TargetMode=\"External\""), 0},
	{"Technique_Follina_MSDT_HTML", true, "data", "zip", "x.html",
	 "<script>location.href = \"ms-msdt:/id PCWDiagnostic /param IT_BrowseForFile=x\";"
	 "</script>", 0},
	{"Technique_Follina_MSDT_HTML", false, "data", "zip", "x.html",
	 "<!-- ms-msdt: is a URL scheme; nothing else here -->", 0},
	/* techniques/mhtml_xusc.yar */
	{"Technique_MHTML_XUSC_Target", true, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "oleObject\" Target=\"mhtml:http://192.0.2.20/x.html!x-usc:"
	     "http://192.0.2.20/y.html\" TargetMode=\"External\""), 0},
	{"Technique_MHTML_XUSC_Target", false, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "oleObject\" Target=\"mhtml:http://192.0.2.20/x.html\" "
	     "TargetMode=\"External\""), 0},
	/* techniques/ole_link.yar */
	{"Technique_OLE_Link_Remote_Moniker", true, "data", "ole2", "\001Ole", url_moniker_stream,
	 sizeof(url_moniker_stream) - 1},
	{"Technique_OLE_Link_Remote_Moniker", true, "data", "ole2", "\001Ole", file_moniker_unc,
	 sizeof(file_moniker_unc) - 1},
	{"Technique_OLE_Link_Remote_Moniker", true, "ole1", "rtf", "object[1]", ole1_url_moniker,
	 sizeof(ole1_url_moniker) - 1},
	{"Technique_OLE_Link_Remote_Moniker", false, "ole1", "rtf", "object[0]",
	 ole1_cfb_url_moniker, sizeof(ole1_cfb_url_moniker) - 1},
	{"Technique_OLE_Link_Remote_Moniker", false, "data", "ole2", "\001Ole",
	 url_moniker_file_scheme, sizeof(url_moniker_file_scheme) - 1},
	{"Technique_OLE_Link_Remote_Moniker", false, "ole2", "rtf", "object[0]",
	 url_moniker_stream, sizeof(url_moniker_stream) - 1},
	{"Technique_RTF_OLE2Link_Autolink", true, "rtf", NULL, NULL, RTF_OLE2LINK_AUTO, 0},
	{"Technique_RTF_OLE2Link_Autolink", false, "rtf", NULL, NULL, RTF_OLE2LINK_EMB, 0},
	{"Technique_OLE1_OLE2Link_Object", true, "ole1", "rtf", "object[0]", ole1_ole2link,
	 sizeof(ole1_ole2link) - 1},
	{"Technique_OLE1_OLE2Link_Object", false, "ole1", "rtf", "object[0]", ole1_package,
	 sizeof(ole1_package) - 1},
	/* techniques/equation_editor.yar */
	{"Technique_Equation_Editor_Object", true, "ole1", "rtf", "object[0]", ole1_equation,
	 sizeof(ole1_equation) - 1},
	{"Technique_Equation_Editor_Object", true, "rtf", NULL, NULL,
	 "{\\rtf1{\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata "
	 "01050000020000000b0000004571756174696f6e2e3300}}}", 0},
	{"Technique_Equation_Editor_Object", false, "ole1", "rtf", "object[0]", ole1_paint,
	 sizeof(ole1_paint) - 1},
	{"Technique_Equation_Native_MTEF", true, "data", "ole2", "Equation Native",
	 eq_native_mtef, sizeof(eq_native_mtef) - 1},
	{"Technique_Equation_Native_MTEF", false, "data", "ole2", "Equation Native",
	 eq_native_zero, sizeof(eq_native_zero) - 1},
	/* techniques/dde.yar */
	{"Technique_DDE_Field_OOXML", true, "xml", "ooxml", "word/document.xml",
	 "<w:r><w:instrText xml:space=\"preserve\"> DDEAUTO example topic </w:instrText></w:r>", 0},
	{"Technique_DDE_Field_OOXML", true, "xml", "ooxml", "word/document.xml",
	 "<w:fldSimple w:instr=\" DDE example topic\"><w:r><w:t>x</w:t></w:r></w:fldSimple>", 0},
	{"Technique_DDE_Field_OOXML", false, "xml", "ooxml", "word/document.xml",
	 "<w:instrText> PAGE </w:instrText><w:t>DDEAUTO is explained here</w:t>", 0},
	{"Technique_DDE_Field_RTF", true, "rtf", NULL, NULL,
	 "{\\rtf1{\\field{\\*\\fldinst DDEAUTO example topic}{\\fldrslt x}}}", 0},
	{"Technique_DDE_Field_RTF", false, "rtf", NULL, NULL,
	 "{\\rtf1{\\field{\\*\\fldinst PAGE}{\\fldrslt 1}} DDEAUTO in text}", 0},
	{"Technique_DDE_Field_Binary", true, "data", "ole2", "WordDocument", word_stream_dde,
	 sizeof(word_stream_dde) - 1},
	{"Technique_DDE_Field_Binary", false, "data", "ole2", "WordDocument", word_stream_page,
	 sizeof(word_stream_page) - 1},
	/* techniques/package.yar */
	{"Technique_OLE_Package_Script_Or_Executable", true, "data", "ole2", "\001Ole10Native",
	 ole10native_js, sizeof(ole10native_js) - 1},
	{"Technique_OLE_Package_Script_Or_Executable", true, "ole1", "rtf", "object[0]",
	 ole1_package, sizeof(ole1_package) - 1},
	{"Technique_OLE_Package_Script_Or_Executable", false, "data", "ole2", "\001Ole10Native",
	 ole10native_txt, sizeof(ole10native_txt) - 1},
	{"Technique_OLE_Package_Script_Or_Executable", false, "data", "ole2", "Contents",
	 ole10native_js, sizeof(ole10native_js) - 1},
	/* techniques/vba.yar */
	{"Technique_VBA_Downloader", true, "data", "ole2", "Module1",
	 "Attribute VB_Name = \"Module1\"\r\nSub AutoOpen()\r\n"
	 "Set o = CreateObject(\"WScript.Shell\")\r\nEnd Sub\r\n", 0},
	{"Technique_VBA_Downloader", true, "data", "ole2", "Module1",
	 "Attribute VB_Name = \"Module1\"\r\nPrivate Declare Function URLDownloadToFileA Lib "
	 "\"urlmon\" ()\r\n", 0},
	{"Technique_VBA_Downloader", false, "data", "ole2", "Module1",
	 "Attribute VB_Name = \"Module1\"\r\nSub Hello()\r\nMsgBox \"hi\"\r\nEnd Sub\r\n", 0},
	/* techniques/motw_search_ms.yar */
	{"Technique_SearchMS_Remote_Location", true, "data", "zip", "a.htm",
	 "search-ms:query=x&crumb=location:\\\\192.0.2.10\\share&displayname=Downloads", 0},
	{"Technique_SearchMS_Remote_Location", false, "data", "zip", "a.htm",
	 "search-ms:query=x&crumb=location:C:\\Users\\u\\Downloads", 0},
	/* techniques/altchunk.yar */
	{"Technique_AltChunk_RTF_Import", true, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "aFChunk\" Target=\"afchunk.rtf\""), 0},
	{"Technique_AltChunk_RTF_Import", false, "rels", "ooxml", "word/_rels/document.xml.rels",
	 REL("Type=\"" RT "aFChunk\" Target=\"chunk.htm\""), 0},
};

/* Cases whose data is turned into UTF-16LE before the scan. */
static const rule_case wide_cases[] = {
	{"RomCom_MSHTML_C7_Stage_Path", true, "data", "ole2", "\001Ole", W("\\\\192.0.2.10\\share1\\"
	 "MSHTML_C7\\file001.url"), 0},
	{"RomCom_NATO_C2_Hosts", true, "pe", "zip", "x.dll",
	 W("http://finformservice.com:80/api/v1.5/subscription?token="), 0},
	{"Technique_SearchMS_Remote_Location", true, "data", "zip", "a",
	 W("search:query=x&crumb=location:\\\\192.0.2.10\\s"), 0},
};

/* Runs one case; returns whether the rule matched. */
static bool run_case(lure_rules *r, const rule_case *c, bool wide)
{
	size_t len = c->len != 0 ? c->len : strlen(c->data);
	GByteArray *bytes = g_byte_array_new();
	for (size_t i = 0; i < len; i++) {
		g_byte_array_append(bytes, (const guint8 *)c->data + i, 1);
		if (wide)
			g_byte_array_append(bytes, (const guint8 *)"", 1);
	}
	lure_scan *s = lure_scan_new(NULL, "input.bin");
	assert_int_equal(lure_rules_attach(r, s), LURE_OK);
	if (c->parent == NULL) {
		assert_int_equal(lure_scan_run(s, bytes->data, bytes->len), LURE_OK);
		assert_string_equal(lure_scan_root(s)->kind, c->kind);
	} else {
		/* An empty input, then the case as its child, scanned by the hook
		 * the way the driver would. */
		assert_int_equal(lure_scan_run(s, (const uint8_t *)"", 0), LURE_OK);
		lure_artifact *root = lure_scan_root(s), *child = NULL;
		root->kind = c->parent;
		assert_int_equal(lure_scan_add_child(s, root, c->name,
						     g_memdup2(bytes->data, bytes->len),
						     bytes->len, &child), LURE_OK);
		child->kind = c->kind;
		s->hooks[0](s, child, s->hook_user[0]);
	}
	bool hit = find_match(s, c->rule) != NULL;
	lure_scan_free(s);
	g_byte_array_unref(bytes);
	return hit;
}

static void test_rule_cases(void **state)
{
	(void)state;
	lure_rules *r = bundled_rules();
	GPtrArray *list = lure_rules_list(r);
	unsigned bad = 0;

	for (size_t w = 0; w < 2; w++) {
		const rule_case *cases = w == 0 ? rule_cases : wide_cases;
		size_t n = w == 0 ? G_N_ELEMENTS(rule_cases) : G_N_ELEMENTS(wide_cases);
		for (size_t i = 0; i < n; i++) {
			bool known = false;
			for (guint k = 0; k < list->len && !known; k++)
				known = strcmp(((lure_rule_ref *)g_ptr_array_index(list, k))->name,
					       cases[i].rule) == 0;
			if (!known)
				fail_msg("case %zu names unknown rule %s", i, cases[i].rule);
			if (run_case(r, &cases[i], w == 1) == cases[i].hit)
				continue;
			print_message("%s case %zu: %s should %s\n", w ? "wide" : "plain", i,
				      cases[i].rule, cases[i].hit ? "match" : "not match");
			bad++;
		}
	}
	g_ptr_array_unref(list);
	lure_rules_free(r);
	assert_int_equal(bad, 0);
}

/* A hash rule fires when its hash is the artifact's: the rule text with
 * the published hash replaced by a test buffer's. */
static void test_hash_rule_logic(void **state)
{
	(void)state;
	char *src = NULL, *path = g_build_filename(LURE_RULES_DIR, "romcom", "hashes.yar", NULL);
	assert_true(g_file_get_contents(path, &src, NULL, NULL));
	static const char docx[] = "PK\x03\x04 synthetic stand-in for the lure";
	char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)docx,
						sizeof(docx) - 1);
	GRegex *re = g_regex_new("a61b2eafcf39715031357df6b01e85e0d1ea2e8ee1dfec241b114e18f7a1163f",
				 0, 0, NULL);
	char *patched = g_regex_replace_literal(re, src, -1, 0, sum, 0, NULL);
	char *dir = g_dir_make_tmp("rules-XXXXXX", NULL);
	char *rules = write_file(dir, "hashes.yar", patched, -1);
	lure_rules *r = load_one(rules, NULL);
	assert_non_null(r);
	lure_scan *s = scan_with(r, docx, sizeof(docx) - 1, NULL);
	assert_non_null(find_match(s, "RomCom_NATO_Lure_Overview_UWC_Docx"));
	assert_null(find_match(s, "RomCom_NATO_Lure_Letter_Vilnius_Docx"));
	const lure_finding *f = tu_find_finding(s, "yara.match", "rule",
						"RomCom_NATO_Lure_Overview_UWC_Docx");
	assert_int_equal(f->severity, LURE_SEV_CRITICAL);
	lure_scan_free(s);
	lure_rules_free(r);
	g_regex_unref(re);
	g_free(patched);
	g_free(sum);
	g_free(src);
	g_free(path);
	g_free(rules);
	rm_rf(dir);
	g_free(dir);
}

/* What each genpe sample must trip, and nothing else. */
typedef struct sample_case {
	const char *file;
	const char *hits;   /* comma-separated, sorted; "" for none */
} sample_case;

static const sample_case pe_cases[] = {
	{"pe-romcom-startfile.dll",
	 "RomCom_Backdoor_StartFile_StartInet,RomCom_ComDll_Combase32_Strings"},
	{"pe-nearmiss-startfile.dll", ""},
	{"pe-romcom-c2-path.dll", "RomCom_Payload_C2_Path_Wide"},
	{"pe-nearmiss-c2-path.dll", ""},
	{"pe-romcom-worker.dll", "RomCom_Worker_Main_Export"},
	{"pe-nearmiss-worker.dll", ""},
	{"pe-romcom-dropper.dll", "RomCom_Dropper_BINARY_MZ_Resource,RomCom_Dropper_Main_Export"},
	{"pe-nearmiss-dropper.dll", ""},
	{"pe-romcom-stealdeal.dll", "RomCom_STEALDEAL_Stub_Export"},
	{"pe-nearmiss-stealdeal.dll", ""},
	{"pe-romcom-proxy-loader.dll",
	 "RomCom_Proxy_Loader_Forwarded_COM_Exports,RomCom_Proxy_Loader_GetProxyDllInfo"},
	{"pe-nearmiss-proxy-loader.dll", ""},
	{"pe-romcom-psfactory.dll", "RomCom_PSFactoryBuffer_COM_Hijack"},
	{"pe-nearmiss-psfactory.dll", ""},
	{"pe-romcom-nato-profile.dll", "RomCom_NATO_Payload_Import_Profile"},
	{"pe-nearmiss-nato-profile.dll", ""},
	{"pe-dotnet-in-zip.zip", "Technique_Embedded_DotNet_Assembly"},
	{"pe-nearmiss-dotnet.dll", ""},
	{"stage-start.xml", "RomCom_MSHTML_C7_Stage_Path"},
	{"stage-file001.htm", "RomCom_MSHTML_C7_Stage_Path,RomCom_SearchMS_Stage_Crumb,"
	 "RomCom_Stage_File_Markers,RomCom_Victim_Staging_File_Name,"
	 "Technique_SearchMS_Remote_Location"},
	{"stage-file001.url", "RomCom_MSHTML_C7_Stage_Path,RomCom_Victim_Staging_File_Name"},
	{"stage-ex001.htm", "MagicSpell_Delivery_Stage_VBS_Reference,RomCom_MSHTML_C7_Stage_Path"},
	{"stage-nearmiss.htm", "Technique_SearchMS_Remote_Location"},
	{"stage-vbs-only.htm", ""},
	{"search-local.htm", ""},
	{"follina-stage2.html", "Technique_Follina_MSDT_HTML"},
	{"follina-comment.html", ""},
	{"vba-downloader.bas", "Technique_VBA_Downloader"},
	{"vba-msgbox.bas", ""},
	{"dde-flat.xml", "Technique_DDE_Field_OOXML"},
	{"field-flat.xml", ""},
	{"field-page.rtf", ""},
	{"equation-native.bin", "Technique_Equation_Editor_Object,Technique_Equation_Native_MTEF"},
	{"package-txt.bin", ""},
};

/* The expectation for sample file (fails the test when there is none). */
static const sample_case *case_for(const char *file)
{
	for (size_t i = 0; i < G_N_ELEMENTS(pe_cases); i++)
		if (strcmp(pe_cases[i].file, file) == 0)
			return &pe_cases[i];
	fail_msg("genpe sample %s has no expectation in pe_cases", file);
	return NULL;
}

static void test_pe_samples(void **state)
{
	(void)state;
	lure_rules *r = bundled_rules();
	assert_int_equal(genpe_nsamples, G_N_ELEMENTS(pe_cases));
	for (size_t i = 0; i < genpe_nsamples; i++) {
		const sample_case *c = case_for(genpe_samples[i].file);
		GBytes *b = genpe_samples[i].make();
		gsize len;
		const uint8_t *d = g_bytes_get_data(b, &len);
		lure_scan *s = scan_with(r, d, len, NULL);
		char *got = matched_names(s);
		if (strcmp(got, c->hits) != 0)
			fail_msg("%s: matched '%s', want '%s'", c->file, got, c->hits);
		const lure_artifact *root = lure_scan_root(s);
		if (g_str_has_prefix(c->file, "pe-"))
			assert_string_equal(root->kind, g_str_has_suffix(c->file, ".zip") ? "zip" : "pe");
		g_free(got);
		lure_scan_free(s);
		g_bytes_unref(b);
	}
	lure_rules_free(r);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Several threads share one rule set (each scan on its own thread, the
 * scanners from the pool): every scan gets its own, right matches. */
typedef struct thread_job {
	lure_rules *rules;
	unsigned bad;
} thread_job;

static gpointer scan_thread(gpointer p)
{
	thread_job *job = p;
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < genpe_nsamples; i++) {
			GBytes *b = genpe_samples[i].make();
			gsize len;
			const uint8_t *d = g_bytes_get_data(b, &len);
			lure_scan *s = lure_scan_new(NULL, "t");
			lure_rules_attach(job->rules, s);
			lure_scan_run(s, d, len);
			char *got = matched_names(s);
			job->bad += strcmp(got, case_for(genpe_samples[i].file)->hits) != 0;
			g_free(got);
			lure_scan_free(s);
			g_bytes_unref(b);
		}
	}
	return NULL;
}

static void test_threads_share_rules(void **state)
{
	(void)state;
	lure_rules *r = bundled_rules();
	thread_job jobs[4];
	GThread *threads[G_N_ELEMENTS(jobs)];
	for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++) {
		jobs[i] = (thread_job){.rules = r};
		threads[i] = g_thread_new("scan", scan_thread, &jobs[i]);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++) {
		g_thread_join(threads[i]);
		assert_int_equal(jobs[i].bad, 0);
	}
	lure_rules_free(r);
}

/* genpe's output: inert and reproducible. */
static void test_genpe_inert(void **state)
{
	(void)state;
	for (size_t i = 0; i < genpe_nsamples; i++) {
		GBytes *a = genpe_samples[i].make(), *b = genpe_samples[i].make();
		assert_true(g_bytes_equal(a, b));
		gsize len;
		const uint8_t *d = g_bytes_get_data(a, &len);
		if (d[0] == 'M') {
			/* AddressOfEntryPoint (optional header + 16) is 0. */
			size_t opt = 0x40 + 4 + 20;
			assert_int_equal(le32(d + opt + 16), 0);
			/* .text, the first section, is RET then INT3s. */
			size_t sec = opt + (d[0x40 + 4 + 16] | d[0x40 + 4 + 17] << 8);
			assert_memory_equal(d + sec, ".text", 5);
			size_t raw = le32(d + sec + 20), size = le32(d + sec + 16);
			assert_int_equal(size, 0x200);
			assert_int_equal(d[raw], 0xC3);
			for (size_t k = raw + 1; k < raw + size; k++)
				assert_int_equal(d[k], 0xCC);
			assert_non_null(memmem(d, len, MARKER, strlen(MARKER)));
		}
		g_bytes_unref(a);
		g_bytes_unref(b);
	}
}

/* ------------------------------------------------------------------ */
/* Regression engine                                                   */
/* ------------------------------------------------------------------ */

typedef struct regress_env {
	char *dir;
	lure_rules *rules;
} regress_env;

static int regress_setup(void **state)
{
	regress_env *e = g_new0(regress_env, 1);
	e->dir = g_dir_make_tmp("regress-XXXXXX", NULL);
	GBytes *b = make_romcom_worker();
	gsize len;
	const void *d = g_bytes_get_data(b, &len);
	g_free(write_file(e->dir, "worker.dll", d, (gssize)len));
	g_bytes_unref(b);
	g_free(write_file(e->dir, "note.txt", "nothing to see", -1));
	e->rules = bundled_rules();
	*state = e;
	return 0;
}

static int regress_teardown(void **state)
{
	regress_env *e = *state;
	lure_rules_free(e->rules);
	rm_rf(e->dir);
	g_free(e->dir);
	g_free(e);
	return 0;
}

#define GOOD_WORKER "{\"file\": \"worker.dll\", \"verdict\": \"clean\", \"kind\": \"pe\", " \
	"\"artifact_count\": 1, \"findings\": [], \"yara\": [\"RomCom_Worker_Main_Export\"], " \
	"\"yara_absent\": [\"payloads/romcom_components.yar:RomCom_Dropper_Main_Export\"]}"
#define GOOD_NOTE "{\"file\": \"note.txt\", \"verdict\": \"clean\", " \
	"\"yara_absent\": [\"RomCom_Worker_Main_Export\"]}"

/* Runs the regression over e->dir with manifest text m. */
static lure_regress *regress_with(regress_env *e, const char *m, lure_rules_timer *timer)
{
	char *path = write_file(e->dir, "expected.json", m, -1);
	GError *err = NULL;
	lure_manifest *man = lure_manifest_load(path, &err);
	if (man == NULL)
		fail_msg("manifest: %s", err->message);
	lure_regress_opts o = {.samples_dir = e->dir, .rules = e->rules, .timer = timer};
	lure_regress *r = lure_regress_run(man, &o);
	lure_manifest_free(man);
	g_free(path);
	return r;
}

static const lure_regress_stat *stat_named(const GPtrArray *stats, const char *name)
{
	for (guint i = 0; i < stats->len; i++) {
		const lure_regress_stat *s = g_ptr_array_index(stats, i);
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static void test_regress_pass(void **state)
{
	regress_env *e = *state;
	const char *paths[] = {LURE_RULES_DIR};
	lure_rules_timer *t = lure_rules_timer_new(paths, 1, NULL);
	lure_regress *r = regress_with(e, "{\"version\": 1, \"samples\": [" GOOD_WORKER ","
				       GOOD_NOTE "]}", t);
	assert_false(lure_regress_failed(r));
	assert_int_equal(r->npassed, 2);
	const lure_regress_stat *st = stat_named(r->rules, "RomCom_Worker_Main_Export");
	assert_non_null(st);
	assert_int_equal(st->hits, 1);
	assert_int_equal(st->misses + st->false_pos + st->unexpected, 0);
	assert_non_null(stat_named(r->rules, "Technique_VBA_Downloader")); /* every rule listed */
	assert_non_null(r->timings);
	assert_true(r->timings->len > 0);
	const lure_regress_sample *s = g_ptr_array_index(r->samples, 0);
	assert_string_equal(s->verdict, "clean");
	assert_string_equal(s->verdict_yara, "malicious");

	/* Text ends with the tally; JSON and JUnit parse. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(lure_regress_write(r, LURE_REGRESS_TEXT, f), LURE_OK);
	fclose(f);
	assert_true(g_str_has_suffix(buf, "2 passed, 0 failed\n"));
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(lure_regress_write(r, LURE_REGRESS_JSON, f), LURE_OK);
	fclose(f);
	JsonParser *p = json_parser_new();
	assert_true(json_parser_load_from_data(p, buf, (gssize)len, NULL));
	JsonObject *root = json_node_get_object(json_parser_get_root(p));
	assert_int_equal(json_object_get_int_member(root, "passed"), 2);
	g_object_unref(p);
	free(buf);
	f = open_memstream(&buf, &len);
	assert_int_equal(lure_regress_write(r, LURE_REGRESS_JUNIT, f), LURE_OK);
	fclose(f);
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	assert_non_null(strstr(buf, "<testcase classname=\"lurescan.regress\" name=\"worker.dll\""));
	free(buf);
	lure_regress_free(r);
	lure_rules_timer_free(t);
}

static void test_regress_failures(void **state)
{
	regress_env *e = *state;
	/* A rule that cannot fire is a miss; a listed-absent match a false
	 * positive; a wrong verdict and a missing file fail too. */
	lure_regress *r = regress_with(e, "{\"version\": 1, \"samples\": ["
		"{\"file\": \"worker.dll\", \"verdict\": \"clean\", "
		"\"yara_absent\": [\"RomCom_Worker_Main_Export\"]},"
		"{\"file\": \"note.txt\", \"verdict\": \"malicious\", "
		"\"yara\": [\"Technique_VBA_Downloader\"]},"
		"{\"file\": \"missing.doc\", \"verdict\": \"clean\"}]}", NULL);
	assert_true(lure_regress_failed(r));
	assert_int_equal(r->nfailed, 3);
	assert_int_equal(stat_named(r->rules, "RomCom_Worker_Main_Export")->false_pos, 1);
	assert_int_equal(stat_named(r->rules, "Technique_VBA_Downloader")->misses, 1);
	const lure_regress_sample *note = g_ptr_array_index(r->samples, 1);
	assert_int_equal(note->failures->len, 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(lure_regress_write(r, LURE_REGRESS_JUNIT, f), LURE_OK);
	fclose(f);
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlFreeDoc(doc);
	assert_non_null(strstr(buf, "failures=\"3\""));
	free(buf);
	lure_regress_free(r);

	/* A match the sample does not list is only noted, unless strict. */
	r = regress_with(e, "{\"version\": 1, \"samples\": [{\"file\": \"worker.dll\", "
			 "\"verdict\": \"clean\"}]}", NULL);
	assert_false(lure_regress_failed(r));
	assert_int_equal(stat_named(r->rules, "RomCom_Worker_Main_Export")->unexpected, 1);
	assert_int_equal(((lure_regress_sample *)g_ptr_array_index(r->samples, 0))->notes->len, 1);
	lure_regress_free(r);
}

static void test_manifest_rejects(void **state)
{
	regress_env *e = *state;
	const char *bad[] = {
		"{\"version\": 2, \"samples\": []}",
		"{\"version\": 1, \"samples\": [{\"file\": \"../etc/passwd\"}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"/etc/passwd\"}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"yarra\": []}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"findings\": "
		"[{\"id\": \"x\", \"detail\": {}}]}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"yara\": [1]}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"findings\": "
		"[{\"severity\": \"high\"}]}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"iocs\": "
		"{\"hosts\": []}}]}",
		"{\"version\": 1, \"samples\": [{\"file\": \"note.txt\", \"verdict\": \"bad\"}]}",
		"not json",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *path = write_file(e->dir, "bad.json", bad[i], -1);
		GError *err = NULL;
		lure_manifest *m = lure_manifest_load(path, &err);
		if (m != NULL)
			fail_msg("manifest %zu was accepted", i);
		assert_non_null(err);
		g_clear_error(&err);
		g_free(path);
	}
	assert_true(lure_manifest_name_is("R", "ns/a.yar", "R"));
	assert_true(lure_manifest_name_is("ns/a.yar:R", "ns/a.yar", "R"));
	assert_false(lure_manifest_name_is("other.yar:R", "ns/a.yar", "R"));
	assert_false(lure_manifest_name_is("R2", "ns/a.yar", "R"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_namespaces),
		cmocka_unit_test(test_compile_and_count),
		cmocka_unit_test(test_compiled_cache),
		cmocka_unit_test(test_compile_error_names_file_line),
		cmocka_unit_test(test_default_dir),
		cmocka_unit_test(test_externals_rtf_only),
		cmocka_unit_test(test_match_finding_and_meta),
		cmocka_unit_test(test_string_caps),
		cmocka_unit_test(test_yara_timeout),
		cmocka_unit_test(test_save_load_same_results),
		cmocka_unit_test(test_pe_only_split),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_lint_catches),
		cmocka_unit_test(test_lint_exercised),
		cmocka_unit_test(test_bundled_rules_lint_clean),
		cmocka_unit_test(test_rule_cases),
		cmocka_unit_test(test_hash_rule_logic),
		cmocka_unit_test(test_pe_samples),
		cmocka_unit_test(test_threads_share_rules),
		cmocka_unit_test(test_genpe_inert),
		cmocka_unit_test_setup_teardown(test_regress_pass, regress_setup, regress_teardown),
		cmocka_unit_test_setup_teardown(test_regress_failures, regress_setup,
						regress_teardown),
		cmocka_unit_test_setup_teardown(test_manifest_rejects, regress_setup,
						regress_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
