/*
 * test_opc.c - unit tests for the OPC handlers (src/formats/opc.c):
 * relationships parts, the content types stream, generic XML, and the part
 * name helpers of opc.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib.h>
#include <zip.h>

#include "core/handler.h"
#include "core/scan.h"
#include "core/text.h"
#include "formats/opc.h"
#include "testutil.h"

extern const lure_handler lure_handler_rels;
extern const lure_handler lure_handler_content_types;
extern const lure_handler lure_handler_xml;

#if defined(__SANITIZE_ADDRESS__)
#define TO_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TO_SANITIZED 1
#endif
#endif
#ifndef TO_SANITIZED
#define TO_SANITIZED 0
#endif

#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_TYPES "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL_DOC "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
#define REL_TEMPLATE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
#define REL_LINK "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

typedef tu_part part;

/* Prints the tree, findings and relationships when TZ_DUMP is set. */
static void dump(const lure_scan *s)
{
	if (g_getenv("TZ_DUMP") == NULL)
		return;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		fprintf(stderr, "  [%u] %s kind=%s\n", a->id, a->path, a->kind);
		for (guint k = 0; k < a->props->len; k++) {
			const lure_kv *kv = g_ptr_array_index(a->props, k);
			fprintf(stderr, "      %s = %s\n", kv->key, kv->value);
		}
	}
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		fprintf(stderr, "  ! %s on %u: %s\n", f->id, f->artifact, f->message);
	}
	for (guint i = 0; i < s->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(s->relationships, i);
		fprintf(stderr, "  rel %s %s -> %s (%s)\n", r->source_part, r->id, r->target,
			r->target_mode);
	}
}

static lure_scan *scan_package(const part *p, size_t n)
{
	size_t len;
	uint8_t *z = tu_zip_parts(p, n, &len);
	lure_scan *s = tu_scan(z, len, NULL);
	g_free(z);
	dump(s);
	return s;
}

static lure_scan *scan_text(const char *xml)
{
	lure_scan *s = tu_scan(xml, strlen(xml), NULL);
	dump(s);
	return s;
}

/* The relationship with this Id, or NULL. */
static const lure_relationship *find_rel(const lure_scan *s, const char *source,
					 const char *id)
{
	for (guint i = 0; i < s->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(s->relationships, i);
		if (strcmp(r->source_part, source) == 0 && strcmp(r->id, id) == 0)
			return r;
	}
	return NULL;
}

/* ---- helpers of opc.h ---- */

static void check_source(const char *rels, const char *want)
{
	char *got = lure_opc_source_part(rels);
	if (want == NULL) {
		if (got != NULL)
			fail_msg("source of '%s': want NULL, got '%s'", rels != NULL ? rels : "(null)", got);
	} else {
		if (got == NULL)
			fail_msg("source of '%s': want '%s', got NULL", rels, want);
		assert_string_equal(got, want);
	}
	g_free(got);
}

static void test_source_part(void **state)
{
	(void)state;
	check_source("word/_rels/document.xml.rels", "word/document.xml");
	check_source("_rels/.rels", "");
	check_source("/_rels/.rels", "");
	check_source("_RELS/.RELS", "");
	check_source("word/_RELS/Document.XML.Rels", "word/Document.XML");
	check_source("a/b/_rels/c.xml.rels", "a/b/c.xml");
	check_source("_rels/item.xml.rels", "item.xml");
	check_source("word/_rels/.rels", NULL);      /* belongs to no part */
	check_source("document.xml.rels", NULL);     /* no _rels folder */
	check_source("word/rels/document.xml.rels", NULL);
	check_source("word/x_rels/document.xml.rels", NULL);
	check_source("word/_rels/document.xml", NULL);
	check_source("word/_rels/rels", NULL);
	check_source("", NULL);
	check_source(NULL, NULL);
}

static void check_resolve(const char *source, const char *target, const char *want)
{
	char *got = lure_opc_resolve_target(source, target);
	if (want == NULL) {
		if (got != NULL)
			fail_msg("'%s' from '%s': want NULL, got '%s'", target != NULL ? target : "(null)",
				 source != NULL ? source : "(null)", got);
	} else {
		if (got == NULL)
			fail_msg("'%s' from '%s': want '%s', got NULL", target, source, want);
		assert_string_equal(got, want);
	}
	g_free(got);
}

