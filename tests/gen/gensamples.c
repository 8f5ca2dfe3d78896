/*
 * gensamples.c - writes lurescan's synthetic sample set, byte for byte
 * reproducibly.
 *
 *   gensamples OUTDIR [FILE...]
 *
 * writes every sample of the table at the end of this file (or only the named
 * ones) into OUTDIR. samples/ in the source tree is the output of
 * `tests/gen/gensamples samples/`; tests/e2e/reproducible.sh regenerates it
 * and compares, and samples/expected.json says what the scanner must report
 * for each file (see samples/README.md).
 *
 * The samples are synthetic and defanged: no real payloads, nothing
 * executable, and only documentation addresses (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, *.example, .invalid).
 *
 * How the bytes stay the same across runs and machines:
 *   - ZIP: libzip over an in-memory source; every entry gets the DOS time
 *     1980-01-01 00:00 (what Office writes), host "MS-DOS" with zero
 *     external attributes, and an explicit deflate level, in a fixed order.
 *     The deflated bytes come from zlib: a different deflate implementation
 *     (zlib-ng) would give different, equally valid, bytes.
 *   - CFB: libgsf's MS-OLE writer (GsfOutfileMSOle) over a GsfOutputMemory.
 *     It writes no timestamps and takes the CLSIDs we give it.
 *   - Content: fixed strings and a fixed-seed xorshift filler; no clock, no
 *     randomness, no host names.
 *
 * Adding a sample: write one `static GBytes *make_<name>(void)` below (use
 * docx_new()/xlsx_new()/pptx_new() + pkg_* for OOXML, cfb_new() + cfb_* for
 * OLE2, zb_* for a plain ZIP), add one line to samples[], run
 * `tests/gen/gensamples samples/`, and describe what the scanner must report
 * in samples/expected.json.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gsf/gsf-utils.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <zip.h>

static G_GNUC_NORETURN G_GNUC_PRINTF(1, 2) void die(const char *fmt, ...)
{
	va_list ap;
	fputs("gensamples: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ------------------------------------------------------------------ */
/* Little-endian byte building                                         */
/* ------------------------------------------------------------------ */

static void put_bytes(GByteArray *b, const void *p, size_t n)
{
	g_byte_array_append(b, p, (guint)n);
}

static void put_le16(GByteArray *b, guint16 v)
{
	guint8 x[2] = {v & 0xff, v >> 8};
	put_bytes(b, x, 2);
}

static void put_le32(GByteArray *b, guint32 v)
{
	guint8 x[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
	put_bytes(b, x, 4);
}

static void pad4(GByteArray *b, size_t from)
{
	while ((b->len - from) % 4 != 0)
		put_bytes(b, "", 1);
}

static guint32 get_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16 get_le16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

static void set_le32(guint8 *p, guint32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static GBytes *byte_array_to_bytes(GByteArray *b)
{
	return g_byte_array_free_to_bytes(b);
}

/* Deterministic filler: xorshift32 from a fixed seed (never 0). */
static void fill_pseudo(guint8 *p, size_t n, guint32 seed)
{
	guint32 x = seed != 0 ? seed : 0x2545f491u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (guint8)(x >> 24);
	}
}

/* Repeats text over p[0..n). */
static void fill_text(guint8 *p, size_t n, const char *text)
{
	size_t tl = strlen(text);
	for (size_t i = 0; i < n; i++)
		p[i] = (guint8)text[i % tl];
}

/* Parses "00020906-0000-0000-C000-000000000046" into the on-disk form
 * (MS-DTYP GUID: Data1..Data3 little-endian, Data4 as is). */
static void clsid_parse(const char *s, guint8 out[16])
{
	unsigned d1, d2, d3, d4[8];
	if (sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &d4[0], &d4[1],
		   &d4[2], &d4[3], &d4[4], &d4[5], &d4[6], &d4[7]) != 11)
		die("bad CLSID %s", s);
	set_le32(out, d1);
	out[4] = d2 & 0xff;
	out[5] = d2 >> 8;
	out[6] = d3 & 0xff;
	out[7] = d3 >> 8;
	for (int i = 0; i < 8; i++)
		out[8 + i] = (guint8)d4[i];
}

/* ------------------------------------------------------------------ */
/* ZIP archives (libzip, in memory)                                    */
/* ------------------------------------------------------------------ */

/* The DOS date and time every entry gets: 1980-01-01 00:00:00, as Office
 * writes it. Date: (year-1980)<<9 | month<<5 | day. */
#define ZIP_FIXED_DOSTIME 0x0000u
#define ZIP_FIXED_DOSDATE ((0u << 9) | (1u << 5) | 1u)
/* zlib's default level, given explicitly so libzip's default cannot move. */
#define ZIP_DEFLATE_LEVEL 6u

typedef struct zentry {
	char *name;
	guint8 *data;     /* NULL for a run of zeros */
	size_t len;
	guint64 zeros;    /* bytes of zeros when data is NULL */
	gint32 method;    /* ZIP_CM_DEFLATE or ZIP_CM_STORE */
} zentry;

typedef struct zbuild {
	GPtrArray *entries; /* zentry*, in archive order */
} zbuild;

static void zentry_free(gpointer p)
{
	zentry *e = p;
	g_free(e->name);
	g_free(e->data);
	g_free(e);
}

/* A new, empty archive; zb_finish() builds and frees it. */
static zbuild *zb_new(void)
{
	zbuild *zb = g_new0(zbuild, 1);
	zb->entries = g_ptr_array_new_with_free_func(zentry_free);
	return zb;
}

/* Appends an entry holding a copy of data[0..len), compressed by method. */
static void zb_add_method(zbuild *zb, const char *name, const void *data, size_t len,
			  gint32 method)
{
	zentry *e = g_new0(zentry, 1);
	e->name = g_strdup(name);
	e->data = g_memdup2(data != NULL ? data : "", len);
	e->len = len;
	e->method = method;
	g_ptr_array_add(zb->entries, e);
}

static void zb_add(zbuild *zb, const char *name, const void *data, size_t len)
{
	zb_add_method(zb, name, data, len, ZIP_CM_DEFLATE);
}

static void zb_add_bytes(zbuild *zb, const char *name, GBytes *b)
{
	gsize len;
	const void *p = g_bytes_get_data(b, &len);
	zb_add(zb, name, p, len);
}

/* Appends a deflated entry of n zero bytes, produced while writing (never
 * held in memory). */
static void zb_add_zeros(zbuild *zb, const char *name, guint64 n)
{
	zentry *e = g_new0(zentry, 1);
	e->name = g_strdup(name);
	e->zeros = n;
	e->method = ZIP_CM_DEFLATE;
	g_ptr_array_add(zb->entries, e);
}

typedef struct zeros_src {
	guint64 size;
	guint64 pos;
	zip_error_t err;
} zeros_src;

/* libzip source callback yielding zeros_src.size zero bytes. */
static zip_int64_t zeros_cb(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	zeros_src *z = user;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = MIN(len, z->size - z->pos);
		memset(data, 0, n);
		z->pos += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &z->err);
		if (st == NULL)
			return -1;
		zip_stat_init(st);
		st->size = z->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&z->err, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&z->err);
		g_free(z);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&z->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Builds the archive, frees zb, and returns its bytes. */
