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
 * The builders live in modules (gen.h lists them): gen_pkg.c (ZIP, OPC),
 * gen_cfb.c (compound files), gen_rtf.c (RTF, OLE1, OLE streams); the
 * lure-chain samples of issue 3 are in gen_lures.c. This file keeps main,
 * the sample table, the first sample set and the byte helpers.
 *
 * Adding a sample: write one `GBytes *make_<name>(void)` (static here, or in
 * gen_lures.c declared in gen.h; use docx_new()/xlsx_new()/pptx_new() +
 * pkg_* for OOXML, cfb_new() + cfb_* for OLE2, rtf_document() + rtf_object()
 * for RTF, zb_* for a plain ZIP), add one line to samples[], run
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
#include "gen.h"
#include "genpe.h"

void die(const char *fmt, ...)
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

void put_bytes(GByteArray *b, const void *p, size_t n)
{
	g_byte_array_append(b, p, (guint)n);
}

void put_le16(GByteArray *b, guint16 v)
{
	guint8 x[2] = {v & 0xff, v >> 8};
	put_bytes(b, x, 2);
}

void put_le32(GByteArray *b, guint32 v)
{
	guint8 x[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
	put_bytes(b, x, 4);
}

void put_le64(GByteArray *b, guint64 v)
{
	put_le32(b, (guint32)(v & 0xffffffffu));
	put_le32(b, (guint32)(v >> 32));
}

void pad4(GByteArray *b, size_t from)
{
	while ((b->len - from) % 4 != 0)
		put_bytes(b, "", 1);
}

guint32 get_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

guint16 get_le16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

void set_le32(guint8 *p, guint32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

GBytes *byte_array_to_bytes(GByteArray *b)
{
	return g_byte_array_free_to_bytes(b);
}

/* Deterministic filler: xorshift32 from a fixed seed (never 0). */
void fill_pseudo(guint8 *p, size_t n, guint32 seed)
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
void fill_text(guint8 *p, size_t n, const char *text)
{
	size_t tl = strlen(text);
	for (size_t i = 0; i < n; i++)
		p[i] = (guint8)text[i % tl];
}

/* Parses "00020906-0000-0000-C000-000000000046" into the on-disk form
 * (MS-DTYP GUID: Data1..Data3 little-endian, Data4 as is). */
void clsid_parse(const char *s, guint8 out[16])
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
	/* Issue 3: the lure chains (gen_lures.c). */
	{"Overview_of_UWCs_UkraineInNATO_campaign-REPLICA.docx", make_romcom_replica},
	{"romcom-obfuscated.docx", make_romcom_obfuscated},
	{"template-http.docx", make_template_http},
	{"template-unc.docx", make_template_unc},
	{"template-mixedcase.docx", make_template_mixedcase},
	{"follina.docx", make_follina},
	{"mhtml.docx", make_mhtml},
	{"equation.rtf", make_equation_rtf},
	{"package.rtf", make_package_rtf},
	{"package.docx", make_package_docx},
	{"dde.docx", make_dde_docx},
	{"include-unc.docx", make_include_unc_docx},
	{"include-https.docx", make_include_https_docx},
	{"dde.doc", make_dde_doc},
	{"dde.rtf", make_dde_rtf},
	{"encrypted.docx", make_encrypted},
	{"nested-ole2link.docx", make_nested_ole2link},
	/* Issue 3: benign counterparts, all clean. */
	{"hyperlink.docx", make_hyperlink_docx},
	{"template-local.docx", make_template_local},
	{"template-file.docx", make_template_file},
	{"image.docx", make_image_docx},
	{"altchunk-html.docx", make_altchunk_html},
	{"benign.rtf", make_benign_rtf},
	{"hyperlink.xlsx", make_hyperlink_xlsx},
	{"hyperlink.pptx", make_hyperlink_pptx},
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
		size_t k = 0, p = 0;
		while (k < G_N_ELEMENTS(samples) && strcmp(samples[k].file, argv[i]) != 0)
			k++;
		while (p < genpe_nsamples && strcmp(genpe_samples[p].file, argv[i]) != 0)
			p++;
		if (k == G_N_ELEMENTS(samples) && p == genpe_nsamples)
			die("no sample named %s", argv[i]);
	}
	gsf_init();
	if (g_mkdir_with_parents(argv[1], 0777) != 0)
		die("%s: %s", argv[1], g_strerror(errno));

	for (size_t i = 0; i < G_N_ELEMENTS(samples) + genpe_nsamples; i++) {
		/* Issue 4: the payload PEs and rule fixtures (genpe.c) come last. */
		bool own = i < G_N_ELEMENTS(samples);
		sample one = own ? samples[i]
				 : (sample){genpe_samples[i - G_N_ELEMENTS(samples)].file,
					    genpe_samples[i - G_N_ELEMENTS(samples)].make};
		const sample *sm = &one;
		if (!wanted(sm->file, argc, argv))
			continue;
		GBytes *b = sm->make();
		gsize len;
		const char *d = g_bytes_get_data(b, &len);
		char *path = g_build_filename(argv[1], sm->file, NULL);
		GError *err = NULL;
		if (!g_file_set_contents(path, d, (gssize)len, &err))
			die("%s", err->message);
		printf("%-54s %9" G_GSIZE_FORMAT " bytes\n", sm->file, len);
		g_free(path);
		g_bytes_unref(b);
	}
	gsf_shutdown();
	return 0;
}