static void test_resolve_target(void **state)
{
	(void)state;
	/* Relative to the source part's folder. */
	check_resolve("word/document.xml", "media/image1.png", "word/media/image1.png");
	check_resolve("word/document.xml", "styles.xml", "word/styles.xml");
	check_resolve("word/document.xml", "./a/./b//c.xml", "word/a/b/c.xml");
	check_resolve("word/document.xml", "../customXml/item1.xml", "customXml/item1.xml");
	check_resolve("ppt/slides/slide1.xml", "../media/image2.png", "ppt/media/image2.png");
	/* ".." never climbs above the package root. */
	check_resolve("word/document.xml", "../../../../etc/passwd", "etc/passwd");
	check_resolve("word/document.xml", "..", "");
	/* From the package root. */
	check_resolve("", "word/document.xml", "word/document.xml");
	check_resolve("", "/word/document.xml", "word/document.xml");
	check_resolve(NULL, "docProps/core.xml", "docProps/core.xml");
	check_resolve("word/document.xml", "/word/styles.xml", "word/styles.xml");
	check_resolve("word/document.xml", "/", "");
	check_resolve("/word/document.xml", "x.xml", "word/x.xml");
	check_resolve("word\\sub\\document.xml", "x.xml", "word/sub/x.xml");
	/* Backslashes, fragments, queries, percent-encoding. */
	check_resolve("word/document.xml", "embeddings\\oleObject1.bin",
		      "word/embeddings/oleObject1.bin");
	check_resolve("word/document.xml", "afchunk.mht#section", "word/afchunk.mht");
	check_resolve("word/document.xml", "a.xml?x=1", "word/a.xml");
	check_resolve("word/document.xml", "my%20file.xml", "word/my%20file.xml");
	check_resolve("word/document.xml", "%2e%2e/x.xml", "word/%2e%2e/x.xml");
	check_resolve("word/document.xml", "media/a:b.png", "word/media/a:b.png");
	/* Not part references. */
	check_resolve("word/document.xml", "http://evil.example/t.dotm", NULL);
	check_resolve("word/document.xml", "mhtml:http://x/!x.htm", NULL);
	check_resolve("word/document.xml", "file:///C:/x.dotm", NULL);
	check_resolve("word/document.xml", "C:\\templates\\x.dotm", NULL);
	check_resolve("word/document.xml", "\\\\host\\share\\x.dotm", NULL);
	check_resolve("word/document.xml", "//host/share/x.dotm", NULL);
	check_resolve("word/document.xml", NULL, NULL);
}

/* ---- probes ---- */

static void test_probes(void **state)
{
	static const char rels[] = "<?xml version=\"1.0\"?><Relationships xmlns=\"" NS_RELS "\"/>";
	static const char types[] = "\xEF\xBB\xBF<Types xmlns=\"" NS_TYPES "\"></Types>";
	static const char prefixed[] = "<pr:Relationships xmlns:pr=\"" NS_RELS "\"/>";
	static const char other[] = "<!-- hi --><w:document xmlns:w=\"x\"/>";
	static const char text[] = "just some text";
	const uint8_t *r = (const uint8_t *)rels, *t = (const uint8_t *)types;
	const uint8_t *p = (const uint8_t *)prefixed, *o = (const uint8_t *)other;
	(void)state;

	assert_int_equal(lure_handler_rels.probe(r, strlen(rels)), LURE_BID_STRONG);
	assert_int_equal(lure_handler_rels.probe(p, strlen(prefixed)), LURE_BID_STRONG);
	assert_int_equal(lure_handler_rels.probe(t, strlen(types)), 0);
	assert_int_equal(lure_handler_content_types.probe(t, strlen(types)), LURE_BID_STRONG);
	assert_int_equal(lure_handler_content_types.probe(r, strlen(rels)), 0);
	assert_int_equal(lure_handler_xml.probe(o, strlen(other)), LURE_BID_WEAK);
	assert_int_equal(lure_handler_xml.probe((const uint8_t *)text, strlen(text)), 0);
	assert_int_equal(lure_handler_rels.probe((const uint8_t *)text, 0), 0);

	lure_scan *s = scan_text(other);
	assert_string_equal(lure_scan_root(s)->kind, "xml");
	assert_int_equal(s->findings->len, 0);
	lure_scan_free(s);
	s = scan_text(rels);
	assert_string_equal(lure_scan_root(s)->kind, "rels");
	lure_scan_free(s);
	s = scan_text(types);
	assert_string_equal(lure_scan_root(s)->kind, "content_types");
	lure_scan_free(s);
}

