/*
 * test_samples.c - scans every file of samples/ and checks it against
 * samples/expected.json (format: samples/README.md).
 *
 * One cmocka test per manifest entry, named after the sample, so a failure
 * names the file. Each test collects every mismatch (verdict, kind,
 * artifacts, counts, findings, unexpected findings) and prints them together
 * with the actual findings and artifact tree, then fails once.
 *
 * Besides the manifest, two checks read the samples with the libraries
 * directly, independently of the scanner:
 *   - OOXML (.docx/.xlsx/.pptx) that libzip can open, unless the manifest
 *     gives the file a kind other than ooxml or zip (an encrypted .docx is
 *     a compound file): the root's children are exactly the ZIP entries,
 *     each with the inflated entry's size and SHA-256;
 *   - OLE2 samples not expected malformed: the root's children are exactly
 *     the streams that libgsf lists (those in storages named by their path,
 *     "Storage/Stream"), each with libgsf's size and SHA-256.
 * And one more for every sample: no GLib log message (a libgsf warning, a
 * critical) may leak out of a scan; handlers must turn them into findings.
 *
 * A first test, "manifest", checks the manifest itself: every sample file
 * has an entry, every entry has a file, no unknown keys.
 *
 * What an expected artifact or finding matches, and which keys the manifest
 * knows, come from the regression engine (rules/regress.h), so this test
 * and `lurescan regress` cannot read one manifest two ways. The rest
 * (collecting every mismatch, the dumps, and the checks above) is this
 * test's own.
 *
 * LURE_E2E_VERBOSE=1 in the environment prints the actual findings and
 * artifacts of every sample, also when it passes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <gsf/gsf-utils.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <zip.h>
#include "core/scan.h"
#include "core/text.h"
#include "rules/regress.h"

#ifndef LURE_SAMPLES_DIR
#error "LURE_SAMPLES_DIR must name the samples directory"
#endif

#define MANIFEST_FILE "expected.json"
#define MANIFEST_VERSION 1
/* Bytes of a ZIP entry the OOXML check inflates; larger ones are compared
 * by size only. */
#define ZIP_CHECK_MAX_ENTRY (64u * 1024u * 1024u)

typedef struct sample_case {
	const char *file;
	JsonObject *spec; /* borrowed from the parser */
} sample_case;

static JsonParser *manifest_parser;
static GPtrArray *cases; /* sample_case* */

/* ---- collecting failures ---- */

typedef struct report {
	GString *fails;
	unsigned nfails;
} report;

static G_GNUC_PRINTF(2, 3) void fail_line(report *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_string_append(r->fails, "  - ");
	g_string_append_vprintf(r->fails, fmt, ap);
	g_string_append_c(r->fails, '\n');
	va_end(ap);
	r->nfails++;
}

/* ---- manifest access ---- */

