/*
 * regress.c - `lurescan regress`: scan a labelled sample set and compare it
 * with its manifest; see regress.h for what counts as a regression.
 *
 * The run is plain: for each manifest entry, map the file, scan it with the
 * rules (and the per-file timer) attached, judge the scan against the
 * entry, and add to the per-rule and per-finding-id tallies. Samples are
 * scanned one after the other in manifest order, so the output is the same
 * on every run except for the times.
 *
 * Judging follows samples/README.md to the letter (the same semantics as
 * tests/e2e/test_samples), so one manifest serves both: artifacts match on
 * every key they give; findings match on id and the optional severity,
 * artifact and details subset; unknown keys are an error in the manifest.
 *
 * The manifest is input we did not write: file names must be relative and
 * stay inside the samples directory, and every string we print from it is
 * display-escaped first.
 */
#include <stdarg.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libxml/xmlwriter.h>
#include "core/indicators.h"
#include "core/scan.h"
#include "core/text.h"
#include "report/report.h"
#include "rules/regress.h"

#define MANIFEST_VERSION 1
/* Default of max_unexpected_severity, as samples/README.md says. */
#define DEFAULT_MAX_UNEXPECTED "low"
/* Slowest rule files shown in the text report. */
#define TEXT_TIMINGS_SHOWN 10u

static const char *const top_keys[] = {"version", "description", "samples", NULL};
const char *const lure_manifest_entry_keys[] = {
	"file", "description", "verdict", "kind", "artifacts", "artifact_count", "max_depth",
	"findings", "max_unexpected_severity", "iocs", "iocs_absent", "yara", "yara_absent", NULL,
};
const char *const lure_manifest_artifact_keys[] = {
	"name", "kind", "size", "sha256", "depth", "parent", "path", NULL,
};
const char *const lure_manifest_finding_keys[] = {"id", "severity", "artifact", "details", NULL};
static const char *const verdicts[] = {"clean", "suspicious", "malicious", "error", NULL};

/* ------------------------------------------------------------------ */
/* JSON helpers                                                        */
/* ------------------------------------------------------------------ */

static const char *jstr(JsonObject *o, const char *key)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static bool jint(JsonObject *o, const char *key, gint64 *out)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
		return false;
	*out = json_node_get_int(n);
	return true;
}

static JsonArray *jarr(JsonObject *o, const char *key)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;
	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static JsonObject *jarr_obj(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Manifest                                                            */
/* ------------------------------------------------------------------ */

static bool manifest_error(GError **err, const char *path, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static bool manifest_error(GError **err, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	char *shown = lure_display_escape_str(msg);
	g_set_error(err, LURE_RULES_ERROR, LURE_E_MALFORMED, "%s: %s", path, shown);
	g_free(shown);
	g_free(msg);
	return false;
}

/* Fails on a key of o that is not in keys. */
static bool check_keys(JsonObject *o, const char *const *keys, const char *path,
		       const char *where, GError **err)
{
	GList *members = json_object_get_members(o);
	bool ok = true;

	for (GList *l = members; l != NULL && ok; l = l->next)
		if (!in_list(keys, l->data))
			ok = manifest_error(err, path, "%s: unknown key \"%s\"", where,
					    (const char *)l->data);
	g_list_free(members);
	return ok;
}

/* A sample's file name must stay inside the samples directory. */
static bool file_name_ok(const char *file)
{
	if (*file == '\0' || g_path_is_absolute(file) || strchr(file, '\\') != NULL)
		return false;
	char **parts = g_strsplit(file, "/", -1);
	bool ok = true;
	for (size_t i = 0; parts[i] != NULL && ok; i++)
		ok = strcmp(parts[i], "..") != 0 && *parts[i] != '\0';
	g_strfreev(parts);
	return ok;
}

/* Collects the strings of array key of o into a new array; false when the
 * member is there but not an array of strings. */
static bool string_list(JsonObject *o, const char *key, GPtrArray **out)
{
	*out = g_ptr_array_new();
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL)
		return true;
	if (!JSON_NODE_HOLDS_ARRAY(n))
		return false;
	JsonArray *a = json_node_get_array(n);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING)
			return false;
		g_ptr_array_add(*out, (gpointer)json_node_get_string(e));
	}
	return true;
}

/* Checks the keys of the objects in array key of o; keys[0] is required
 * and must be a string. */
static bool check_sub_keys(JsonObject *o, const char *key, const char *const *keys,
			   const char *path, const char *where, GError **err)
{
	JsonArray *a = jarr(o, key);
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonObject *e = jarr_obj(a, i);
		char *at = g_strdup_printf("%s: %s[%u]", where, key, i);
		bool ok = e == NULL ? manifest_error(err, path, "%s is not an object", at)
			: jstr(e, keys[0]) == NULL
				? manifest_error(err, path, "%s needs a string \"%s\"", at, keys[0])
				: check_keys(e, keys, path, at, err);
		g_free(at);
		if (!ok)
			return false;
	}
	if (json_object_get_member(o, key) != NULL && a == NULL)
		return manifest_error(err, path, "%s: \"%s\" is not an array", where, key);
	return true;
}

