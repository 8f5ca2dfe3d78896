/*
 * gen_rtf.c - RTF documents and the OLE structures they carry, for the
 * sample generator. See gen.h.
 *
 * An RTF object is {\object <flags> {\*\objclass ProgID} {\*\objdata hex}
 * {\result ...}}. The hex of \objdata decodes to an OLE1 record, the
 * MS-OLEDS 2.2.4 ObjectHeader:
 *
 *   OLEVersion u32 0x00000501 (01050000), FormatID u32 2 (embedded),
 *   ClassName LengthPrefixedAnsiString ("OLE2Link\0": 09000000 4f4c...00),
 *   TopicName and ItemName (empty: 00000000 each), NativeDataSize u32,
 *   NativeData: for OLE2 servers a whole compound file.
 *
 * For a link (the CVE-2017-0199 / CVE-2023-36884 shape) that compound file
 * holds "\x01Ole", the MS-OLEDS 2.3.3 OLEStream: Version 0x02000001, Flags
 * 1 (linked), LinkUpdateOption, Reserved1, three moniker streams each
 * preceded by its size (the size counts the MONIKERSTREAM and its own four
 * bytes, as Office writes it; 0 = absent), then ClsidIndicator, Clsid,
 * ReservedDisplayName, Reserved2 and three FILETIMEs. A MONIKERSTREAM is the
 * moniker's CLSID followed by the moniker's own serialisation (MS-OSHARED
 * 2.3.7): a URL moniker is a u32 byte length and a NUL-terminated UTF-16LE
 * URL; a file moniker is cAnti, the ANSI path, endServer 0xFFFF,
 * versionNumber 0xDEAD, 20 reserved bytes, then the Unicode path with its
 * sizes and usKeyValue 3.
 *
 * Packager objects ("Package") carry the Packager's native data instead;
 * inside an OLE2 container it is the "\x01Ole10Native" stream (MS-OLEDS
 * 2.3.6: u32 size, then the data).
 *
 * The obfuscated hex writer reproduces what lures do to defeat byte
 * signatures and regex-based extractors (oletools issues #572, #789):
 * whitespace and line breaks between nibbles, mixed case, control words
 * that Word ignores inside \objdata, ignorable {\*\...} groups holding
 * hex-looking junk that must not be decoded, and an odd trailing nibble that
 * Word drops. Its output decodes (as Word decodes it) to exactly the bytes
 * rtf_hex() writes.
 */
#include <string.h>
#include <glib.h>
#include "gen.h"

/* MS-OLEDS 2.2.4 ObjectHeader. */
#define OLE1_VERSION 0x00000501u
#define OLE1_FORMAT_EMBEDDED 0x00000002u
/* MS-OLEDS 2.3.3 OLEStream. */
#define OLESTREAM_VERSION 0x02000001u
#define OLESTREAM_FLAG_LINKED 0x00000001u
#define OLESTREAM_FLAG_EMBEDDED 0x00000000u
#define OLESTREAM_CLSID_INDICATOR 0xFFFFFFFFu
/* MS-OSHARED 2.3.7.6 URLMoniker and 2.3.7.8 FileMoniker. */
#define CLSID_URL_MONIKER "79EAC9E0-BAF9-11CE-8C82-00AA004BA90B"
#define CLSID_FILE_MONIKER "00000303-0000-0000-C000-000000000046"
#define FILE_MONIKER_END_SERVER 0xFFFFu
#define FILE_MONIKER_VERSION 0xDEADu
#define FILE_MONIKER_RESERVED1_SIZE 16u
#define FILE_MONIKER_KEY_VALUE 0x0003u
/* Packager native data (public layout, see src/analyzers/package.c). */
#define PACKAGER_TYPE 0x0002u
#define PACKAGER_ITEM_EMBEDDED 0x0003u
/* Hex bytes per line in \objdata, as Word writes it (128 characters). */
#define RTF_HEX_LINE 64u

/* ---- OLE1 objects ---- */

GBytes *ole1_embedded(const char *class_name, GBytes *native)
{
	GByteArray *b = g_byte_array_new();
	gsize len;
	const guint8 *d = g_bytes_get_data(native, &len);

	put_le32(b, OLE1_VERSION);
	put_le32(b, OLE1_FORMAT_EMBEDDED);
	put_ansi_string(b, class_name);
	put_le32(b, 0); /* TopicName: empty */
	put_le32(b, 0); /* ItemName: empty */
	put_le32(b, (guint32)len);
	put_bytes(b, d, len);
	return byte_array_to_bytes(b);
}

