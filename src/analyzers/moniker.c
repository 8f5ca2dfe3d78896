/*
 * moniker.c - link monikers in OLEStream ("\x01Ole") streams: the heart of
 * CVE-2017-0199 and of the RomCom chain's CVE-2023-36884 stage.
 *
 * The format. An OLE object's storage holds "\x01Ole", the OLEStream
 * (MS-OLEDS 2.3.3). For a linked object it says where the link points:
 *
 *   Version                 u32  0x02000001
 *   Flags                   u32  bit 0: linked (else embedded)
 *   LinkUpdateOption        u32  1 = always (automatic), 3 = on call
 *   Reserved1               u32
 *   ReservedMonikerStreamSize       u32, then a MONIKERSTREAM of that size
 *   RelativeSourceMonikerStreamSize u32, then a MONIKERSTREAM  (linked only)
 *   AbsoluteSourceMonikerStreamSize u32, then a MONIKERSTREAM  (linked only)
 *   ClsidIndicator          u32  0xFFFFFFFF, then Clsid (16 bytes): the class
 *                                of the linked object
 *   ReservedDisplayName, Reserved2, LocalUpdateTime, LocalCheckUpdateTime,
 *   RemoteUpdateTime        (not needed)
 *
 * Each size counts the MONIKERSTREAM plus the size field itself; 0 means
 * absent. A MONIKERSTREAM (2.3.2) is the CLSID of a moniker class followed
 * by that class's own serialisation (MS-OSHARED 2.3.7):
 *   URL moniker {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}: u32 Length, then
 *       Length bytes: a NUL-terminated UTF-16LE URL, optionally followed by
 *       SerialGUID, SerialVersion and URIFlags.
 *   File moniker {00000303-...-46}: cAnti u16, ansiLength u32, ansiPath,
 *       endServer u16, versionNumber u16 (0xDEAD), reserved1 (16 bytes),
 *       reserved2 u32, cbUnicodePathSize u32 and, when it is not 0,
 *       cbUnicodePathBytes u32, usKeyValue u16 (3) and the UTF-16LE path.
 *   Item moniker {00000304-...}: delimiterLength u32 + delimiterAnsi
 *       (NUL-terminated) + optional delimiterUnicode, then the same for
 *       the item.
 *   Composite moniker {00000309-...}: u32 count, then that many
 *       (CLSID + data) pairs; nothing gives their sizes, so an unknown
 *       class inside ends the walk.
 *   Anti {00000305-...}: u32 count. Pointer {00000306-...}: nothing.
 *   Class moniker {0000031A-...}: CLSID, u32 cbExtra, extra bytes.
 *   SOAP, script and new monikers have no public layout: we report the
 *   class and take the first UTF-16 string after the CLSID as the target.
 *
 * How we walk it. A bounded cursor reads the header and the three moniker
 * streams; each MONIKERSTREAM is decoded recursively with bounds on the
 * nesting (LURE_MONIKER_MAX_DEPTH), the monikers decoded
 * (LURE_MONIKER_MAX_TOTAL), the targets kept (LURE_MONIKER_MAX_LINKS) and
 * the characters copied (MONIKER_MAX_TARGET_BYTES). Each distinct target
 * becomes an ole.link_moniker finding on the stream, judged by the shared
 * target normaliser: high when remote (http(s), UNC, remote file:) or when
 * the class exists only to run script (SOAP, script monikers), medium
 * otherwise. A lone item moniker names a part of the container, not a
 * place: it is reported only if its text is itself a remote target.
 *
 * Evasions. Exploit builders write these streams by hand and Office is
 * lenient, so real lures carry wrong Versions, sizes that do not add up,
 * sizes that leave out their own 4 bytes, and truncated trailers. We read
 * past a wrong Version, decode each moniker against the rest of the stream
 * (not only its declared size: the moniker's own lengths delimit it), stop
 * quietly at missing trailing fields, and when the structure still fails,
 * or yields nothing, fall back to finding the moniker CLSIDs' bytes
 * anywhere in the stream and decoding what follows them
 * (lure_moniker_carve). Trouble in the structure is one
 * container.malformed on the stream. A file moniker may carry different
 * ANSI and Unicode paths (Windows uses the Unicode one): both are
 * reported. Unpaired UTF-16 surrogates become U+FFFD.
 */
