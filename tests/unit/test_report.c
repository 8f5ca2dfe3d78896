/*
 * test_report.c - reports (JSON, text), IOCs, extraction and the CLI's
 * option parsers.
 *
 * The trees are built through the public API: a hook registered before the
 * extractor plays a format handler and adds hostile children to the root
 * while the driver runs, so the extraction hook sees them exactly as it
 * would see a real handler's children. Some tests then overwrite tree
 * strings with raw bytes, bypassing the core's escaping, to check that the
 * report does not depend on it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "cli/options.h"
#include "core/text.h"
#include "report/report.h"
#include "testutil.h"

/* Raw hostile names: path traversal, absolute paths, control bytes,
 * terminal escapes, invalid UTF-8, a bidi override, a 300-byte name. */
static const char *const hostile_names[] = {
	"../../x",
	"/etc/x",
	"a/../../x",
	"\x01Ole",
	"\x1b[2J\x1b]0;pwned\x07",
	"bad\xff\xfeutf8",
	"evil\xe2\x80\xaegpj.exe",
	"..",
	".",
	"",
	NULL, /* the 300-byte name, filled in by the hook */
};

#define LONG_NAME_LEN 300

/* A hook playing a format handler: on the root, adds one child per hostile
 * name (bytes charged first, as a handler must). */
static void add_hostile_children(lure_scan *scan, lure_artifact *a, void *user)
{
	(void)user;
	if (a->parent >= 0)
		return;
	char long_name[LONG_NAME_LEN + 1];
	memset(long_name, 'L', LONG_NAME_LEN);
	long_name[LONG_NAME_LEN] = '\0';
	for (size_t i = 0; i < G_N_ELEMENTS(hostile_names); i++) {
		const char *name = hostile_names[i] != NULL ? hostile_names[i] : long_name;
		char *payload = g_strdup_printf("payload %zu", i);
		size_t len = strlen(payload);
		assert_int_equal(lure_scan_charge(scan, a, name, len, len), LURE_OK);
		assert_int_equal(lure_scan_add_child(scan, a, name, (uint8_t *)payload, len, NULL),
				 LURE_OK);
	}
}

/* Adds children named after hostile_names[first..] in order, for tests that
 * need a given file name at a given id. */
static const char *const *plain_names;
static void add_plain_children(lure_scan *scan, lure_artifact *a, void *user)
{
	(void)user;
	if (a->parent >= 0)
		return;
	for (size_t i = 0; plain_names[i] != NULL; i++) {
		uint8_t *payload = (uint8_t *)g_strdup("new content");
		assert_int_equal(lure_scan_charge(scan, a, plain_names[i], 11, 11), LURE_OK);
		assert_int_equal(lure_scan_add_child(scan, a, plain_names[i], payload, 11, NULL),
				 LURE_OK);
	}
}

static const char root_bytes[] = "just some bytes, not a document";

static void sha_of(const void *data, size_t len, char out[65])
{
	char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	g_strlcpy(out, hex, 65);
	g_free(hex);
}

/* Runs a scan of root_bytes named root_name with the hostile children. */
static lure_scan *hostile_scan(const char *root_name)
{
	lure_scan *s = lure_scan_new(NULL, root_name);
	assert_int_equal(lure_scan_add_hook(s, add_hostile_children, NULL), LURE_OK);
	assert_int_equal(lure_scan_run(s, (const uint8_t *)root_bytes, sizeof root_bytes - 1),
			 LURE_OK);
	return s;
}

/* Adds findings of several severities, with hostile strings and IOCs. */
static void add_findings(lure_scan *s)
{
	lure_artifact *root = lure_scan_root(s);
	lure_artifact *child = lure_scan_artifact(s, 3);
	lure_finding *f;

	f = lure_finding_add(s, child, LURE_IND_OOXML_REMOTE_TEMPLATE, "template \x1b[31m%s",
			     "red\xff");
	lure_finding_detail(f, "target", "%s", "http://Evil.Example.com:8080/t.dotm?a=1");
	lure_finding_detail(f, "note\x1b", "%s", "\x1b]8;;http://x\x07link");
	f = lure_finding_add(s, root, LURE_IND_CONTAINER_MALFORMED, "broken");
	lure_finding_detail(f, "unc", "%s", "\\\\10.0.0.5\\share\\a.docx");
	lure_scan_limit_hit(s, root, LURE_LIMIT_DEPTH, "depth %u reached", 16u);
	lure_scan_add_relationship(s, child, "word/document.xml", "rId1",
				   "http://schemas.openxmlformats.org/.../attachedTemplate",
				   "mhtml:https://[2001:db8::1]/x.html!x-usc:http://user@host.example.org/",
				   "External");
	lure_scan_add_relationship(s, child, "", "rId2", "type", "http://internal.example/",
				   NULL);
	/* What the iocs analyser would record, hostile bytes included. */
	lure_scan_add_ioc(s, LURE_IOC_URL, "http://Evil.Example.com:8080/t.dotm?a=1");
	lure_scan_add_ioc(s, LURE_IOC_URL, "http://a\x1b[2J.example/\xff");
	lure_scan_add_ioc(s, LURE_IOC_DOMAIN, "evil.example.com");
	lure_scan_add_ioc(s, LURE_IOC_IP, "10.0.0.5");
	lure_scan_add_ioc(s, LURE_IOC_UNC, "\\\\10.0.0.5\\share\\a.docx");
	/* A YARA match as the rules hook records it. */
	lure_yara_match *m = lure_scan_add_yara_match(s, child, "Lure_\x1b[31mRule", "techniques");
	g_ptr_array_add(m->tags, g_strdup("romcom"));
	lure_yara_match_meta(m, "severity", "high");
	lure_yara_match_meta(m, "description", "bad\xff");
	lure_yara_string ys = {g_strdup("$a"), 12, 4};
	g_array_append_val(m->strings, ys);
}