/* The string member key of o, or NULL when absent or not a string. */
static const char *jstr(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

/* True and *out set when member key of o is an integer. */
static bool jint(JsonObject *o, const char *key, gint64 *out)
{
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
		return false;
	*out = json_node_get_int(n);
	return true;
}

/* The array member key of o, or NULL. */
static JsonArray *jarr(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return NULL;
	return json_node_get_array(n);
}

/* The object at index i of a, or NULL. */
static JsonObject *jarr_obj(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);
	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static bool key_known(const char *const *keys, const char *k)
{
	for (size_t i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

static void check_keys(report *r, const char *what, JsonObject *o, const char *const *keys)
{
	GList *members = json_object_get_members(o);
	for (GList *l = members; l != NULL; l = l->next)
		if (!key_known(keys, l->data))
			fail_line(r, "manifest: unknown key \"%s\" in %s", (char *)l->data, what);
	g_list_free(members);
}

/* ---- describing the actual scan ---- */

static const char *artifact_name(const lure_scan *s, unsigned id)
{
	const lure_artifact *a = lure_scan_artifact(s, id);
	return a != NULL ? a->name : "?";
}

static void describe_finding(GString *out, const lure_scan *s, const lure_finding *f)
{
	g_string_append_printf(out, "%s [%s] on '%s'", f->id, lure_severity_name(f->severity),
			       artifact_name(s, f->artifact));
	for (guint i = 0; i < f->details->len; i++) {
		const lure_kv *kv = g_ptr_array_index(f->details, i);
		g_string_append_printf(out, "%s%s=%s", i == 0 ? " {" : ", ", kv->key, kv->value);
	}
	if (f->details->len > 0)
		g_string_append_c(out, '}');
}

static char *describe_json(JsonObject *o)
{
	JsonNode *n = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(n, o);
	char *s = json_to_string(n, FALSE);
	json_node_unref(n);
	return s;
}

#define DUMP_MAX_ARTIFACTS 80u

static void dump_actual(GString *out, const lure_scan *s, JsonObject *spec)
{
	JsonArray *exp = jarr(spec, "findings");

	g_string_append(out, "  expected findings:\n");
	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		char *d = e != NULL ? describe_json(e) : g_strdup("(not an object)");
		g_string_append_printf(out, "    %s\n", d);
		g_free(d);
	}
	if (exp == NULL || json_array_get_length(exp) == 0)
		g_string_append(out, "    (none)\n");
	g_string_append(out, "  actual findings:\n");
	for (guint i = 0; i < s->findings->len; i++) {
		g_string_append(out, "    ");
		describe_finding(out, s, g_ptr_array_index(s->findings, i));
		g_string_append_c(out, '\n');
	}
	if (s->findings->len == 0)
		g_string_append(out, "    (none)\n");
	g_string_append_printf(out, "  actual artifacts (%u):\n", s->artifacts->len);
	for (guint i = 0; i < s->artifacts->len && i < DUMP_MAX_ARTIFACTS; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		g_string_append_printf(out, "    #%u %*s%s  kind=%s size=%" G_GUINT64_FORMAT "\n",
				       a->id, (int)(2 * a->depth), "", a->name, a->kind, a->size);
	}
	if (s->artifacts->len > DUMP_MAX_ARTIFACTS)
		g_string_append_printf(out, "    ... %u more\n", s->artifacts->len - DUMP_MAX_ARTIFACTS);
	for (guint i = 0; i < s->errors->len; i++)
		g_string_append_printf(out, "  scan error: %s\n",
				       (char *)g_ptr_array_index(s->errors, i));
}

/* ---- manifest checks ---- */

static void check_artifacts(report *r, const lure_scan *s, JsonObject *spec)
{
	JsonArray *exp = jarr(spec, "artifacts");

	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		if (e == NULL || jstr(e, "name") == NULL) {
			fail_line(r, "manifest: artifacts[%u] needs a \"name\"", i);
			continue;
		}
		check_keys(r, "an artifact", e, lure_manifest_artifact_keys);
		bool found = false;
		for (guint k = 0; k < s->artifacts->len && !found; k++)
			found = lure_manifest_artifact_matches(s, g_ptr_array_index(s->artifacts, k), e);
		if (found)
			continue;
		char *want = describe_json(e);
		GString *seen = g_string_new(NULL);
		for (guint k = 0; k < s->artifacts->len; k++) {
			const lure_artifact *a = g_ptr_array_index(s->artifacts, k);
			if (strcmp(a->name, jstr(e, "name")) == 0)
				g_string_append_printf(seen, " [kind=%s size=%" G_GUINT64_FORMAT
						       " depth=%u parent='%s' path='%s']", a->kind,
						       a->size, a->depth, a->parent >= 0
						       ? artifact_name(s, (unsigned)a->parent) : "",
						       a->path);
		}
		fail_line(r, "missing artifact %s; same name seen:%s", want,
			  seen->len > 0 ? seen->str : " none");
		g_free(want);
		g_string_free(seen, TRUE);
	}
}

static void check_counts(report *r, const lure_scan *s, JsonObject *spec)
{
	gint64 v;
	if (jint(spec, "artifact_count", &v) && (v < 0 || (guint64)v != s->artifacts->len))
		fail_line(r, "artifact_count: expected %" G_GINT64_FORMAT ", got %u", v,
			  s->artifacts->len);
	if (jint(spec, "max_depth", &v)) {
		unsigned deepest = 0;
		for (guint i = 0; i < s->artifacts->len; i++) {
			const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
			deepest = MAX(deepest, a->depth);
		}
		if (v < 0 || (guint64)v != deepest)
			fail_line(r, "max_depth: expected %" G_GINT64_FORMAT ", deepest artifact is at %u",
				  v, deepest);
	}
}

static void check_findings(report *r, const lure_scan *s, JsonObject *spec)
{
	JsonArray *exp = jarr(spec, "findings");
	guint nexp = exp != NULL ? json_array_get_length(exp) : 0;
	const char *max_name = jstr(spec, "max_unexpected_severity");
	int max = lure_severity_parse(max_name != NULL ? max_name : "low");

	if (max < 0) {
		fail_line(r, "manifest: bad max_unexpected_severity \"%s\"", max_name);
		max = LURE_SEV_LOW;
	}
	for (guint i = 0; i < nexp; i++) {
		JsonObject *e = jarr_obj(exp, i);
		if (e == NULL || jstr(e, "id") == NULL) {
			fail_line(r, "manifest: findings[%u] needs an \"id\"", i);
			continue;
		}
		check_keys(r, "a finding", e, lure_manifest_finding_keys);
		if (jstr(e, "severity") != NULL && lure_severity_parse(jstr(e, "severity")) < 0)
			fail_line(r, "manifest: findings[%u] has a bad severity", i);
		bool found = false;
		for (guint k = 0; k < s->findings->len && !found; k++)
			found = lure_manifest_finding_matches(s, g_ptr_array_index(s->findings, k), e);
		if (!found) {
			char *want = describe_json(e);
			fail_line(r, "missing finding %s", want);
			g_free(want);
		}
	}
	for (guint k = 0; k < s->findings->len; k++) {
		const lure_finding *f = g_ptr_array_index(s->findings, k);
		bool expected = false;
		for (guint i = 0; i < nexp && !expected; i++) {
			JsonObject *e = jarr_obj(exp, i);
			expected = e != NULL && lure_manifest_finding_matches(s, f, e);
		}
		if (expected || (int)f->severity <= max)
			continue;
		GString *d = g_string_new(NULL);
		describe_finding(d, s, f);
		fail_line(r, "unexpected finding above %s: %s", lure_severity_name(max), d->str);
		g_string_free(d, TRUE);
	}
}

/* "iocs": {"urls": [...], "ips": [...], "domains": [...], "unc_paths": [...]}:
 * every value listed must have been collected (a subset: others may be
 * there too). "iocs_absent", the same shape: no value listed may have been
 * collected, and an empty list means none of that type at all. Values are
 * compared as the scan stores them (display-safe, not defanged). */
static void check_iocs(report *r, const lure_scan *s, JsonObject *spec, const char *key,
		       bool present)
{
	JsonNode *n = json_object_get_member(spec, key);
	if (n == NULL)
		return;
	if (!JSON_NODE_HOLDS_OBJECT(n)) {
		fail_line(r, "manifest: \"%s\" must be an object", key);
		return;
	}
	JsonObject *iocs = json_node_get_object(n);
	GList *types = json_object_get_members(iocs);
	for (GList *l = types; l != NULL; l = l->next) {
		const char *type = l->data;
		int t = -1;
		for (int k = 0; k < LURE_IOC__COUNT; k++)
			if (strcmp(lure_ioc_type_name((lure_ioc_type)k), type) == 0)
				t = k;
		JsonArray *want = jarr(iocs, type);
		if (t < 0 || want == NULL) {
			fail_line(r, "manifest: \"%s\" has an unknown type or a non-array \"%s\"",
				  key, type);
			continue;
		}
		const GPtrArray *got = s->iocs[t];
		GString *seen = g_string_new(NULL);
		for (guint k = 0; k < got->len; k++)
			g_string_append_printf(seen, " '%s'", (char *)g_ptr_array_index(got, k));
		if (!present && json_array_get_length(want) == 0 && got->len > 0)
			fail_line(r, "no %s expected; collected:%s", type, seen->str);
		for (guint i = 0; i < json_array_get_length(want); i++) {
			JsonNode *e = json_array_get_element(want, i);
			const char *v = e != NULL && JSON_NODE_HOLDS_VALUE(e) &&
					json_node_get_value_type(e) == G_TYPE_STRING
				? json_node_get_string(e) : NULL;
			bool found = false;
			for (guint k = 0; v != NULL && k < got->len && !found; k++)
				found = strcmp(g_ptr_array_index(got, k), v) == 0;
			if (v == NULL)
				fail_line(r, "manifest: \"%s\".%s[%u] is not a string", key, type, i);
			else if (present && !found)
				fail_line(r, "missing IOC %s '%s'; collected:%s", type, v,
					  seen->len > 0 ? seen->str : " none");
			else if (!present && found)
				fail_line(r, "IOC %s '%s' must not be collected", type, v);
		}
		g_string_free(seen, TRUE);
	}
	g_list_free(types);
}

static void note_yara(const char *file, JsonObject *spec)
{
	JsonArray *y = jarr(spec, "yara"), *ya = jarr(spec, "yara_absent");
	if ((y != NULL && json_array_get_length(y) > 0) ||
	    (ya != NULL && json_array_get_length(ya) > 0))
		print_message("[ NOTE     ] %s: yara expectations are checked by `lurescan "
			      "regress`, not here (no rules are loaded)\n", file);
}

/* ---- independent checks with libzip and libgsf ---- */

static char *sha256_hex(const void *data, gsize len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

static bool is_ooxml_name(const char *file)
{
	return g_str_has_suffix(file, ".docx") || g_str_has_suffix(file, ".xlsx") ||
	       g_str_has_suffix(file, ".pptx");
}

/* Number of children of the root. */
static unsigned root_children(const lure_scan *s)
{
	unsigned n = 0;
	for (guint i = 0; i < s->artifacts->len; i++)
		if (((lure_artifact *)g_ptr_array_index(s->artifacts, i))->parent == 0)
			n++;
	return n;
}

/* Compares one child of the root named raw_name with size and bytes. */
static void check_root_child(report *r, const lure_scan *s, const char *what, const char *raw_name,
			     guint64 size, const void *bytes, gsize nbytes)
{
	char *name = lure_display_escape_str(raw_name);
	const lure_artifact *a = lure_scan_find_child(s, 0, name);

	if (a == NULL) {
		fail_line(r, "%s '%s' is not a child of the root", what, name);
	} else if (a->size != size) {
		fail_line(r, "%s '%s': size %" G_GUINT64_FORMAT ", artifact says %" G_GUINT64_FORMAT,
			  what, name, size, a->size);
	} else if (bytes != NULL) {
		char *sha = sha256_hex(bytes, nbytes);
		if (strcmp(sha, a->sha256) != 0)
			fail_line(r, "%s '%s': sha256 %s, artifact says %s", what, name, sha,
				  a->sha256);
		g_free(sha);
	}
	g_free(name);
}

/* The ZIP check; a file libzip cannot open is skipped when the manifest
 * expects it malformed, and a failure otherwise. */
static void check_zip_entries(report *r, const lure_scan *s, const char *file,
			      bool malformed, const guint8 *data, gsize len)
{
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
	zip_t *za = src != NULL ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;

	if (za == NULL) {
		if (malformed)
			print_message("[ NOTE     ] %s: libzip cannot open it (%s); ZIP entry "
				      "check skipped\n", file, zip_error_strerror(&zerr));
		else
			fail_line(r, "libzip cannot open it (%s)", zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&zerr);
		return;
	}
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		const char *raw = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (raw == NULL || zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
			fail_line(r, "libzip cannot stat entry %" G_GINT64_FORMAT, i);
			continue;
		}
		if (st.size > ZIP_CHECK_MAX_ENTRY) {
			check_root_child(r, s, "ZIP entry", raw, st.size, NULL, 0);
			continue;
		}
		guint8 *buf = g_malloc(st.size + 1);
		zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		zip_int64_t got = zf != NULL ? zip_fread(zf, buf, st.size) : -1;
		if (zf != NULL)
			zip_fclose(zf);
		if (got < 0 || (zip_uint64_t)got != st.size)
			fail_line(r, "libzip cannot inflate entry '%s'", raw);
		else
			check_root_child(r, s, "ZIP entry", raw, st.size, buf, st.size);
		g_free(buf);
	}
	if ((zip_int64_t)root_children(s) != n)
		fail_line(r, "the root has %u children, the ZIP has %" G_GINT64_FORMAT " entries",
			  root_children(s), n);
	zip_close(za);
	zip_error_fini(&zerr);
}

/* Storages nested deeper than this are not followed by the check (the
 * samples have at most three levels). */
#define CFB_CHECK_MAX_DEPTH 16u

/* Checks every stream below dir (whose path is prefix, "" for the root)
 * against the root's children, named by their storage path joined with
 * "/" as the OLE2 handler names them; counts the streams in *nstreams. */
static void check_cfb_storage(report *r, const lure_scan *s, GsfInfile *dir, const char *prefix,
			      unsigned depth, unsigned *nstreams)
{
	int n = gsf_infile_num_children(dir);
	for (int i = 0; i < n; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		GsfInput *child = gsf_infile_child_by_index(dir, i);
		if (child == NULL || name == NULL) {
			fail_line(r, "libgsf cannot open child %d of '%s'", i, prefix);
			if (child != NULL)
				g_object_unref(child);
			continue;
		}
		char *path = prefix[0] != '\0' ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
		if (GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) >= 0) {
			if (depth >= CFB_CHECK_MAX_DEPTH)
				fail_line(r, "storage '%s': nested too deep for this check", path);
			else
				check_cfb_storage(r, s, GSF_INFILE(child), path, depth + 1, nstreams);
			g_free(path);
			g_object_unref(child);
			continue;
		}
		(*nstreams)++;
		gsf_off_t size = gsf_input_size(child);
		const guint8 *bytes = gsf_input_read(child, (size_t)size, NULL);
		if (size > 0 && bytes == NULL)
			fail_line(r, "libgsf cannot read stream '%s'", path);
		else
			check_root_child(r, s, "stream", path, (guint64)size,
					 size > 0 ? bytes : (const guint8 *)"", (gsize)size);
		g_free(path);
		g_object_unref(child);
	}
}