static GBytes *zb_finish(zbuild *zb)
{
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &zerr);
	if (out == NULL)
		die("zip_source_buffer_create: %s", zip_error_strerror(&zerr));
	zip_t *za = zip_open_from_source(out, ZIP_TRUNCATE, &zerr);
	if (za == NULL)
		die("zip_open_from_source: %s", zip_error_strerror(&zerr));
	zip_source_keep(out);

	for (guint i = 0; i < zb->entries->len; i++) {
		zentry *e = g_ptr_array_index(zb->entries, i);
		zip_source_t *src;
		if (e->data != NULL) {
			src = zip_source_buffer(za, e->data, e->len, 0);
		} else {
			zeros_src *z = g_new0(zeros_src, 1);
			z->size = e->zeros;
			zip_error_init(&z->err);
			src = zip_source_function(za, zeros_cb, z);
		}
		if (src == NULL)
			die("zip source for %s: %s", e->name, zip_strerror(za));
		zip_int64_t idx = zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(src);
			die("zip_file_add %s: %s", e->name, zip_strerror(za));
		}
		zip_uint32_t level = e->method == ZIP_CM_STORE ? 0 : ZIP_DEFLATE_LEVEL;
		if (zip_set_file_compression(za, (zip_uint64_t)idx, e->method, level) < 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)idx, ZIP_FIXED_DOSTIME,
					 ZIP_FIXED_DOSDATE, 0) < 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_DOS, 0) < 0)
			die("zip attributes of %s: %s", e->name, zip_strerror(za));
	}
	if (zip_close(za) < 0)
		die("zip_close: %s", zip_strerror(za));
	g_ptr_array_free(zb->entries, TRUE);
	g_free(zb);

	if (zip_source_open(out) < 0 || zip_source_seek(out, 0, SEEK_END) < 0)
		die("reading back the archive: %s", zip_error_strerror(zip_source_error(out)));
	zip_int64_t size = zip_source_tell(out);
	if (size < 0 || zip_source_seek(out, 0, SEEK_SET) < 0)
		die("reading back the archive: %s", zip_error_strerror(zip_source_error(out)));
	guint8 *buf = g_malloc((gsize)size + 1);
	if (zip_source_read(out, buf, (zip_uint64_t)size) != size)
		die("reading back the archive: short read");
	zip_source_close(out);
	zip_source_free(out);
	zip_error_fini(&zerr);
	return g_bytes_new_take(buf, (gsize)size);
}

/* ------------------------------------------------------------------ */
/* OPC packages: parts, content types and relationships                */
/* ------------------------------------------------------------------ */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define RT_OFFICE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define RT_PACKAGE "http://schemas.openxmlformats.org/package/2006/relationships/"
#define RT_OFFICE_DOCUMENT RT_OFFICE "officeDocument"
#define RT_CORE_PROPS RT_PACKAGE "metadata/core-properties"
#define RT_EXT_PROPS RT_OFFICE "extended-properties"
#define RT_STYLES RT_OFFICE "styles"
#define RT_SETTINGS RT_OFFICE "settings"
#define RT_OLE_OBJECT RT_OFFICE "oleObject"
#define RT_EMBEDDED_PACKAGE RT_OFFICE "package"
#define RT_WORKSHEET RT_OFFICE "worksheet"
#define RT_SLIDE RT_OFFICE "slide"
#define RT_SLIDE_LAYOUT RT_OFFICE "slideLayout"
#define RT_SLIDE_MASTER RT_OFFICE "slideMaster"
#define RT_THEME RT_OFFICE "theme"

#define CT_RELS "application/vnd.openxmlformats-package.relationships+xml"
#define CT_XML "application/xml"
#define CT_CORE_PROPS "application/vnd.openxmlformats-package.core-properties+xml"
#define CT_EXT_PROPS "application/vnd.openxmlformats-officedocument.extended-properties+xml"
#define CT_OOXML "application/vnd.openxmlformats-officedocument."
#define CT_WORD_MAIN CT_OOXML "wordprocessingml.document.main+xml"
#define CT_WORD_STYLES CT_OOXML "wordprocessingml.styles+xml"
#define CT_WORD_SETTINGS CT_OOXML "wordprocessingml.settings+xml"
#define CT_DOCX CT_OOXML "wordprocessingml.document"
#define CT_OLE_OBJECT CT_OOXML "oleObject"
#define CT_XL_MAIN CT_OOXML "spreadsheetml.sheet.main+xml"
#define CT_XL_SHEET CT_OOXML "spreadsheetml.worksheet+xml"
#define CT_XL_STYLES CT_OOXML "spreadsheetml.styles+xml"
#define CT_PPT_MAIN CT_OOXML "presentationml.presentation.main+xml"
#define CT_PPT_SLIDE CT_OOXML "presentationml.slide+xml"
#define CT_PPT_LAYOUT CT_OOXML "presentationml.slideLayout+xml"
#define CT_PPT_MASTER CT_OOXML "presentationml.slideMaster+xml"
#define CT_THEME CT_OOXML "theme+xml"

typedef struct opc_rel {
	char *source;  /* source part name, "" for the package */
	char *id;
	char *type;
	char *target;
	bool external;
} opc_rel;

typedef struct opc_part {
	char *name;    /* without the leading '/' */
	GBytes *data;
} opc_part;

typedef struct pkg {
	GPtrArray *parts;     /* opc_part*, in archive order */
	GPtrArray *defaults;  /* char* pairs: extension, content type */
	GPtrArray *overrides; /* char* pairs: part name, content type */
	GPtrArray *rels;      /* opc_rel*, in insertion order */
} pkg;

static void opc_rel_free(gpointer p)
{
	opc_rel *r = p;
	g_free(r->source);
	g_free(r->id);
	g_free(r->type);
	g_free(r->target);
	g_free(r);
}

static void opc_part_free(gpointer p)
{
	opc_part *pt = p;
	g_free(pt->name);
	g_bytes_unref(pt->data);
	g_free(pt);
}

/* A new package with the two defaults every package has (rels, xml).
 * pkg_finish() builds and frees it. */
static pkg *pkg_new(void)
{
	pkg *p = g_new0(pkg, 1);
	p->parts = g_ptr_array_new_with_free_func(opc_part_free);
	p->defaults = g_ptr_array_new_with_free_func(g_free);
	p->overrides = g_ptr_array_new_with_free_func(g_free);
	p->rels = g_ptr_array_new_with_free_func(opc_rel_free);
	g_ptr_array_add(p->defaults, g_strdup("rels"));
	g_ptr_array_add(p->defaults, g_strdup(CT_RELS));
	g_ptr_array_add(p->defaults, g_strdup("xml"));
	g_ptr_array_add(p->defaults, g_strdup(CT_XML));
	return p;
}

/* Adds <Default Extension=ext ContentType=ct/> (once). */
static void pkg_default(pkg *p, const char *ext, const char *ct)
{
	for (guint i = 0; i < p->defaults->len; i += 2)
		if (strcmp(g_ptr_array_index(p->defaults, i), ext) == 0)
			return;
	g_ptr_array_add(p->defaults, g_strdup(ext));
	g_ptr_array_add(p->defaults, g_strdup(ct));
}

/* Adds the part name (no leading '/') with a copy of data, or replaces the
 * bytes of an existing part of that name (keeping its place). ct, when not
 * NULL, becomes (or replaces) the <Override> for it. */