static void manifest_sample_free(gpointer p)
{
	lure_manifest_sample *s = p;
	if (s == NULL)
		return;
	if (s->yara != NULL)
		g_ptr_array_unref(s->yara);
	if (s->yara_absent != NULL)
		g_ptr_array_unref(s->yara_absent);
	g_free(s);
}

/* The IOC type named name, or -1. */
static int ioc_type(const char *name)
{
	for (int t = 0; t < LURE_IOC__COUNT; t++)
		if (strcmp(lure_ioc_type_name((lure_ioc_type)t), name) == 0)
			return t;
	return -1;
}

/* "iocs"/"iocs_absent", when given, map IOC type names to string arrays. */
static bool iocs_shape_ok(JsonObject *e, const char *key)
{
	JsonNode *n = json_object_get_member(e, key);
	bool ok = true;

	if (n == NULL)
		return true;
	if (!JSON_NODE_HOLDS_OBJECT(n))
		return false;
	JsonObject *o = json_node_get_object(n);
	GList *types = json_object_get_members(o);
	for (GList *l = types; l != NULL && ok; l = l->next) {
		JsonArray *a = jarr(o, l->data);
		ok = ioc_type(l->data) >= 0 && a != NULL;
		for (guint i = 0; ok && i < json_array_get_length(a); i++) {
			JsonNode *v = json_array_get_element(a, i);
			ok = JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_STRING;
		}
	}
	g_list_free(types);
	return ok;
}

/* Validates entry i and appends it to m. */
static bool add_manifest_sample(lure_manifest *m, JsonObject *e, guint i, GError **err)
{
	char *where = g_strdup_printf("samples[%u]", i);
	bool ok = false;
	const char *file = jstr(e, "file"), *verdict = jstr(e, "verdict");
	const char *maxsev = jstr(e, "max_unexpected_severity");

	if (!check_keys(e, lure_manifest_entry_keys, m->path, where, err) ||
	    !check_sub_keys(e, "artifacts", lure_manifest_artifact_keys, m->path, where, err) ||
	    !check_sub_keys(e, "findings", lure_manifest_finding_keys, m->path, where, err))
		goto out;
	if (file == NULL || !file_name_ok(file)) {
		manifest_error(err, m->path, "%s: \"file\" must be a relative path inside the "
			       "samples directory", where);
		goto out;
	}
	if (verdict != NULL && !in_list(verdicts, verdict)) {
		manifest_error(err, m->path, "%s (%s): bad verdict \"%s\"", where, file, verdict);
		goto out;
	}
	if (!iocs_shape_ok(e, "iocs") || !iocs_shape_ok(e, "iocs_absent")) {
		manifest_error(err, m->path, "%s (%s): \"iocs\" and \"iocs_absent\" must map urls, "
			       "ips, domains or unc_paths to arrays of strings", where, file);
		goto out;
	}
	if (maxsev != NULL && lure_severity_parse(maxsev) < 0) {
		manifest_error(err, m->path, "%s (%s): bad max_unexpected_severity \"%s\"", where,
			       file, maxsev);
		goto out;
	}
	lure_manifest_sample *s = g_new0(lure_manifest_sample, 1);
	g_ptr_array_add(m->samples, s);
	s->file = file;
	s->verdict = verdict;
	s->spec = e;
	if (!string_list(e, "yara", &s->yara) || !string_list(e, "yara_absent", &s->yara_absent)) {
		manifest_error(err, m->path, "%s (%s): \"yara\" and \"yara_absent\" must be arrays "
			       "of rule names", where, file);
		goto out;
	}
	ok = true;
out:
	g_free(where);
	return ok;
}

static bool parse_manifest(lure_manifest *m, JsonNode *root, GError **err)
{
	gint64 version = 0;

	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return manifest_error(err, m->path, "not a JSON object");
	JsonObject *top = json_node_get_object(root);
	if (!check_keys(top, top_keys, m->path, "top level", err))
		return false;
	if (!jint(top, "version", &version) || version != MANIFEST_VERSION)
		return manifest_error(err, m->path, "\"version\" must be %d", MANIFEST_VERSION);
	JsonArray *samples = jarr(top, "samples");
	if (samples == NULL)
		return manifest_error(err, m->path, "no \"samples\" array");
	for (guint i = 0; i < json_array_get_length(samples); i++) {
		JsonObject *e = jarr_obj(samples, i);
		if (e == NULL)
			return manifest_error(err, m->path, "samples[%u] is not an object", i);
		if (!add_manifest_sample(m, e, i, err))
			return false;
	}
	return true;
}

lure_manifest *lure_manifest_load(const char *path, GError **err)
{
	lure_manifest *m = g_new0(lure_manifest, 1);
	JsonParser *parser = json_parser_new();
	GError *jerr = NULL;

	m->path = g_strdup(path);
	m->samples = g_ptr_array_new_with_free_func(manifest_sample_free);
	m->priv = parser;
	if (!json_parser_load_from_file(parser, path, &jerr)) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_MALFORMED, "%s: %s", path, jerr->message);
		g_error_free(jerr);
		lure_manifest_free(m);
		return NULL;
	}
	if (!parse_manifest(m, json_parser_get_root(parser), err)) {
		lure_manifest_free(m);
		return NULL;
	}
	return m;
}