static void check_cfb_streams(report *r, const lure_scan *s, const guint8 *data, gsize len)
{
	GError *err = NULL;
	GsfInput *in = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
	GsfInfile *ole = gsf_infile_msole_new(in, &err);
	unsigned n = 0;

	if (ole == NULL) {
		fail_line(r, "libgsf cannot open it: %s", err != NULL ? err->message : "?");
		g_clear_error(&err);
		g_object_unref(in);
		return;
	}
	check_cfb_storage(r, s, ole, "", 0, &n);
	if (root_children(s) != n)
		fail_line(r, "the root has %u children, libgsf lists %u streams", root_children(s), n);
	g_object_unref(ole);
	g_object_unref(in);
}

/* ---- log messages leaking out of a scan ---- */

static GString *leaked_logs;

static void catch_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
		      gpointer user)
{
	(void)level;
	(void)user;
	if (leaked_logs != NULL)
		g_string_append_printf(leaked_logs, "%s%s: %s", leaked_logs->len > 0 ? " | " : "",
				       domain != NULL ? domain : "(no domain)", message);
}

/* Prints s line by line: cmocka's print_error() cuts long messages. */
static void print_lines(const char *s)
{
	char **lines = g_strsplit(s, "\n", -1);
	for (size_t i = 0; lines[i] != NULL; i++)
		if (lines[i][0] != '\0' || lines[i + 1] != NULL)
			print_error("%s\n", lines[i]);
	g_strfreev(lines);
}