/* Renders with fn into a string (g_free). */
static char *render(lure_error (*fn)(const lure_scan *, const lure_report_opts *, FILE *),
		    const lure_scan *s, const lure_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	assert_int_equal(fn(s, o, mem), LURE_OK);
	assert_int_equal(fclose(mem), 0);
	if (g_getenv("TEST_REPORT_DUMP") != NULL) /* for eyeballing */
		fputs(buf, stderr);
	return buf;
}

/* No byte of s is a control byte other than '\n', and s is valid UTF-8. */
static void assert_terminal_safe(const char *s)
{
	assert_true(g_utf8_validate(s, -1, NULL));
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p != '\n')
			assert_true(*p >= 0x20 && *p != 0x7f);
	/* No C1 controls or bidi overrides as characters either. */
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		assert_false(c >= 0x80 && c <= 0x9f);
		assert_false(c >= 0x202a && c <= 0x202e);
	}
}

/* ---- JSON ---- */

static JsonObject *parse_object(const char *text, JsonParser **parser)
{
	GError *err = NULL;
	*parser = json_parser_new();
	assert_true(json_parser_load_from_data(*parser, text, -1, &err));
	assert_null(err);
	JsonNode *root = json_parser_get_root(*parser);
	assert_non_null(root);
	assert_int_equal(JSON_NODE_TYPE(root), JSON_NODE_OBJECT);
	return json_node_get_object(root);
}

static void assert_member_type(JsonObject *o, const char *name, GType value_type)
{
	JsonNode *n = json_object_get_member(o, name);
	if (n == NULL)
		fail_msg("member %s missing", name);
	assert_int_equal(JSON_NODE_TYPE(n), JSON_NODE_VALUE);
	assert_true(json_node_get_value_type(n) == value_type);
}

static void assert_member_node(JsonObject *o, const char *name, JsonNodeType type)
{
	JsonNode *n = json_object_get_member(o, name);
	if (n == NULL)
		fail_msg("member %s missing", name);
	assert_int_equal(JSON_NODE_TYPE(n), type);
}

static bool array_has_string(JsonArray *a, const char *s)
{
	for (guint i = 0; i < json_array_get_length(a); i++)
		if (strcmp(json_array_get_string_element(a, i), s) == 0)
			return true;
	return false;
}

static void check_artifact_object(JsonObject *a)
{
	assert_member_type(a, "id", G_TYPE_INT64);
	if (json_object_get_int_member(a, "id") == 0)
		assert_true(json_object_get_null_member(a, "parent"));
	else
		assert_member_type(a, "parent", G_TYPE_INT64);
	assert_member_type(a, "name", G_TYPE_STRING);
	assert_member_type(a, "path", G_TYPE_STRING);
	assert_member_type(a, "kind", G_TYPE_STRING);
	assert_member_type(a, "size", G_TYPE_INT64);
	assert_member_type(a, "sha256", G_TYPE_STRING);
	assert_int_equal(strlen(json_object_get_string_member(a, "sha256")), 64);
	assert_member_type(a, "depth", G_TYPE_INT64);
	assert_member_node(a, "properties", JSON_NODE_OBJECT);
}

static void check_finding_object(JsonObject *f)
{
	static const char *const sev[] = {"info", "low", "medium", "high", "critical"};
	bool ok = false;

	assert_member_type(f, "id", G_TYPE_STRING);
	assert_member_type(f, "severity", G_TYPE_STRING);
	for (size_t i = 0; i < G_N_ELEMENTS(sev); i++)
		ok |= strcmp(json_object_get_string_member(f, "severity"), sev[i]) == 0;
	assert_true(ok);
	assert_member_type(f, "artifact", G_TYPE_INT64);
	assert_member_type(f, "message", G_TYPE_STRING);
	assert_member_node(f, "details", JSON_NODE_OBJECT);
}