static void pkg_part(pkg *p, const char *name, const void *data, size_t len, const char *ct)
{
	opc_part *pt = NULL;
	for (guint i = 0; i < p->parts->len; i++) {
		opc_part *q = g_ptr_array_index(p->parts, i);
		if (strcmp(q->name, name) == 0)
			pt = q;
	}
	if (pt == NULL) {
		pt = g_new0(opc_part, 1);
		pt->name = g_strdup(name);
		g_ptr_array_add(p->parts, pt);
	} else {
		g_bytes_unref(pt->data);
	}
	pt->data = g_bytes_new(data, len);
	if (ct == NULL)
		return;
	char *part_name = g_strconcat("/", name, NULL);
	for (guint i = 0; i < p->overrides->len; i += 2) {
		if (strcmp(g_ptr_array_index(p->overrides, i), part_name) == 0) {
			g_free(p->overrides->pdata[i + 1]);
			p->overrides->pdata[i + 1] = g_strdup(ct);
			g_free(part_name);
			return;
		}
	}
	g_ptr_array_add(p->overrides, part_name);
	g_ptr_array_add(p->overrides, g_strdup(ct));
}

static void pkg_part_str(pkg *p, const char *name, const char *text, const char *ct)
{
	pkg_part(p, name, text, strlen(text), ct);
}

static void pkg_part_bytes(pkg *p, const char *name, GBytes *b, const char *ct)
{
	gsize len;
	const void *d = g_bytes_get_data(b, &len);
	pkg_part(p, name, d, len, ct);
}

/* Adds a relationship of the part source ("" = the package) to target,
 * written as is (relative to the source's folder), External when external. */
static void pkg_rel(pkg *p, const char *source, const char *id, const char *type,
		    const char *target, bool external)
{
	opc_rel *r = g_new0(opc_rel, 1);
	r->source = g_strdup(source);
	r->id = g_strdup(id);
	r->type = g_strdup(type);
	r->target = g_strdup(target);
	r->external = external;
	g_ptr_array_add(p->rels, r);
}

/* "_rels/.rels" for "", "word/_rels/document.xml.rels" for
 * "word/document.xml". */
static char *rels_part_name(const char *source)
{
	const char *slash = strrchr(source, '/');
	if (slash == NULL)
		return g_strconcat("_rels/", source, ".rels", NULL);
	return g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - source), source, slash + 1);
}

static bool has_rels(const pkg *p, const char *source)
{
	for (guint i = 0; i < p->rels->len; i++) {
		const opc_rel *r = g_ptr_array_index(p->rels, i);
		if (strcmp(r->source, source) == 0)
			return true;
	}
	return false;
}

static void add_rels_part(const pkg *p, zbuild *zb, const char *source)
{
	GString *x = g_string_new(XML_DECL "<Relationships xmlns=\"" NS_RELS "\">");
	for (guint i = 0; i < p->rels->len; i++) {
		const opc_rel *r = g_ptr_array_index(p->rels, i);
		if (strcmp(r->source, source) != 0)
			continue;
		g_string_append_printf(x, "<Relationship Id=\"%s\" Type=\"%s\" Target=\"%s\"%s/>",
				       r->id, r->type, r->target,
				       r->external ? " TargetMode=\"External\"" : "");
	}
	g_string_append(x, "</Relationships>");
	char *name = rels_part_name(source);
	zb_add(zb, name, x->str, x->len);
	g_free(name);
	g_string_free(x, TRUE);
}

/* Writes the package into a ZIP: [Content_Types].xml, _rels/.rels, then
 * each part followed by its own .rels part when it has relationships.
 * Frees p. */
static GBytes *pkg_finish(pkg *p)
{
	zbuild *zb = zb_new();
	GString *ct = g_string_new(XML_DECL "<Types xmlns=\"" NS_CT "\">");

	for (guint i = 0; i < p->defaults->len; i += 2)
		g_string_append_printf(ct, "<Default Extension=\"%s\" ContentType=\"%s\"/>",
				       (char *)g_ptr_array_index(p->defaults, i),
				       (char *)g_ptr_array_index(p->defaults, i + 1));
	for (guint i = 0; i < p->overrides->len; i += 2)
		g_string_append_printf(ct, "<Override PartName=\"%s\" ContentType=\"%s\"/>",
				       (char *)g_ptr_array_index(p->overrides, i),
				       (char *)g_ptr_array_index(p->overrides, i + 1));
	g_string_append(ct, "</Types>");
	zb_add(zb, "[Content_Types].xml", ct->str, ct->len);
	g_string_free(ct, TRUE);

	if (has_rels(p, ""))
		add_rels_part(p, zb, "");
	for (guint i = 0; i < p->parts->len; i++) {
		const opc_part *pt = g_ptr_array_index(p->parts, i);
		zb_add_bytes(zb, pt->name, pt->data);
		if (has_rels(p, pt->name))
			add_rels_part(p, zb, pt->name);
	}
	g_ptr_array_free(p->parts, TRUE);
	g_ptr_array_free(p->defaults, TRUE);
	g_ptr_array_free(p->overrides, TRUE);
	g_ptr_array_free(p->rels, TRUE);
	g_free(p);
	return zb_finish(zb);
}

/* docProps/core.xml and docProps/app.xml with fixed dates, and their
 * package relationships (rId2, rId3; rId1 is the main part). */
static void pkg_doc_props(pkg *p, const char *title, const char *application)
{
	char *t = g_markup_escape_text(title, -1);
	char *core = g_strdup_printf(XML_DECL
		"<cp:coreProperties"
		" xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
		" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		" xmlns:dcterms=\"http://purl.org/dc/terms/\""
		" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\""
		" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
		"<dc:title>%s</dc:title>"
		"<dc:creator>lurescan gensamples</dc:creator>"
		"<cp:lastModifiedBy>lurescan gensamples</cp:lastModifiedBy>"
		"<cp:revision>1</cp:revision>"
		"<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:created>"
		"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:modified>"
		"</cp:coreProperties>", t);
	char *app = g_strdup_printf(XML_DECL
		"<Properties"
		" xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
		" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
		"<TotalTime>0</TotalTime>"
		"<Application>%s</Application>"
		"<DocSecurity>0</DocSecurity>"
		"<Company>Example Corp</Company>"
		"<AppVersion>16.0000</AppVersion>"
		"</Properties>", application);

	pkg_part_str(p, "docProps/core.xml", core, CT_CORE_PROPS);
	pkg_part_str(p, "docProps/app.xml", app, CT_EXT_PROPS);
	pkg_rel(p, "", "rId2", RT_CORE_PROPS, "docProps/core.xml", false);
	pkg_rel(p, "", "rId3", RT_EXT_PROPS, "docProps/app.xml", false);
	g_free(t);
	g_free(core);
	g_free(app);
}

/* ---- WordprocessingML ---- */

#define W_NS \
	" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
	" xmlns:v=\"urn:schemas-microsoft-com:vml\"" \
	" xmlns:o=\"urn:schemas-microsoft-com:office:office\""

static const char docx_styles[] = XML_DECL
	"<w:styles" W_NS ">"
	"<w:docDefaults><w:rPrDefault><w:rPr>"
	"<w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\"/>"
	"<w:sz w:val=\"22\"/><w:lang w:val=\"en-US\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
	"<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
	"<w:semiHidden/><w:unhideWhenUsed/></w:style>"
	"</w:styles>";