/* ---- relationships ---- */

static const char ct_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"" NS_TYPES "\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"PNG\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/WORD/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char pkg_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"" NS_RELS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_DOC "\" Target=\"word/document.xml\"/>"
	"</Relationships>";

static const char doc_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"" NS_RELS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_TEMPLATE "\" "
	"Target=\"http://evil.example/t.dotm\" TargetMode=\"External\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_LINK "\" Target=\"media/image1.png\"/>"
	"</Relationships>";

static void test_rels_in_package(void **state)
{
	part p[] = {
		{"[Content_Types].xml", ct_xml},
		{"_rels/.rels", pkg_rels},
		{"word/document.xml", "<w:document xmlns:w=\"x\"/>"},
		{"word/_rels/document.xml.rels", doc_rels},
	};
	(void)state;

	lure_scan *s = scan_package(p, G_N_ELEMENTS(p));
	assert_string_equal(lure_scan_root(s)->kind, "ooxml");
	assert_int_equal(s->relationships->len, 3);

	const lure_relationship *r = find_rel(s, "", "rId1");
	assert_non_null(r);
	assert_string_equal(r->type, REL_DOC);
	assert_string_equal(r->target, "word/document.xml");
	assert_string_equal(r->target_mode, "Internal");

	r = find_rel(s, "word/document.xml", "rId1");
	assert_non_null(r);
	assert_string_equal(r->type, REL_TEMPLATE);
	assert_string_equal(r->target, "http://evil.example/t.dotm");
	assert_string_equal(r->target_mode, "External");
	const lure_artifact *ra = lure_scan_artifact(s, r->artifact);
	assert_string_equal(ra->name, "word/_rels/document.xml.rels");
	assert_string_equal(ra->kind, "rels");
	assert_string_equal(lure_artifact_get_prop(ra, "relationships"), "2");
	assert_string_equal(lure_artifact_get_prop(ra, "source_part"), "word/document.xml");

	r = find_rel(s, "word/document.xml", "rId2");
	assert_non_null(r);
	assert_string_equal(r->target_mode, "Internal");

	const lure_artifact *pr = tu_find_artifact(s, "_rels/.rels");
	assert_string_equal(lure_artifact_get_prop(pr, "relationships"), "1");
	/* Judging them is the relationship analyser's work; nothing here is
	 * damaged. */
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	assert_int_equal(tu_count_findings(s, "xml.doctype"), 0);
	lure_scan_free(s);
}

static void test_rels_orphan(void **state)
{
	part p[] = {{"word/stray.rels", doc_rels}};
	(void)state;

	lure_scan *s = scan_package(p, 1);
	const lure_artifact *a = tu_find_artifact(s, "word/stray.rels");
	assert_string_equal(a->kind, "rels");
	assert_string_equal(lure_artifact_get_prop(a, "orphan"), "true");
	assert_int_equal(s->relationships->len, 2);
	assert_string_equal(((lure_relationship *)g_ptr_array_index(s->relationships, 0))->source_part,
			    "");
	lure_scan_free(s);
}

static void test_rels_missing_attributes(void **state)
{
	static const char xml[] =
		"<Relationships xmlns=\"" NS_RELS "\">"
		"<Relationship Id=\"rId1\" Type=\"t\"/>"                      /* no Target */
		"<Relationship Id=\"rId2\" Target=\"x.xml\"/>"               /* no Type */
		"<Relationship Type=\"t\" Target=\"http://x\" TargetMode=\"External\"/>" /* no Id */
		"</Relationships>";
	(void)state;

	lure_scan *s = scan_text(xml);
	assert_int_equal(s->relationships->len, 2);
	const lure_relationship *r = find_rel(s, "", "rId2");
	assert_non_null(r);
	assert_string_equal(r->type, "");
	r = find_rel(s, "", "");
	assert_non_null(r);
	assert_string_equal(r->target, "http://x");
	assert_string_equal(r->target_mode, "External");
	assert_int_equal(tu_count_findings(s, "container.malformed"), 1);
	assert_non_null(tu_find_finding(s, "container.malformed", "attribute", "Target"));
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "relationships"), "2");
	lure_scan_free(s);
}