/* ---- monikers and OLE streams ---- */

/* Appends the ASCII string s as UTF-16LE, with a NUL when nul. */
static void put_utf16_ascii(GByteArray *b, const char *s, bool nul)
{
	for (const char *p = s; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			die("put_utf16_ascii: '%s' is not ASCII", s);
		put_le16(b, (guint8)*p);
	}
	if (nul)
		put_le16(b, 0);
}

static void put_clsid(GByteArray *b, const char *clsid)
{
	guint8 id[16];
	clsid_parse(clsid, id);
	put_bytes(b, id, sizeof(id));
}

GBytes *url_moniker(const char *url)
{
	GByteArray *b = g_byte_array_new();

	put_clsid(b, CLSID_URL_MONIKER);
	put_le32(b, (guint32)(strlen(url) + 1) * 2); /* Length: the URL and its NUL */
	put_utf16_ascii(b, url, true);
	return byte_array_to_bytes(b);
}

GBytes *file_moniker(const char *path)
{
	GByteArray *b = g_byte_array_new();
	guint8 reserved1[FILE_MONIKER_RESERVED1_SIZE] = {0};
	guint32 unicode_bytes = (guint32)strlen(path) * 2; /* no NUL in unicodePath */

	put_clsid(b, CLSID_FILE_MONIKER);
	put_le16(b, 0);                      /* cAnti */
	put_ansi_string(b, path);            /* ansiLength + ansiPath, NUL included */
	put_le16(b, FILE_MONIKER_END_SERVER);
	put_le16(b, FILE_MONIKER_VERSION);
	put_bytes(b, reserved1, sizeof(reserved1));
	put_le32(b, 0);                      /* reserved2 */
	put_le32(b, 4 + 2 + unicode_bytes);  /* cbUnicodePathSize */
	put_le32(b, unicode_bytes);          /* cbUnicodePathBytes */
	put_le16(b, FILE_MONIKER_KEY_VALUE); /* usKeyValue */
	put_utf16_ascii(b, path, false);     /* unicodePath */
	return byte_array_to_bytes(b);
}

GBytes *olestream_link(guint32 link_update_option, GBytes *moniker)
{
	GByteArray *b = g_byte_array_new();
	gsize len;
	const guint8 *m = g_bytes_get_data(moniker, &len);
	guint8 clsid_null[16] = {0};

	put_le32(b, OLESTREAM_VERSION);
	put_le32(b, OLESTREAM_FLAG_LINKED);
	put_le32(b, link_update_option);
	put_le32(b, 0);                  /* Reserved1 */
	put_le32(b, 0);                  /* ReservedMonikerStreamSize: none */
	put_le32(b, 0);                  /* RelativeSourceMonikerStreamSize: none */
	put_le32(b, 4 + (guint32)len);   /* AbsoluteSourceMonikerStreamSize */
	put_bytes(b, m, len);            /* AbsoluteSourceMonikerStream */
	put_le32(b, OLESTREAM_CLSID_INDICATOR);
	put_bytes(b, clsid_null, 16);    /* Clsid: not known */
	put_le32(b, 0);                  /* ReservedDisplayName: empty */
	put_le32(b, 0);                  /* Reserved2 */
	put_le64(b, 0);                  /* LocalUpdateTime */
	put_le64(b, 0);                  /* LocalCheckUpdateTime */
	put_le64(b, 0);                  /* RemoteUpdateTime */
	return byte_array_to_bytes(b);
}

GBytes *olestream_embedded(void)
{
	GByteArray *b = g_byte_array_new();

	put_le32(b, OLESTREAM_VERSION);
	put_le32(b, OLESTREAM_FLAG_EMBEDDED);
	put_le32(b, 0); /* LinkUpdateOption */
	put_le32(b, 0); /* Reserved1 */
	put_le32(b, 0); /* ReservedMonikerStreamSize */
	return byte_array_to_bytes(b);
}

GBytes *link_object_cfb(const char *root_clsid, guint32 link_update_option, GBytes *moniker)
{
	cfb *c = cfb_new(root_clsid);
	GBytes *ole = olestream_link(link_update_option, moniker);

	cfb_stream_bytes(c, "\001Ole", ole);
	g_bytes_unref(ole);
	return cfb_finish(c);
}

