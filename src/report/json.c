/*
 * json.c - the JSON report; the contract is doc/json.md.
 *
 * One object per input, built with json-glib's JsonBuilder and serialised on
 * one line by JsonGenerator: never by hand, so quoting is json-glib's job.
 * Our job is that every string handed to it is valid UTF-8 without control
 * bytes. The tree's strings already are (the core escapes them when they are
 * stored), but the report does not rely on it: every string goes through
 * lure_display_escape_str() again, which leaves a safe string unchanged.
 *
 * The shape never depends on the verdict: an input that could not be read
 * has the same members, with verdict "error", null sha256 and size, and
 * errors[] filled.
 *
 * YARA matches and IOCs are the scan's own records (the rules hook and the
 * iocs analyser fill them); the report only writes them out.
 */
#include <string.h>
#include "core/text.h"
#include "report/report.h"

/* Adds a string value that is valid UTF-8 without control bytes whatever s
 * holds; NULL becomes null. */
static void add_string(JsonBuilder *b, const char *s)
{
	if (s == NULL) {
		json_builder_add_null_value(b);
		return;
	}
	char *safe = lure_display_escape_str(s);
	json_builder_add_string_value(b, safe);
	g_free(safe);
}

static void member_string(JsonBuilder *b, const char *name, const char *s)
{
	json_builder_set_member_name(b, name);
	add_string(b, s);
}

static void member_int(JsonBuilder *b, const char *name, uint64_t v)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, v > G_MAXINT64 ? G_MAXINT64 : (gint64)v);
}

/* An object of key/value strings; keys are escaped like values. Later
 * duplicates of a key replace nothing: the first one wins, as in
 * lure_finding_get_detail(). */
static void member_kv_object(JsonBuilder *b, const char *name, const GPtrArray *kvs)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	json_builder_set_member_name(b, name);
	json_builder_begin_object(b);
	for (guint i = 0; kvs != NULL && i < kvs->len; i++) {
		const lure_kv *kv = g_ptr_array_index(kvs, i);
		char *key = lure_display_escape_str(kv->key);
		if (g_hash_table_contains(seen, key)) {
			g_free(key);
			continue;
		}
		json_builder_set_member_name(b, key);
		add_string(b, kv->value);
		g_hash_table_add(seen, key);
	}
	json_builder_end_object(b);
	g_hash_table_destroy(seen);
}

static void member_string_array(JsonBuilder *b, const char *name, const GPtrArray *items)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; items != NULL && i < items->len; i++)
		add_string(b, g_ptr_array_index(items, i));
	json_builder_end_array(b);
}

