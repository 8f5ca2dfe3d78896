/*
 * test_core.c - unit tests for the core: cursor, errors, limits, the
 * indicator catalogue, display escaping, XML sniffing and the scan driver.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>

#include "core/cursor.h"
#include "core/error.h"
#include "core/handler.h"
#include "core/indicators.h"
#include "core/limits.h"
#include "core/text.h"
#include "core/xml.h"
#include "testutil.h"

/* ---- cursor ---- */

static void test_cursor_reads(void **state)
{
	static const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
				       0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
	lure_cursor c;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	(void)state;

	lure_cursor_init(&c, data, sizeof(data));
	assert_int_equal(lure_cursor_u8(&c, &u8), LURE_OK);
	assert_int_equal(u8, 0x01);
	assert_int_equal(lure_cursor_u16le(&c, &u16), LURE_OK);
	assert_int_equal(u16, 0x0302);
	assert_int_equal(lure_cursor_u32le(&c, &u32), LURE_OK);
	assert_int_equal(u32, 0x07060504);
	assert_int_equal(lure_cursor_u64le(&c, &u64), LURE_OK);
	assert_true(u64 == 0x0f0e0d0c0b0a0908ULL);
	assert_int_equal(lure_cursor_remaining(&c), 0);
}

static void test_cursor_truncation_keeps_offset(void **state)
{
	static const uint8_t data[] = {1, 2, 3};
	lure_cursor c;
	uint32_t u32;
	const uint8_t *p;
	(void)state;

	lure_cursor_init(&c, data, sizeof(data));
	assert_int_equal(lure_cursor_skip(&c, 1), LURE_OK);
	assert_int_equal(lure_cursor_u32le(&c, &u32), LURE_E_TRUNCATED);
	assert_int_equal(c.off, 1);
	assert_int_equal(lure_cursor_bytes(&c, SIZE_MAX, &p), LURE_E_TRUNCATED);
	assert_int_equal(lure_cursor_skip(&c, SIZE_MAX - 0), LURE_E_TRUNCATED);
	assert_int_equal(lure_cursor_seek(&c, 4), LURE_E_TRUNCATED);
	assert_int_equal(lure_cursor_seek(&c, 3), LURE_OK);
	assert_int_equal(lure_cursor_remaining(&c), 0);
	assert_true(lure_cursor_fits(&c, 0));
	assert_false(lure_cursor_fits(&c, 1));
}

static void test_range_fits_overflow(void **state)
{
	(void)state;
	assert_true(lure_range_fits(10, 0, 10));
	assert_true(lure_range_fits(10, 10, 0));
	assert_false(lure_range_fits(10, 11, 0));
	assert_false(lure_range_fits(10, 1, 10));
	assert_false(lure_range_fits(10, SIZE_MAX, 2));
	assert_false(lure_range_fits(10, 2, SIZE_MAX));
	assert_false(lure_range_fits(SIZE_MAX, SIZE_MAX, 1));
}

static void test_cursor_null_data(void **state)
{
	lure_cursor c;
	uint8_t b;
	(void)state;
	lure_cursor_init(&c, NULL, 100);
	assert_int_equal(c.len, 0);
	assert_int_equal(lure_cursor_u8(&c, &b), LURE_E_TRUNCATED);
	assert_false(lure_cursor_peek_eq(&c, "a", 1));
}

/* ---- errors ---- */

static void test_every_error_has_a_message(void **state)
{
	(void)state;
	for (int e = 0; e < LURE_E__COUNT; e++) {
		const char *m = lure_strerror((lure_error)e);
		assert_non_null(m);
		assert_string_not_equal(m, "unknown error");
		for (int o = 0; o < e; o++)
			assert_string_not_equal(m, lure_strerror((lure_error)o));
	}
	assert_string_equal(lure_strerror(LURE_E__COUNT), "unknown error");
	assert_string_equal(lure_strerror((lure_error)-1), "unknown error");
}

/* ---- limits ---- */

static void test_limit_defaults(void **state)
{
	lure_limits l;
	(void)state;
	lure_limits_default(&l);
	assert_int_equal(l.max_depth, 16);
	assert_int_equal(l.max_artifacts, 10000);
	assert_true(l.max_artifact_size == 100ull * 1024 * 1024);
	assert_true(l.max_total_size == 400ull * 1024 * 1024);
	assert_int_equal(l.max_ratio, 200);
	assert_true(l.ratio_floor == 1024 * 1024);
	assert_int_equal(l.timeout_ms, 30000);
	assert_int_equal(l.rtf_group_depth, 1000);
}

/* ---- indicators ---- */