void lure_manifest_free(lure_manifest *m)
{
	if (m == NULL)
		return;
	g_ptr_array_unref(m->samples);
	if (m->priv != NULL)
		g_object_unref(m->priv);
	g_free(m->path);
	g_free(m);
}

bool lure_manifest_name_is(const char *listed, const char *ns, const char *rule)
{
	const char *colon = strrchr(listed, ':');
	if (colon == NULL)
		return strcmp(listed, rule) == 0;
	size_t nslen = (size_t)(colon - listed);
	return strcmp(colon + 1, rule) == 0 && strlen(ns) == nslen &&
	       strncmp(listed, ns, nslen) == 0;
}

/* The bare rule name of a manifest entry ("ns:R" -> "R"). */
static const char *bare_name(const char *listed)
{
	const char *colon = strrchr(listed, ':');
	return colon != NULL ? colon + 1 : listed;
}

/* ------------------------------------------------------------------ */
/* Tallies                                                             */
/* ------------------------------------------------------------------ */

static void stat_free(gpointer p)
{
	lure_regress_stat *s = p;
	if (s == NULL)
		return;
	g_free(s->name);
	g_free(s);
}

/* The tally named name in table (created on first use). */
static lure_regress_stat *stat_get(GHashTable *table, const char *name)
{
	lure_regress_stat *s = g_hash_table_lookup(table, name);
	if (s == NULL) {
		s = g_new0(lure_regress_stat, 1);
		s->name = g_strdup(name);
		g_hash_table_insert(table, s->name, s);
	}
	return s;
}

static gint compare_stat(gconstpointer a, gconstpointer b)
{
	const lure_regress_stat *x = *(const lure_regress_stat *const *)a;
	const lure_regress_stat *y = *(const lure_regress_stat *const *)b;
	return strcmp(x->name, y->name);
}

/* Moves the tallies of table into a sorted array that owns them. */
static GPtrArray *stats_sorted(GHashTable *table)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(stat_free);
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, table);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(out, v);
	g_hash_table_steal_all(table);
	g_ptr_array_sort(out, compare_stat);
	return out;
}

/* ------------------------------------------------------------------ */
/* Judging one sample                                                  */
/* ------------------------------------------------------------------ */

typedef struct judge {
	const lure_scan *scan;
	JsonObject *spec;
	lure_regress_sample *out;
	GHashTable *rule_stats;     /* name -> lure_regress_stat* */
	GHashTable *finding_stats;
	bool strict;
} judge;

/* Appends the formatted message, made display-safe, to list. */
static void add_message(GPtrArray *list, const char *fmt, va_list ap) G_GNUC_PRINTF(2, 0);

static void add_message(GPtrArray *list, const char *fmt, va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);
	g_ptr_array_add(list, lure_display_escape_str(msg));
	g_free(msg);
}

static void fail(judge *j, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void fail(judge *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_message(j->out->failures, fmt, ap);
	va_end(ap);
}

static void note(judge *j, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void note(judge *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_message(j->out->notes, fmt, ap);
	va_end(ap);
}

static const char *artifact_name(const lure_scan *s, unsigned id)
{
	const lure_artifact *a = lure_scan_artifact(s, id);
	return a != NULL ? a->name : "";
}

/* The verdict from every finding but yara.match (or all of them). */
static lure_verdict verdict_of(const lure_scan *s, bool with_yara)
{
	lure_severity worst = LURE_SEV_INFO;

	if (s->fatal != LURE_OK)
		return LURE_VERDICT_ERROR;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if ((with_yara || f->ind != LURE_IND_YARA_MATCH) && f->severity > worst)
			worst = f->severity;
	}
	if (worst >= LURE_SEV_HIGH)
		return LURE_VERDICT_MALICIOUS;
	return worst == LURE_SEV_MEDIUM ? LURE_VERDICT_SUSPICIOUS : LURE_VERDICT_CLEAN;
}

bool lure_manifest_artifact_matches(const lure_scan *s, const lure_artifact *a, JsonObject *e)
{
	const char *name = jstr(e, "name"), *kind = jstr(e, "kind");
	const char *sha = jstr(e, "sha256"), *parent = jstr(e, "parent");
	const char *path = jstr(e, "path");
	gint64 v;

	if (name == NULL || strcmp(a->name, name) != 0)
		return false;
	if (kind != NULL && strcmp(a->kind, kind) != 0)
		return false;
	if (path != NULL && strcmp(a->path, path) != 0)
		return false;
	if (sha != NULL && g_ascii_strcasecmp(a->sha256, sha) != 0)
		return false;
	if (jint(e, "size", &v) && (v < 0 || (guint64)v != a->size))
		return false;
	if (jint(e, "depth", &v) && (v < 0 || (guint64)v != a->depth))
		return false;
	return parent == NULL ||
	       (a->parent >= 0 && strcmp(artifact_name(s, (unsigned)a->parent), parent) == 0);
}

static char *describe_json(JsonObject *o)
{
	JsonNode *n = json_node_alloc();
	json_node_init_object(n, o);
	char *text = json_to_string(n, FALSE);
	json_node_unref(n);
	return text;
}

static void judge_structure(judge *j)
{
	const lure_scan *s = j->scan;
	const lure_artifact *root = lure_scan_root(s);
	const char *kind = jstr(j->spec, "kind");
	JsonArray *exp = jarr(j->spec, "artifacts");
	gint64 v;

	if (kind != NULL && (root == NULL || strcmp(root->kind, kind) != 0))
		fail(j, "kind: expected %s, got %s", kind, root != NULL ? root->kind : "(none)");
	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		bool found = false;
		for (guint k = 0; e != NULL && k < s->artifacts->len && !found; k++)
			found = lure_manifest_artifact_matches(s, g_ptr_array_index(s->artifacts, k), e);
		if (!found) {
			char *want = e != NULL ? describe_json(e) : g_strdup("?");
			fail(j, "missing artifact %s", want);
			g_free(want);
		}
	}
	if (jint(j->spec, "artifact_count", &v) && (v < 0 || (guint64)v != s->artifacts->len))
		fail(j, "artifact_count: expected %" G_GINT64_FORMAT ", got %u", v, s->artifacts->len);
	if (jint(j->spec, "max_depth", &v)) {
		unsigned deepest = 0;
		for (guint i = 0; i < s->artifacts->len; i++)
			deepest = MAX(deepest, ((lure_artifact *)g_ptr_array_index(s->artifacts, i))->depth);
		if (v < 0 || (guint64)v != deepest)
			fail(j, "max_depth: expected %" G_GINT64_FORMAT ", got %u", v, deepest);
	}
}