#include <string.h>
#include <glib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "formats/ole2.h"
#include "clsid.h"
#include "moniker.h"
#include "target.h"

/* Targets longer than this many UTF-16 bytes are cut when copied: long
 * enough for any path Windows accepts that matters (MAX_PATH, URLs of a
 * few KB), short enough to bound the work on hostile streams. */
#define MONIKER_MAX_TARGET_BYTES (16u * 1024u)
/* Bytes searched for the string of a SOAP/script/new moniker. */
#define MONIKER_STRING_SEARCH 4096u
/* Shortest UTF-16 run taken as that string. */
#define MONIKER_STRING_MIN_CHARS 4u
/* ClsidIndicator value announcing Clsid. */
#define OLESTREAM_CLSID_INDICATOR 0xFFFFFFFFu
/* LinkUpdateOption values (MS-OLEDS 2.3.3). */
#define OLEUPDATE_ALWAYS 1u
#define OLEUPDATE_ONCALL 3u

#define REMOTE_LINK_CVE "CVE-2017-0199, CVE-2023-36884"

typedef enum mk_class {
	MK_UNKNOWN = 0,
	MK_URL,
	MK_FILE,
	MK_ITEM,
	MK_ANTI,
	MK_POINTER,
	MK_COMPOSITE,
	MK_CLASS,
	MK_SOAP,
	MK_SCRIPT,
	MK_NEW,
} mk_class;

