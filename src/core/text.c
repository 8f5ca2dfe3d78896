/* text.c - display-safe escaping of hostile strings; see text.h. */
#include <glib.h>
#include <string.h>
#include "text.h"

/* Characters that reorder or hide text on a terminal or in a viewer. */
static gboolean is_hidden_format_char(gunichar c)
{
	return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB);
}

char *lure_display_escape(const char *raw, size_t len)
{
	GString *out = g_string_sized_new(len + 8);
	const char *p = raw, *end = raw + len;

	while (p < end) {
		unsigned char b = (unsigned char)*p;
		if (b < 0x80) {
			if (b < 0x20 || b == 0x7f)
				g_string_append_printf(out, "\\x%02X", b);
			else
				g_string_append_c(out, (char)b);
			p++;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02X", b);
			p++;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if ((c >= 0x80 && c <= 0x9F) || is_hidden_format_char(c))
			g_string_append_printf(out, "\\u{%04X}", c);
		else
			g_string_append_len(out, p, next - p);
		p = next;
	}
	return g_string_free(out, FALSE);
}

char *lure_display_escape_str(const char *raw)
{
	if (raw == NULL)
		return g_strdup("");
	return lure_display_escape(raw, strlen(raw));
}

static inline unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

long lure_find_ci(const void *hay, size_t n, const char *needle)
{
	const unsigned char *h = hay;
	size_t m = strlen(needle);

	if (m == 0)
		return 0;
	if (n < m)
		return -1;
	unsigned char lo = ascii_lower((unsigned char)needle[0]);
	unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo & ~0x20) : lo;
	for (size_t i = 0; i + m <= n; i++) {
		if (h[i] != lo && h[i] != up)
			continue;
		size_t k = 1;
		while (k < m && ascii_lower(h[i + k]) == ascii_lower((unsigned char)needle[k]))
			k++;
		if (k == m)
			return (long)i;
	}
	return -1;
}