static bool details_match(const lure_finding *f, JsonObject *e)
{
	JsonNode *dn = json_object_get_member(e, "details");
	bool ok = true;

	if (dn == NULL)
		return true;
	if (!JSON_NODE_HOLDS_OBJECT(dn))
		return false;
	JsonObject *details = json_node_get_object(dn);
	GList *keys = json_object_get_members(details);
	for (GList *l = keys; l != NULL && ok; l = l->next) {
		const char *want = jstr(details, l->data);
		const char *got = lure_finding_get_detail(f, l->data);
		ok = want != NULL && got != NULL && strcmp(want, got) == 0;
	}
	g_list_free(keys);
	return ok;
}

bool lure_manifest_finding_matches(const lure_scan *s, const lure_finding *f, JsonObject *e)
{
	const char *id = jstr(e, "id"), *sev = jstr(e, "severity"), *art = jstr(e, "artifact");

	if (id == NULL || strcmp(f->id, id) != 0)
		return false;
	if (sev != NULL && strcmp(lure_severity_name(f->severity), sev) != 0)
		return false;
	if (art != NULL && strcmp(artifact_name(s, f->artifact), art) != 0)
		return false;
	return details_match(f, e);
}

static bool finding_expected(judge *j, const lure_finding *f)
{
	JsonArray *exp = jarr(j->spec, "findings");
	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		if (e != NULL && lure_manifest_finding_matches(j->scan, f, e))
			return true;
	}
	return false;
}

static void judge_findings(judge *j)
{
	const lure_scan *s = j->scan;
	JsonArray *exp = jarr(j->spec, "findings");
	const char *max_name = jstr(j->spec, "max_unexpected_severity");
	int max = lure_severity_parse(max_name != NULL ? max_name : DEFAULT_MAX_UNEXPECTED);

	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		const char *id = jstr(e, "id");
		bool found = false;
		for (guint k = 0; k < s->findings->len && !found; k++)
			found = lure_manifest_finding_matches(s, g_ptr_array_index(s->findings, k), e);
		lure_regress_stat *st = stat_get(j->finding_stats, id != NULL ? id : "(no id)");
		if (found) {
			st->hits++;
			continue;
		}
		st->misses++;
		char *want = describe_json(e);
		fail(j, "missing finding %s", want);
		g_free(want);
	}
	for (guint k = 0; k < s->findings->len; k++) {
		const lure_finding *f = g_ptr_array_index(s->findings, k);
		if (f->ind == LURE_IND_YARA_MATCH || finding_expected(j, f))
			continue;
		lure_regress_stat *st = stat_get(j->finding_stats, f->id);
		if ((int)f->severity <= max) {
			st->unexpected++;
			continue;
		}
		st->false_pos++;
		fail(j, "unexpected finding above %s: %s (%s) on %s: %s", lure_severity_name(max),
		     f->id, lure_severity_name(f->severity), artifact_name(s, f->artifact),
		     f->message);
	}
}

static bool ioc_collected(const lure_scan *s, int type, const char *value)
{
	for (guint k = 0; k < s->iocs[type]->len; k++)
		if (strcmp(g_ptr_array_index(s->iocs[type], k), value) == 0)
			return true;
	return false;
}

/* "iocs": every value listed must have been collected. "iocs_absent": no
 * value listed may have been, and an empty list means none of that type.
 * Values compare as the scan stores them (display-safe, not defanged). */
