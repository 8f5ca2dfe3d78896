/*
 * gen.h - what the modules of the sample generator (tests/gen/gensamples)
 * share. The generator is a test program, not part of the library: its
 * helpers keep the short names samples/README.md documents (docx_new,
 * pkg_part, cfb_stream, ...).
 *
 *   gensamples.c  main, the sample table, the first sample set, and the
 *                 byte helpers below;
 *   gen_pkg.c     ZIP archives (libzip) and OPC packages (docx, xlsx, pptx);
 *   gen_cfb.c     compound files (libgsf), CompObj and property set
 *                 streams, the Word 97 look-alike, patching finished CFBs;
 *   gen_rtf.c     RTF documents, OLE1 objects (MS-OLEDS ObjectHeader),
 *                 OLEStreams with monikers, Ole10Native / Packager data;
 *   gen_lures.c   the lure-chain samples (issue 3): the RomCom replica and
 *                 its relatives, and their benign counterparts.
 *
 * Every builder returns new memory: GBytes and char* results belong to the
 * caller (g_bytes_unref, g_free); a pkg or cfb is consumed by its _finish().
 * Errors never return: die() ends the program.
 */
#ifndef LURE_GEN_H
#define LURE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* ------------------------------------------------------------------ */
/* gensamples.c: diagnostics and little-endian byte building           */
/* ------------------------------------------------------------------ */

/* Prints "gensamples: <message>" and exits 1. */
G_GNUC_NORETURN G_GNUC_PRINTF(1, 2) void die(const char *fmt, ...);

void put_bytes(GByteArray *b, const void *p, size_t n);
void put_le16(GByteArray *b, guint16 v);
void put_le32(GByteArray *b, guint32 v);
void put_le64(GByteArray *b, guint64 v);
/* Appends zero bytes until (b->len - from) is a multiple of 4. */
void pad4(GByteArray *b, size_t from);
guint32 get_le32(const guint8 *p);
guint16 get_le16(const guint8 *p);
void set_le32(guint8 *p, guint32 v);
/* Frees b and returns its bytes. */
GBytes *byte_array_to_bytes(GByteArray *b);
/* Deterministic filler: xorshift32 from a fixed seed (0 picks a default). */
void fill_pseudo(guint8 *p, size_t n, guint32 seed);
/* Repeats text over p[0..n). */
void fill_text(guint8 *p, size_t n, const char *text);
/* Parses "00020906-0000-0000-C000-000000000046" into the on-disk form
 * (MS-DTYP GUID: Data1..Data3 little-endian, Data4 as is); dies when bad. */
void clsid_parse(const char *s, guint8 out[16]);

/* ------------------------------------------------------------------ */
/* gen_pkg.c: ZIP archives and OPC packages                            */
/* ------------------------------------------------------------------ */

typedef struct zbuild zbuild;

/* A new, empty archive; zb_finish() builds and frees it. */
zbuild *zb_new(void);
/* Appends an entry holding a copy of data[0..len), compressed by method
 * (ZIP_CM_DEFLATE or ZIP_CM_STORE). */
void zb_add_method(zbuild *zb, const char *name, const void *data, size_t len, gint32 method);
void zb_add(zbuild *zb, const char *name, const void *data, size_t len);
void zb_add_bytes(zbuild *zb, const char *name, GBytes *b);
/* Appends a deflated entry of n zero bytes, produced while writing. */
void zb_add_zeros(zbuild *zb, const char *name, guint64 n);
/* Builds the archive, frees zb, and returns its bytes. */
GBytes *zb_finish(zbuild *zb);

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
/* ECMA-376 Part 1, 15.2.1 Alternative Format Import Part. */
#define RT_AFCHUNK RT_OFFICE "aFChunk"
/* Part 1, 15.2.13 (settings: 17.15.1.6 attachedTemplate). */
#define RT_ATTACHED_TEMPLATE RT_OFFICE "attachedTemplate"
#define RT_HYPERLINK RT_OFFICE "hyperlink"
#define RT_IMAGE RT_OFFICE "image"

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
#define CT_RTF "application/rtf"
#define CT_HTML "text/html"
#define CT_PNG "image/png"

/* Namespaces of the WordprocessingML, SpreadsheetML and PresentationML
 * root elements the templates write. */
#define W_NS \
	" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
	" xmlns:v=\"urn:schemas-microsoft-com:vml\"" \
	" xmlns:o=\"urn:schemas-microsoft-com:office:office\""
#define X_NS \
	" xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define P_NS \
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
	" xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""
#define P_SPTREE_HEAD \
	"<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>" \
	"<p:grpSpPr/>"

typedef struct pkg pkg;

/* A new package with the two defaults every package has (rels, xml).
 * pkg_finish() builds and frees it. */