static void check_shape(JsonObject *o)
{
	assert_member_type(o, "schema_version", G_TYPE_INT64);
	assert_int_equal(json_object_get_int_member(o, "schema_version"), 1);
	assert_member_type(o, "file", G_TYPE_STRING);
	assert_member_type(o, "verdict", G_TYPE_STRING);
	assert_member_node(o, "artifacts", JSON_NODE_ARRAY);
	assert_member_node(o, "findings", JSON_NODE_ARRAY);
	assert_member_node(o, "relationships", JSON_NODE_ARRAY);
	assert_member_node(o, "yara", JSON_NODE_ARRAY);
	assert_member_node(o, "iocs", JSON_NODE_OBJECT);
	JsonObject *iocs = json_object_get_object_member(o, "iocs");
	assert_member_node(iocs, "urls", JSON_NODE_ARRAY);
	assert_member_node(iocs, "ips", JSON_NODE_ARRAY);
	assert_member_node(iocs, "domains", JSON_NODE_ARRAY);
	assert_member_node(iocs, "unc_paths", JSON_NODE_ARRAY);
	assert_member_node(o, "limits_hit", JSON_NODE_ARRAY);
	assert_member_node(o, "errors", JSON_NODE_ARRAY);
	assert_member_type(o, "elapsed_ms", G_TYPE_INT64);

	JsonArray *arts = json_object_get_array_member(o, "artifacts");
	for (guint i = 0; i < json_array_get_length(arts); i++)
		check_artifact_object(json_array_get_object_element(arts, i));
	JsonArray *finds = json_object_get_array_member(o, "findings");
	for (guint i = 0; i < json_array_get_length(finds); i++)
		check_finding_object(json_array_get_object_element(finds, i));
	JsonArray *rels = json_object_get_array_member(o, "relationships");
	for (guint i = 0; i < json_array_get_length(rels); i++) {
		JsonObject *r = json_array_get_object_element(rels, i);
		assert_member_type(r, "artifact", G_TYPE_INT64);
		assert_member_type(r, "source_part", G_TYPE_STRING);
		assert_member_type(r, "id", G_TYPE_STRING);
		assert_member_type(r, "type", G_TYPE_STRING);
		assert_member_type(r, "target", G_TYPE_STRING);
		assert_member_type(r, "target_mode", G_TYPE_STRING);
	}
}

/* One line, ending in '\n', valid UTF-8 with no control byte. */
static void assert_one_json_line(const char *text)
{
	size_t len = strlen(text);
	assert_true(len > 2);
	assert_int_equal(text[len - 1], '\n');
	assert_null(memchr(text, '\n', len - 1));
	assert_terminal_safe(text);
}

static void test_json_hostile_names(void **state)
{
	(void)state;
	const char *raw_file = "in\x01put\x1b[0m\xff\xe2\x80\xae.docx";
	lure_scan *s = hostile_scan(raw_file);
	add_findings(s);
	lure_report_opts o = {.file = raw_file};
	JsonParser *p;

	char *text = render(lure_report_json_write, s, &o);
	assert_one_json_line(text);
	JsonObject *obj = parse_object(text, &p);
	check_shape(obj);

	char *want_file = lure_display_escape_str(raw_file);
	assert_string_equal(json_object_get_string_member(obj, "file"), want_file);
	g_free(want_file);
	assert_string_equal(json_object_get_string_member(obj, "verdict"), "malicious");
	assert_int_equal(json_object_get_int_member(obj, "size"), sizeof root_bytes - 1);
	char sha[65];
	sha_of(root_bytes, sizeof root_bytes - 1, sha);
	assert_string_equal(json_object_get_string_member(obj, "sha256"), sha);

	JsonArray *arts = json_object_get_array_member(obj, "artifacts");
	assert_int_equal(json_array_get_length(arts), 1 + G_N_ELEMENTS(hostile_names));
	JsonObject *a4 = json_array_get_object_element(arts, 4);
	assert_string_equal(json_object_get_string_member(a4, "name"), "\\x01Ole");
	assert_int_equal(json_object_get_int_member(a4, "parent"), 0);
	assert_int_equal(json_object_get_int_member(a4, "depth"), 1);

	JsonArray *limits = json_object_get_array_member(obj, "limits_hit");
	assert_true(array_has_string(limits, "depth"));
	JsonObject *iocs = json_object_get_object_member(obj, "iocs");
	JsonArray *urls = json_object_get_array_member(iocs, "urls");
	assert_true(array_has_string(urls, "http://Evil.Example.com:8080/t.dotm?a=1"));
	assert_true(array_has_string(urls, "http://a\\x1B[2J.example/\\xFF"));
	assert_true(array_has_string(json_object_get_array_member(iocs, "domains"),
				     "evil.example.com"));
	assert_true(array_has_string(json_object_get_array_member(iocs, "ips"), "10.0.0.5"));
	assert_true(array_has_string(json_object_get_array_member(iocs, "unc_paths"),
				     "\\\\10.0.0.5\\share\\a.docx"));

	JsonArray *yara = json_object_get_array_member(obj, "yara");
	assert_int_equal(json_array_get_length(yara), 1);
	JsonObject *y = json_array_get_object_element(yara, 0);
	assert_int_equal(json_object_get_int_member(y, "artifact"), 3);
	assert_string_equal(json_object_get_string_member(y, "rule"), "Lure_\\x1B[31mRule");
	assert_string_equal(json_object_get_string_member(y, "namespace"), "techniques");
	assert_true(array_has_string(json_object_get_array_member(y, "tags"), "romcom"));
	JsonObject *meta = json_object_get_object_member(y, "meta");
	assert_string_equal(json_object_get_string_member(meta, "severity"), "high");
	assert_string_equal(json_object_get_string_member(meta, "description"), "bad\\xFF");
	JsonObject *ys = json_array_get_object_element(json_object_get_array_member(y, "strings"), 0);
	assert_string_equal(json_object_get_string_member(ys, "id"), "$a");
	assert_int_equal(json_object_get_int_member(ys, "offset"), 12);
	assert_int_equal(json_object_get_int_member(ys, "length"), 4);

	g_object_unref(p);
	g_free(text);
	lure_scan_free(s);
}