static void judge_iocs(judge *j, const char *key, bool present)
{
	JsonNode *n = json_object_get_member(j->spec, key);
	if (n == NULL)
		return;
	JsonObject *o = json_node_get_object(n);
	GList *types = json_object_get_members(o);
	for (GList *l = types; l != NULL; l = l->next) {
		int t = ioc_type(l->data);
		JsonArray *want = jarr(o, l->data);
		guint nwant = json_array_get_length(want);
		if (!present && nwant == 0 && j->scan->iocs[t]->len > 0)
			fail(j, "iocs: no %s expected; collected %u", (const char *)l->data,
			     j->scan->iocs[t]->len);
		for (guint i = 0; i < nwant; i++) {
			const char *v = json_array_get_string_element(want, i);
			bool found = ioc_collected(j->scan, t, v);
			if (present && !found)
				fail(j, "iocs: missing %s '%s'", (const char *)l->data, v);
			else if (!present && found)
				fail(j, "iocs: %s '%s' must not be collected", (const char *)l->data, v);
		}
	}
	g_list_free(types);
}

/* The first match of rule ns:name in the scan, or NULL. */
static const lure_yara_match *find_match(const lure_scan *s, const char *listed)
{
	for (guint i = 0; i < s->yara_matches->len; i++) {
		const lure_yara_match *m = g_ptr_array_index(s->yara_matches, i);
		if (lure_manifest_name_is(listed, m->ns, m->rule))
			return m;
	}
	return NULL;
}

static bool listed_in(const GPtrArray *list, const lure_yara_match *m)
{
	for (guint i = 0; i < list->len; i++)
		if (lure_manifest_name_is(g_ptr_array_index(list, i), m->ns, m->rule))
			return true;
	return false;
}

/* Records each matched rule once in out->matched, in match order. */
static void collect_matched(judge *j)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < j->scan->yara_matches->len; i++) {
		const lure_yara_match *m = g_ptr_array_index(j->scan->yara_matches, i);
		char *key = g_strdup_printf("%s:%s", m->ns, m->rule);
		if (g_hash_table_add(seen, key))
			g_ptr_array_add(j->out->matched, g_strdup(key));
	}
	g_hash_table_unref(seen);
}

static void judge_yara(judge *j, const lure_manifest_sample *ms, bool have_rules)
{
	const lure_scan *s = j->scan;

	for (guint i = 0; i < ms->yara->len; i++) {
		const char *want = g_ptr_array_index(ms->yara, i);
		lure_regress_stat *st = stat_get(j->rule_stats, bare_name(want));
		if (find_match(s, want) != NULL) {
			st->hits++;
			continue;
		}
		st->misses++;
		fail(j, "yara: rule %s did not match%s", want, have_rules ? "" : " (no rules loaded)");
	}
	for (guint i = 0; i < ms->yara_absent->len; i++) {
		const char *absent = g_ptr_array_index(ms->yara_absent, i);
		const lure_yara_match *m = find_match(s, absent);
		lure_regress_stat *st = stat_get(j->rule_stats, bare_name(absent));
		if (m == NULL)
			continue;
		st->false_pos++;
		fail(j, "yara: rule %s matched %s, which lists it in yara_absent", absent,
		     artifact_name(s, m->artifact));
	}
	for (guint i = 0; i < s->yara_matches->len; i++) {
		const lure_yara_match *m = g_ptr_array_index(s->yara_matches, i);
		if (listed_in(ms->yara, m) || listed_in(ms->yara_absent, m))
			continue;
		stat_get(j->rule_stats, m->rule)->unexpected++;
		if (j->strict)
			fail(j, "yara: unexpected match of %s:%s on %s", m->ns, m->rule,
			     artifact_name(s, m->artifact));
		else
			note(j, "unexpected match of %s:%s on %s", m->ns, m->rule,
			     artifact_name(s, m->artifact));
	}
	collect_matched(j);
}

static void judge_verdict(judge *j, const lure_manifest_sample *ms)
{
	if (ms->verdict != NULL && strcmp(ms->verdict, j->out->verdict) != 0)
		fail(j, "verdict: expected %s, got %s", ms->verdict, j->out->verdict);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

static void sample_free(gpointer p)
{
	lure_regress_sample *s = p;
	if (s == NULL)
		return;
	g_free(s->file);
	g_free(s->verdict);
	g_free(s->verdict_yara);
	g_ptr_array_unref(s->failures);
	g_ptr_array_unref(s->notes);
	g_ptr_array_unref(s->matched);
	g_free(s);
}

static lure_regress_sample *sample_new(const char *file)
{
	lure_regress_sample *s = g_new0(lure_regress_sample, 1);
	s->file = lure_display_escape_str(file);
	s->failures = g_ptr_array_new_with_free_func(g_free);
	s->notes = g_ptr_array_new_with_free_func(g_free);
	s->matched = g_ptr_array_new_with_free_func(g_free);
	return s;
}

/* Maps the sample file; NULL with a failure recorded when it cannot. */
static GMappedFile *open_sample(const lure_regress_opts *o, const char *file,
				lure_regress_sample *out)
{
	char *path = g_build_filename(o->samples_dir, file, NULL);
	GError *err = NULL;
	GMappedFile *mf = NULL;

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		char *shown = lure_display_escape_str(path);
		g_ptr_array_add(out->failures, g_strdup_printf("%s: no such sample file", shown));
		g_free(shown);
	} else if ((mf = g_mapped_file_new(path, FALSE, &err)) == NULL) {
		char *shown = lure_display_escape_str(err->message);
		g_ptr_array_add(out->failures, g_strdup_printf("cannot read the sample: %s", shown));
		g_free(shown);
		g_error_free(err);
	}
	g_free(path);
	return mf;
}