static const char docx_settings[] = XML_DECL
	"<w:settings" W_NS ">"
	"<w:defaultTabStop w:val=\"720\"/>"
	"<w:characterSpacingControl w:val=\"doNotCompress\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\""
	" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"</w:settings>";

/* One paragraph of plain text (escaped), newly allocated. */
static char *w_para(const char *text)
{
	char *t = g_markup_escape_text(text, -1);
	char *p = g_strdup_printf("<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>", t);
	g_free(t);
	return p;
}

/*
 * A minimal Word package: word/document.xml holding body_xml (paragraphs,
 * objects; the section properties are appended), word/styles.xml (rId1),
 * word/settings.xml (rId2), docProps. The caller may add parts and
 * relationships of word/document.xml with ids from rId10 on, replace a part
 * with pkg_part(), then pkg_finish().
 */
static pkg *docx_new(const char *title, const char *body_xml)
{
	pkg *p = pkg_new();
	char *doc = g_strdup_printf(XML_DECL
		"<w:document" W_NS "><w:body>%s"
		"<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
		"<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\""
		" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>"
		"</w:body></w:document>", body_xml);

	pkg_rel(p, "", "rId1", RT_OFFICE_DOCUMENT, "word/document.xml", false);
	pkg_part_str(p, "word/document.xml", doc, CT_WORD_MAIN);
	pkg_rel(p, "word/document.xml", "rId1", RT_STYLES, "styles.xml", false);
	pkg_rel(p, "word/document.xml", "rId2", RT_SETTINGS, "settings.xml", false);
	pkg_part_str(p, "word/styles.xml", docx_styles, CT_WORD_STYLES);
	pkg_part_str(p, "word/settings.xml", docx_settings, CT_WORD_SETTINGS);
	pkg_doc_props(p, title, "Microsoft Office Word");
	g_free(doc);
	return p;
}

/* A docx whose body is one paragraph of text. */
static pkg *docx_new_text(const char *title, const char *text)
{
	char *para = w_para(text);
	pkg *p = docx_new(title, para);
	g_free(para);
	return p;
}

/* ---- SpreadsheetML ---- */

#define X_NS \
	" xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char xlsx_workbook[] = XML_DECL
	"<workbook" X_NS ">"
	"<bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"16000\""
	" windowHeight=\"9000\"/></bookViews>"
	"<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
	"</workbook>";

static const char xlsx_styles[] = XML_DECL
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/>"
	"</font></fonts>"
	"<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
	"<fill><patternFill patternType=\"gray125\"/></fill></fills>"
	"<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
	"</cellStyleXfs>"
	"<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\""
	" xfId=\"0\"/></cellXfs>"
	"<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
	"</cellStyles>"
	"</styleSheet>";

/*
 * A minimal Excel package: xl/workbook.xml with one sheet
 * xl/worksheets/sheet1.xml whose <sheetData> holds sheet_data_xml (rId1),
 * xl/styles.xml (rId2), docProps. Callers' workbook relationships start at
 * rId10.
 */
static pkg *xlsx_new(const char *title, const char *sheet_data_xml)
{
	pkg *p = pkg_new();
	char *sheet = g_strdup_printf(XML_DECL
		"<worksheet" X_NS "><dimension ref=\"A1:B2\"/>"
		"<sheetData>%s</sheetData></worksheet>", sheet_data_xml);

	pkg_rel(p, "", "rId1", RT_OFFICE_DOCUMENT, "xl/workbook.xml", false);
	pkg_part_str(p, "xl/workbook.xml", xlsx_workbook, CT_XL_MAIN);
	pkg_rel(p, "xl/workbook.xml", "rId1", RT_WORKSHEET, "worksheets/sheet1.xml", false);
	pkg_rel(p, "xl/workbook.xml", "rId2", RT_STYLES, "styles.xml", false);
	pkg_part_str(p, "xl/worksheets/sheet1.xml", sheet, CT_XL_SHEET);
	pkg_part_str(p, "xl/styles.xml", xlsx_styles, CT_XL_STYLES);
	pkg_doc_props(p, title, "Microsoft Excel");
	g_free(sheet);
	return p;
}

/* ---- PresentationML ---- */

#define P_NS \
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
	" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""

#define P_SPTREE_HEAD \
	"<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>" \
	"<p:grpSpPr/>"

static const char pptx_presentation[] = XML_DECL
	"<p:presentation" P_NS ">"
	"<p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst>"
	"<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst>"
	"<p:sldSz cx=\"12192000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/>"
	"</p:presentation>";

static const char pptx_master[] = XML_DECL
	"<p:sldMaster" P_NS ">"
	"<p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>"
	"<p:spTree>" P_SPTREE_HEAD "</p:spTree></p:cSld>"
	"<p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\""
	" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\""
	" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/>"
	"<p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>"
	"</p:sldMaster>";

static const char pptx_layout[] = XML_DECL
	"<p:sldLayout" P_NS " type=\"title\" preserve=\"1\">"
	"<p:cSld name=\"Title Slide\"><p:spTree>" P_SPTREE_HEAD "</p:spTree></p:cSld>"
	"<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
	"</p:sldLayout>";

#define A_SOLID "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
#define A_LINE "<a:ln w=\"6350\">" A_SOLID "</a:ln>"
#define A_EFFECT "<a:effectStyle><a:effectLst/></a:effectStyle>"

static const char pptx_theme[] = XML_DECL
	"<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
	" name=\"Office Theme\"><a:themeElements>"
	"<a:clrScheme name=\"Office\">"
	"<a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1>"
	"<a:lt1><a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1>"
	"<a:dk2><a:srgbClr val=\"44546A\"/></a:dk2><a:lt2><a:srgbClr val=\"E7E6E6\"/></a:lt2>"
	"<a:accent1><a:srgbClr val=\"4472C4\"/></a:accent1>"
	"<a:accent2><a:srgbClr val=\"ED7D31\"/></a:accent2>"
	"<a:accent3><a:srgbClr val=\"A5A5A5\"/></a:accent3>"
	"<a:accent4><a:srgbClr val=\"FFC000\"/></a:accent4>"
	"<a:accent5><a:srgbClr val=\"5B9BD5\"/></a:accent5>"
	"<a:accent6><a:srgbClr val=\"70AD47\"/></a:accent6>"
	"<a:hlink><a:srgbClr val=\"0563C1\"/></a:hlink>"
	"<a:folHlink><a:srgbClr val=\"954F72\"/></a:folHlink>"
	"</a:clrScheme>"
	"<a:fontScheme name=\"Office\">"
	"<a:majorFont><a:latin typeface=\"Calibri Light\"/><a:ea typeface=\"\"/>"
	"<a:cs typeface=\"\"/></a:majorFont>"
	"<a:minorFont><a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/>"
	"<a:cs typeface=\"\"/></a:minorFont>"
	"</a:fontScheme>"
	"<a:fmtScheme name=\"Office\">"
	"<a:fillStyleLst>" A_SOLID A_SOLID A_SOLID "</a:fillStyleLst>"
	"<a:lnStyleLst>" A_LINE A_LINE A_LINE "</a:lnStyleLst>"
	"<a:effectStyleLst>" A_EFFECT A_EFFECT A_EFFECT "</a:effectStyleLst>"
	"<a:bgFillStyleLst>" A_SOLID A_SOLID A_SOLID "</a:bgFillStyleLst>"
	"</a:fmtScheme>"
	"</a:themeElements></a:theme>";