/* Raw bytes put straight into the tree, past the core's escaping. */
static void poison_tree(lure_scan *s)
{
	lure_artifact *a = lure_scan_artifact(s, 2);
	g_free(a->name);
	a->name = g_strdup("\x1b]0;title\x07\xc3\x28\x7f");
	g_free(a->path);
	a->path = g_strdup("root > \x9b" "31m");
	lure_artifact_set_prop(a, "clsid", "x");
	lure_kv *kv = g_ptr_array_index(a->props, 0);
	g_free(kv->value);
	kv->value = g_strdup("\x01\x02\xff");
	lure_finding *f = g_ptr_array_index(s->findings, 0);
	g_free(f->message);
	f->message = g_strdup("msg\r\x1b[1A\x1b[2Koverwritten");
	g_ptr_array_add(s->errors, g_strdup("err\x1b[5m\xfe"));
	lure_relationship *r = g_ptr_array_index(s->relationships, 0);
	g_free(r->target);
	r->target = g_strdup("http://a\x1b.example/\xff");
	GPtrArray *urls = s->iocs[LURE_IOC_URL];
	g_free(urls->pdata[0]);
	urls->pdata[0] = g_strdup("http://\x1b[2Jx.example/\xc0");
	lure_yara_match *m = g_ptr_array_index(s->yara_matches, 0);
	g_free(m->rule);
	m->rule = g_strdup("\x1b]0;rule\x07");
	g_ptr_array_add(m->tags, g_strdup("\x9b\x01"));
}

static void test_json_raw_bytes_in_tree(void **state)
{
	(void)state;
	lure_scan *s = hostile_scan("x.doc");
	add_findings(s);
	poison_tree(s);
	JsonParser *p;

	char *text = render(lure_report_json_write, s, NULL);
	assert_one_json_line(text);
	JsonObject *obj = parse_object(text, &p);
	check_shape(obj);
	g_object_unref(p);
	g_free(text);
	lure_scan_free(s);
}

static void test_json_unreadable_input(void **state)
{
	(void)state;
	lure_scan *s = lure_scan_new(NULL, "missing.doc");
	lure_scan_set_error(s, LURE_E_IO, "cannot open: %s", "No such file or directory");
	lure_report_opts o = {.file = "missing.doc"};
	JsonParser *p;

	char *text = render(lure_report_json_write, s, &o);
	assert_one_json_line(text);
	JsonObject *obj = parse_object(text, &p);
	check_shape(obj);
	assert_string_equal(json_object_get_string_member(obj, "verdict"), "error");
	assert_true(json_object_get_null_member(obj, "sha256"));
	assert_true(json_object_get_null_member(obj, "size"));
	assert_int_equal(json_array_get_length(json_object_get_array_member(obj, "artifacts")), 0);
	JsonArray *errs = json_object_get_array_member(obj, "errors");
	assert_int_equal(json_array_get_length(errs), 1);
	assert_string_equal(json_array_get_string_element(errs, 0),
			    "cannot open: No such file or directory");
	g_object_unref(p);
	g_free(text);
	lure_scan_free(s);
}

static const char *verdict_with(int sev)
{
	static char out[32];
	lure_scan *s = tu_scan("abc", 3, NULL);
	if (sev >= 0) {
		lure_finding *f = lure_finding_add(s, lure_scan_root(s), LURE_IND_OLE_CLASS, "x");
		lure_finding_set_severity(f, (lure_severity)sev);
	}
	JsonNode *n = lure_report_json(s, NULL);
	g_strlcpy(out, json_object_get_string_member(json_node_get_object(n), "verdict"), sizeof out);
	json_node_unref(n);
	lure_scan_free(s);
	return out;
}

static void test_json_verdict_mapping(void **state)
{
	(void)state;
	assert_string_equal(verdict_with(-1), "clean");
	assert_string_equal(verdict_with(LURE_SEV_INFO), "clean");
	assert_string_equal(verdict_with(LURE_SEV_LOW), "clean");
	assert_string_equal(verdict_with(LURE_SEV_MEDIUM), "suspicious");
	assert_string_equal(verdict_with(LURE_SEV_HIGH), "malicious");
	assert_string_equal(verdict_with(LURE_SEV_CRITICAL), "malicious");
}

static void test_json_extracted_to(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("abc", 3, NULL);
	lure_report_opts o = {.extract_dir = "/x/y"};
	JsonNode *n = lure_report_json(s, &o);
	JsonObject *obj = json_node_get_object(n);
	assert_string_equal(json_object_get_string_member(obj, "extracted_to"), "/x/y");
	assert_string_equal(json_object_get_string_member(obj, "file"), "input");
	json_node_unref(n);
	n = lure_report_json(s, NULL);
	assert_false(json_object_has_member(json_node_get_object(n), "extracted_to"));
	json_node_unref(n);
	lure_scan_free(s);
}

/* ---- text ---- */

static void test_text_hostile_names(void **state)
{
	(void)state;
	const char *raw_file = "in\x01put\x1b[0m\xff\xe2\x80\xae.docx";
	lure_scan *s = hostile_scan(raw_file);
	add_findings(s);
	lure_report_opts o = {.file = raw_file};

	char *text = render(lure_report_text_write, s, &o);
	assert_terminal_safe(text);
	assert_non_null(strstr(text, "\\x01Ole [data] 9 B\n"));
	assert_non_null(strstr(text, "! high ooxml.remote_template: template \\x1B[31mred\\xFF\n"));
	assert_non_null(strstr(text, "target: http://Evil.Example.com:8080/t.dotm?a=1\n"));
	assert_non_null(strstr(text, "verdict: malicious (1 high, 2 medium)\n"));
	assert_non_null(strstr(text, "url: http://Evil.Example.com:8080/t.dotm?a=1\n"));
	g_free(text);

	poison_tree(s);
	text = render(lure_report_text_write, s, &o);
	assert_terminal_safe(text);
	g_free(text);

	o.quiet = true;
	text = render(lure_report_text_write, s, &o);
	assert_terminal_safe(text);
	assert_true(g_str_has_suffix(text, ": malicious (1 high, 2 medium)\n"));
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1); /* one line */
	g_free(text);
	lure_scan_free(s);
}

