/*
 * target.c - normalising link targets before judging them; see target.h.
 *
 * The order follows what Windows does with a target string: character
 * references and percent-escapes are decoded (to a fixed number of rounds,
 * so "%2568ttp" cannot loop), surrounding whitespace, control characters
 * and quotes are dropped, the scheme is folded to lower case, and the host
 * is picked out. The four spellings of a UNC path ("\\h\s", "//h/s",
 * "file://h/s", "file:////h/s") all become "\\h\s". A drive path, bare or
 * as "file:///C:/...", is local; so is a relative part name.
 */
#include <string.h>
#include <glib.h>
#include "target.h"

#define TARGET_DECODE_ROUNDS 3

static int hexval(char c)
{
	return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* Decodes %XX escapes; returns true when something changed. */
static bool percent_decode(GString *s)
{
	bool changed = false;
	gsize w = 0;
	for (gsize r = 0; r < s->len; r++) {
		if (s->str[r] == '%' && r + 2 < s->len &&
		    hexval(s->str[r + 1]) >= 0 && hexval(s->str[r + 2]) >= 0) {
			s->str[w++] = (char)(hexval(s->str[r + 1]) * 16 + hexval(s->str[r + 2]));
			r += 2;
			changed = true;
		} else {
			s->str[w++] = s->str[r];
		}
	}
	g_string_truncate(s, w);
	return changed;
}

/* Appends code point c as UTF-8; invalid ones become '?'. */
static void append_codepoint(GString *out, gunichar c)
{
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		g_string_append_c(out, '?');
	else
		g_string_append_unichar(out, c);
}

/* Decodes XML character and predefined entity references. */
static bool entity_decode(GString *s)
{
	static const struct { const char *name; char c; } named[] = {
		{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
	};
	GString *out = g_string_sized_new(s->len);
	bool changed = false;

	for (gsize i = 0; i < s->len; i++) {
		if (s->str[i] != '&') {
			g_string_append_c(out, s->str[i]);
			continue;
		}
		const char *p = s->str + i + 1;
		gsize left = s->len - i - 1;
		gsize k;
		for (k = 0; k < G_N_ELEMENTS(named); k++) {
			gsize n = strlen(named[k].name);
			if (left >= n && g_ascii_strncasecmp(p, named[k].name, n) == 0) {
				g_string_append_c(out, named[k].c);
				i += n;
				changed = true;
				break;
			}
		}
		if (k < G_N_ELEMENTS(named))
			continue;
		if (left >= 3 && p[0] == '#') {
			bool hex = p[1] == 'x' || p[1] == 'X';
			gsize j = hex ? 2 : 1;
			guint64 v = 0;
			gsize digits = 0;
			while (j < left && digits < 8 &&
			       (hex ? g_ascii_isxdigit(p[j]) : g_ascii_isdigit(p[j]))) {
				v = v * (hex ? 16 : 10) + (guint64)g_ascii_xdigit_value(p[j]);
				j++;
				digits++;
			}
			if (digits > 0 && j < left && p[j] == ';') {
				append_codepoint(out, (gunichar)(v > 0x10FFFF ? 0xFFFFFFFF : v));
				i += j + 1;
				changed = true;
				continue;
			}
		}
		g_string_append_c(out, '&');
	}
	g_string_assign(s, out->str);
	g_string_free(out, TRUE);
	return changed;
}

static bool is_trim_char(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '"' || c == '\'';
}

static void trim(GString *s)
{
	gsize start = 0, end = s->len;
	while (start < end && is_trim_char((unsigned char)s->str[start]))
		start++;
	while (end > start && is_trim_char((unsigned char)s->str[end - 1]))
		end--;
	g_string_truncate(s, end);
	g_string_erase(s, 0, (gssize)start);
}

/* Length of a URI scheme at the start of s ("http" in "http:"), or 0. */
static gsize scheme_length(const char *s)
{
	gsize n = 0;
	if (!g_ascii_isalpha(s[0]))
		return 0;
	while (g_ascii_isalnum(s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
		n++;
	return s[n] == ':' ? n : 0;
}

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* True when label is a decimal, octal or 0x-hex number, as inet_aton takes. */
static bool is_numeric_label(const char *label, gsize n)
{
	gsize i = 0;
	if (n == 0)
		return false;
	if (n > 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
		for (i = 2; i < n; i++)
			if (!g_ascii_isxdigit(label[i]))
				return false;
		return true;
	}
	for (i = 0; i < n; i++)
		if (!g_ascii_isdigit(label[i]))
			return false;
	return true;
}

bool lure_target_host_is_ip(const char *host)
{
	if (host == NULL || *host == '\0')
		return false;
	if (host[0] == '[' || strchr(host, ':') != NULL)
		return true;
	/* dotted, or the one-number and hex forms Windows also resolves */
	const char *p = host;
	int labels = 0;
	while (*p) {
		gsize n = strcspn(p, ".");
		if (!is_numeric_label(p, n) || ++labels > 4)
			return false;
		p += n;
		if (*p == '.')
			p++;
	}
	return labels > 0;
}

/* Host of an authority starting at p (after "//" or "\\"): up to the first
 * separator, '?', '#'; userinfo and port dropped; lower case. */
static char *extract_host(const char *p, bool unc)
{
	gsize n = strcspn(p, "/\\?#");
	char *auth = g_strndup(p, n);
	char *at = unc ? strchr(auth, '@') : strrchr(auth, '@');
	char *host;
	if (at != NULL && unc) {
		*at = '\0'; /* WebDAV: \\host@SSL@port\path */
		host = g_strdup(auth);
	} else {
		host = g_strdup(at != NULL ? at + 1 : auth);
	}
	g_free(auth);
	if (host[0] != '[') {
		char *colon = strchr(host, ':');
		if (colon != NULL)
			*colon = '\0';
	} else {
		char *close = strchr(host, ']');
		if (close != NULL)
			close[1] = '\0';
	}
	char *lower = g_ascii_strdown(host, -1);
	g_free(host);
	if (*lower == '\0') {
		g_free(lower);
		return NULL;
	}
	return lower;
}

/* Sets t as a UNC target from the text after the leading separators. */
static void set_unc(lure_target *t, const char *after)
{
	char *path = g_strdup(after);
	for (char *p = path; *p; p++)
		if (*p == '/')
			*p = '\\';
	t->scheme = g_strdup("unc");
	t->host = extract_host(path, true);
	t->normalized = g_strconcat("\\\\", path, NULL);
	t->remote = t->host != NULL;
	g_free(path);
}

static bool is_drive_path(const char *s)
{
	return g_ascii_isalpha(s[0]) && (s[1] == ':' || s[1] == '|') &&
	       (s[2] == '\0' || is_sep(s[2]));
}

static void parse_file_url(lure_target *t, const char *rest)
{
	gsize slashes = strspn(rest, "/\\");
	const char *after = rest + slashes;

	if (is_drive_path(after) || slashes == 1 || slashes == 3 || *after == '\0') {
		if (slashes == 3 && !is_drive_path(after) && *after != '\0') {
			/* file:///host/share is what some tools write for UNC */
			set_unc(t, after);
			g_free(t->scheme);
			t->scheme = g_strdup("file");
			return;
		}
		t->scheme = g_strdup("local");
		t->normalized = g_strdup(after);
		return;
	}
	/* file://host/share and file:////host/share */
	set_unc(t, after);
	g_free(t->scheme);
	t->scheme = g_strdup("file");
}

/* search-ms:...&crumb=location:\\host\share... reaches a remote share. */
static void parse_search(lure_target *t, const char *rest)
{
	const char *loc = strstr(rest, "location:");
	if (loc == NULL)
		return;
	loc += strlen("location:");
	gsize slashes = strspn(loc, "/\\");
	if (slashes >= 2) {
		char *h = extract_host(loc + slashes, true);
		if (h != NULL) {
			char *amp = strchr(h, '&');
			if (amp != NULL)
				*amp = '\0';
		}
		t->host = h;
		t->remote = h != NULL;
	}
}

static void parse_url(lure_target *t, const char *s, gsize slen)
{
	char *scheme = g_ascii_strdown(s, (gssize)slen);
	const char *rest = s + slen + 1;

	if (strcmp(scheme, "file") == 0) {
		g_free(scheme);
		parse_file_url(t, rest);
		return;
	}
	t->scheme = scheme;
	t->normalized = g_strconcat(scheme, ":", rest, NULL);
	if (strcmp(scheme, "mhtml") == 0 || strcmp(scheme, "mk") == 0) {
		/* mhtml:http://host/x!x-usc:... : judge by the inner URL */
		const char *inner = rest;
		gsize ilen = scheme_length(inner);
		if (ilen > 0 && strncmp(inner + ilen, "://", 3) == 0) {
			t->host = extract_host(inner + ilen + 3, false);
			t->remote = t->host != NULL;
		}
		return;
	}
	if (strcmp(scheme, "search-ms") == 0 || strcmp(scheme, "search") == 0) {
		parse_search(t, rest);
		return;
	}
	gsize slashes = strspn(rest, "/\\");
	if (slashes >= 2) {
		t->host = extract_host(rest + slashes, false);
		t->remote = t->host != NULL;
	}
}

void lure_target_parse(const char *raw, lure_target *out)
{
	GString *s = g_string_new(raw != NULL ? raw : "");

	memset(out, 0, sizeof(*out));
	for (int round = 0; round < TARGET_DECODE_ROUNDS; round++) {
		bool a = entity_decode(s);
		bool b = percent_decode(s);
		if (!a && !b)
			break;
	}
	trim(s);

	gsize slen = scheme_length(s->str);
	if (is_sep(s->str[0]) && is_sep(s->str[1])) {
		set_unc(out, s->str + strspn(s->str, "/\\"));
	} else if (is_drive_path(s->str)) {
		out->scheme = g_strdup("local");
		out->normalized = g_strdup(s->str);
	} else if (slen > 1) {
		parse_url(out, s->str, slen);
	} else {
		out->scheme = g_strdup("relative");
		out->normalized = g_strdup(s->str);
	}
	if (out->normalized == NULL)
		out->normalized = g_strdup(s->str);
	out->host_is_ip = lure_target_host_is_ip(out->host);
	g_string_free(s, TRUE);
}

void lure_target_clear(lure_target *t)
{
	if (t == NULL)
		return;
	g_free(t->normalized);
	g_free(t->scheme);
	g_free(t->host);
	memset(t, 0, sizeof(*t));
}