/* ---- the test of one sample ---- */

static bool expects_finding(JsonObject *spec, const char *id)
{
	JsonArray *exp = jarr(spec, "findings");
	for (guint i = 0; exp != NULL && i < json_array_get_length(exp); i++) {
		JsonObject *e = jarr_obj(exp, i);
		if (e != NULL && jstr(e, "id") != NULL && strcmp(jstr(e, "id"), id) == 0)
			return true;
	}
	return false;
}

static void test_sample(void **state)
{
	const sample_case *sc = *state;
	JsonObject *spec = sc->spec;
	char *path = g_build_filename(LURE_SAMPLES_DIR, sc->file, NULL);
	gchar *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	report r = {g_string_new(NULL), 0};

	if (!g_file_get_contents(path, &data, &len, &err))
		fail_msg("%s: %s", sc->file, err->message);

	lure_scan *s = lure_scan_new(NULL, sc->file);
	leaked_logs = g_string_new(NULL);
	GLogFunc old = g_log_set_default_handler(catch_log, NULL);
	lure_error run = lure_scan_run(s, (const uint8_t *)data, len);
	g_log_set_default_handler(old, NULL);
	if (leaked_logs->len > 0)
		fail_line(&r, "log messages leaked out of the scan: %s", leaked_logs->str);
	g_string_free(leaked_logs, TRUE);
	leaked_logs = NULL;

	const char *want_verdict = jstr(spec, "verdict");
	const char *got_verdict = lure_verdict_name(lure_scan_verdict(s));
	if (want_verdict == NULL)
		fail_line(&r, "manifest: no \"verdict\"");
	else if (strcmp(want_verdict, got_verdict) != 0)
		fail_line(&r, "verdict: expected %s, got %s%s%s", want_verdict, got_verdict,
			  run != LURE_OK ? " (scan error: " : "",
			  run != LURE_OK ? "see below)" : "");

	lure_artifact *root = lure_scan_root(s);
	const char *want_kind = jstr(spec, "kind");
	if (want_kind != NULL && root != NULL && strcmp(want_kind, root->kind) != 0)
		fail_line(&r, "kind: expected %s, got %s", want_kind, root->kind);

	check_artifacts(&r, s, spec);
	check_counts(&r, s, spec);
	check_findings(&r, s, spec);
	check_iocs(&r, s, spec, "iocs", true);
	check_iocs(&r, s, spec, "iocs_absent", false);
	bool malformed = expects_finding(spec, "container.malformed");
	/* An OOXML name is checked as a ZIP unless the manifest says the file
	 * is something else (an encrypted .docx is a compound file). */
	if (is_ooxml_name(sc->file) &&
	    (want_kind == NULL || strcmp(want_kind, "ooxml") == 0 || strcmp(want_kind, "zip") == 0))
		check_zip_entries(&r, s, sc->file, malformed, (const guint8 *)data, len);
	if (want_kind != NULL && strcmp(want_kind, "ole2") == 0 && !malformed)
		check_cfb_streams(&r, s, (const guint8 *)data, len);
	note_yara(sc->file, spec);

	if (r.nfails > 0 || g_getenv("LURE_E2E_VERBOSE") != NULL) {
		GString *out = g_string_new(NULL);
		g_string_append_printf(out, "%s: %u mismatch%s\n%s", sc->file, r.nfails,
				       r.nfails == 1 ? "" : "es", r.fails->str);
		dump_actual(out, s, spec);
		print_lines(out->str);
		g_string_free(out, TRUE);
	}
	unsigned nfails = r.nfails;
	g_string_free(r.fails, TRUE);
	lure_scan_free(s);
	g_free(data);
	g_free(path);
	if (nfails > 0)
		fail_msg("%s does not match samples/" MANIFEST_FILE, sc->file);
}