/* ---- Packager ---- */

static void put_cstring(GByteArray *b, const char *s)
{
	put_bytes(b, s, strlen(s) + 1);
}

GBytes *packager_native(const char *label, const char *source_path, const char *temp_path,
			const void *data, size_t len)
{
	GByteArray *b = g_byte_array_new();

	put_le16(b, PACKAGER_TYPE);
	put_cstring(b, label);
	put_cstring(b, source_path);
	put_le16(b, 0);                      /* Reserved */
	put_le16(b, PACKAGER_ITEM_EMBEDDED); /* ItemType */
	put_le32(b, (guint32)strlen(temp_path) + 1);
	put_cstring(b, temp_path);
	put_le32(b, (guint32)len);
	put_bytes(b, data, len);
	return byte_array_to_bytes(b);
}

GBytes *ole10native_stream(GBytes *native)
{
	GByteArray *b = g_byte_array_new();
	gsize len;
	const guint8 *d = g_bytes_get_data(native, &len);

	put_le32(b, (guint32)len); /* NativeDataSize */
	put_bytes(b, d, len);
	return byte_array_to_bytes(b);
}

/* ---- RTF text ---- */

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

char *rtf_hex(GBytes *b)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(b, &len);
	GString *s = g_string_sized_new(len * 2 + len / RTF_HEX_LINE * 2 + 2);

	for (gsize i = 0; i < len; i++) {
		if (i > 0 && i % RTF_HEX_LINE == 0)
			g_string_append(s, "\r\n");
		g_string_append_c(s, hex_lower[d[i] >> 4]);
		g_string_append_c(s, hex_lower[d[i] & 0xf]);
	}
	return g_string_free(s, FALSE);
}

/* What goes between two nibbles now and then. Every entry decodes to
 * nothing: control words end with their delimiting space (so a following
 * digit is not taken as their parameter), and the {\*\...} groups are
 * ignorable destinations whose hex-looking text Word skips. */
static const char *const hex_junk[] = {
	" ", "\t", "\r\n", "  \r\n\t", "\r\n\r\n",
	"\\par ", "\\bkmkstart x ", "\\pard\\plain ",
	"{\\*\\bkmkstart c0ffee}", "{\\*\\lurejunk 0105000002000000}", "{\\*\\datastore 4f4c45}",
};

/* One in OBFUSCATION_RATE nibbles (on average) is followed by junk. */
#define OBFUSCATION_RATE 6u

char *rtf_hex_obfuscated(GBytes *b, guint32 seed)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(b, &len);
	GString *s = g_string_sized_new(len * 4);
	guint32 x = seed != 0 ? seed : 0x2545f491u;

	for (gsize i = 0; i < len * 2; i++) {
		guint8 nib = i % 2 == 0 ? d[i / 2] >> 4 : d[i / 2] & 0xf;
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		g_string_append_c(s, (x & 1) != 0 ? hex_upper[nib] : hex_lower[nib]);
		if ((x >> 8) % OBFUSCATION_RATE == 0)
			g_string_append(s, hex_junk[(x >> 16) % G_N_ELEMENTS(hex_junk)]);
	}
	/* An odd trailing nibble: dropped by Word. */
	g_string_append(s, "\r\nF");
	return g_string_free(s, FALSE);
}

char *rtf_object(const char *flags, const char *objclass, const char *hex,
		 const char *result_text)
{
	return g_strdup_printf("{\\object%s\\objw1440\\objh720{\\*\\objclass %s}"
			       "{\\*\\objdata\r\n%s\r\n}"
			       "{\\result{\\pard\\plain\\f0\\fs22 %s\\par}}}\r\n",
			       flags, objclass, hex, result_text);
}

char *rtf_document(const char *header_word, const char *title, const char *body)
{
	return g_strdup_printf("{%s\\ansi\\ansicpg1252\\deff0\\deflang1033\r\n"
			       "{\\fonttbl{\\f0\\fswiss\\fcharset0 Calibri;}}\r\n"
			       "{\\info{\\title %s}{\\author lurescan gensamples}"
			       "{\\company Example Corp}}\r\n"
			       "\\viewkind4\\uc1\\pard\\plain\\f0\\fs22\r\n"
			       "%s"
			       "\\pard\\plain\\f0\\fs22\\par\r\n}\r\n",
			       header_word, title, body);
}