static void attach_all(lure_scan *scan, const lure_regress_opts *o, lure_regress_sample *out)
{
	if (o->rules != NULL && lure_rules_attach(o->rules, scan) != LURE_OK)
		g_ptr_array_add(out->failures, g_strdup("cannot attach the rules to the scan"));
	if (o->timer != NULL && lure_rules_timer_attach(o->timer, scan) != LURE_OK)
		g_ptr_array_add(out->failures, g_strdup("cannot attach the rule timer to the scan"));
}

static lure_regress_sample *run_sample(const lure_manifest_sample *ms,
				       const lure_regress_opts *o, GHashTable *rule_stats,
				       GHashTable *finding_stats)
{
	lure_regress_sample *out = sample_new(ms->file);
	gint64 t0 = g_get_monotonic_time();
	GMappedFile *mf = open_sample(o, ms->file, out);

	if (mf == NULL) {
		out->verdict = g_strdup("error");
		out->verdict_yara = g_strdup("error");
		return out;
	}
	lure_scan *scan = lure_scan_new(o->limits, ms->file);
	attach_all(scan, o, out);
	lure_scan_run(scan, (const uint8_t *)g_mapped_file_get_contents(mf),
		      g_mapped_file_get_length(mf));
	out->seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
	out->verdict = g_strdup(lure_verdict_name(verdict_of(scan, false)));
	out->verdict_yara = g_strdup(lure_verdict_name(verdict_of(scan, true)));

	judge j = {
		.scan = scan, .spec = ms->spec, .out = out, .rule_stats = rule_stats,
		.finding_stats = finding_stats, .strict = o->strict,
	};
	judge_verdict(&j, ms);
	judge_structure(&j);
	judge_findings(&j);
	judge_iocs(&j, "iocs", true);
	judge_iocs(&j, "iocs_absent", false);
	judge_yara(&j, ms, o->rules != NULL);
	for (guint i = 0; i < scan->errors->len; i++)
		note(&j, "scan error: %s", (const char *)g_ptr_array_index(scan->errors, i));
	lure_scan_free(scan);
	g_mapped_file_unref(mf);
	return out;
}

/* Every loaded rule gets a tally, so a rule no sample names shows up. */
static void seed_rule_stats(GHashTable *table, const lure_rules *rules)
{
	if (rules == NULL)
		return;
	GPtrArray *list = lure_rules_list(rules);
	for (guint i = 0; i < list->len; i++)
		stat_get(table, ((lure_rule_ref *)g_ptr_array_index(list, i))->name);
	g_ptr_array_unref(list);
}

lure_regress *lure_regress_run(const lure_manifest *m, const lure_regress_opts *opts)
{
	lure_regress *r = g_new0(lure_regress, 1);
	GHashTable *rule_stats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, stat_free);
	GHashTable *finding_stats = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, stat_free);
	gint64 t0 = g_get_monotonic_time();

	r->samples = g_ptr_array_new_with_free_func(sample_free);
	r->manifest_path = lure_display_escape_str(m->path);
	r->nrules = lure_rules_count(opts->rules);
	seed_rule_stats(rule_stats, opts->rules);
	for (guint i = 0; i < m->samples->len; i++) {
		lure_regress_sample *s = run_sample(g_ptr_array_index(m->samples, i), opts,
						    rule_stats, finding_stats);
		g_ptr_array_add(r->samples, s);
		if (s->failures->len > 0)
			r->nfailed++;
		else
			r->npassed++;
	}
	r->rules = stats_sorted(rule_stats);
	r->findings = stats_sorted(finding_stats);
	g_hash_table_unref(rule_stats);
	g_hash_table_unref(finding_stats);
	if (opts->timer != NULL)
		r->timings = lure_rules_timer_results(opts->timer);
	r->seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
	return r;
}

void lure_regress_free(lure_regress *r)
{
	if (r == NULL)
		return;
	g_ptr_array_unref(r->samples);
	g_ptr_array_unref(r->rules);
	g_ptr_array_unref(r->findings);
	if (r->timings != NULL)
		g_ptr_array_unref(r->timings);
	g_free(r->manifest_path);
	g_free(r);
}

bool lure_regress_failed(const lure_regress *r)
{
	return r->nfailed > 0;
}

/* ------------------------------------------------------------------ */
/* Output: text                                                        */
/* ------------------------------------------------------------------ */