static void test_rels_malformed(void **state)
{
	GString *xml = g_string_new("<Relationships xmlns=\"" NS_RELS "\">");
	(void)state;

	/* Enough relationships before the damage for the reader to hand
	 * them over before it meets it. */
	for (unsigned i = 1; i <= 200; i++)
		g_string_append_printf(xml, "<Relationship Id=\"rId%u\" Type=\"t\" "
				       "Target=\"part%u.xml\"/>\n", i, i);
	g_string_append(xml, "<broken attr=>");
	lure_scan *s = scan_text(xml->str);
	g_string_free(xml, TRUE);
	assert_string_equal(lure_scan_root(s)->kind, "rels");
	assert_non_null(find_rel(s, "", "rId1"));
	assert_true(s->relationships->len > 0 && s->relationships->len <= 200);
	assert_int_equal(tu_count_findings(s, "container.malformed"), 1);
	assert_int_equal(s->fatal, LURE_OK);
	lure_scan_free(s);
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_rels_billion_laughs(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE Relationships [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<Relationships xmlns=\"" NS_RELS "\">"
		"<Relationship Id=\"rId1\" Type=\"t\" Target=\"&lol9;\"/>"
		"<Relationship Id=\"rId3\" Type=\"t\" Target=\"plain.xml\"/>"
		"&lol9;"
		"</Relationships>";
	gint64 t0 = g_get_monotonic_time();
	long rss0 = peak_rss_kib();
	(void)state;

	lure_scan *s = scan_text(xml);
	assert_true(g_get_monotonic_time() - t0 < 2 * G_USEC_PER_SEC);
	if (!TO_SANITIZED)
		assert_true(peak_rss_kib() - rss0 < 32 * 1024);
	assert_string_equal(lure_scan_root(s)->kind, "rels");
	assert_int_equal(tu_count_findings(s, "xml.doctype"), 1);
	/* Nothing was expanded: no target holds the laughs or the file. */
	for (guint i = 0; i < s->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(s->relationships, i);
		assert_true(strlen(r->target) < 64);
		assert_null(strstr(r->target, "lollol"));
	}
	lure_scan_free(s);
}

static void test_rels_external_entity(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE Relationships [\n"
		" <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
		" <!ENTITY remote SYSTEM \"http://127.0.0.1:9/x.dtd\">\n"
		"]>\n"
		"<Relationships xmlns=\"" NS_RELS "\">"
		"<Relationship Id=\"rId1\" Type=\"t\" Target=\"a.xml\"/>"
		"&xxe;&remote;"
		"<Relationship Id=\"rId2\" Type=\"t\" Target=\"b.xml\"/>"
		"</Relationships>";
	(void)state;

	lure_scan *s = scan_text(xml);
	assert_int_equal(tu_count_findings(s, "xml.doctype"), 1);
	assert_int_equal(s->relationships->len, 2);
	assert_non_null(find_rel(s, "", "rId2"));
	for (guint i = 0; i < s->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(s->relationships, i);
		assert_null(strstr(r->target, "root:"));
	}
	lure_scan_free(s);
}

/* ---- content types ---- */

static void test_content_types(void **state)
{
	part p[] = {
		{"[Content_Types].xml", ct_xml},
		{"_rels/.rels", pkg_rels},
		{"word/document.xml", "<w:document xmlns:w=\"x\"/>"},
		{"word/media/a.Png", "not really a png"},
		{"docProps/app.xml", "<Properties/>"},
		{"word/vbaProject.bin", "no type for bin"},
		{"README", "no extension"},
	};
	(void)state;

	lure_scan *s = scan_package(p, G_N_ELEMENTS(p));
	const lure_artifact *ct = tu_find_artifact(s, "[Content_Types].xml");
	assert_string_equal(ct->kind, "content_types");
	assert_string_equal(lure_artifact_get_prop(ct, "default:rels"),
			    "application/vnd.openxmlformats-package.relationships+xml");
	assert_string_equal(lure_artifact_get_prop(ct, "default:PNG"), "image/png");
	assert_string_equal(lure_artifact_get_prop(ct, "override:/WORD/document.xml"),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
	assert_string_equal(lure_artifact_get_prop(ct, "defaults"), "3");
	assert_string_equal(lure_artifact_get_prop(ct, "overrides"), "2");
	assert_null(lure_artifact_get_prop(ct, "content_type"));

	/* Override, matched case-insensitively, wins over Default "xml". */
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "word/document.xml"),
						   "content_type"),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "docProps/app.xml"),
						   "content_type"),
			    "application/vnd.openxmlformats-officedocument.extended-properties+xml");
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "_rels/.rels"),
						   "content_type"),
			    "application/vnd.openxmlformats-package.relationships+xml");
	/* Default by extension, case-insensitively. */
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "word/media/a.Png"),
						   "content_type"), "image/png");
	assert_null(lure_artifact_get_prop(tu_find_artifact(s, "word/vbaProject.bin"),
					   "content_type"));
	assert_null(lure_artifact_get_prop(tu_find_artifact(s, "README"), "content_type"));
	assert_int_equal(s->findings->len, 0);
	lure_scan_free(s);
}