/*
 * A minimal PowerPoint package: ppt/presentation.xml with one slide master
 * (rId1), one slide (rId2) whose title shape says title_text, the theme
 * (rId3), the slide layout, docProps. Callers' relationships of the slide
 * start at rId10.
 */
static pkg *pptx_new(const char *title, const char *title_text)
{
	pkg *p = pkg_new();
	char *t = g_markup_escape_text(title_text, -1);
	char *slide = g_strdup_printf(XML_DECL
		"<p:sld" P_NS "><p:cSld><p:spTree>" P_SPTREE_HEAD
		"<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"/>"
		"<p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>"
		"<p:nvPr><p:ph type=\"ctrTitle\"/></p:nvPr></p:nvSpPr><p:spPr/>"
		"<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"en-US\"/>"
		"<a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>"
		"</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>", t);

	pkg_rel(p, "", "rId1", RT_OFFICE_DOCUMENT, "ppt/presentation.xml", false);
	pkg_part_str(p, "ppt/presentation.xml", pptx_presentation, CT_PPT_MAIN);
	pkg_rel(p, "ppt/presentation.xml", "rId1", RT_SLIDE_MASTER,
		"slideMasters/slideMaster1.xml", false);
	pkg_rel(p, "ppt/presentation.xml", "rId2", RT_SLIDE, "slides/slide1.xml", false);
	pkg_rel(p, "ppt/presentation.xml", "rId3", RT_THEME, "theme/theme1.xml", false);
	pkg_part_str(p, "ppt/slides/slide1.xml", slide, CT_PPT_SLIDE);
	pkg_rel(p, "ppt/slides/slide1.xml", "rId1", RT_SLIDE_LAYOUT,
		"../slideLayouts/slideLayout1.xml", false);
	pkg_part_str(p, "ppt/slideLayouts/slideLayout1.xml", pptx_layout, CT_PPT_LAYOUT);
	pkg_rel(p, "ppt/slideLayouts/slideLayout1.xml", "rId1", RT_SLIDE_MASTER,
		"../slideMasters/slideMaster1.xml", false);
	pkg_part_str(p, "ppt/slideMasters/slideMaster1.xml", pptx_master, CT_PPT_MASTER);
	pkg_rel(p, "ppt/slideMasters/slideMaster1.xml", "rId1", RT_SLIDE_LAYOUT,
		"../slideLayouts/slideLayout1.xml", false);
	pkg_rel(p, "ppt/slideMasters/slideMaster1.xml", "rId2", RT_THEME,
		"../theme/theme1.xml", false);
	pkg_part_str(p, "ppt/theme/theme1.xml", pptx_theme, CT_THEME);
	pkg_doc_props(p, title, "Microsoft Office PowerPoint");
	g_free(t);
	g_free(slide);
	return p;
}

/* ------------------------------------------------------------------ */
/* Compound files (libgsf's MS-OLE writer, in memory)                  */
/* ------------------------------------------------------------------ */

typedef struct cfb_item {
	char *path;       /* "Stream" or "Storage/Stream", '/'-separated */
	GBytes *data;     /* NULL: a storage (for its CLSID) */
	guint8 clsid[16];
} cfb_item;

typedef struct cfb {
	guint8 clsid[16];
	bool has_clsid;
	GPtrArray *items; /* cfb_item*, in write order */
} cfb;

static void cfb_item_free(gpointer p)
{
	cfb_item *it = p;
	g_free(it->path);
	if (it->data != NULL)
		g_bytes_unref(it->data);
	g_free(it);
}

/* A new compound file whose root storage has the CLSID root_clsid (NULL:
 * all zeros). cfb_finish() builds and frees it. */
static cfb *cfb_new(const char *root_clsid)
{
	cfb *c = g_new0(cfb, 1);
	c->items = g_ptr_array_new_with_free_func(cfb_item_free);
	if (root_clsid != NULL) {
		clsid_parse(root_clsid, c->clsid);
		c->has_clsid = true;
	}
	return c;
}

/* Adds a stream at path (storages in it are created as needed) holding a
 * copy of data[0..len). */
static void cfb_stream(cfb *c, const char *path, const void *data, size_t len)
{
	cfb_item *it = g_new0(cfb_item, 1);
	it->path = g_strdup(path);
	it->data = g_bytes_new(data, len);
	g_ptr_array_add(c->items, it);
}

static void cfb_stream_bytes(cfb *c, const char *path, GBytes *b)
{
	gsize len;
	const void *d = g_bytes_get_data(b, &len);
	cfb_stream(c, path, d, len);
}

/* Declares the storage at path with CLSID clsid; declare a storage before
 * its streams. (No sample of the first set has a storage yet.) */
static G_GNUC_UNUSED void cfb_storage(cfb *c, const char *path, const char *clsid)
{
	cfb_item *it = g_new0(cfb_item, 1);
	it->path = g_strdup(path);
	clsid_parse(clsid, it->clsid);
	g_ptr_array_add(c->items, it);
}

/* The open storage for path ("" = root), created (with its parents) when
 * first needed; order records creation so they close children first. */
static GsfOutfile *cfb_dir(GHashTable *dirs, GPtrArray *order, const char *path)
{
	GsfOutfile *dir = g_hash_table_lookup(dirs, path);
	if (dir != NULL)
		return dir;
	const char *slash = strrchr(path, '/');
	char *parent_path = slash != NULL ? g_strndup(path, (gsize)(slash - path)) : g_strdup("");
	GsfOutfile *parent = cfb_dir(dirs, order, parent_path);
	dir = GSF_OUTFILE(gsf_outfile_new_child(parent, slash != NULL ? slash + 1 : path, TRUE));
	if (dir == NULL)
		die("cannot create storage %s", path);
	g_hash_table_insert(dirs, g_strdup(path), dir);
	g_ptr_array_add(order, dir);
	g_free(parent_path);
	return dir;
}

/* Writes the compound file, frees c, and returns its bytes. */
static GBytes *cfb_finish(cfb *c)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(mem);
	GHashTable *dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *order = g_ptr_array_new();

	if (root == NULL)
		die("gsf_outfile_msole_new failed");
	if (c->has_clsid && !gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(root), c->clsid))
		die("cannot set the root CLSID");
	g_hash_table_insert(dirs, g_strdup(""), root);

	for (guint i = 0; i < c->items->len; i++) {
		cfb_item *it = g_ptr_array_index(c->items, i);
		if (it->data == NULL) {
			GsfOutfile *dir = cfb_dir(dirs, order, it->path);
			if (!gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(dir), it->clsid))
				die("cannot set the CLSID of %s", it->path);
			continue;
		}
		const char *slash = strrchr(it->path, '/');
		char *parent_path = slash != NULL ? g_strndup(it->path, (gsize)(slash - it->path))
						  : g_strdup("");
		GsfOutfile *parent = cfb_dir(dirs, order, parent_path);
		GsfOutput *s = gsf_outfile_new_child(parent, slash != NULL ? slash + 1 : it->path,
						     FALSE);
		gsize len;
		const guint8 *d = g_bytes_get_data(it->data, &len);
		if (s == NULL || (len > 0 && !gsf_output_write(s, len, d)) || !gsf_output_close(s))
			die("cannot write stream %s", it->path);
		g_object_unref(s);
		g_free(parent_path);
	}
	for (guint i = order->len; i > 0; i--) {
		GsfOutput *dir = g_ptr_array_index(order, i - 1);
		if (!gsf_output_close(dir))
			die("cannot close a storage");
		g_object_unref(dir);
	}
	if (!gsf_output_close(GSF_OUTPUT(root)))
		die("cannot close the compound file");
	g_object_unref(root);

	gsf_off_t size = gsf_output_size(mem);
	const guint8 *bytes = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem));
	GBytes *out = g_bytes_new(bytes, (gsize)size);
	/* Closing the compound file closed its sink too. */
	if (!gsf_output_is_closed(mem))
		gsf_output_close(mem);
	g_object_unref(mem);
	g_hash_table_destroy(dirs);
	g_ptr_array_free(order, TRUE);
	g_ptr_array_free(c->items, TRUE);
	g_free(c);
	return out;
}

