/*
 * gen_pkg.c - ZIP archives (libzip, in memory) and OPC packages: the
 * docx, xlsx and pptx templates of the sample generator. See gen.h.
 *
 * ZIP entries get the DOS time 1980-01-01 00:00 (what Office writes), host
 * "MS-DOS" with zero external attributes, and an explicit deflate level,
 * in a fixed order, so the bytes are the same on every run. The deflated
 * bytes come from zlib: a different deflate implementation (zlib-ng) gives
 * different, equally valid, bytes.
 *
 * A package is written as ECMA-376 Part 2 lays it out: [Content_Types].xml
 * first, then _rels/.rels, then each part followed by its own relationships
 * part.
 */
#include <string.h>
#include <glib.h>
#include <zip.h>
#include "gen.h"

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
zbuild *zb_new(void)
{
	zbuild *zb = g_new0(zbuild, 1);
	zb->entries = g_ptr_array_new_with_free_func(zentry_free);
	return zb;
}

/* Appends an entry holding a copy of data[0..len), compressed by method. */
void zb_add_method(zbuild *zb, const char *name, const void *data, size_t len,
			  gint32 method)
{
	zentry *e = g_new0(zentry, 1);
	e->name = g_strdup(name);
	e->data = g_memdup2(data != NULL ? data : "", len);
	e->len = len;
	e->method = method;
	g_ptr_array_add(zb->entries, e);
}

void zb_add(zbuild *zb, const char *name, const void *data, size_t len)
{
	zb_add_method(zb, name, data, len, ZIP_CM_DEFLATE);
}

void zb_add_bytes(zbuild *zb, const char *name, GBytes *b)
{
	gsize len;
	const void *p = g_bytes_get_data(b, &len);
	zb_add(zb, name, p, len);
}

/* Appends a deflated entry of n zero bytes, produced while writing (never
 * held in memory). */
void zb_add_zeros(zbuild *zb, const char *name, guint64 n)
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
GBytes *zb_finish(zbuild *zb)
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
pkg *pkg_new(void)
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
void pkg_default(pkg *p, const char *ext, const char *ct)
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
void pkg_part(pkg *p, const char *name, const void *data, size_t len, const char *ct)
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

void pkg_part_str(pkg *p, const char *name, const char *text, const char *ct)
{
	pkg_part(p, name, text, strlen(text), ct);
}

void pkg_part_bytes(pkg *p, const char *name, GBytes *b, const char *ct)
{
	gsize len;
	const void *d = g_bytes_get_data(b, &len);
	pkg_part(p, name, d, len, ct);
}

/* Adds a relationship of the part source ("" = the package) to target,
 * written as is (relative to the source's folder), External when external. */
void pkg_rel(pkg *p, const char *source, const char *id, const char *type,
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
		/* Targets may hold '&' (query strings): escape them. */
		char *target = g_markup_escape_text(r->target, -1);
		g_string_append_printf(x, "<Relationship Id=\"%s\" Type=\"%s\" Target=\"%s\"%s/>",
				       r->id, r->type, target,
				       r->external ? " TargetMode=\"External\"" : "");
		g_free(target);
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
GBytes *pkg_finish(pkg *p)
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
char *w_para(const char *text)
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
pkg *docx_new(const char *title, const char *body_xml)
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
pkg *docx_new_text(const char *title, const char *text)
{
	char *para = w_para(text);
	pkg *p = docx_new(title, para);
	g_free(para);
	return p;
}

/* ---- SpreadsheetML ---- */

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
pkg *xlsx_new(const char *title, const char *sheet_data_xml)
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
pkg *pptx_new(const char *title, const char *title_text)
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
