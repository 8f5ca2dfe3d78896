/*
 * html.c - HTML and MHT (MIME HTML, RFC 2557) documents.
 *
 * Both reach Office documents as altChunk parts, as Follina's second stage,
 * and as CVE-2021-40444's mhtml: targets. Word imports them with its full
 * HTML importer. We recognise them by content so that rules and reports can
 * tell them from other XML: an HTML document may start with a DOCTYPE, a
 * comment or an <html> element in any case; an MHT document is a MIME
 * message whose headers carry "MIME-Version" and a multipart/related or
 * text/html Content-Type. What a chunk carries (script, remote references)
 * is judged by the altChunk analyser; here we only name the kind.
 *
 * Evasions: leading whitespace and a UTF-8 BOM, upper/mixed case tags,
 * headers folded over lines. We do not bid on XHTML served as XML with
 * another root (the XML handler takes it).
 */
#include <string.h>
#include <glib.h>
#include "core/handler.h"
#include "core/text.h"

/* How far into the data the signatures are looked for. */
#define HTML_SNIFF_BYTES 1024u

static size_t skip_space_bom(const uint8_t *d, size_t n)
{
	size_t i = n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i;
}

static bool starts_ci(const uint8_t *d, size_t n, const char *s)
{
	size_t k = strlen(s);
	return n >= k && g_ascii_strncasecmp((const char *)d, s, k) == 0;
}

/* True when needle occurs (ASCII case-insensitively) in d[0..n). */
static bool contains_ci(const uint8_t *d, size_t n, const char *needle)
{
	return lure_find_ci(d, n, needle) >= 0;
}

static unsigned probe_html(const uint8_t *d, size_t n)
{
	size_t i = skip_space_bom(d, n);
	size_t head = n - i < HTML_SNIFF_BYTES ? n - i : HTML_SNIFF_BYTES;
	const uint8_t *p = d + i;

	if (starts_ci(p, head, "<!DOCTYPE html") || starts_ci(p, head, "<html"))
		return LURE_BID_STRONG;
	if (starts_ci(p, head, "<!--") && contains_ci(p, head, "<html"))
		return LURE_BID_STRONG;
	return 0;
}

static unsigned probe_mht(const uint8_t *d, size_t n)
{
	size_t head = n < HTML_SNIFF_BYTES ? n : HTML_SNIFF_BYTES;
	if (!contains_ci(d, head, "MIME-Version:"))
		return 0;
	if (contains_ci(d, head, "multipart/related") || contains_ci(d, head, "text/html"))
		return LURE_BID_STRONG;
	return 0;
}

const lure_handler lure_handler_html = {
	.name = "html",
	.kind = "html",
	.probe = probe_html,
	.walk = NULL,
};

const lure_handler lure_handler_mht = {
	.name = "mht",
	.kind = "mht",
	.probe = probe_mht,
	.walk = NULL,
};