/* ---- stream contents ---- */

/* MS-OLEDS 2.3.7 CompObjHeader values Office writes. */
#define COMPOBJ_RESERVED1 0xFFFE0001u
#define COMPOBJ_VERSION 0x00000A03u
/* MS-OLEDS 2.3.8: marks the start of the Unicode half of CompObjStream. */
#define COMPOBJ_UNICODE_MARKER 0x71B239F4u

static void put_ansi_string(GByteArray *b, const char *s)
{
	/* LengthPrefixedAnsiString: the length counts the terminating NUL. */
	put_le32(b, (guint32)strlen(s) + 1);
	put_bytes(b, s, strlen(s) + 1);
}

/* A "\x01CompObj" stream (MS-OLEDS 2.3.8 CompObjStream) naming the class. */
static GBytes *compobj_stream(const char *clsid, const char *user_type, const char *clipboard,
			      const char *prog_id)
{
	GByteArray *b = g_byte_array_new();
	guint8 id[16];

	clsid_parse(clsid, id);
	put_le32(b, COMPOBJ_RESERVED1);
	put_le32(b, COMPOBJ_VERSION);
	put_le32(b, 0xFFFFFFFFu); /* Reserved2: -1 then the CLSID, as Office writes */
	put_bytes(b, id, sizeof(id));
	put_ansi_string(b, user_type);
	put_ansi_string(b, clipboard); /* ClipboardFormatOrAnsiString, as a name */
	put_ansi_string(b, prog_id);   /* Reserved1: Office stores the ProgID */
	put_le32(b, COMPOBJ_UNICODE_MARKER);
	put_le32(b, 0);                /* UnicodeUserType: empty */
	put_le32(b, 0);                /* UnicodeClipboardFormat: none */
	put_le32(b, 0);                /* Reserved2: empty */
	return byte_array_to_bytes(b);
}

/* MS-OLEPS: the property set format ids of the two summary streams. */
#define FMTID_SUMMARY_INFORMATION "F29F85E0-4FF9-1068-AB91-08002B27B3D9"
#define FMTID_DOC_SUMMARY_INFORMATION "D5CDD502-2E9C-101B-9397-08002B2CF9AE"
#define PROPSET_BYTE_ORDER 0xFFFEu
#define PROPSET_SYSTEM_ID 0x00020006u /* Win32, OS version 6.0 */
#define VT_I2 0x0002u
#define VT_LPSTR 0x001Eu
#define PID_CODEPAGE 0x0001u
#define CODEPAGE_1252 1252u

typedef struct prop {
	guint32 pid;
	const char *str; /* VT_LPSTR value; NULL for the codepage (VT_I2 1252) */
} prop;

/* A property set stream (MS-OLEPS 2.21 PropertySetStream) with one set of
 * format fmtid holding the codepage and the given string properties. */
static GBytes *propset_stream(const char *fmtid, const prop *props, size_t n)
{
	GByteArray *b = g_byte_array_new();
	guint8 id[16], zero[16] = {0};

	clsid_parse(fmtid, id);
	put_le16(b, PROPSET_BYTE_ORDER);
	put_le16(b, 0);              /* Version */
	put_le32(b, PROPSET_SYSTEM_ID);
	put_bytes(b, zero, 16);      /* CLSID */
	put_le32(b, 1);              /* NumPropertySets */
	put_bytes(b, id, 16);        /* FMTID0 */
	put_le32(b, 0x30);           /* Offset0: right after this header */

	/* PropertySet: Size, NumProperties, (id, offset) pairs, values. */
	GByteArray *vals = g_byte_array_new();
	guint32 head = 8 + 8 * (guint32)n;
	GByteArray *set = g_byte_array_new();
	for (size_t i = 0; i < n; i++) {
		guint32 off = head + vals->len;
		put_le32(set, props[i].pid);
		put_le32(set, off);
		if (props[i].str == NULL) {
			put_le16(vals, VT_I2);
			put_le16(vals, 0);
			put_le16(vals, CODEPAGE_1252);
			put_le16(vals, 0);
		} else {
			guint start = vals->len;
			put_le16(vals, VT_LPSTR);
			put_le16(vals, 0);
			put_le32(vals, (guint32)strlen(props[i].str) + 1);
			put_bytes(vals, props[i].str, strlen(props[i].str) + 1);
			pad4(vals, start);
		}
	}
	put_le32(b, head + vals->len);
	put_le32(b, (guint32)n);
	put_bytes(b, set->data, set->len);
	put_bytes(b, vals->data, vals->len);
	g_byte_array_free(set, TRUE);
	g_byte_array_free(vals, TRUE);
	return byte_array_to_bytes(b);
}

/* ---- Word 97 look-alike ---- */

#define CLSID_WORD_DOCUMENT_8 "00020906-0000-0000-C000-000000000046"
#define CLSID_EXCEL_SHEET_8 "00020820-0000-0000-C000-000000000046"
/* MS-DOC 2.5.1 FibBase.wIdent, and the nFib of Word 97. */
#define FIB_WIDENT 0xA5ECu
#define FIB_NFIB_WORD97 0x00C1u
/* Sizes chosen on either side of the 4096-byte mini stream cutoff. */
#define WORDDOC_STREAM_SIZE 6144u
#define TABLE_STREAM_SIZE 1536u

/* The streams of a Word 97-like document: "WordDocument" (FIB magic, then
 * synthetic text; larger than the mini stream cutoff), "1Table",
 * the two summary streams and "\x01CompObj". */
