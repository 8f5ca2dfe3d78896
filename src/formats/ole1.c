/*
 * ole1.c - OLE 1.0 objects: the MS-OLEDS ObjectHeader (2.2.4) with the
 * EmbeddedObject (2.2.5) or LinkedObject (2.2.6) that follows it.
 *
 * The format. OLE1 stored an object in its container as a flat record:
 *
 *   OLEVersion      u32   any value; MUST be ignored on receipt (Word
 *                         writes 0x00000501)
 *   FormatID        u32   1 = LinkedObject, 2 = EmbeddedObject
 *   ClassName       LengthPrefixedAnsiString (2.1.4): u32 length that
 *                   counts the terminating NUL, then the characters;
 *                   the ProgID of the server ("OLE2Link", "Equation.3",
 *                   "Package", "Msxml2.SAXXMLReader.5.0", ...)
 *   TopicName       LengthPrefixedAnsiString (the linked file for links)
 *   ItemName        LengthPrefixedAnsiString (the item inside it)
 *   then, embedded: NativeDataSize u32, NativeData (the server's own
 *                   bytes: for OLE2 servers a whole compound file)
 *         linked:   NetworkName (LengthPrefixedAnsiString, the UNC form
 *                   of TopicName), Reserved u32, LinkUpdateOption u32
 *   Presentation    a picture of the object (not parsed)
 *
 * Where we meet it. RTF's {\object ... {\*\objdata <hex>}} decodes to this
 * record; rtf.c hands each decoded object on as a child, the driver sniffs
 * it, and this handler bids on it. The walk sets the header fields as
 * properties and makes the NativeData a child named "ole1:<ClassName>", so
 * that the driver sniffs it in turn, usually as a CFB: the CVE-2017-0199 /
 * CVE-2023-36884 chain is object[N] > ole1:OLE2Link > \x01Ole (the link
 * moniker).
 *
 * Evasions. Word ignores OLEVersion, so we do not require 0x00000501 as
 * ClamAV's RTF scanner does (it compares the first eight bytes against
 * 01050000 02000000 and skips anything else); the bid rests on FormatID
 * and on a sane, printable, NUL-terminated ClassName instead, which random
 * data practically never has. Bytes between that NUL and the declared end
 * of ClassName ("OLE2Link\0junk") do not stop the bid, since Word's reader
 * stops at the NUL too. NativeDataSize larger than the data is clamped
 * (what is there is still scanned) and reported; absurd string lengths
 * stop the parse before any read past the end.
 */
#include <string.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "ole1.h"

/* Offsets of the fixed part of the ObjectHeader. */
#define OLE1_OFF_FORMAT_ID 4
#define OLE1_OFF_CLASS_LEN 8
#define OLE1_OFF_CLASS 12
#define OLE1_CHILD_PREFIX "ole1:"
/* Characters a ClassName needs before we bid (real ProgIDs have 7+). */
#define OLE1_MIN_PROGID 2

const char *lure_ole1_format_name(uint32_t format_id)
{
	switch (format_id) {
	case LURE_OLE1_FORMAT_LINKED: return "linked";
	case LURE_OLE1_FORMAT_EMBEDDED: return "embedded";
	default: return "invalid";
	}
}

static bool is_progid_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

bool lure_ole1_class_is_printable(const lure_ole1_string *s)
{
	if (!s->present || s->len == 0 || s->len >= LURE_OLE1_MAX_CLASS_LEN)
		return false;
	for (size_t i = 0; i < s->len; i++)
		if (!is_progid_char((uint8_t)s->str[i]))
			return false;
	return true;
}

/* Reads one LengthPrefixedAnsiString of at most max bytes (NUL included)
 * into *s. Returns LURE_E_TRUNCATED when the data ends inside it,
 * LURE_E_MALFORMED when the length passes max (nothing past the length is
 * read then). An empty string (length 0) is present with len 0. */