static void test_text_tree_order(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("root bytes", 10, NULL);
	lure_artifact *root = lure_scan_root(s), *a = NULL, *b = NULL, *a1 = NULL;
	/* Discovery order a, b, a1: the tree must still print a1 under a. */
	lure_scan_add_child(s, root, "a", (uint8_t *)g_strdup("aa"), 2, &a);
	lure_scan_add_child(s, root, "b", (uint8_t *)g_strdup("bbbb"), 4, &b);
	lure_scan_add_child(s, a, "a1", g_malloc0(2048), 2048, &a1);
	lure_finding_add(s, a1, LURE_IND_PE_EMBEDDED, "pe in a1");

	char *text = render(lure_report_text_write, s, NULL);
	assert_string_equal(text, "input [data] 10 B\n"
				  "  a [data] 2 B\n"
				  "    a1 [data] 2.0 KiB\n"
				  "      ! high pe.embedded: pe in a1\n"
				  "  b [data] 4 B\n"
				  "verdict: malicious (1 high)\n");
	g_free(text);
	lure_scan_free(s);
}

static void test_text_error_and_color(void **state)
{
	(void)state;
	lure_scan *s = lure_scan_new(NULL, "gone.doc");
	lure_scan_set_error(s, LURE_E_IO, "No such file or directory");
	char *text = render(lure_report_text_write, s, NULL);
	assert_string_equal(text, "gone.doc\n  error: No such file or directory\nverdict: error\n");
	g_free(text);

	lure_report_opts o = {.color = true};
	text = render(lure_report_text_write, s, &o);
	assert_non_null(strchr(text, '\x1b')); /* our own SGR only */
	g_free(text);
	lure_scan_free(s);
}

static void test_summary(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	char *sum = lure_report_summary(s);
	assert_string_equal(sum, "clean");
	g_free(sum);
	lure_artifact *root = lure_scan_root(s);
	lure_finding_add(s, root, LURE_IND_OLE_CLASS, "i");
	lure_finding_add(s, root, LURE_IND_OOXML_MSDT_TARGET, "c");
	lure_finding_add(s, root, LURE_IND_DDE_FIELD, "h");
	lure_finding_add(s, root, LURE_IND_PE_EMBEDDED, "h");
	lure_finding_add(s, root, LURE_IND_DOC_ENCRYPTED, "m");
	sum = lure_report_summary(s);
	assert_string_equal(sum, "malicious (1 critical, 2 high, 1 medium, 1 info)");
	g_free(sum);
	lure_scan_free(s);
}

static void test_defang(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"http://evil.com/a.b", "hxxp://evil[.]com/a.b"},
		{"HTTPS://a.b.c:443/x.y", "HXXPS://a.b[.]c:443/x.y"},
		{"ftp://1.2.3.4/f", "fxp://1.2.3[.]4/f"},
		{"http://192.0.2.1/x", "hxxp://192.0.2[.]1/x"},
		{"mhtml:http://a.b/x!y", "mhtml:hxxp://a[.]b/x!y"},
		{"see http://a.b/x and \\\\srv.corp\\share\\f.doc.",
		 "see hxxp://a[.]b/x and \\\\srv[.]corp\\share\\f.doc."},
		{"\\\\srv.corp\\share\\f.doc", "\\\\srv[.]corp\\share\\f.doc"},
		{"http://x.y\\x07link.z", "hxxp://x[.]y\\x07link.z"},
		{"word/document.xml", "word/document.xml"},
		{"xhttp://a.b", "xhttp://a.b"},
		{"hxxp://evil[.]com", "hxxp://evil[.]com"},
		{"", ""},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *d = lure_report_defang(cases[i].in);
		assert_string_equal(d, cases[i].out);
		g_free(d);
	}
	char *d = lure_report_defang(NULL);
	assert_string_equal(d, "");
	g_free(d);
}

static void test_text_defang(void **state)
{
	(void)state;
	lure_scan *s = hostile_scan("x");
	add_findings(s);
	lure_report_opts o = {.defang = true};
	char *text = render(lure_report_text_write, s, &o);
	assert_null(strstr(text, "http://"));
	/* the convention of issue 3: hxxp://192.0.2[.]1, the last dot of the host */
	assert_non_null(strstr(text, "hxxp://Evil.Example[.]com:8080/t.dotm?a=1"));
	assert_non_null(strstr(text, "domain: evil.example[.]com\n"));
	assert_non_null(strstr(text, "ip: 10.0.0[.]5\n"));
	assert_non_null(strstr(text, "unc: \\\\10.0.0[.]5\\share\\a.docx\n"));
	g_free(text);
	lure_scan_free(s);
}

/* ---- extraction ---- */