static void text_stats(GString *o, const char *title, const GPtrArray *stats, bool rules)
{
	unsigned idle = 0;
	int w = 12;

	for (guint i = 0; i < stats->len; i++)
		w = MAX(w, (int)strlen(((lure_regress_stat *)g_ptr_array_index(stats, i))->name));
	g_string_append_printf(o, "\n%s:\n  %-*s %6s %6s %6s %10s\n", title, w, "name", "hits",
			       "misses", "false+", "unexpected");
	for (guint i = 0; i < stats->len; i++) {
		const lure_regress_stat *s = g_ptr_array_index(stats, i);
		bool silent = s->hits + s->misses + s->false_pos + s->unexpected == 0;
		idle += silent;
		g_string_append_printf(o, "  %-*s %6u %6u %6u %10u%s\n", w, s->name, s->hits,
				       s->misses, s->false_pos, s->unexpected,
				       rules && s->hits == 0 ? "  (no sample must hit it)" : "");
	}
	if (rules && idle > 0)
		g_string_append_printf(o, "  %u rule%s named by no sample and matching nothing\n",
				       idle, idle == 1 ? "" : "s");
}

static void text_timings(GString *o, const GPtrArray *timings)
{
	if (timings == NULL || timings->len == 0)
		return;
	g_string_append(o, "\nSlowest rule files (YARA time over an empty rule set, summed over "
			   "every artifact):\n");
	for (guint i = 0; i < timings->len && i < TEXT_TIMINGS_SHOWN; i++) {
		const lure_rules_timing *t = g_ptr_array_index(timings, i);
		g_string_append_printf(o, "  %-40s %10.3f ms  (%u rule%s, %" G_GUINT64_FORMAT
				       " artifacts)\n", t->ns, (double)t->ns_total / 1e6, t->nrules,
				       t->nrules == 1 ? "" : "s", t->artifacts);
	}
}

static void text_samples(GString *o, const lure_regress *r)
{
	for (guint i = 0; i < r->samples->len; i++) {
		const lure_regress_sample *s = g_ptr_array_index(r->samples, i);
		g_string_append_printf(o, "%s %s (%s; with YARA %s; %.3f s)\n",
				       s->failures->len > 0 ? "FAIL" : "PASS", s->file, s->verdict,
				       s->verdict_yara, s->seconds);
		for (guint k = 0; k < s->failures->len; k++)
			g_string_append_printf(o, "  - %s\n", (char *)g_ptr_array_index(s->failures, k));
		for (guint k = 0; k < s->notes->len; k++)
			g_string_append_printf(o, "  note: %s\n", (char *)g_ptr_array_index(s->notes, k));
	}
}

static char *render_text(const lure_regress *r)
{
	GString *o = g_string_new(NULL);

	g_string_append_printf(o, "lurescan regress: %u samples from %s, %zu rules\n",
			       r->samples->len, r->manifest_path, r->nrules);
	text_samples(o, r);
	text_stats(o, "Rules (per sample)", r->rules, true);
	text_stats(o, "Finding ids (per sample)", r->findings, false);
	text_timings(o, r->timings);
	g_string_append_printf(o, "\n%.3f s. %u passed, %u failed\n", r->seconds, r->npassed,
			       r->nfailed);
	return g_string_free(o, FALSE);
}

/* ------------------------------------------------------------------ */
/* Output: JSON                                                        */
/* ------------------------------------------------------------------ */

static void json_strings(JsonBuilder *b, const char *key, const GPtrArray *list)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < list->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(list, i));
	json_builder_end_array(b);
}

static void json_stats(JsonBuilder *b, const char *key, const GPtrArray *stats)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < stats->len; i++) {
		const lure_regress_stat *s = g_ptr_array_index(stats, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, s->name);
		json_builder_set_member_name(b, "hits");
		json_builder_add_int_value(b, s->hits);
		json_builder_set_member_name(b, "misses");
		json_builder_add_int_value(b, s->misses);
		json_builder_set_member_name(b, "false_positives");
		json_builder_add_int_value(b, s->false_pos);
		json_builder_set_member_name(b, "unexpected");
		json_builder_add_int_value(b, s->unexpected);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void json_sample(JsonBuilder *b, const lure_regress_sample *s)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "file");
	json_builder_add_string_value(b, s->file);
	json_builder_set_member_name(b, "passed");
	json_builder_add_boolean_value(b, s->failures->len == 0);
	json_builder_set_member_name(b, "verdict");
	json_builder_add_string_value(b, s->verdict);
	json_builder_set_member_name(b, "verdict_with_yara");
	json_builder_add_string_value(b, s->verdict_yara);
	json_builder_set_member_name(b, "seconds");
	json_builder_add_double_value(b, s->seconds);
	json_strings(b, "failures", s->failures);
	json_strings(b, "notes", s->notes);
	json_strings(b, "matched", s->matched);
	json_builder_end_object(b);
}