/* The moniker classes, as their CLSIDs are stored (Data1-3 little-endian). */
static const struct {
	mk_class cls;
	const char *kind;
	uint8_t clsid[16];
} moniker_classes[] = {
	{MK_URL, "url", {0xE0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11,
			 0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B}},
	{MK_FILE, "file", {0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			   0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_ITEM, "item", {0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			   0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_ANTI, "anti", {0x05, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			   0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_POINTER, "pointer", {0x06, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_COMPOSITE, "composite", {0x09, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				     0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_CLASS, "class", {0x1A, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			     0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}},
	{MK_SOAP, "soap", {0xC7, 0xB0, 0xAB, 0xEC, 0x19, 0x7F, 0xD2, 0x11,
			   0x97, 0x8E, 0x00, 0x00, 0xF8, 0x75, 0x7E, 0x2A}},
	{MK_SCRIPT, "script", {0xD3, 0x0B, 0x29, 0x06, 0xAA, 0x48, 0xD2, 0x11,
			       0x84, 0x32, 0x00, 0x60, 0x08, 0xC3, 0xFB, 0xFC}},
	{MK_NEW, "new", {0xC6, 0xAF, 0xAB, 0xEC, 0x19, 0x7F, 0xD2, 0x11,
			 0x97, 0x8E, 0x00, 0x00, 0xF8, 0x75, 0x7E, 0x2A}},
};

/* The classes the fallback scan looks for. */
static const mk_class carve_classes[] = {MK_URL, MK_FILE, MK_SOAP, MK_SCRIPT};

static mk_class classify(const uint8_t raw[16], const char **kind)
{
	for (size_t i = 0; i < G_N_ELEMENTS(moniker_classes); i++) {
		if (memcmp(raw, moniker_classes[i].clsid, 16) == 0) {
			*kind = moniker_classes[i].kind;
			return moniker_classes[i].cls;
		}
	}
	*kind = "unknown";
	return MK_UNKNOWN;
}

/* ------------------------------------------------------------------------
 * Results.
 */

static void link_free(gpointer p)
{
	lure_moniker_link *l = p;
	if (l == NULL)
		return;
	g_free(l->target);
	g_free(l->item);
	g_free(l);
}

void lure_olestream_init(lure_olestream *s)
{
	memset(s, 0, sizeof(*s));
	s->links = g_ptr_array_new_with_free_func(link_free);
}

void lure_olestream_clear(lure_olestream *s)
{
	if (s == NULL)
		return;
	if (s->links != NULL)
		g_ptr_array_free(s->links, TRUE);
	memset(s, 0, sizeof(*s));
}

/* Records the first problem; returns err. */
static lure_error problem(lure_olestream *s, lure_error err, const char *why)
{
	if (s->err == LURE_OK) {
		s->err = err;
		s->problem = why;
	}
	return err;
}

/* One decoding pass: one MONIKERSTREAM and what nests in it. */
typedef struct mk_ctx {
	lure_olestream *s;
	const char *field;
	unsigned depth;   /* composite nesting */
	unsigned budget;  /* monikers this pass may still decode */
} mk_ctx;

/* Adds a target (taking over target). Returns the link, or NULL when it is
 * a duplicate or the list is full (target freed). */
static lure_moniker_link *add_link(mk_ctx *x, const char *kind, const char *clsid,
				   char *target, bool weak)
{
	GPtrArray *links = x->s->links;
	for (guint i = 0; i < links->len; i++) {
		lure_moniker_link *l = g_ptr_array_index(links, i);
		if (strcmp(l->target, target) == 0) {
			l->weak = l->weak && weak;
			g_free(target);
			return NULL;
		}
	}
	if (links->len >= LURE_MONIKER_MAX_LINKS) {
		g_free(target);
		return NULL;
	}
	lure_moniker_link *l = g_new0(lure_moniker_link, 1);
	l->moniker = kind;
	g_strlcpy(l->clsid, clsid, sizeof(l->clsid));
	l->target = target;
	l->field = x->field;
	l->weak = weak;
	g_ptr_array_add(links, l);
	return l;
}

static char *utf16_target(const uint8_t *p, size_t n)
{
	return lure_ole_utf16_to_utf8(p, MIN(n, (size_t)MONIKER_MAX_TARGET_BYTES), true);
}

static char *ansi_target(const uint8_t *p, size_t n)
{
	return lure_ole_ansi_dup(p, MIN(n, (size_t)MONIKER_MAX_TARGET_BYTES));
}

/* ------------------------------------------------------------------------
 * The moniker classes (MS-OSHARED 2.3.7).
 */

static lure_error decode_one(mk_ctx *x, lure_cursor *c, GString *items, bool *opaque);

/* URLMoniker (2.3.7.6). */
static lure_error decode_url(mk_ctx *x, lure_cursor *c, const char *clsid)
{
	uint32_t length;
	const uint8_t *p;
	lure_error err = LURE_OK;

	if (lure_cursor_u32le(c, &length) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "URL moniker: Length is cut off");
	size_t n = length;
	if (n > lure_cursor_remaining(c)) {
		err = problem(x->s, LURE_E_TRUNCATED, "URL moniker: the URL runs past the end");
		n = lure_cursor_remaining(c);
	}
	lure_cursor_bytes(c, n, &p);
	char *url = utf16_target(p, n);
	if (url[0] != '\0')
		add_link(x, "url", clsid, url, false);
	else
		g_free(url);
	return err;
}

/* Replaces every non-ASCII character (a byte of s, or a UTF-8 sequence of
 * s when utf8) by '?', so that an ANSI path and its Unicode twin compare
 * equal when they differ only in the code page. */
static char *ascii_shape(const char *s, bool utf8)
{
	GString *out = g_string_new(NULL);
	for (const char *p = s; *p != '\0';) {
		if ((unsigned char)*p < 0x80) {
			g_string_append_c(out, *p++);
			continue;
		}
		g_string_append_c(out, '?');
		p = utf8 ? g_utf8_next_char(p) : p + 1;
	}
	return g_string_free(out, FALSE);
}

/* The Unicode path of a file moniker: it replaces the ANSI one (ansi) when
 * the two differ only outside ASCII; otherwise both are kept. */
static void add_unicode_path(mk_ctx *x, const char *clsid, lure_moniker_link *ansi,
			     char *path)
{
	if (ansi != NULL && g_utf8_validate(path, -1, NULL)) {
		char *a = ascii_shape(ansi->target, false);
		char *u = ascii_shape(path, true);
		bool same = strcmp(a, u) == 0;
		g_free(a);
		g_free(u);
		if (same) {
			bool dup = false;
			for (guint i = 0; i < x->s->links->len; i++) {
				const lure_moniker_link *l = g_ptr_array_index(x->s->links, i);
				if (l != ansi && strcmp(l->target, path) == 0)
					dup = true;
			}
			if (!dup) {
				g_free(ansi->target);
				ansi->target = path;
				return;
			}
		}
	}
	add_link(x, "file", clsid, path, false);
}

/* FileMoniker (2.3.7.8). */
static lure_error decode_file(mk_ctx *x, lure_cursor *c, const char *clsid)
{
	uint16_t c_anti, end_server, version_number, key_value;
	uint32_t ansi_length, reserved2, cb_unicode_size, cb_unicode_bytes;
	const uint8_t *p;

	if (lure_cursor_u16le(c, &c_anti) != LURE_OK ||
	    lure_cursor_u32le(c, &ansi_length) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "file moniker: header cut off");
	size_t n = ansi_length;
	bool cut = n > lure_cursor_remaining(c);
	if (cut)
		n = lure_cursor_remaining(c);
	lure_cursor_bytes(c, n, &p);
	char *ansi = ansi_target(p, n);
	lure_moniker_link *ansi_link = NULL;
	if (ansi[0] != '\0')
		ansi_link = add_link(x, "file", clsid, ansi, false);
	else
		g_free(ansi);
	if (cut)
		return problem(x->s, LURE_E_TRUNCATED, "file moniker: ansiPath runs past the end");

	if (lure_cursor_u16le(c, &end_server) != LURE_OK ||
	    lure_cursor_u16le(c, &version_number) != LURE_OK ||
	    lure_cursor_skip(c, 16) != LURE_OK || /* reserved1 */
	    lure_cursor_u32le(c, &reserved2) != LURE_OK ||
	    lure_cursor_u32le(c, &cb_unicode_size) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "file moniker: trailer cut off");
	if (cb_unicode_size == 0)
		return LURE_OK;
	size_t start = c->off;
	if (cb_unicode_size > lure_cursor_remaining(c) ||
	    lure_cursor_u32le(c, &cb_unicode_bytes) != LURE_OK ||
	    lure_cursor_u16le(c, &key_value) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "file moniker: unicodePath runs past the end");
	/* cbUnicodePathSize = 4 + 2 + cbUnicodePathBytes; trust the smaller. */
	size_t avail = cb_unicode_size >= 6u ? cb_unicode_size - 6u : 0;
	size_t bytes = MIN((size_t)cb_unicode_bytes, avail);
	bytes = MIN(bytes, lure_cursor_remaining(c));
	lure_cursor_bytes(c, bytes, &p);
	char *path = utf16_target(p, bytes);
	if (path[0] != '\0')
		add_unicode_path(x, clsid, ansi_link, path);
	else
		g_free(path);
	/* The next moniker (in a composite) starts after the declared size. */
	if (lure_cursor_seek(c, start + cb_unicode_size) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "file moniker: unicodePath runs past the end");
	return LURE_OK;
}

/* One half of an ItemMoniker (2.3.7.5): a u32 byte count, a NUL-terminated
 * ANSI string and an optional Unicode one in those bytes. Appends the
 * Unicode form if present, else the ANSI one, to out. */
static lure_error decode_item_part(mk_ctx *x, lure_cursor *c, GString *out)
{
	uint32_t length;
	const uint8_t *p;

	if (lure_cursor_u32le(c, &length) != LURE_OK || lure_cursor_bytes(c, length, &p) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "item moniker: string runs past the end");
	const uint8_t *nul = memchr(p, 0, length);
	size_t ansi_len = nul != NULL ? (size_t)(nul - p) : length;
	size_t after = nul != NULL ? ansi_len + 1 : length;
	if (length - after >= 2) {
		char *u = utf16_target(p + after, length - after);
		if (u[0] != '\0') {
			g_string_append(out, u);
			g_free(u);
			return LURE_OK;
		}
		g_free(u);
	}
	g_string_append_len(out, (const char *)p, (gssize)MIN(ansi_len, (size_t)MONIKER_MAX_TARGET_BYTES));
	return LURE_OK;
}

/* ItemMoniker: delimiter then item. Inside a composite the text goes to
 * items; alone it is a weak target. */
static lure_error decode_item(mk_ctx *x, lure_cursor *c, const char *clsid, GString *items)
{
	GString *text = g_string_new(NULL);
	lure_error err = decode_item_part(x, c, text);
	if (err == LURE_OK)
		err = decode_item_part(x, c, text);
	if (items != NULL) {
		if (items->len < MONIKER_MAX_TARGET_BYTES)
			g_string_append(items, text->str);
		g_string_free(text, TRUE);
	} else if (text->len > 0) {
		add_link(x, "item", clsid, g_string_free(text, FALSE), true);
	} else {
		g_string_free(text, TRUE);
	}
	return err;
}

/* CompositeMoniker (MS-OSHARED 2.3.7): u32 count, then (CLSID, data)
 * pairs. */
static lure_error decode_composite(mk_ctx *x, lure_cursor *c)
{
	uint32_t count;
	lure_error err = LURE_OK;

	if (lure_cursor_u32le(c, &count) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "composite moniker: count cut off");
	if (x->depth >= LURE_MONIKER_MAX_DEPTH)
		return problem(x->s, LURE_E_LIMIT, "composite monikers nested too deep");
	guint first = x->s->links->len;
	GString *items = g_string_new(NULL);
	x->depth++;
	for (uint32_t i = 0; i < count; i++) {
		bool opaque = false;
		if (lure_cursor_remaining(c) == 0) {
			err = problem(x->s, LURE_E_TRUNCATED, "composite moniker: fewer parts than its count");
			break;
		}
		err = decode_one(x, c, items, &opaque);
		if (err != LURE_OK || opaque)
			break;
	}
	x->depth--;
	for (guint i = first; i < x->s->links->len; i++) {
		lure_moniker_link *l = g_ptr_array_index(x->s->links, i);
		if (l->component == NULL) {
			l->component = l->moniker;
			l->moniker = "composite";
		}
		if (l->item == NULL && items->len > 0)
			l->item = g_strdup(items->str);
	}
	g_string_free(items, TRUE);
	return err;
}

/* SOAP, script and new monikers: no public layout. The target is the first
 * run of printable UTF-16 after the CLSID; the moniker's length is unknown
 * (*opaque). The class alone is worth reporting. */
static void decode_opaque(mk_ctx *x, lure_cursor *c, const char *kind, const char *clsid)
{
	size_t n = MIN(lure_cursor_remaining(c), (size_t)MONIKER_STRING_SEARCH);
	const uint8_t *p = c->data + c->off;
	char *target = NULL;

	for (size_t i = 0; i + 1 < n && target == NULL; i += 2) {
		size_t run = 0;
		while (i + run * 2 + 1 < n) {
			uint16_t u = lure_le16(p + i + run * 2);
			if (u < 0x20 || u == 0x7F)
				break;
			run++;
		}
		if (run >= MONIKER_STRING_MIN_CHARS)
			target = utf16_target(p + i, run * 2);
		else
			i += run * 2;
	}
	add_link(x, kind, clsid, target != NULL ? target : g_strdup(""), false);
}

/* Decodes one moniker (CLSID + data) at c. items collects item text inside
 * a composite (NULL at the top). *opaque is set when the moniker's extent
 * is unknown, so nothing after it can be decoded. */
static lure_error decode_one(mk_ctx *x, lure_cursor *c, GString *items, bool *opaque)
{
	const uint8_t *raw;
	char clsid[LURE_OLE2_CLSID_STR_SIZE];
	const char *kind;
	uint32_t count, cb_extra;

	if (x->budget == 0)
		return problem(x->s, LURE_E_LIMIT, "too many monikers");
	x->budget--;
	x->s->monikers++;
	if (lure_cursor_bytes(c, 16, &raw) != LURE_OK)
		return problem(x->s, LURE_E_TRUNCATED, "moniker CLSID cut off");
	lure_ole2_clsid_format(raw, clsid);
	switch (classify(raw, &kind)) {
	case MK_URL:
		return decode_url(x, c, clsid);
	case MK_FILE:
		return decode_file(x, c, clsid);
	case MK_ITEM:
		return decode_item(x, c, clsid, items);
	case MK_COMPOSITE:
		return decode_composite(x, c);
	case MK_ANTI:
		if (lure_cursor_u32le(c, &count) != LURE_OK)
			return problem(x->s, LURE_E_TRUNCATED, "anti moniker: count cut off");
		return LURE_OK;
	case MK_POINTER:
		return LURE_OK;
	case MK_CLASS:
		if (lure_cursor_skip(c, 16) != LURE_OK || lure_cursor_u32le(c, &cb_extra) != LURE_OK ||
		    lure_cursor_skip(c, cb_extra) != LURE_OK)
			return problem(x->s, LURE_E_TRUNCATED, "class moniker cut off");
		return LURE_OK;
	case MK_SOAP:
	case MK_SCRIPT:
	case MK_NEW:
		decode_opaque(x, c, kind, clsid);
		*opaque = true;
		return LURE_OK;
	case MK_UNKNOWN:
		break;
	}
	/* A class we do not know: its data cannot be delimited. Not an error
	 * of the file; the walk just cannot go on past it. */
	*opaque = true;
	return LURE_OK;
}

lure_error lure_moniker_parse(const uint8_t *data, size_t len, const char *field,
			      lure_olestream *s)
{
	lure_cursor c;
	bool opaque = false;
	mk_ctx x = {.s = s, .field = field, .budget = LURE_MONIKER_MAX_TOTAL};

	if (data == NULL)
		return problem(s, LURE_E_TRUNCATED, "moniker CLSID cut off");
	lure_cursor_init(&c, data, len);
	return decode_one(&x, &c, NULL, &opaque);
}

/* ------------------------------------------------------------------------
 * OLEStream (MS-OLEDS 2.3.3).
 */

static const char *const moniker_fields[] = {
	"ReservedMonikerStream",
	"RelativeSourceMonikerStream",
	"AbsoluteSourceMonikerStream",
};

/* One "<Field>Size, <Field>" pair at c. *stop is set when nothing more can
 * be read. */
static lure_error read_moniker_field(lure_cursor *c, unsigned i, lure_olestream *s, bool *stop)
{
	uint32_t size;

	if (lure_cursor_remaining(c) == 0) {
		*stop = true;
		/* An embedded object ends after ReservedMonikerStream. */
		if (i > 0 && !(s->flags & LURE_OLESTREAM_FLAG_LINKED))
			return LURE_OK;
		return problem(s, LURE_E_TRUNCATED, "OLEStream ends before its moniker streams");
	}
	if (lure_cursor_u32le(c, &size) != LURE_OK) {
		*stop = true;
		return problem(s, LURE_E_TRUNCATED, "OLEStream: a moniker stream size is cut off");
	}
	if (size == 0)
		return LURE_OK;
	if (size < 4) {
		*stop = true;
		return problem(s, LURE_E_MALFORMED, "OLEStream: a moniker stream size below 4");
	}
	size_t start = c->off;
	/* Decode against the rest of the stream: the moniker delimits itself,
	 * and builders often get the size wrong by its own 4 bytes. */
	lure_moniker_parse(c->data + start, c->len - start, moniker_fields[i], s);
	if (lure_cursor_skip(c, size - 4u) != LURE_OK) {
		*stop = true;
		return problem(s, LURE_E_TRUNCATED, "OLEStream: a moniker stream runs past the end");
	}
	return LURE_OK;
}

lure_error lure_moniker_parse_olestream(const uint8_t *data, size_t len, lure_olestream *s)
{
	lure_cursor c;
	uint32_t reserved1, indicator;
	const uint8_t *raw;
	bool stop = false;

	if (data == NULL)
		return problem(s, LURE_E_TRUNCATED, "OLEStream header cut off");
	lure_cursor_init(&c, data, len);
	if (lure_cursor_u32le(&c, &s->version) != LURE_OK ||
	    lure_cursor_u32le(&c, &s->flags) != LURE_OK ||
	    lure_cursor_u32le(&c, &s->link_update_option) != LURE_OK ||
	    lure_cursor_u32le(&c, &reserved1) != LURE_OK)
		return problem(s, LURE_E_TRUNCATED, "OLEStream header cut off");
	s->has_header = true;
	if (s->version != LURE_OLESTREAM_VERSION)
		problem(s, LURE_E_MALFORMED, "OLEStream Version is not 0x02000001");
	for (unsigned i = 0; i < G_N_ELEMENTS(moniker_fields) && !stop; i++) {
		/* An embedded object has nothing after ReservedMonikerStream;
		 * whatever follows is decoded, but its trouble is not the
		 * file's. */
		bool lenient = i > 0 && !(s->flags & LURE_OLESTREAM_FLAG_LINKED);
		lure_error saved_err = s->err;
		const char *saved_problem = s->problem;
		read_moniker_field(&c, i, s, &stop);
		if (lenient) {
			s->err = saved_err;
			s->problem = saved_problem;
		}
	}
	/* The trailer is optional for our purpose: missing fields are fine. */
	if (!stop && lure_cursor_u32le(&c, &indicator) == LURE_OK &&
	    indicator == OLESTREAM_CLSID_INDICATOR && lure_cursor_bytes(&c, 16, &raw) == LURE_OK &&
	    !lure_ole2_clsid_is_null(raw)) {
		s->has_object_clsid = true;
		lure_ole2_clsid_format(raw, s->object_clsid);
	}
	return s->err;
}

/* ------------------------------------------------------------------------
 * The fallback scan.
 */

static const uint8_t *find16(const uint8_t *hay, size_t n, const uint8_t needle[16])
{
	const uint8_t *p = hay, *end = hay + n;
	while (n >= 16 && (p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < 16)
			return NULL;
		if (memcmp(p, needle, 16) == 0)
			return p;
		p++;
	}
	return NULL;
}

unsigned lure_moniker_carve(const uint8_t *data, size_t len, lure_olestream *s)
{
	guint before = s->links->len;
	lure_error saved_err = s->err;
	const char *saved_problem = s->problem;

	if (data == NULL)
		return 0;
	for (size_t k = 0; k < G_N_ELEMENTS(carve_classes); k++) {
		const uint8_t *needle = NULL;
		for (size_t i = 0; i < G_N_ELEMENTS(moniker_classes); i++)
			if (moniker_classes[i].cls == carve_classes[k])
				needle = moniker_classes[i].clsid;
		size_t off = 0;
		for (unsigned hits = 0; hits < LURE_MONIKER_MAX_CARVE && off < len; hits++) {
			const uint8_t *p = find16(data + off, len - off, needle);
			if (p == NULL)
				break;
			size_t pos = (size_t)(p - data);
			lure_moniker_parse(data + pos, len - pos, "carved", s);
			off = pos + 1;
		}
	}
	/* Problems met while carving are expected: the data is garbled. */
	s->err = saved_err;
	s->problem = saved_problem;
	s->carved = s->links->len > before;
	return s->links->len - before;
}

/* ------------------------------------------------------------------------
 * The analyser.
 */

#define OLE_STREAM_NAME "\\x01Ole" /* "\x01Ole" as the core displays it */

static bool is_ole2(const lure_artifact *a)
{
	return a != NULL && a->kind != NULL && strcmp(a->kind, "ole2") == 0;
}

static bool accepts(const lure_scan *scan, const lure_artifact *a)
{
	if (a->parent < 0)
		return false;
	const char *slash = strrchr(a->name, '/');
	const char *leaf = slash != NULL ? slash + 1 : a->name;
	if (strcmp(leaf, OLE_STREAM_NAME) != 0)
		return false;
	return is_ole2(lure_scan_artifact(scan, (unsigned)a->parent));
}

static const char *link_update_name(uint32_t v)
{
	switch (v) {
	case OLEUPDATE_ALWAYS: return "always";
	case OLEUPDATE_ONCALL: return "oncall";
	default: return NULL;
	}
}

/* The CVEs a link recalls, joined; NULL when none. */
static char *link_cves(const char *kind, bool remote)
{
	GString *s = g_string_new(NULL);
	if (strcmp(kind, "soap") == 0)
		g_string_append(s, "CVE-2017-8759");
	else if (strcmp(kind, "script") == 0 && !remote)
		g_string_append(s, "CVE-2017-0199");
	if (remote)
		g_string_append_printf(s, "%s%s", s->len > 0 ? ", " : "", REMOTE_LINK_CVE);
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

static void report_link(lure_scan *scan, const lure_artifact *a, const lure_olestream *s,
			const lure_moniker_link *l)
{
	lure_target t;
	const char *kind = l->component != NULL ? l->component : l->moniker;
	bool script_class = strcmp(kind, "soap") == 0 || strcmp(kind, "script") == 0;

	lure_target_parse(l->target, &t);
	if (l->weak && !t.remote) {
		lure_target_clear(&t);
		return;
	}
	lure_finding *f;
	if (l->target[0] != '\0')
		f = lure_finding_add(scan, a, LURE_IND_OLE_LINK_MONIKER,
				     "OLE link (%s moniker) to '%s'", kind, l->target);
	else
		f = lure_finding_add(scan, a, LURE_IND_OLE_LINK_MONIKER,
				     "OLE link through a %s moniker", kind);
	lure_finding_set_severity(f, t.remote || script_class ? LURE_SEV_HIGH : LURE_SEV_MEDIUM);
	lure_finding_detail(f, "moniker", "%s", l->moniker);
	if (l->component != NULL)
		lure_finding_detail(f, "component", "%s", l->component);
	if (l->target[0] != '\0') {
		lure_finding_detail(f, "target", "%s", l->target);
		lure_finding_detail(f, "target_normalized", "%s",
				    t.normalized != NULL ? t.normalized : "");
		lure_finding_detail(f, "scheme", "%s", t.scheme != NULL ? t.scheme : "");
		if (t.host != NULL)
			lure_finding_detail(f, "host", "%s", t.host);
	}
	lure_finding_detail(f, "remote", "%s", t.remote ? "yes" : "no");
	lure_finding_detail(f, "clsid", "%s", l->clsid);
	if (l->item != NULL)
		lure_finding_detail(f, "item", "%s", l->item);
	lure_finding_detail(f, "field", "%s", l->field);
	if (s->has_header && link_update_name(s->link_update_option) != NULL)
		lure_finding_detail(f, "link_update", "%s", link_update_name(s->link_update_option));
	if (s->has_object_clsid)
		lure_finding_detail(f, "object_clsid", "%s", s->object_clsid);
	char *cves = link_cves(kind, t.remote);
	if (cves != NULL)
		lure_finding_detail(f, "cve", "%s", cves);
	g_free(cves);
	lure_target_clear(&t);
}

static lure_error run(lure_scan *scan, lure_artifact *a)
{
	lure_olestream s;

	lure_olestream_init(&s);
	lure_error err = lure_moniker_parse_olestream(a->data, a->len, &s);
	if (err != LURE_OK || s.links->len == 0)
		lure_moniker_carve(a->data, a->len, &s);
	if (err != LURE_OK) {
		lure_finding *f = lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
			"OLEStream: %s%s", s.problem,
			s.carved ? "; link targets recovered by scanning for moniker CLSIDs" : "");
		lure_finding_detail(f, "reason", "%s", s.problem);
		lure_finding_detail(f, "error", "%s", lure_strerror(err));
	}
	for (guint i = 0; i < s.links->len; i++)
		report_link(scan, a, &s, g_ptr_array_index(s.links, i));
	lure_olestream_clear(&s);
	return LURE_OK;
}

const lure_analyzer lure_analyzer_moniker = {
	.name = "moniker",
	.accepts = accepts,
	.run = run,
};