pkg *pkg_new(void);
/* Adds <Default Extension=ext ContentType=ct/> (once). */
void pkg_default(pkg *p, const char *ext, const char *ct);
/* Adds the part name (no leading '/') with a copy of data, or replaces the
 * bytes of an existing part of that name (keeping its place). ct, when not
 * NULL, becomes (or replaces) the <Override> for it. */
void pkg_part(pkg *p, const char *name, const void *data, size_t len, const char *ct);
void pkg_part_str(pkg *p, const char *name, const char *text, const char *ct);
void pkg_part_bytes(pkg *p, const char *name, GBytes *b, const char *ct);
/* Adds a relationship of the part source ("" = the package) to target,
 * written as is (XML-escaped; relative to the source's folder), with
 * TargetMode="External" when external. */
void pkg_rel(pkg *p, const char *source, const char *id, const char *type, const char *target,
	     bool external);
/* Writes the package into a ZIP and frees p. */
GBytes *pkg_finish(pkg *p);

/* One paragraph of plain text (escaped), newly allocated. */
char *w_para(const char *text);
/* A minimal Word package: word/document.xml holding body_xml (the section
 * properties are appended), word/styles.xml (rId1), word/settings.xml
 * (rId2), docProps with dc:title = title. Relationships of the caller from
 * rId10 on. */
pkg *docx_new(const char *title, const char *body_xml);
/* A docx whose body is one paragraph of text. */
pkg *docx_new_text(const char *title, const char *text);
/* A minimal Excel package whose sheet xl/worksheets/sheet1.xml holds
 * sheet_data_xml in <sheetData>; workbook relationships from rId10 on. */
pkg *xlsx_new(const char *title, const char *sheet_data_xml);
/* A minimal PowerPoint package, one slide whose title says title_text;
 * slide relationships from rId10 on. */
pkg *pptx_new(const char *title, const char *title_text);

/* ------------------------------------------------------------------ */
/* gen_cfb.c: compound files                                           */
/* ------------------------------------------------------------------ */

typedef struct cfb cfb;

/* A new compound file whose root storage has the CLSID root_clsid (NULL:
 * all zeros). cfb_finish() builds and frees it. */
cfb *cfb_new(const char *root_clsid);
/* Adds a stream at path ('/'-separated; storages in it are created as
 * needed) holding a copy of data[0..len). */
void cfb_stream(cfb *c, const char *path, const void *data, size_t len);
void cfb_stream_bytes(cfb *c, const char *path, GBytes *b);
/* Declares the storage at path with CLSID clsid; declare a storage before
 * its streams. */
void cfb_storage(cfb *c, const char *path, const char *clsid);
/* Writes the compound file, frees c, and returns its bytes. */
GBytes *cfb_finish(cfb *c);

/* LengthPrefixedAnsiString (MS-OLEDS 2.1.4): u32 length counting the NUL. */
void put_ansi_string(GByteArray *b, const char *s);
/* A "\x01CompObj" stream (MS-OLEDS 2.3.8 CompObjStream) naming the class. */
GBytes *compobj_stream(const char *clsid, const char *user_type, const char *clipboard,
		       const char *prog_id);

/* MS-OLEPS: the property set format ids of the two summary streams. */
#define FMTID_SUMMARY_INFORMATION "F29F85E0-4FF9-1068-AB91-08002B27B3D9"
#define FMTID_DOC_SUMMARY_INFORMATION "D5CDD502-2E9C-101B-9397-08002B2CF9AE"
#define PID_CODEPAGE 0x0001u

typedef struct prop {
	guint32 pid;
	const char *str; /* VT_LPSTR value; NULL for the codepage (VT_I2 1252) */
} prop;

/* A property set stream (MS-OLEPS 2.21) of format fmtid. */
GBytes *propset_stream(const char *fmtid, const prop *props, size_t n);

#define CLSID_WORD_DOCUMENT_8 "00020906-0000-0000-C000-000000000046"
#define CLSID_EXCEL_SHEET_8 "00020820-0000-0000-C000-000000000046"
/* The size of the Word 97 look-alike's "WordDocument" stream, and the
 * offset where its text starts. */
#define WORDDOC_STREAM_SIZE 6144u
#define WORDDOC_TEXT_OFFSET 0x600u

/* The streams of a Word 97-like document ("WordDocument" with the FIB
 * magic and text repeated from WORDDOC_TEXT_OFFSET, "1Table", the two
 * summary streams, "\x01CompObj"), summary title "lurescan sample". */
cfb *word97_cfb(const char *text);
/* The same with the summary title title and, when field is not NULL,
 * field[0..field_len) written over the text at WORDDOC_TEXT_OFFSET. */
cfb *word97_cfb_with(const char *text, const char *title, const void *field, size_t field_len);

/* Patching a finished compound file (MS-CFB 2.2, 2.3, 2.6). */
#define CFB_DIRENT_START 0x74

typedef struct cfb_img {
	guint8 *d;
	size_t len;
	size_t ssz; /* sector size */
} cfb_img;