/* ---- the manifest itself ---- */

static void test_manifest(void **state)
{
	(void)state;
	report r = {g_string_new(NULL), 0};
	GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
	JsonObject *top = json_node_get_object(json_parser_get_root(manifest_parser));

	for (guint i = 0; i < cases->len; i++) {
		const sample_case *sc = g_ptr_array_index(cases, i);
		char *what = g_strdup_printf("the entry of %s", sc->file);
		char *path = g_build_filename(LURE_SAMPLES_DIR, sc->file, NULL);
		check_keys(&r, what, sc->spec, lure_manifest_entry_keys);
		if (!g_hash_table_add(listed, (gpointer)sc->file))
			fail_line(&r, "%s is listed twice", sc->file);
		if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
			fail_line(&r, "%s is listed but not in samples/", sc->file);
		if (jstr(sc->spec, "verdict") == NULL)
			fail_line(&r, "%s has no verdict", sc->file);
		g_free(what);
		g_free(path);
	}
	GDir *dir = g_dir_open(LURE_SAMPLES_DIR, 0, NULL);
	assert_non_null(dir);
	const char *f;
	while ((f = g_dir_read_name(dir)) != NULL) {
		if (strcmp(f, MANIFEST_FILE) == 0 || strcmp(f, "README.md") == 0)
			continue;
		if (!g_hash_table_contains(listed, f))
			fail_line(&r, "samples/%s has no entry in " MANIFEST_FILE, f);
	}
	g_dir_close(dir);
	gint64 version = 0;
	if (!jint(top, "version", &version) || version != MANIFEST_VERSION)
		fail_line(&r, "manifest version is not %d", MANIFEST_VERSION);

	if (r.nfails > 0)
		print_lines(r.fails->str);
	unsigned nfails = r.nfails;
	g_string_free(r.fails, TRUE);
	g_hash_table_destroy(listed);
	if (nfails > 0)
		fail_msg("samples/" MANIFEST_FILE " has %u problem(s)", nfails);
}