static char *read_doc(const char *name)
{
	char *dir = g_path_get_dirname(LURE_SAMPLES_DIR);
	char *path = g_build_filename(dir, "doc", name, NULL);
	char *text = NULL;
	g_file_get_contents(path, &text, NULL, NULL);
	g_free(dir);
	g_free(path);
	return text;
}

static void test_indicator_catalogue(void **state)
{
	char *doc = read_doc("indicators.md");
	(void)state;
	assert_non_null(doc);
	for (int i = 0; i < LURE_IND__COUNT; i++) {
		const lure_indicator_info *info = lure_indicator_get((lure_indicator)i);
		assert_non_null(info->id);
		assert_non_null(info->summary);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(info->id, lure_indicator_get((lure_indicator)j)->id);
		char *needle = g_strdup_printf("`%s`", info->id);
		if (strstr(doc, needle) == NULL)
			fail_msg("indicator %s is not documented in doc/indicators.md", info->id);
		g_free(needle);
	}
	g_free(doc);
}

static void test_severity_names(void **state)
{
	(void)state;
	for (int s = LURE_SEV_INFO; s <= LURE_SEV_CRITICAL; s++)
		assert_int_equal(lure_severity_parse(lure_severity_name((lure_severity)s)), s);
	assert_int_equal(lure_severity_parse("severe"), -1);
	assert_int_equal(lure_severity_parse(NULL), -1);
}

/* ---- display escaping ---- */

static void check_escape(const char *raw, size_t len, const char *want)
{
	char *got = lure_display_escape(raw, len);
	assert_string_equal(got, want);
	assert_true(g_utf8_validate(got, -1, NULL));
	g_free(got);
}

static void test_display_escape(void **state)
{
	(void)state;
	check_escape("\x01Ole", 4, "\\x01Ole");
	check_escape("a\x1b[31mred", 9, "a\\x1B[31mred");
	check_escape("bad\xff\xfe", 5, "bad\\xFF\\xFE");
	check_escape("caf\xc3\xa9", 5, "caf\xc3\xa9");
	check_escape("x\xe2\x80\xaetxt.exe", 11, "x\\u{202E}txt.exe");
	check_escape("c1\xc2\x9b", 4, "c1\\u{009B}");
	check_escape("nul\0in", 6, "nul\\x00in");
	check_escape("\xe2\x82", 2, "\\xE2\\x82"); /* truncated sequence */
	char *e = lure_display_escape_str(NULL);
	assert_string_equal(e, "");
	g_free(e);
}

static void test_find_ci(void **state)
{
	(void)state;
	assert_int_equal(lure_find_ci("xxMIME-Version: 1.0", 19, "mime-version:"), 2);
	assert_int_equal(lure_find_ci("<HtMl>", 6, "<html"), 0);
	assert_int_equal(lure_find_ci("<htm", 4, "<html"), -1);
	assert_int_equal(lure_find_ci("abc", 3, ""), 0);
	assert_int_equal(lure_find_ci("a\0b<script", 10, "<SCRIPT"), 3);
	assert_int_equal(lure_find_ci("\xc0\xe0", 2, "\xe0"), 1); /* non-ASCII: exact */
}

/* ---- XML sniffing ---- */

static void sniff(const char *xml, const char *want)
{
	char root[64];
	bool ok = lure_xml_sniff_root((const uint8_t *)xml, strlen(xml), root, sizeof(root));
	if (want == NULL) {
		assert_false(ok);
		return;
	}
	assert_true(ok);
	assert_string_equal(root, want);
}

static void test_xml_sniff_root(void **state)
{
	(void)state;
	sniff("<?xml version=\"1.0\"?>\r\n<Relationships xmlns=\"x\">", "Relationships");
	sniff("\xef\xbb\xbf<!-- c --><w:document xmlns:w=\"x\">", "document");
	sniff("<!DOCTYPE a [<!ENTITY x \"y\">]><Types/>", "Types");
	sniff("plain text", NULL);
	{
		static const uint8_t u16[] = {0xFF, 0xFE, '<', 0, 'T', 0, 'y', 0, 'p', 0, 'e', 0,
					      's', 0, '>', 0};
		char root[16];
		assert_true(lure_xml_sniff_root(u16, sizeof(u16), root, sizeof(root)));
		assert_string_equal(root, "Types");
	}
	sniff("<?xml never closed", NULL);
	sniff("<", NULL);
	sniff("", NULL);
}

/* ---- the driver ---- */