cfb_img cfb_img_open(guint8 *d, size_t len);
/* Offset of FAT entry s (only the 109 header DIFAT entries are used). */
size_t cfb_fat_entry(const cfb_img *c, guint32 s);
/* The directory entry named name (ASCII) in the directory chain. */
guint8 *cfb_dirent(const cfb_img *c, const char *name);

/* ------------------------------------------------------------------ */
/* gen_rtf.c: RTF documents, OLE1 objects, OLE streams                 */
/* ------------------------------------------------------------------ */

/* MS-OLEDS 2.3.3 LinkUpdateOption. */
#define OLEUPDATE_ALWAYS 1u
#define OLEUPDATE_ONCALL 3u

/* An OLE1 EmbeddedObject (MS-OLEDS 2.2.4 ObjectHeader + 2.2.5): OLEVersion
 * 0x00000501, FormatID 2, ClassName class_name, empty TopicName and
 * ItemName, NativeDataSize, native. */
GBytes *ole1_embedded(const char *class_name, GBytes *native);
/* A URL moniker's MONIKERSTREAM (MS-OSHARED 2.3.7.6): CLSID, u32 byte
 * length, the URL as NUL-terminated UTF-16LE (ASCII url). */
GBytes *url_moniker(const char *url);
/* A file moniker's MONIKERSTREAM (MS-OSHARED 2.3.7.8) for the ASCII
 * path: the ANSI path and the same path as Unicode. */
GBytes *file_moniker(const char *path);
/* The "\x01Ole" stream of a linked object (MS-OLEDS 2.3.3): Flags 1, the
 * given LinkUpdateOption, no reserved or relative moniker, moniker as
 * AbsoluteSourceMonikerStream, then the optional trailer (ClsidIndicator,
 * CLSID_NULL, empty display name, zero times). */
GBytes *olestream_link(guint32 link_update_option, GBytes *moniker);
/* The "\x01Ole" stream of an embedded object: 20 bytes, no moniker. */
GBytes *olestream_embedded(void);
/* A compound file with root CLSID root_clsid holding one "\x01Ole" stream:
 * the native data of a linked object whose source is moniker. */
GBytes *link_object_cfb(const char *root_clsid, guint32 link_update_option, GBytes *moniker);
/* The Packager's native data (public layout; see package.c): u16 2, label,
 * source path, u16 0, u16 3, u32 + temp path, u32 + data. */
GBytes *packager_native(const char *label, const char *source_path, const char *temp_path,
			const void *data, size_t len);
/* An "\x01Ole10Native" stream (MS-OLEDS 2.3.6): u32 size, then native. */
GBytes *ole10native_stream(GBytes *native);

/* b as lower-case hex, a line break every 64 bytes (as Word writes it). */
char *rtf_hex(GBytes *b);
/* b as hex the way lures write it, for the same decoded bytes: mixed case,
 * spaces, tabs and CRLF at arbitrary places (also between two nibbles),
 * ignored control words (\par, \bkmkstart x), ignorable {\*\...} groups
 * holding hex-looking junk, and an odd trailing nibble. Deterministic for
 * a given seed. */
char *rtf_hex_obfuscated(GBytes *b, guint32 seed);
/* One {\object ...} group: flags (control words, e.g. "\\objautlink"),
 * {\*\objclass objclass}, {\*\objdata hex}, {\result result_text}. */
char *rtf_object(const char *flags, const char *objclass, const char *hex,
		 const char *result_text);
/* A whole RTF document: header (with header_word, "\\rtf1" normally),
 * font table, {\info{\title title}}, then body and a closing paragraph. */
char *rtf_document(const char *header_word, const char *title, const char *body);

/* ------------------------------------------------------------------ */
/* gen_lures.c: the lure-chain samples                                 */
/* ------------------------------------------------------------------ */

GBytes *make_romcom_replica(void);
GBytes *make_romcom_obfuscated(void);
GBytes *make_template_http(void);
GBytes *make_template_unc(void);
GBytes *make_template_mixedcase(void);
GBytes *make_follina(void);
GBytes *make_mhtml(void);
GBytes *make_equation_rtf(void);
GBytes *make_package_rtf(void);
GBytes *make_package_docx(void);
GBytes *make_dde_docx(void);
GBytes *make_include_unc_docx(void);
GBytes *make_include_https_docx(void);
GBytes *make_dde_doc(void);
GBytes *make_dde_rtf(void);
GBytes *make_encrypted(void);
GBytes *make_nested_ole2link(void);
GBytes *make_hyperlink_docx(void);
GBytes *make_template_local(void);
GBytes *make_template_file(void);
GBytes *make_image_docx(void);
GBytes *make_altchunk_html(void);
GBytes *make_benign_rtf(void);
GBytes *make_hyperlink_xlsx(void);
GBytes *make_hyperlink_pptx(void);

#endif