static void test_sanitise(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"../../x", "_._x"},
		{"/etc/x", "_etc_x"},
		{"a/../../x", "a_._._x"},
		{"\\x01Ole", "_x01Ole"},
		{"\x01Ole", "_Ole"},
		{"", "_"},
		{".", "_"},
		{"..", "_"},
		{"...", "_"},
		{".hidden", "hidden"},
		{"a..b", "a.b"},
		{"a....b.", "a.b."},
		{"C:\\Windows\\x.exe", "C__Windows_x.exe"},
		{"word/document.xml", "word_document.xml"},
		{"caf\xc3\xa9", "caf__"},
		{"ok-name_1.2", "ok-name_1.2"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *s = lure_extract_sanitise(cases[i].in);
		assert_string_equal(s, cases[i].out);
		g_free(s);
	}
	char *s = lure_extract_sanitise(NULL);
	assert_string_equal(s, "_");
	g_free(s);

	char long_name[301];
	memset(long_name, 'A', 300);
	long_name[300] = '\0';
	s = lure_extract_sanitise(long_name);
	assert_int_equal(strlen(s), LURE_EXTRACT_NAME_MAX);
	g_free(s);
	/* Dots past the cap cannot sneak a ".." in either. */
	memset(long_name, '.', 300);
	s = lure_extract_sanitise(long_name);
	assert_string_equal(s, "_");
	g_free(s);
}