static void json_timings(JsonBuilder *b, const GPtrArray *timings)
{
	json_builder_set_member_name(b, "timings");
	if (timings == NULL) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_array(b);
	for (guint i = 0; i < timings->len; i++) {
		const lure_rules_timing *t = g_ptr_array_index(timings, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "file");
		json_builder_add_string_value(b, t->ns);
		json_builder_set_member_name(b, "rules");
		json_builder_add_int_value(b, t->nrules);
		json_builder_set_member_name(b, "ms");
		json_builder_add_double_value(b, (double)t->ns_total / 1e6);
		json_builder_set_member_name(b, "artifacts");
		json_builder_add_int_value(b, (gint64)t->artifacts);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static char *render_json(const lure_regress *r)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "manifest");
	json_builder_add_string_value(b, r->manifest_path);
	json_builder_set_member_name(b, "rules_loaded");
	json_builder_add_int_value(b, (gint64)r->nrules);
	json_builder_set_member_name(b, "passed");
	json_builder_add_int_value(b, r->npassed);
	json_builder_set_member_name(b, "failed");
	json_builder_add_int_value(b, r->nfailed);
	json_builder_set_member_name(b, "seconds");
	json_builder_add_double_value(b, r->seconds);
	json_builder_set_member_name(b, "samples");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->samples->len; i++)
		json_sample(b, g_ptr_array_index(r->samples, i));
	json_builder_end_array(b);
	json_stats(b, "rules", r->rules);
	json_stats(b, "findings", r->findings);
	json_timings(b, r->timings);
	json_builder_end_object(b);

	JsonNode *root = json_builder_get_root(b);
	char *text = lure_report_json_text(root, true, NULL);
	json_node_unref(root);
	g_object_unref(b);
	char *out = g_strconcat(text, "\n", NULL);
	g_free(text);
	return out;
}

/* ------------------------------------------------------------------ */
/* Output: JUnit XML                                                   */
/* ------------------------------------------------------------------ */

/* Every xmlTextWriter call returns < 0 on failure; we keep the first. */
typedef struct xw {
	xmlTextWriterPtr w;
	bool bad;
} xw;

static void xw_check(xw *x, int rc)
{
	if (rc < 0)
		x->bad = true;
}

static void xw_attr(xw *x, const char *name, const char *value)
{
	xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value));
}

static void xw_attr_fmt(xw *x, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void xw_attr_fmt(xw *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	xw_attr(x, name, v);
	g_free(v);
}

/* Lines joined with "\n" (g_free). */
static char *join_lines(const GPtrArray *lines)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < lines->len; i++)
		g_string_append_printf(s, "%s%s", i > 0 ? "\n" : "",
				       (const char *)g_ptr_array_index(lines, i));
	return g_string_free(s, FALSE);
}

static void junit_case(xw *x, const lure_regress_sample *s)
{
	xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST "testcase"));
	xw_attr(x, "classname", "lurescan.regress");
	xw_attr(x, "name", s->file);
	xw_attr_fmt(x, "time", "%.3f", s->seconds);
	if (s->failures->len > 0) {
		char *body = join_lines(s->failures);
		xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST "failure"));
		xw_attr(x, "type", "regression");
		xw_attr(x, "message", g_ptr_array_index(s->failures, 0));
		xw_check(x, xmlTextWriterWriteString(x->w, BAD_CAST body));
		xw_check(x, xmlTextWriterEndElement(x->w));
		g_free(body);
	}
	if (s->notes->len > 0) {
		char *body = join_lines(s->notes);
		xw_check(x, xmlTextWriterWriteElement(x->w, BAD_CAST "system-out", BAD_CAST body));
		g_free(body);
	}
	xw_check(x, xmlTextWriterEndElement(x->w));
}

static char *render_junit(const lure_regress *r)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xw x = {xmlNewTextWriterMemory(buf, 0), false};
	char *out = NULL;

	if (x.w == NULL) {
		xmlBufferFree(buf);
		return NULL;
	}
	xw_check(&x, xmlTextWriterSetIndent(x.w, 1));
	xw_check(&x, xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL));
	xw_check(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testsuites"));
	xw_check(&x, xmlTextWriterStartElement(x.w, BAD_CAST "testsuite"));
	xw_attr(&x, "name", "lurescan regress");
	xw_attr_fmt(&x, "tests", "%u", r->samples->len);
	xw_attr_fmt(&x, "failures", "%u", r->nfailed);
	xw_attr(&x, "errors", "0");
	xw_attr_fmt(&x, "time", "%.3f", r->seconds);
	for (guint i = 0; i < r->samples->len; i++)
		junit_case(&x, g_ptr_array_index(r->samples, i));
	xw_check(&x, xmlTextWriterEndDocument(x.w));
	xmlFreeTextWriter(x.w);
	if (!x.bad)
		out = g_strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

lure_error lure_regress_write(const lure_regress *r, lure_regress_format fmt, FILE *out)
{
	char *text = fmt == LURE_REGRESS_JSON ? render_json(r)
		   : fmt == LURE_REGRESS_JUNIT ? render_junit(r)
		   : render_text(r);
	if (text == NULL)
		return LURE_E_NOMEM;
	size_t n = strlen(text);
	lure_error err = fwrite(text, 1, n, out) == n && fflush(out) == 0 ? LURE_OK : LURE_E_IO;
	g_free(text);
	return err;
}