/* Loads the manifest and builds one case per entry; false (with a message)
 * when it cannot be read at all. */
static bool load_manifest(void)
{
	char *path = g_build_filename(LURE_SAMPLES_DIR, MANIFEST_FILE, NULL);
	GError *err = NULL;
	bool ok = false;

	manifest_parser = json_parser_new();
	cases = g_ptr_array_new_with_free_func(g_free);
	if (!json_parser_load_from_file(manifest_parser, path, &err)) {
		fprintf(stderr, "%s: %s\n", path, err->message);
		g_clear_error(&err);
		goto out;
	}
	JsonNode *root = json_parser_get_root(manifest_parser);
	JsonArray *list = root != NULL && JSON_NODE_HOLDS_OBJECT(root)
		? jarr(json_node_get_object(root), "samples") : NULL;
	if (list == NULL) {
		fprintf(stderr, "%s: no \"samples\" array\n", path);
		goto out;
	}
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonObject *e = jarr_obj(list, i);
		if (e == NULL || jstr(e, "file") == NULL) {
			fprintf(stderr, "%s: samples[%u] has no \"file\"\n", path, i);
			goto out;
		}
		sample_case *sc = g_new0(sample_case, 1);
		sc->file = jstr(e, "file");
		sc->spec = e;
		g_ptr_array_add(cases, sc);
	}
	ok = true;
out:
	g_free(path);
	return ok;
}

int main(void)
{
	gsf_init();
	if (!load_manifest())
		return 1;

	guint n = cases->len + 1;
	struct CMUnitTest *tests = g_new0(struct CMUnitTest, n);
	tests[0].name = "manifest";
	tests[0].test_func = test_manifest;
	for (guint i = 0; i < cases->len; i++) {
		sample_case *sc = g_ptr_array_index(cases, i);
		tests[i + 1].name = sc->file;
		tests[i + 1].test_func = test_sample;
		tests[i + 1].initial_state = sc;
	}
	int failed = _cmocka_run_group_tests("samples", tests, n, NULL, NULL);

	g_free(tests);
	g_ptr_array_free(cases, TRUE);
	g_object_unref(manifest_parser);
	gsf_shutdown();
	return failed;
}