static cfb *word97_cfb(const char *text)
{
	cfb *c = cfb_new(CLSID_WORD_DOCUMENT_8);
	guint8 *wd = g_malloc0(WORDDOC_STREAM_SIZE);
	guint8 *tbl = g_malloc(TABLE_STREAM_SIZE);

	wd[0] = FIB_WIDENT & 0xff;
	wd[1] = FIB_WIDENT >> 8;
	wd[2] = FIB_NFIB_WORD97 & 0xff;
	wd[3] = FIB_NFIB_WORD97 >> 8;
	fill_pseudo(wd + 32, 0x600 - 32, 0x57444f43u);
	fill_text(wd + 0x600, WORDDOC_STREAM_SIZE - 0x600, text);
	fill_pseudo(tbl, TABLE_STREAM_SIZE, 0x31546162u);

	const prop summary[] = {
		{PID_CODEPAGE, NULL},
		{0x02, "lurescan sample"},   /* PIDSI_TITLE */
		{0x04, "lurescan gensamples"}, /* PIDSI_AUTHOR */
		{0x12, "Microsoft Office Word"}, /* PIDSI_APPNAME */
	};
	const prop doc_summary[] = {
		{PID_CODEPAGE, NULL},
		{0x0F, "Example Corp"},      /* PIDDSI_COMPANY */
	};
	GBytes *si = propset_stream(FMTID_SUMMARY_INFORMATION, summary, G_N_ELEMENTS(summary));
	GBytes *dsi = propset_stream(FMTID_DOC_SUMMARY_INFORMATION, doc_summary,
				     G_N_ELEMENTS(doc_summary));
	GBytes *co = compobj_stream(CLSID_WORD_DOCUMENT_8, "Microsoft Word 97-2003 Document",
				    "MSWordDoc", "Word.Document.8");

	cfb_stream(c, "WordDocument", wd, WORDDOC_STREAM_SIZE);
	cfb_stream(c, "1Table", tbl, TABLE_STREAM_SIZE);
	cfb_stream_bytes(c, "\005SummaryInformation", si);
	cfb_stream_bytes(c, "\005DocumentSummaryInformation", dsi);
	cfb_stream_bytes(c, "\001CompObj", co);
	g_bytes_unref(si);
	g_bytes_unref(dsi);
	g_bytes_unref(co);
	g_free(wd);
	g_free(tbl);
	return c;
}

/* ---- patching a finished compound file (MS-CFB 2.2, 2.3, 2.6) ---- */

#define CFB_HDR_SECTOR_SHIFT 0x1E
#define CFB_HDR_DIR_START 0x30
#define CFB_HDR_DIFAT 0x4C
#define CFB_HDR_DIFAT_COUNT 109u
#define CFB_DIRENT_SIZE 128u
#define CFB_DIRENT_NAME_LEN 0x40
#define CFB_DIRENT_START 0x74
#define CFB_MAXREGSECT 0xFFFFFFFAu

typedef struct cfb_img {
	guint8 *d;
	size_t len;
	size_t ssz; /* sector size */
} cfb_img;

static cfb_img cfb_img_open(guint8 *d, size_t len)
{
	cfb_img c = {d, len, 0};
	if (len < 512)
		die("compound file too short to patch");
	c.ssz = (size_t)1 << get_le16(d + CFB_HDR_SECTOR_SHIFT);
	return c;
}

/* Offset of sector s, which must lie inside the file. */
static size_t cfb_sector(const cfb_img *c, guint32 s)
{
	size_t off = ((size_t)s + 1) * c->ssz;
	if (s >= CFB_MAXREGSECT || off > c->len - c->ssz)
		die("sector %u outside the compound file", s);
	return off;
}

/* Offset of FAT entry s (only the 109 header DIFAT entries are used). */
static size_t cfb_fat_entry(const cfb_img *c, guint32 s)
{
	size_t per = c->ssz / 4;
	size_t i = s / per;
	if (i >= CFB_HDR_DIFAT_COUNT)
		die("FAT entry %u beyond the header DIFAT", s);
	return cfb_sector(c, get_le32(c->d + CFB_HDR_DIFAT + 4 * i)) + (s % per) * 4;
}

/* The directory entry named name (ASCII) in the directory chain. */
static guint8 *cfb_dirent(const cfb_img *c, const char *name)
{
	guint32 s = get_le32(c->d + CFB_HDR_DIR_START);
	size_t nlen = strlen(name);

	for (size_t hops = 0; s < CFB_MAXREGSECT && hops < c->len / c->ssz; hops++) {
		guint8 *sec = c->d + cfb_sector(c, s);
		for (size_t e = 0; e < c->ssz / CFB_DIRENT_SIZE; e++) {
			guint8 *de = sec + e * CFB_DIRENT_SIZE;
			if (get_le16(de + CFB_DIRENT_NAME_LEN) != (nlen + 1) * 2)
				continue;
			size_t k = 0;
			while (k < nlen && get_le16(de + 2 * k) == (guint8)name[k])
				k++;
			if (k == nlen)
				return de;
		}
		s = get_le32(c->d + cfb_fat_entry(c, s));
	}
	die("no directory entry %s", name);
}

/* ------------------------------------------------------------------ */
/* Samples                                                             */
/* ------------------------------------------------------------------ */

static GBytes *make_plain_docx(void)
{
	return pkg_finish(docx_new_text("plain.docx",
		"lurescan synthetic sample: a plain Word document with nothing active in it."));
}

static GBytes *make_plain_xlsx(void)
{
	return pkg_finish(xlsx_new("plain.xlsx",
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>lurescan synthetic sample</t></is>"
		"</c><c r=\"B1\"><v>42</v></c></row>"
		"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>nothing active</t></is></c>"
		"<c r=\"B2\"><v>7</v></c></row>"));
}

static GBytes *make_plain_pptx(void)
{
	return pkg_finish(pptx_new("plain.pptx", "lurescan synthetic sample"));
}

static GBytes *make_plain_doc(void)
{
	return cfb_finish(word97_cfb("lurescan synthetic sample: a plain Word 97 document. "));
}

/* The OLE object Office stores for an embedded (not linked) legacy Excel
 * worksheet: root CLSID Excel.Sheet.8, "\x01CompObj", an embedded-object
 * "\x01Ole" stream without a moniker, and a benign "Contents" stream. */
static GBytes *embedded_sheet_object(void)
{
	cfb *c = cfb_new(CLSID_EXCEL_SHEET_8);
	GBytes *co = compobj_stream(CLSID_EXCEL_SHEET_8, "Microsoft Excel 97-2003 Worksheet",
				    "Biff8", "Excel.Sheet.8");
	/* MS-OLEDS 2.3.3 OLEStream of an embedded object: Version, Flags = 0
	 * (embedded), LinkUpdateOption, Reserved1, ReservedMonikerStreamSize = 0. */
	GByteArray *ole = g_byte_array_new();
	put_le32(ole, 0x02000001u);
	put_le32(ole, 0);
	put_le32(ole, 0);
	put_le32(ole, 0);
	put_le32(ole, 0);
	guint8 contents[600];
	fill_text(contents, sizeof(contents), "lurescan synthetic embedded object contents. ");

	cfb_stream_bytes(c, "\001CompObj", co);
	cfb_stream(c, "\001Ole", ole->data, ole->len);
	cfb_stream(c, "Contents", contents, sizeof(contents));
	g_bytes_unref(co);
	g_byte_array_free(ole, TRUE);
	return cfb_finish(c);
}

static GBytes *make_embedded_ole_docx(void)
{
	char *para = w_para("lurescan synthetic sample: an embedded worksheet object follows.");
	char *body = g_strconcat(para,
		"<w:p><w:r><w:object w:dxaOrig=\"2880\" w:dyaOrig=\"1440\">"
		"<v:shape id=\"_x0000_i1025\" type=\"#_x0000_t75\" style=\"width:144pt;height:72pt\"/>"
		"<o:OLEObject Type=\"Embed\" ProgID=\"Excel.Sheet.8\" ShapeID=\"_x0000_i1025\""
		" DrawAspect=\"Content\" ObjectID=\"_1700000001\" r:id=\"rId10\"/>"
		"</w:object></w:r></w:p>", NULL);
	pkg *p = docx_new("embedded-ole.docx", body);
	GBytes *obj = embedded_sheet_object();

	pkg_default(p, "bin", CT_OLE_OBJECT);
	pkg_rel(p, "word/document.xml", "rId10", RT_OLE_OBJECT, "embeddings/oleObject1.bin", false);
	pkg_part_bytes(p, "word/embeddings/oleObject1.bin", obj, NULL);
	g_bytes_unref(obj);
	g_free(para);
	g_free(body);
	return pkg_finish(p);
}