static lure_error read_string(lure_cursor *c, uint32_t max, lure_ole1_string *s,
			      const char **problem, const char *truncated, const char *too_long)
{
	uint32_t n;
	const uint8_t *p;

	memset(s, 0, sizeof(*s));
	if (lure_cursor_u32le(c, &n) != LURE_OK) {
		*problem = truncated;
		return LURE_E_TRUNCATED;
	}
	if (n > max) {
		*problem = too_long;
		return LURE_E_MALFORMED;
	}
	if (lure_cursor_bytes(c, n, &p) != LURE_OK) {
		*problem = truncated;
		return LURE_E_TRUNCATED;
	}
	const uint8_t *nul = n > 0 ? memchr(p, 0, n) : NULL;
	s->str = (const char *)p;
	s->len = nul != NULL ? (size_t)(nul - p) : n;
	s->present = true;
	return LURE_OK;
}

lure_error lure_ole1_parse(const uint8_t *data, size_t len, lure_ole1_header *out)
{
	lure_cursor c;
	lure_error err;

	memset(out, 0, sizeof(*out));
	lure_cursor_init(&c, data, len);

	if (lure_cursor_u32le(&c, &out->ole_version) != LURE_OK ||
	    lure_cursor_u32le(&c, &out->format_id) != LURE_OK) {
		out->problem = "data ends inside the ObjectHeader's OLEVersion/FormatID";
		err = LURE_E_TRUNCATED;
		goto out;
	}
	if (out->format_id != LURE_OLE1_FORMAT_LINKED &&
	    out->format_id != LURE_OLE1_FORMAT_EMBEDDED) {
		out->problem = "FormatID is neither 1 (linked) nor 2 (embedded)";
		err = LURE_E_MALFORMED;
		goto out;
	}
	/* ClassName: a NUL-terminated ProgID, so at least one byte. */
	if (lure_cursor_fits(&c, 4) && lure_le32(data + c.off) == 0) {
		out->problem = "ClassName is empty";
		err = LURE_E_MALFORMED;
		goto out;
	}
	err = read_string(&c, LURE_OLE1_MAX_CLASS_LEN, &out->class_name, &out->problem,
			  "data ends inside ClassName",
			  "ClassName is longer than 256 bytes");
	if (err != LURE_OK)
		goto out;
	err = read_string(&c, LURE_OLE1_MAX_STRING_LEN, &out->topic_name, &out->problem,
			  "data ends inside TopicName",
			  "TopicName length is absurd");
	if (err != LURE_OK)
		goto out;
	err = read_string(&c, LURE_OLE1_MAX_STRING_LEN, &out->item_name, &out->problem,
			  "data ends inside ItemName",
			  "ItemName length is absurd");
	if (err != LURE_OK)
		goto out;

	if (out->format_id == LURE_OLE1_FORMAT_EMBEDDED) {
		if (lure_cursor_u32le(&c, &out->native_size) != LURE_OK) {
			out->problem = "data ends before NativeDataSize";
			err = LURE_E_TRUNCATED;
			goto out;
		}
		out->has_native_size = true;
		size_t avail = lure_cursor_remaining(&c);
		out->native_data = data + c.off;
		if ((uint64_t)out->native_size > avail) {
			out->native_len = avail;
			c.off = len;
			out->problem = "NativeDataSize is larger than the data; native data clamped";
			err = LURE_E_TRUNCATED;
			goto out;
		}
		out->native_len = out->native_size;
		c.off += out->native_len;
	} else {
		err = read_string(&c, LURE_OLE1_MAX_STRING_LEN, &out->network_name,
				  &out->problem, "data ends inside NetworkName",
				  "NetworkName length is absurd");
		if (err != LURE_OK)
			goto out;
		if (lure_cursor_u32le(&c, &out->reserved) != LURE_OK ||
		    lure_cursor_u32le(&c, &out->link_update_option) != LURE_OK) {
			out->problem = "data ends before LinkUpdateOption";
			err = LURE_E_TRUNCATED;
			goto out;
		}
		out->has_link_options = true;
	}
	err = LURE_OK;
out:
	out->end = c.off;
	out->truncated = err == LURE_E_TRUNCATED;
	if (err == LURE_OK)
		out->problem = NULL;
	return err;
}