/* Names in dir, sorted; g_ptr_array_unref. */
static GPtrArray *list_dir(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;
	assert_non_null(d);
	while ((n = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(n));
	g_dir_close(d);
	return names;
}

static bool path_exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		GPtrArray *names = list_dir(path);
		for (guint i = 0; i < names->len; i++) {
			char *child = g_build_filename(path, g_ptr_array_index(names, i), NULL);
			rm_rf(child);
			g_free(child);
		}
		g_ptr_array_unref(names);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static void test_extract_traversal(void **state)
{
	(void)state;
	char *base = g_dir_make_tmp("lure-extract-XXXXXX", NULL);
	assert_non_null(base);
	char *parent = g_path_get_dirname(base);
	char *dir = g_build_filename(base, "out", "nested", NULL); /* mkdir -p */
	bool etc_x_before = path_exists("/etc/x");
	char *sibling_x = g_build_filename(parent, "x", NULL);
	bool sibling_x_before = path_exists(sibling_x);
	char sha[65];
	lure_error err = LURE_E_IO;

	sha_of(root_bytes, sizeof root_bytes - 1, sha);
	lure_extractor *ex = lure_extractor_new(dir, sha, &err);
	assert_non_null(ex);
	assert_int_equal(err, LURE_OK);
	char *want_dir = g_build_filename(dir, sha, NULL);
	assert_string_equal(lure_extractor_dir(ex), want_dir);

	lure_scan *s = lure_scan_new(NULL, "../../evil/input.doc");
	lure_scan_add_hook(s, add_hostile_children, NULL);
	lure_scan_add_hook(s, lure_extract_hook, ex);
	assert_int_equal(lure_scan_run(s, (const uint8_t *)root_bytes, sizeof root_bytes - 1),
			 LURE_OK);
	char *msg = NULL;
	assert_int_equal(lure_extractor_finish(ex, s, &msg), LURE_OK);
	assert_null(msg);

	/* Everything is directly in DIR/<sha>, regular, 0600, named <id>-... */
	GPtrArray *names = list_dir(want_dir);
	assert_int_equal(names->len, s->artifacts->len + 1);
	for (guint i = 0; i < names->len; i++) {
		const char *n = g_ptr_array_index(names, i);
		char *p = g_build_filename(want_dir, n, NULL);
		struct stat st;
		assert_int_equal(lstat(p, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_mode & 07777, 0600);
		assert_true(strlen(n) <= 12 + LURE_EXTRACT_NAME_MAX);
		assert_true(n[0] != '.');
		assert_null(strstr(n, ".."));
		assert_int_equal(strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789._-"),
				 strlen(n));
		g_free(p);
	}
	/* Expected names, the root as the last component of its name. */
	char *p = g_build_filename(want_dir, "0-input.doc", NULL);
	assert_true(path_exists(p));
	g_free(p);
	p = g_build_filename(want_dir, "1-_._x", NULL);
	gchar *content = NULL;
	assert_true(g_file_get_contents(p, &content, NULL, NULL));
	assert_string_equal(content, "payload 0");
	g_free(content);
	g_free(p);
	g_ptr_array_unref(names);

	/* Nothing outside: base holds only out/, out/ only nested/, nested/
	 * only <sha>; no x next to base; /etc/x as it was. */
	names = list_dir(base);
	assert_int_equal(names->len, 1);
	g_ptr_array_unref(names);
	names = list_dir(dir);
	assert_int_equal(names->len, 1);
	assert_string_equal(g_ptr_array_index(names, 0), sha);
	g_ptr_array_unref(names);
	assert_int_equal(path_exists("/etc/x"), etc_x_before);
	assert_int_equal(path_exists(sibling_x), sibling_x_before);

	/* The manifest lists every artifact with its file. */
	char *mpath = g_build_filename(want_dir, "manifest.json", NULL);
	JsonParser *jp = json_parser_new();
	assert_true(json_parser_load_from_file(jp, mpath, NULL));
	JsonObject *m = json_node_get_object(json_parser_get_root(jp));
	assert_string_equal(json_object_get_string_member(m, "sha256"), sha);
	assert_string_equal(json_object_get_string_member(m, "input"), "../../evil/input.doc");
	JsonArray *arts = json_object_get_array_member(m, "artifacts");
	assert_int_equal(json_array_get_length(arts), s->artifacts->len);
	for (guint i = 0; i < json_array_get_length(arts); i++) {
		JsonObject *a = json_array_get_object_element(arts, i);
		const char *file = json_object_get_string_member(a, "file");
		assert_non_null(file);
		char *fp = g_build_filename(want_dir, file, NULL);
		assert_true(path_exists(fp));
		g_free(fp);
		assert_true(json_object_has_member(a, "parent"));
		assert_true(json_object_has_member(a, "kind"));
		assert_true(json_object_has_member(a, "sha256"));
	}
	g_object_unref(jp);
	g_free(mpath);

	lure_scan_free(s);
	rm_rf(base);
	g_free(want_dir);
	g_free(sibling_x);
	g_free(dir);
	g_free(parent);
	g_free(base);
}

static void test_extract_planted_symlink(void **state)
{
	(void)state;
	static const char *const names[] = {"victim", "dangling", NULL};
	char *base = g_dir_make_tmp("lure-extract-XXXXXX", NULL);
	char *dir = g_build_filename(base, "out", NULL);
	char *victim = g_build_filename(base, "victim.txt", NULL);
	char *dangling_target = g_build_filename(base, "created-through-link", NULL);
	char sha[65];
	lure_error err;

	assert_true(g_file_set_contents(victim, "original", -1, NULL));
	sha_of(root_bytes, sizeof root_bytes - 1, sha);
	lure_extractor *ex = lure_extractor_new(dir, sha, &err);
	assert_non_null(ex);

	/* An attacker who can write in DIR/<sha> plants links named like the
	 * files about to be written. */
	char *link1 = g_build_filename(lure_extractor_dir(ex), "1-victim", NULL);
	char *link2 = g_build_filename(lure_extractor_dir(ex), "2-dangling", NULL);
	assert_int_equal(symlink(victim, link1), 0);
	assert_int_equal(symlink(dangling_target, link2), 0);

	plain_names = names;
	lure_scan *s = lure_scan_new(NULL, "input.doc");
	lure_scan_add_hook(s, add_plain_children, NULL);
	lure_scan_add_hook(s, lure_extract_hook, ex);
	lure_scan_run(s, (const uint8_t *)root_bytes, sizeof root_bytes - 1);
	char *msg = NULL;
	assert_int_equal(lure_extractor_finish(ex, s, &msg), LURE_E_EXISTS);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "1-victim"));
	g_free(msg);

	/* Not followed: the victim is intact, nothing created through the
	 * dangling link, the links are still links. */
	gchar *content = NULL;
	assert_true(g_file_get_contents(victim, &content, NULL, NULL));
	assert_string_equal(content, "original");
	g_free(content);
	assert_false(path_exists(dangling_target));
	struct stat st;
	assert_int_equal(lstat(link1, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	lure_scan_free(s);
	rm_rf(base);
	g_free(link1);
	g_free(link2);
	g_free(victim);
	g_free(dangling_target);
	g_free(dir);
	g_free(base);
}

static void test_extract_existing_dir(void **state)
{
	(void)state;
	char *base = g_dir_make_tmp("lure-extract-XXXXXX", NULL);
	char *elsewhere = g_build_filename(base, "elsewhere", NULL);
	char sha[65];
	lure_error err;

	sha_of("abc", 3, sha);
	/* DIR/<sha> planted as a symlink to another directory. */
	char *planted = g_build_filename(base, sha, NULL);
	assert_int_equal(g_mkdir(elsewhere, 0700), 0);
	assert_int_equal(symlink(elsewhere, planted), 0);

	lure_extractor *ex = lure_extractor_new(base, sha, &err);
	assert_non_null(ex);
	char *want = g_strdup_printf("%s.1", planted);
	assert_string_equal(lure_extractor_dir(ex), want);
	lure_extractor *ex2 = lure_extractor_new(base, sha, &err);
	assert_non_null(ex2);
	char *want2 = g_strdup_printf("%s.2", planted);
	assert_string_equal(lure_extractor_dir(ex2), want2);
	assert_int_equal(lure_extractor_finish(ex, NULL, NULL), LURE_OK);
	assert_int_equal(lure_extractor_finish(ex2, NULL, NULL), LURE_OK);
	assert_int_equal(lure_extractor_finish(NULL, NULL, NULL), LURE_OK);
	GPtrArray *names = list_dir(elsewhere);
	assert_int_equal(names->len, 0);
	g_ptr_array_unref(names);

	assert_null(lure_extractor_new(base, "not-a-sha", &err));
	assert_int_equal(err, LURE_E_INVALID_ARG);

	/* DIR is a file: a clear error, not a crash. */
	char *file = g_build_filename(base, "file", NULL);
	assert_true(g_file_set_contents(file, "x", 1, NULL));
	assert_null(lure_extractor_new(file, sha, &err));
	assert_int_equal(err, LURE_E_IO);

	rm_rf(base);
	g_free(file);
	g_free(want);
	g_free(want2);
	g_free(planted);
	g_free(elsewhere);
	g_free(base);
}

/* ---- CLI option parsers ---- */

static void test_parse_size(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		uint64_t out;
	} good[] = {
		{"0", 0},
		{"4096", 4096},
		{"64K", 65536},
		{"64k", 65536},
		{"100M", 100ull << 20},
		{"1G", 1ull << 30},
		{"16T", 16ull << 40},
		{"18446744073709551615", UINT64_MAX},
	};
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1KB", "K", "1.5M", "0x10", "1e3",
		"18446744073709551616", "17179869184G", "99999999999999999999",
	};
	uint64_t v;
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		assert_true(lure_cli_parse_size("--max-total-size", good[i].in, &v, NULL));
		assert_true(v == good[i].out);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *err = NULL;
		assert_false(lure_cli_parse_size("--max-total-size", bad[i], &v, &err));
		assert_non_null(err);
		assert_non_null(strstr(err->message, "--max-total-size"));
		g_error_free(err);
	}
}