static void test_scan_plain_data_is_clean(void **state)
{
	static const char text[] = "just some text, no container";
	(void)state;
	lure_scan *s = tu_scan(text, sizeof(text) - 1, NULL);
	assert_int_equal(s->artifacts->len, 1);
	lure_artifact *root = lure_scan_root(s);
	assert_string_equal(root->kind, "data");
	assert_int_equal(root->size, sizeof(text) - 1);
	assert_int_equal(root->depth, 0);
	assert_int_equal(root->parent, -1);
	assert_null(root->data); /* released after the scan */
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	assert_string_equal(lure_verdict_name(lure_scan_verdict(s)), "clean");
	lure_scan_free(s);
}

static void test_scan_sha256(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("abc", 3, NULL);
	assert_string_equal(lure_scan_root(s)->sha256,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	lure_scan_free(s);
}

static void test_scan_empty_input(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("", 0, NULL);
	assert_int_equal(s->artifacts->len, 1);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	lure_scan_free(s);
}

static void test_verdict_from_severity(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	lure_artifact *root = lure_scan_root(s);
	lure_finding *f = lure_finding_add(s, root, LURE_IND_OLE_CLASS, "info only");
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	lure_finding_set_severity(f, LURE_SEV_MEDIUM);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_SUSPICIOUS);
	lure_finding_set_severity(f, LURE_SEV_CRITICAL);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	lure_scan_set_error(s, LURE_E_IO, "cannot read");
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_ERROR);
	assert_int_equal(s->errors->len, 1);
	lure_scan_free(s);
}

static void test_finding_details_are_escaped(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	lure_finding *f = lure_finding_add(s, lure_scan_root(s), LURE_IND_DDE_FIELD,
					   "cmd \x1b[2J here");
	lure_finding_detail(f, "command", "%s", "a\x07" "b");
	assert_string_equal(f->message, "cmd \\x1B[2J here");
	assert_string_equal(lure_finding_get_detail(f, "command"), "a\\x07b");
	assert_null(lure_finding_get_detail(f, "missing"));
	assert_string_equal(f->id, "dde.field");
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	lure_scan_free(s);
}

static void test_charge_limits(void **state)
{
	lure_limits l;
	(void)state;
	lure_limits_default(&l);
	l.max_artifact_size = 100;
	l.max_total_size = 150;
	lure_scan *s = tu_scan("x", 1, &l);
	lure_artifact *root = lure_scan_root(s);

	assert_int_equal(lure_scan_charge(s, root, "a", 101, 101), LURE_E_LIMIT);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifact_size"));
	assert_int_equal(lure_scan_charge(s, root, "b", 100, 100), LURE_OK);
	assert_int_equal(lure_scan_charge(s, root, "c", 51, 51), LURE_E_LIMIT);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "total_size"));
	assert_int_equal(lure_scan_charge(s, root, "d", 50, 50), LURE_OK);
	assert_int_equal(lure_scan_charge(s, root, "e", UINT64_MAX, 1), LURE_E_LIMIT);
	assert_int_equal(s->limits_hit->len, 2); /* unique names */
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_SUSPICIOUS);
	lure_scan_free(s);
}

static void test_add_child_artifact_limit(void **state)
{
	lure_limits l;
	(void)state;
	lure_limits_default(&l);
	l.max_artifacts = 3;
	lure_scan *s = tu_scan("x", 1, &l);
	lure_artifact *root = lure_scan_root(s), *c = NULL;

	assert_int_equal(lure_scan_add_child(s, root, "one", (uint8_t *)g_strdup("1"), 1, &c), LURE_OK);
	assert_non_null(c);
	assert_string_equal(c->path, "input > one");
	assert_int_equal(c->depth, 1);
	assert_int_equal(c->parent, 0);
	assert_int_equal(lure_scan_add_child(s, c, "\x01Ole", (uint8_t *)g_strdup("2"), 1, &c), LURE_OK);
	assert_string_equal(c->path, "input > one > \\x01Ole");
	assert_int_equal(lure_scan_add_child(s, root, "three", (uint8_t *)g_strdup("3"), 1, &c),
			 LURE_E_LIMIT);
	assert_null(c);
	assert_int_equal(lure_scan_add_child(s, root, "four", (uint8_t *)g_strdup("4"), 1, NULL),
			 LURE_E_LIMIT);
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	assert_non_null(lure_scan_find_child(s, 0, "one"));
	assert_null(lure_scan_find_child(s, 0, "three"));
	lure_scan_free(s);
}

static void test_timeout(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	assert_false(lure_scan_expired(s));
	s->deadline_us = 1; /* long past */
	assert_true(lure_scan_expired(s));
	assert_true(lure_scan_expired(s));
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "timeout"));
	assert_int_equal(lure_scan_add_child(s, lure_scan_root(s), "late", (uint8_t *)g_strdup("x"), 1, NULL),
			 LURE_E_TIMEOUT);
	lure_scan_free(s);
}