/* A bid needs FormatID 1 or 2 and a whole ClassName that looks like a
 * ProgID: at least OLE1_MIN_PROGID printable characters, starting with
 * a letter (or "{" for a CLSID string), then a NUL within the declared
 * length (bytes after the NUL are allowed: Word's reader stops at the NUL).
 * Two characters rule out the UTF-16 strings of other structures that
 * share the shape (MS-OFFCRYPTO's DataSpaceDefinition: a u32 of 1, then a
 * u32 length and "S\0t\0..."). OLEVersion is not checked: Word ignores it. */
static unsigned probe(const uint8_t *d, size_t n)
{
	if (n < OLE1_OFF_CLASS)
		return 0;
	uint32_t format_id = lure_le32(d + OLE1_OFF_FORMAT_ID);
	if (format_id != LURE_OLE1_FORMAT_LINKED && format_id != LURE_OLE1_FORMAT_EMBEDDED)
		return 0;
	uint32_t clen = lure_le32(d + OLE1_OFF_CLASS_LEN);
	if (clen <= OLE1_MIN_PROGID || clen > LURE_OLE1_MAX_CLASS_LEN ||
	    !lure_range_fits(n, OLE1_OFF_CLASS, clen))
		return 0;
	const uint8_t *cls = d + OLE1_OFF_CLASS;
	const uint8_t *nul = memchr(cls, 0, clen);
	if (nul == NULL || nul - cls < OLE1_MIN_PROGID)
		return 0;
	if (!g_ascii_isalpha(cls[0]) && cls[0] != '{')
		return 0;
	for (const uint8_t *p = cls; p < nul; p++)
		if (!is_progid_char(*p))
			return 0;
	return LURE_BID_STRONG;
}

static void set_string_prop(lure_artifact *a, const char *key, const lure_ole1_string *s)
{
	if (!s->present || s->len == 0)
		return;
	char *v = g_strndup(s->str, s->len);
	lure_artifact_set_prop(a, key, v);
	g_free(v);
}

static lure_error walk(lure_scan *scan, lure_artifact *a)
{
	lure_ole1_header h;
	char buf[32];
	lure_error err = lure_ole1_parse(a->data, a->len, &h);

	if (h.class_name.present) {
		set_string_prop(a, "class", &h.class_name);
		lure_artifact_set_prop(a, "format", lure_ole1_format_name(h.format_id));
		g_snprintf(buf, sizeof(buf), "0x%08X", h.ole_version);
		lure_artifact_set_prop(a, "ole_version", buf);
	}
	set_string_prop(a, "topic", &h.topic_name);
	set_string_prop(a, "item", &h.item_name);
	set_string_prop(a, "network", &h.network_name);
	if (h.has_link_options) {
		g_snprintf(buf, sizeof(buf), "%u", h.link_update_option);
		lure_artifact_set_prop(a, "link_update_option", buf);
	}
	if (err != LURE_OK) {
		lure_finding *f = lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
						   "OLE1 object: %s", h.problem);
		lure_finding_detail(f, "reason", "%s", h.problem);
		if (h.has_native_size)
			lure_finding_detail(f, "native_size", "%u (%zu present)",
					    h.native_size, h.native_len);
	}
	if (h.format_id != LURE_OLE1_FORMAT_EMBEDDED || h.native_len == 0)
		return LURE_OK;

	/* The native data becomes a child the driver sniffs (usually a CFB). */
	char *cls = h.class_name.present ? g_strndup(h.class_name.str, h.class_name.len)
					 : g_strdup("");
	char *name = g_strconcat(OLE1_CHILD_PREFIX, cls, NULL);
	g_free(cls);
	err = lure_scan_charge(scan, a, name, h.native_len, h.native_len);
	if (err == LURE_OK)
		err = lure_scan_add_child(scan, a, name,
					  g_memdup2(h.native_data, h.native_len),
					  h.native_len, NULL);
	g_free(name);
	return err;
}

const lure_handler lure_handler_ole1 = {
	.name = "ole1",
	.kind = "ole1",
	.probe = probe,
	.walk = walk,
};