static void test_parse_seconds_and_counts(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		unsigned ms;
	} good[] = {
		{"30", 30000}, {"1.5", 1500}, {".25", 250}, {"0", 0}, {"0.0001", 1},
		{"1.0000", 1000}, {"2.0011", 2002}, {"4294967.295", 4294967295u},
	};
	static const char *const bad[] = {
		"", ".", "1.", "-1", "+1", "1e3", "inf", "nan", "1,5", "4294967.296", "5000000",
	};
	unsigned ms;
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		assert_true(lure_cli_parse_seconds("--timeout", good[i].in, &ms, NULL));
		assert_int_equal(ms, good[i].ms);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *err = NULL;
		assert_false(lure_cli_parse_seconds("--timeout", bad[i], &ms, &err));
		assert_non_null(err);
		g_error_free(err);
	}
	uint64_t v;
	assert_true(lure_cli_parse_count("-j", "8", 256, &v, NULL));
	assert_true(v == 8);
	assert_false(lure_cli_parse_count("-j", "257", 256, &v, NULL));
	assert_false(lure_cli_parse_count("-j", "8x", 256, &v, NULL));
	assert_false(lure_cli_parse_count("-j", "-8", 256, &v, NULL));
}

static void test_parse_scan_argv(void **state)
{
	(void)state;
	char *argv[] = {"scan", "--json", "-j", "4", "--max-depth=3", "--rules", "a.yar",
			"--rules", "b", "--fail-on", "malicious", "--timeout", "2.5",
			"--max-input-size", "1M", "-r", "--extract", "out", "file1", "-", NULL};
	lure_cli_opts o;
	GError *err = NULL;

	lure_cli_opts_init(&o);
	assert_true(lure_cli_parse_scan(G_N_ELEMENTS(argv) - 1, argv, &o, &err));
	assert_true(o.json && o.recursive && !o.quiet && !o.defang);
	assert_int_equal(o.jobs, 4);
	assert_int_equal(o.limits.max_depth, 3);
	assert_int_equal(o.limits.timeout_ms, 2500);
	assert_true(o.limits.max_input_size == 1u << 20);
	assert_int_equal(o.limits.max_artifacts, LURE_DEFAULT_MAX_ARTIFACTS);
	assert_int_equal(o.fail_on, LURE_VERDICT_MALICIOUS);
	assert_string_equal(o.extract_dir, "out");
	assert_int_equal(g_strv_length(o.rules), 2);
	assert_int_equal(g_strv_length(o.inputs), 2);
	assert_string_equal(o.inputs[0], "file1");
	assert_string_equal(o.inputs[1], "-");
	lure_cli_opts_clear(&o);

	char *bad[] = {"scan", "--max-depth", "-1", "f", NULL};
	lure_cli_opts_init(&o);
	assert_false(lure_cli_parse_scan(4, bad, &o, &err));
	assert_non_null(err);
	g_clear_error(&err);
	lure_cli_opts_clear(&o);

	char *none[] = {"scan", "--json", NULL};
	lure_cli_opts_init(&o);
	assert_false(lure_cli_parse_scan(2, none, &o, &err));
	assert_non_null(strstr(err->message, "no input"));
	g_clear_error(&err);
	lure_cli_opts_clear(&o);

	char *glued[] = {"scan", "-j8", "--", "-j9", NULL};
	lure_cli_opts_init(&o);
	assert_true(lure_cli_parse_scan(4, glued, &o, &err));
	assert_int_equal(o.jobs, 8);
	assert_string_equal(o.inputs[0], "-j9"); /* after "--": a file name */
	lure_cli_opts_clear(&o);

	char *help[] = {"scan", "-h", NULL};
	lure_cli_opts_init(&o);
	assert_true(lure_cli_parse_scan(2, help, &o, &err));
	assert_true(o.help);
	lure_cli_opts_clear(&o);

	char *text = lure_cli_scan_help();
	assert_non_null(strstr(text, "--max-artifact-size"));
	g_free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_hostile_names),
		cmocka_unit_test(test_json_raw_bytes_in_tree),
		cmocka_unit_test(test_json_unreadable_input),
		cmocka_unit_test(test_json_verdict_mapping),
		cmocka_unit_test(test_json_extracted_to),
		cmocka_unit_test(test_text_hostile_names),
		cmocka_unit_test(test_text_tree_order),
		cmocka_unit_test(test_text_error_and_color),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_defang),
		cmocka_unit_test(test_text_defang),
		cmocka_unit_test(test_sanitise),
		cmocka_unit_test(test_extract_traversal),
		cmocka_unit_test(test_extract_planted_symlink),
		cmocka_unit_test(test_extract_existing_dir),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_seconds_and_counts),
		cmocka_unit_test(test_parse_scan_argv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