static void add_artifacts(JsonBuilder *b, const lure_scan *scan)
{
	json_builder_set_member_name(b, "artifacts");
	json_builder_begin_array(b);
	for (guint i = 0; i < scan->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		json_builder_begin_object(b);
		member_int(b, "id", a->id);
		json_builder_set_member_name(b, "parent");
		if (a->parent < 0)
			json_builder_add_null_value(b);
		else
			json_builder_add_int_value(b, a->parent);
		member_string(b, "name", a->name);
		member_string(b, "path", a->path);
		member_string(b, "kind", a->kind != NULL ? a->kind : "data");
		member_int(b, "size", a->size);
		member_string(b, "sha256", a->sha256);
		member_int(b, "depth", a->depth);
		member_kv_object(b, "properties", a->props);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void add_findings(JsonBuilder *b, const lure_scan *scan)
{
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		json_builder_begin_object(b);
		member_string(b, "id", f->id);
		member_string(b, "severity", lure_severity_name(f->severity));
		member_int(b, "artifact", f->artifact);
		member_string(b, "message", f->message);
		member_kv_object(b, "details", f->details);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void add_relationships(JsonBuilder *b, const lure_scan *scan)
{
	json_builder_set_member_name(b, "relationships");
	json_builder_begin_array(b);
	for (guint i = 0; i < scan->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(scan->relationships, i);
		json_builder_begin_object(b);
		member_int(b, "artifact", r->artifact);
		member_string(b, "source_part", r->source_part);
		member_string(b, "id", r->id);
		member_string(b, "type", r->type);
		member_string(b, "target", r->target);
		member_string(b, "target_mode", r->target_mode);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void add_iocs(JsonBuilder *b, const lure_scan *scan)
{
	json_builder_set_member_name(b, "iocs");
	json_builder_begin_object(b);
	for (int t = 0; t < LURE_IOC__COUNT; t++)
		member_string_array(b, lure_ioc_type_name((lure_ioc_type)t), scan->iocs[t]);
	json_builder_end_object(b);
}

static void add_yara_strings(JsonBuilder *b, const GArray *strings)
{
	json_builder_set_member_name(b, "strings");
	json_builder_begin_array(b);
	for (guint i = 0; strings != NULL && i < strings->len; i++) {
		const lure_yara_string *ys = &g_array_index(strings, lure_yara_string, i);
		json_builder_begin_object(b);
		member_string(b, "id", ys->id);
		member_int(b, "offset", ys->offset);
		member_int(b, "length", ys->length);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void add_yara(JsonBuilder *b, const lure_scan *scan)
{
	json_builder_set_member_name(b, "yara");
	json_builder_begin_array(b);
	for (guint i = 0; scan->yara_matches != NULL && i < scan->yara_matches->len; i++) {
		const lure_yara_match *m = g_ptr_array_index(scan->yara_matches, i);
		json_builder_begin_object(b);
		member_int(b, "artifact", m->artifact);
		member_string(b, "rule", m->rule);
		member_string(b, "namespace", m->ns);
		member_string_array(b, "tags", m->tags);
		member_kv_object(b, "meta", m->meta);
		add_yara_strings(b, m->strings);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

JsonNode *lure_report_json(const lure_scan *scan, const lure_report_opts *opts)
{
	const lure_artifact *root = lure_scan_root(scan);
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	member_int(b, "schema_version", LURE_JSON_SCHEMA_VERSION);
	/* The name as the user typed it; scan->root_name is already escaped. */
	member_string(b, "file", opts != NULL && opts->file != NULL ? opts->file : scan->root_name);
	if (root != NULL) {
		member_string(b, "sha256", root->sha256);
		member_int(b, "size", root->size);
	} else {
		member_string(b, "sha256", NULL);
		json_builder_set_member_name(b, "size");
		json_builder_add_null_value(b);
	}
	member_string(b, "verdict", lure_verdict_name(lure_scan_verdict(scan)));
	add_artifacts(b, scan);
	add_findings(b, scan);
	add_relationships(b, scan);
	add_yara(b, scan);
	add_iocs(b, scan);
	member_string_array(b, "limits_hit", scan->limits_hit);
	member_string_array(b, "errors", scan->errors);
	member_int(b, "elapsed_ms", scan->elapsed_ms > 0 ? (uint64_t)scan->elapsed_ms : 0);
	if (opts != NULL && opts->extract_dir != NULL)
		member_string(b, "extracted_to", opts->extract_dir);
	json_builder_end_object(b);

	JsonNode *node = json_builder_get_root(b);
	g_object_unref(b);
	return node;
}

char *lure_report_json_text(JsonNode *node, bool pretty, gsize *len)
{
	JsonGenerator *gen = json_generator_new();

	json_generator_set_pretty(gen, pretty);
	json_generator_set_root(gen, node);
	char *text = json_generator_to_data(gen, len);
	g_object_unref(gen);
	return text;
}

lure_error lure_report_json_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out)
{
	JsonNode *node = lure_report_json(scan, opts);
	gsize len = 0;
	char *text = lure_report_json_text(node, false, &len);
	json_node_unref(node);

	lure_error err = LURE_OK;
	if (fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF)
		err = LURE_E_IO;
	g_free(text);
	return err;
}