static void test_content_types_damaged(void **state)
{
	static const char xml[] =
		"<Types xmlns=\"" NS_TYPES "\">"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		"<Default Extension=\"XML\" ContentType=\"text/evil\"/>"
		"<Override ContentType=\"no/partname\"/>"
		"<Override PartName=\"/a.xml\" ContentType=\"a/a\"/>"
		"<Override PartName=\"/A.xml\" ContentType=\"b/b\"/>"
		"<Default Extension=\"bin\"/>"
		"</Types>";
	part p[] = {{"[Content_Types].xml", xml}, {"a.XML", "<a/>"}, {"b.xml", "<b/>"}};
	(void)state;

	lure_scan *s = scan_package(p, G_N_ELEMENTS(p));
	/* One finding per kind of damage; the first mapping wins. */
	assert_int_equal(tu_count_findings(s, "container.malformed"), 2);
	assert_non_null(tu_find_finding(s, "container.malformed", "attribute", "PartName"));
	assert_non_null(tu_find_finding(s, "container.malformed", "default", "XML"));
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "a.XML"), "content_type"),
			    "a/a");
	assert_string_equal(lure_artifact_get_prop(tu_find_artifact(s, "b.xml"), "content_type"),
			    "application/xml");
	lure_scan_free(s);
}

static void test_content_types_hostile_names(void **state)
{
	static const char xml[] =
		"<Types xmlns=\"" NS_TYPES "\">"
		"<Override PartName=\"/x&#x9b;31m&#x202e;lmx.exe\" ContentType=\"evil&#x85;\"/>"
		"</Types>";
	(void)state;

	lure_scan *s = scan_text(xml);
	const lure_artifact *root = lure_scan_root(s);
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	/* C1 controls and bidi overrides never reach keys or values raw. */
	for (guint i = 0; i < root->props->len; i++) {
		const lure_kv *kv = g_ptr_array_index(root->props, i);
		assert_null(strstr(kv->key, "\xc2\x9b"));
		assert_null(strstr(kv->key, "\xe2\x80\xae"));
		assert_null(strstr(kv->value, "\xc2\x85"));
	}
	char *key = lure_display_escape_str("override:/x\xc2\x9b" "31m\xe2\x80\xaelmx.exe");
	assert_non_null(lure_artifact_get_prop(root, key));
	g_free(key);
	lure_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rels_billion_laughs),
		cmocka_unit_test(test_rels_external_entity),
		cmocka_unit_test(test_source_part),
		cmocka_unit_test(test_resolve_target),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_rels_in_package),
		cmocka_unit_test(test_rels_orphan),
		cmocka_unit_test(test_rels_missing_attributes),
		cmocka_unit_test(test_rels_malformed),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_content_types_damaged),
		cmocka_unit_test(test_content_types_hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
