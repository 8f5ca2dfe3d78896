/*
 * gen_cfb.c - compound files for the sample generator: libgsf's MS-OLE
 * writer (GsfOutfileMSOle) over a GsfOutputMemory, which writes no
 * timestamps and takes the CLSIDs we give it, so the bytes are the same on
 * every run. Also the usual stream contents (CompObj, property sets), the
 * Word 97 look-alike, and helpers to patch a finished file. See gen.h.
 */
#include <string.h>
#include <glib.h>
#include <gsf/gsf-utils.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include "gen.h"

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
cfb *cfb_new(const char *root_clsid)
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
void cfb_stream(cfb *c, const char *path, const void *data, size_t len)
{
	cfb_item *it = g_new0(cfb_item, 1);
	it->path = g_strdup(path);
	it->data = g_bytes_new(data, len);
	g_ptr_array_add(c->items, it);
}

void cfb_stream_bytes(cfb *c, const char *path, GBytes *b)
{
	gsize len;
	const void *d = g_bytes_get_data(b, &len);
	cfb_stream(c, path, d, len);
}

/* Declares the storage at path with CLSID clsid; declare a storage before
 * its streams. */
void cfb_storage(cfb *c, const char *path, const char *clsid)
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
GBytes *cfb_finish(cfb *c)
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

void put_ansi_string(GByteArray *b, const char *s)
{
	/* LengthPrefixedAnsiString: the length counts the terminating NUL. */
	put_le32(b, (guint32)strlen(s) + 1);
	put_bytes(b, s, strlen(s) + 1);
}

/* A "\x01CompObj" stream (MS-OLEDS 2.3.8 CompObjStream) naming the class. */
GBytes *compobj_stream(const char *clsid, const char *user_type, const char *clipboard,
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
#define PROPSET_BYTE_ORDER 0xFFFEu
#define PROPSET_SYSTEM_ID 0x00020006u /* Win32, OS version 6.0 */
#define VT_I2 0x0002u
#define VT_LPSTR 0x001Eu
#define CODEPAGE_1252 1252u

/* A property set stream (MS-OLEPS 2.21 PropertySetStream) with one set of
 * format fmtid holding the codepage and the given string properties. */
GBytes *propset_stream(const char *fmtid, const prop *props, size_t n)
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

/* MS-DOC 2.5.1 FibBase.wIdent, and the nFib of Word 97. */
#define FIB_WIDENT 0xA5ECu
#define FIB_NFIB_WORD97 0x00C1u
/* "1Table" lives in the mini stream, "WordDocument" (gen.h) in the FAT:
 * sizes on either side of the 4096-byte mini stream cutoff. */
#define TABLE_STREAM_SIZE 1536u

/* The streams of a Word 97-like document: "WordDocument" (FIB magic, then
 * synthetic text; larger than the mini stream cutoff), "1Table",
 * the two summary streams and "\x01CompObj". */
cfb *word97_cfb(const char *text)
{
	return word97_cfb_with(text, "lurescan sample", NULL, 0);
}

cfb *word97_cfb_with(const char *text, const char *title, const void *field, size_t field_len)
{
	cfb *c = cfb_new(CLSID_WORD_DOCUMENT_8);
	guint8 *wd = g_malloc0(WORDDOC_STREAM_SIZE);
	guint8 *tbl = g_malloc(TABLE_STREAM_SIZE);

	if (field_len > WORDDOC_STREAM_SIZE - WORDDOC_TEXT_OFFSET)
		die("field text too long for the WordDocument stream");
	wd[0] = FIB_WIDENT & 0xff;
	wd[1] = FIB_WIDENT >> 8;
	wd[2] = FIB_NFIB_WORD97 & 0xff;
	wd[3] = FIB_NFIB_WORD97 >> 8;
	fill_pseudo(wd + 32, WORDDOC_TEXT_OFFSET - 32, 0x57444f43u);
	fill_text(wd + WORDDOC_TEXT_OFFSET, WORDDOC_STREAM_SIZE - WORDDOC_TEXT_OFFSET, text);
	if (field != NULL)
		memcpy(wd + WORDDOC_TEXT_OFFSET, field, field_len);
	fill_pseudo(tbl, TABLE_STREAM_SIZE, 0x31546162u);

	const prop summary[] = {
		{PID_CODEPAGE, NULL},
		{0x02, title},               /* PIDSI_TITLE */
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
#define CFB_MAXREGSECT 0xFFFFFFFAu

cfb_img cfb_img_open(guint8 *d, size_t len)
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
size_t cfb_fat_entry(const cfb_img *c, guint32 s)
{
	size_t per = c->ssz / 4;
	size_t i = s / per;
	if (i >= CFB_HDR_DIFAT_COUNT)
		die("FAT entry %u beyond the header DIFAT", s);
	return cfb_sector(c, get_le32(c->d + CFB_HDR_DIFAT + 4 * i)) + (s % per) * 4;
}

/* The directory entry named name (ASCII) in the directory chain. */
guint8 *cfb_dirent(const cfb_img *c, const char *name)
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