static void test_props_and_relationships(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	lure_artifact *root = lure_scan_root(s);
	lure_artifact_set_prop(root, "clsid", "{A}");
	lure_artifact_set_prop(root, "clsid", "{B}");
	assert_string_equal(lure_artifact_get_prop(root, "clsid"), "{B}");
	assert_int_equal(root->props->len, 1);
	assert_null(lure_artifact_get_prop(root, "nope"));
	lure_relationship *r = lure_scan_add_relationship(s, root, "word/document.xml", "rId1",
							  "t", "http://192.0.2.1/", NULL);
	assert_string_equal(r->target_mode, "Internal");
	assert_int_equal(s->relationships->len, 1);
	lure_scan_free(s);
}

static void test_xml_doctype_entities_never_expand(void **state)
{
	static const char rels[] =
		"<?xml version=\"1.0\"?>"
		"<!DOCTYPE r [<!ENTITY a \"evil.example\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"r1\" Type=\"t\" Target=\"http://&b;/x\" TargetMode=\"External\"/>"
		"<Relationship Id=\"r2\" Type=\"t\" Target=\"plain\"/>"
		"</Relationships>";
	(void)state;
	lure_scan *s = tu_scan(rels, sizeof(rels) - 1, NULL);
	assert_string_equal(lure_scan_root(s)->kind, "rels");
	assert_int_equal(tu_count_findings(s, "xml.doctype"), 1);
	for (guint i = 0; i < s->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(s->relationships, i);
		assert_null(strstr(r->target, "evil"));
	}
	lure_scan_free(s);
}

static void test_pe_probe(void **state)
{
	uint8_t pe[0x100] = {'M', 'Z'};
	(void)state;
	pe[0x3C] = 0x80;
	memcpy(pe + 0x80, "PE\0\0", 4);
	const lure_handler *h = lure_handler_pick(pe, sizeof(pe));
	assert_non_null(h);
	assert_string_equal(h->kind, "pe");
	pe[0x3C] = 0xFE; /* e_lfanew past the end */
	h = lure_handler_pick(pe, sizeof(pe));
	assert_true(h == NULL || strcmp(h->kind, "pe") != 0);
	assert_null(lure_handler_pick((const uint8_t *)"MZ", 2));
}

static void test_html_mht_probes(void **state)
{
	static const char html[] = "\r\n<!doctype HTML><html><body>x</body></html>";
	static const char mht[] = "MIME-Version: 1.0\r\nContent-Type: multipart/related; "
				  "boundary=\"b\"\r\n\r\n--b\r\n";
	(void)state;
	const lure_handler *h = lure_handler_pick((const uint8_t *)html, sizeof(html) - 1);
	assert_non_null(h);
	assert_string_equal(h->kind, "html");
	h = lure_handler_pick((const uint8_t *)mht, sizeof(mht) - 1);
	assert_non_null(h);
	assert_string_equal(h->kind, "mht");
	h = lure_handler_pick((const uint8_t *)"<w:document/>", 13);
	assert_non_null(h);
	assert_string_equal(h->kind, "xml");
}

static void test_rtf_probe(void **state)
{
	(void)state;
	const lure_handler *h = lure_handler_pick((const uint8_t *)"{\\rtx1 odd", 10);
	assert_non_null(h);
	assert_string_equal(h->kind, "rtf");
	assert_null(lure_handler_pick((const uint8_t *)"{\\r", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_reads),
		cmocka_unit_test(test_cursor_truncation_keeps_offset),
		cmocka_unit_test(test_range_fits_overflow),
		cmocka_unit_test(test_cursor_null_data),
		cmocka_unit_test(test_every_error_has_a_message),
		cmocka_unit_test(test_limit_defaults),
		cmocka_unit_test(test_indicator_catalogue),
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_display_escape),
		cmocka_unit_test(test_find_ci),
		cmocka_unit_test(test_xml_sniff_root),
		cmocka_unit_test(test_scan_plain_data_is_clean),
		cmocka_unit_test(test_scan_sha256),
		cmocka_unit_test(test_scan_empty_input),
		cmocka_unit_test(test_verdict_from_severity),
		cmocka_unit_test(test_finding_details_are_escaped),
		cmocka_unit_test(test_charge_limits),
		cmocka_unit_test(test_add_child_artifact_limit),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_props_and_relationships),
		cmocka_unit_test(test_xml_doctype_entities_never_expand),
		cmocka_unit_test(test_pe_probe),
		cmocka_unit_test(test_rtf_probe),
		cmocka_unit_test(test_html_mht_probes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