/* ZIP end of central directory record (APPNOTE 4.3.16). */
#define ZIP_EOCD_SIG 0x06054b50u
#define ZIP_EOCD_SIZE 22u
#define ZIP_EOCD_CD_SIZE 12
#define ZIP_EOCD_CD_OFFSET 16

/* A complete docx cut in the middle of its central directory: the local
 * entries are whole, the end of central directory record is gone. */
static GBytes *make_truncated_docx(void)
{
	GBytes *full = pkg_finish(docx_new_text("truncated.docx",
		"lurescan synthetic sample: this package is cut inside its central directory."));
	gsize len;
	const guint8 *d = g_bytes_get_data(full, &len);
	if (len < ZIP_EOCD_SIZE || get_le32(d + len - ZIP_EOCD_SIZE) != ZIP_EOCD_SIG)
		die("no end of central directory record");
	guint32 cd_size = get_le32(d + len - ZIP_EOCD_SIZE + ZIP_EOCD_CD_SIZE);
	guint32 cd_off = get_le32(d + len - ZIP_EOCD_SIZE + ZIP_EOCD_CD_OFFSET);
	GBytes *cut = g_bytes_new(d, cd_off + cd_size / 2);
	g_bytes_unref(full);
	return cut;
}

/* 200 MiB: past the 100 MiB artifact limit, and ~200 KiB deflated. */
#define ZIPBOMB_SIZE (200ull * 1024 * 1024)

static GBytes *make_zipbomb_zero(void)
{
	zbuild *zb = zb_new();
	zb_add_zeros(zb, "zeros.bin", ZIPBOMB_SIZE);
	return zb_finish(zb);
}

/* plain.doc with the FAT entry of the third sector of "WordDocument"
 * pointing at itself: the stream's chain loops. */
static GBytes *make_cfb_fat_loop(void)
{
	GBytes *b = cfb_finish(word97_cfb("lurescan synthetic sample: a FAT chain loops. "));
	gsize len;
	guint8 *d = g_bytes_unref_to_data(b, &len);
	cfb_img c = cfb_img_open(d, len);
	guint32 s = get_le32(cfb_dirent(&c, "WordDocument") + CFB_DIRENT_START);
	s = get_le32(d + cfb_fat_entry(&c, s));
	s = get_le32(d + cfb_fat_entry(&c, s));
	set_le32(d + cfb_fat_entry(&c, s), s);
	return g_bytes_new_take(d, len);
}

/* A sector number far past the end of any sample, yet a regular one. */
#define CFB_FAR_SECTOR 0x00100000u

/* plain.doc with the starting sector of "WordDocument" far past the end of
 * the file. */
static GBytes *make_cfb_dir_past_end(void)
{
	GBytes *b = cfb_finish(word97_cfb("lurescan synthetic sample: a stream starts past the end. "));
	gsize len;
	guint8 *d = g_bytes_unref_to_data(b, &len);
	cfb_img c = cfb_img_open(d, len);
	set_le32(cfb_dirent(&c, "WordDocument") + CFB_DIRENT_START, CFB_FAR_SECTOR);
	return g_bytes_new_take(d, len);
}

#define NESTED_LEVELS 20

/* A docx at nesting level `level` (1 = outermost) holding, from level 19
 * down, the next level as an embedded package
 * word/embeddings/Microsoft_Word_Document.docx. */
static GBytes *nested_docx(int level)
{
	char *text = g_strdup_printf("lurescan synthetic sample: nesting level %d of %d.", level,
				     NESTED_LEVELS);
	char *title = g_strdup_printf("nested level %d", level);
	if (level == NESTED_LEVELS) {
		GBytes *b = pkg_finish(docx_new_text(title, text));
		g_free(text);
		g_free(title);
		return b;
	}
	char *para = w_para(text);
	char *body = g_strconcat(para,
		"<w:p><w:r><w:object w:dxaOrig=\"2880\" w:dyaOrig=\"1440\">"
		"<v:shape id=\"_x0000_i1025\" type=\"#_x0000_t75\" style=\"width:144pt;height:72pt\"/>"
		"<o:OLEObject Type=\"Embed\" ProgID=\"Word.Document.12\" ShapeID=\"_x0000_i1025\""
		" DrawAspect=\"Icon\" ObjectID=\"_1700000002\" r:id=\"rId10\"/>"
		"</w:object></w:r></w:p>", NULL);
	pkg *p = docx_new(title, body);
	GBytes *inner = nested_docx(level + 1);

	pkg_default(p, "docx", CT_DOCX);
	pkg_rel(p, "word/document.xml", "rId10", RT_EMBEDDED_PACKAGE,
		"embeddings/Microsoft_Word_Document.docx", false);
	pkg_part_bytes(p, "word/embeddings/Microsoft_Word_Document.docx", inner, NULL);
	g_bytes_unref(inner);
	g_free(para);
	g_free(body);
	g_free(text);
	g_free(title);
	return pkg_finish(p);
}

static GBytes *make_nested_20(void)
{
	return nested_docx(1);
}

typedef struct sample {
	const char *file;
	GBytes *(*make)(void);
} sample;

static const sample samples[] = {
	{"plain.docx", make_plain_docx},
	{"plain.xlsx", make_plain_xlsx},
	{"plain.pptx", make_plain_pptx},
	{"plain.doc", make_plain_doc},
	{"embedded-ole.docx", make_embedded_ole_docx},
	{"truncated.docx", make_truncated_docx},
	{"zipbomb-zero.zip", make_zipbomb_zero},
	{"cfb-fat-loop.doc", make_cfb_fat_loop},
	{"cfb-dir-past-end.doc", make_cfb_dir_past_end},
	{"nested-20.docx", make_nested_20},
};

static bool wanted(const char *file, int argc, char **argv)
{
	if (argc <= 2)
		return true;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], file) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gensamples OUTDIR [FILE...]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		size_t k = 0;
		while (k < G_N_ELEMENTS(samples) && strcmp(samples[k].file, argv[i]) != 0)
			k++;
		if (k == G_N_ELEMENTS(samples))
			die("no sample named %s", argv[i]);
	}
	gsf_init();
	if (g_mkdir_with_parents(argv[1], 0777) != 0)
		die("%s: %s", argv[1], g_strerror(errno));

	for (size_t i = 0; i < G_N_ELEMENTS(samples); i++) {
		if (!wanted(samples[i].file, argc, argv))
			continue;
		GBytes *b = samples[i].make();
		gsize len;
		const char *d = g_bytes_get_data(b, &len);
		char *path = g_build_filename(argv[1], samples[i].file, NULL);
		GError *err = NULL;
		if (!g_file_set_contents(path, d, (gssize)len, &err))
			die("%s", err->message);
		printf("%-24s %9" G_GSIZE_FORMAT " bytes\n", samples[i].file, len);
		g_free(path);
		g_bytes_unref(b);
	}
	gsf_shutdown();
	return 0;
}
