/*
 * iocs.c - indicators of compromise: every external place a document points
 * at, as URLs, UNC paths, IP addresses and domains (scan->iocs).
 *
 * Two sources feed the lists.
 *
 *  1. Findings (finish pass, once the tree is built). Every finding whose
 *     details carry a link target ("target_normalized", else "target", or
 *     "url") or a command line ("command": DDE fields) is classified:
 *     external relationships of every severity (ordinary hyperlinks too:
 *     an analyst wants every external target), RTF templates, link monikers,
 *     DDE commands. Targets are normalised with lure_target_parse first, so
 *     "HtTp://", "%68ttp://", "&#x68;ttp://", "//host/share" and
 *     "file://host/share" all come out in one canonical form; a local drive
 *     path or a relative part name is not an IOC. Schemes that wrap other
 *     targets (mhtml:http://...!x-usc:..., ms-msdt:..., search-ms:...
 *     location:\\host\share) give the URLs and UNC paths inside them.
 *
 *  2. Bytes (run pass, while an artifact's bytes are alive): XML parts,
 *     relationships parts, RTF, and every other non-container artifact (OLE
 *     streams, OLE1 native data, unknown "data") are scanned once, linearly,
 *     for http://, https://, ftp://, file:// URLs and for UNC paths, both as
 *     8-bit text and as UTF-16LE runs (what OLE streams, monikers and
 *     Ole10Native paths hold, and what a part re-encoded as UTF-16 to dodge
 *     byte scanners looks like). Containers whose bytes are compressed or
 *     duplicated by their children (zip, ooxml, ole2) and PE images (whose
 *     certificate and CRL URLs are pure noise) are skipped; their children
 *     are scanned instead.
 *
 * Schema noise. Every Office XML part declares namespaces and relationship
 * types that are URLs nobody ever fetches. We drop, in text only (never
 * from a finding's target, which is always recorded):
 *  - values of attributes named xmlns or xmlns:*, *:schemaLocation,
 *    *:noNamespaceSchemaLocation, and Type (relationship type URIs,
 *    including third-party ones such as WPS Office's);
 *  - URLs whose host is one of (exactly, case-insensitively):
 *      schemas.openxmlformats.org   ECMA-376 Transitional namespaces, types
 *      purl.oclc.org                ECMA-376 Strict namespaces, types
 *      schemas.microsoft.com        Office extension namespaces
 *      schemas.xmlsoap.org          SOAP/WSDL namespaces (customXml)
 *      www.w3.org, w3.org           XML, XSI, XHTML, SVG, RDF namespaces
 *      purl.org                     Dublin Core (docProps/core.xml)
 *      ns.adobe.com                 XMP packets inside images
 *      ns.microsoft.com             Windows Photo XMP namespaces
 *      www.iec.ch                   the sRGB ICC profile inside images
 *      docs.oasis-open.org          ODF's grddl:transformation stylesheet
 *    These hosts serve schema documents only; an attacker who could make
 *    Office fetch from them would not need a lure.
 *
 * Evasions handled: mixed-case schemes and percent/entity escapes
 * (lure_target_parse); XML entities ending a URL inside an attribute
 * ("&quot;" stops it); UNC paths written with doubled backslashes, as RTF
 * and field codes escape them ("\\\\host\\share"); WebDAV UNC forms
 * ("\\host@SSL@443\share"); UTF-16LE text. Values go through
 * lure_scan_add_ioc, which deduplicates and escapes for display.
 */
#include <string.h>
#include <glib.h>
#include "core/handler.h"
#include "analyzers/iocs.h"
#include "analyzers/target.h"

/* Longest URL or UNC path taken from text; the rest of a longer one is cut
 * (still recorded, as the host is what matters most). */
#define IOC_MAX_CANDIDATE 4096u
/* UTF-16LE runs shorter than this cannot hold "http://a" and are skipped. */
#define IOC_MIN_WIDE_RUN 8u
/* UTF-16LE runs are handed to the text scanner in slices of this size. */
#define IOC_WIDE_SLICE (64u * 1024u)
/* Longest attribute name looked at behind a URL (xmlns:prefix=). */
#define IOC_MAX_ATTR_NAME 64u

/* Hosts of schema and namespace URLs; see the essay above. */
static const char *const noise_hosts[] = {
	"schemas.openxmlformats.org",
	"purl.oclc.org",
	"schemas.microsoft.com",
	"schemas.xmlsoap.org",
	"www.w3.org",
	"w3.org",
	"purl.org",
	"ns.adobe.com",
	"ns.microsoft.com",
	"www.iec.ch",
	"docs.oasis-open.org",
};

/* Kinds whose bytes are not scanned (their children are). */
static const char *const skipped_kinds[] = {
	"zip", "ooxml", "ole2", "pe", "content_types",
};

static bool is_noise_host(const char *host)
{
	if (host == NULL)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(noise_hosts); i++)
		if (g_ascii_strcasecmp(host, noise_hosts[i]) == 0)
			return true;
	return false;
}

/* A host name that is worth listing as a domain: dotted, made of letters,
 * digits and hyphens, with a last label of at least two characters that is
 * not all digits. */
static bool is_domain(const char *host)
{
	const char *last = strrchr(host, '.');
	bool alpha = false;

	if (last == NULL || last == host || strlen(last + 1) < 2)
		return false;
	for (const char *p = host; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && *p != '_')
			return false;
	for (const char *p = last + 1; *p != '\0'; p++)
		if (g_ascii_isalpha(*p) || *p == '-')
			alpha = true;
	return alpha;
}

static void add_host(lure_scan *scan, const char *host, bool is_ip)
{
	if (host == NULL || *host == '\0')
		return;
	if (is_ip) {
		size_t n = strlen(host);
		if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
			char *bare = g_strndup(host + 1, n - 2);
			lure_scan_add_ioc(scan, LURE_IOC_IP, bare);
			g_free(bare);
		} else {
			lure_scan_add_ioc(scan, LURE_IOC_IP, host);
		}
		return;
	}
	char *h = g_strdup(host);
	size_t n = strlen(h);
	while (n > 0 && h[n - 1] == '.')
		h[--n] = '\0';
	if (is_domain(h))
		lure_scan_add_ioc(scan, LURE_IOC_DOMAIN, h);
	g_free(h);
}

static bool is_web_scheme(const char *scheme)
{
	static const char *const web[] = {"http", "https", "ftp", "ftps", "ws", "wss"};
	for (size_t i = 0; i < G_N_ELEMENTS(web); i++)
		if (strcmp(scheme, web[i]) == 0)
			return true;
	return false;
}

/* Records a parsed target. from_text: found in bytes, so noise hosts are
 * dropped and wrapping schemes are not searched again. */
static void add_parsed(lure_scan *scan, const lure_target *t, bool from_text)
{
	const char *norm = t->normalized != NULL ? t->normalized : "";

	if (from_text && is_noise_host(t->host))
		return;
	if (norm[0] == '\\' && norm[1] == '\\') {
		if (t->host == NULL || strcmp(t->host, ".") == 0 || strcmp(t->host, "?") == 0)
			return; /* \\.\device, \\?\C:\... are local */
		lure_scan_add_ioc(scan, LURE_IOC_UNC, norm);
		add_host(scan, t->host, t->host_is_ip);
		return;
	}
	if (t->scheme != NULL && is_web_scheme(t->scheme)) {
		if (t->host == NULL)
			return;
		lure_scan_add_ioc(scan, LURE_IOC_URL, norm);
		add_host(scan, t->host, t->host_is_ip);
		return;
	}
	if (from_text || !t->remote)
		return;
	/* mhtml:, ms-msdt:, search-ms:, its:, ... : what they wrap. */
	lure_iocs_scan_text(scan, norm, strlen(norm));
	add_host(scan, t->host, t->host_is_ip);
}

void lure_iocs_add_target(lure_scan *scan, const char *raw)
{
	lure_target t;

	if (raw == NULL || *raw == '\0')
		return;
	lure_target_parse(raw, &t);
	add_parsed(scan, &t, false);
	lure_target_clear(&t);
}

/* ---- text scanning ---- */

/* Characters that may continue a URL in text. */
static bool is_url_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("\"'<>`\\{}^|", c) == NULL;
}

/* UNC host: name, IPv4, WebDAV "host@SSL@443". */
static bool is_unc_host_char(unsigned char c)
{
	return g_ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '@';
}

/* UNC share and path characters (a separator is handled apart). */
static bool is_unc_path_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("\"'<>|*?\\{}", c) == NULL;
}

/* Length of an XML entity that ends a URL inside an attribute value
 * ("&quot;" and friends), or 0. */
static size_t ending_entity(const char *s, size_t left)
{
	static const char *const ents[] = {"&quot;", "&apos;", "&lt;", "&gt;", "&#34;",
					   "&#39;", "&#x22;", "&#x27;"};
	for (size_t i = 0; i < G_N_ELEMENTS(ents); i++) {
		size_t n = strlen(ents[i]);
		if (left >= n && g_ascii_strncasecmp(s, ents[i], n) == 0)
			return n;
	}
	return 0;
}

/* True when the URL at text[pos] is the value of an attribute that names a
 * schema rather than a link: xmlns, xmlns:p, p:schemaLocation,
 * p:noNamespaceSchemaLocation, Type. */
static bool in_schema_attribute(const char *text, size_t pos)
{
	size_t j, end;
	char name[IOC_MAX_ATTR_NAME + 1];
	const char *local;

	if (pos < 3 || (text[pos - 1] != '"' && text[pos - 1] != '\''))
		return false;
	j = pos - 1;
	while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t'))
		j--;
	if (j == 0 || text[j - 1] != '=')
		return false;
	j--;
	while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t'))
		j--;
	end = j;
	while (j > 0 && end - j < IOC_MAX_ATTR_NAME &&
	       (g_ascii_isalnum(text[j - 1]) || text[j - 1] == ':' || text[j - 1] == '_' ||
		text[j - 1] == '-' || text[j - 1] == '.'))
		j--;
	if (j == end || end - j >= IOC_MAX_ATTR_NAME)
		return false;
	memcpy(name, text + j, end - j);
	name[end - j] = '\0';
	if (strcmp(name, "xmlns") == 0 || strncmp(name, "xmlns:", 6) == 0)
		return true;
	local = strrchr(name, ':');
	local = local != NULL ? local + 1 : name;
	return strcmp(local, "schemaLocation") == 0 ||
	       strcmp(local, "noNamespaceSchemaLocation") == 0 || strcmp(name, "Type") == 0;
}

static void add_candidate(lure_scan *scan, const char *s, size_t n)
{
	/* Trailing punctuation belongs to the sentence, not the URL (a ':'
	 * stays: "file:///C:" is a drive, not a host "C"). */
	while (n > 0 && strchr(".,;)]", s[n - 1]) != NULL)
		n--;
	if (n == 0)
		return;
	char *raw = g_strndup(s, n);
	lure_target t;
	lure_target_parse(raw, &t);
	add_parsed(scan, &t, true);
	lure_target_clear(&t);
	g_free(raw);
}

/* URL schemes looked for in text (lower case). */
static const char *const text_schemes[] = {"http://", "https://", "ftp://", "file://"};

/* At text[i] (left bytes): length of the URL starting there, or 0. */
static size_t match_url(const char *text, size_t left)
{
	for (size_t k = 0; k < G_N_ELEMENTS(text_schemes); k++) {
		size_t sl = strlen(text_schemes[k]);
		if (left <= sl || g_ascii_strncasecmp(text, text_schemes[k], sl) != 0)
			continue;
		/* file: URLs carry Windows paths: "file:///C:\\x", "file://h\\s" */
		bool file = text_schemes[k][0] == 'f' && text_schemes[k][1] == 'i';
		size_t n = sl;
		while (n < left && n < IOC_MAX_CANDIDATE &&
		       (is_url_char((unsigned char)text[n]) || (file && text[n] == '\\'))) {
			if (text[n] == '&' && ending_entity(text + n, left - n) > 0)
				break;
			/* mhtml:URL!x-usc:URL holds two URLs */
			if (text[n] == '!' && left - n >= 7 &&
			    g_ascii_strncasecmp(text + n, "!x-usc:", 7) == 0)
				break;
			n++;
		}
		/* A host must follow the scheme (file:// may add a slash). */
		if (n == sl)
			return 0;
		return n;
	}
	return 0;
}

/* At text[i]: a UNC path "\\host\share..." or its escaped form
 * "\\\\host\\share..."; returns the bytes consumed (0: none) and appends
 * the path, with single backslashes, to out. */
static size_t match_unc(const char *text, size_t left, GString *out)
{
	size_t k = 0, i, host_start, sep;
	bool alnum = false;

	while (k < left && k < 5 && text[k] == '\\')
		k++;
	if (k != 2 && k != 4)
		return k;
	sep = k / 2;
	i = k;
	host_start = i;
	while (i < left && i - host_start < 256 && is_unc_host_char((unsigned char)text[i])) {
		if (g_ascii_isalnum(text[i]))
			alnum = true;
		i++;
	}
	if (i == host_start || !alnum)
		return k;
	/* exactly sep backslashes, then a share name */
	for (size_t s = 0; s < sep; s++)
		if (i + s >= left || text[i + s] != '\\')
			return k;
	if (i + sep >= left || !is_unc_path_char((unsigned char)text[i + sep]))
		return k;
	g_string_append(out, "\\\\");
	g_string_append_len(out, text + host_start, (gssize)(i - host_start));
	while (i < left && out->len < IOC_MAX_CANDIDATE) {
		if (text[i] == '\\') {
			size_t run = 0;
			while (i + run < left && text[i + run] == '\\')
				run++;
			if (run != sep || i + run >= left ||
			    !is_unc_path_char((unsigned char)text[i + run]))
				break;
			g_string_append_c(out, '\\');
			i += run;
			continue;
		}
		if (!is_unc_path_char((unsigned char)text[i]))
			break;
		if (text[i] == '&' && ending_entity(text + i, left - i) > 0)
			break;
		g_string_append_c(out, text[i]);
		i++;
	}
	return i;
}

void lure_iocs_scan_text(lure_scan *scan, const char *text, size_t len)
{
	GString *unc = g_string_new(NULL);
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (c == 'h' || c == 'H' || c == 'f' || c == 'F') {
			size_t n = match_url(text + i, len - i);
			if (n > 0) {
				if (!in_schema_attribute(text, i))
					add_candidate(scan, text + i, n);
				i += n;
				continue;
			}
		} else if (c == '\\') {
			g_string_truncate(unc, 0);
			size_t n = match_unc(text + i, len - i, unc);
			if (unc->len > 0)
				add_candidate(scan, unc->str, unc->len);
			i += n > 0 ? n : 1;
			continue;
		}
		i++;
	}
	g_string_free(unc, TRUE);
}

/* Scans the UTF-16LE runs of printable ASCII in data (at either byte
 * parity) as text. Linear: each byte is looked at a bounded number of
 * times. */
static void scan_wide(lure_scan *scan, const uint8_t *d, size_t len)
{
	GString *run = g_string_new(NULL);
	size_t i = 0;

	while (i + 1 < len) {
		if (!(d[i] >= 0x20 && d[i] < 0x7f && d[i + 1] == 0)) {
			i++;
			continue;
		}
		g_string_truncate(run, 0);
		while (i + 1 < len && d[i] >= 0x20 && d[i] < 0x7f && d[i + 1] == 0) {
			g_string_append_c(run, (char)d[i]);
			i += 2;
			if (run->len >= IOC_WIDE_SLICE) {
				lure_iocs_scan_text(scan, run->str, run->len);
				g_string_truncate(run, 0);
			}
		}
		if (run->len >= IOC_MIN_WIDE_RUN)
			lure_iocs_scan_text(scan, run->str, run->len);
	}
	g_string_free(run, TRUE);
}

/* ---- defanging ---- */

/* Appends host[0..n) with its last inner '.' written "[.]". */
static void defang_host(GString *out, const char *host, size_t n)
{
	size_t dot = n;
	for (size_t i = n; i > 0; i--) {
		if (host[i - 1] == '.' && i < n) {
			dot = i - 1;
			break;
		}
	}
	if (dot == n) {
		g_string_append_len(out, host, (gssize)n);
		return;
	}
	g_string_append_len(out, host, (gssize)dot);
	g_string_append(out, "[.]");
	g_string_append_len(out, host + dot + 1, (gssize)(n - dot - 1));
}

/* Appends a scheme, "http" as "hxxp" (case kept), "ftp" as "fxp". */
static void defang_scheme(GString *out, const char *s, size_t n)
{
	char *copy = g_strndup(s, n);
	if ((n == 4 && g_ascii_strcasecmp(copy, "http") == 0) ||
	    (n == 5 && g_ascii_strcasecmp(copy, "https") == 0)) {
		copy[1] = g_ascii_isupper(copy[1]) ? 'X' : 'x';
		copy[2] = g_ascii_isupper(copy[2]) ? 'X' : 'x';
	} else if (n == 3 && g_ascii_strcasecmp(copy, "ftp") == 0) {
		copy[1] = g_ascii_isupper(copy[1]) ? 'X' : 'x';
	}
	g_string_append(out, copy);
	g_free(copy);
}

char *lure_ioc_defang(const char *value)
{
	GString *out;
	const char *p, *sep;

	if (value == NULL)
		return NULL;
	out = g_string_new(NULL);
	p = value;
	if (p[0] == '\\' && p[1] == '\\') {
		size_t n = strcspn(p + 2, "\\/");
		g_string_append(out, "\\\\");
		defang_host(out, p + 2, n);
		g_string_append(out, p + 2 + n);
		return g_string_free(out, FALSE);
	}
	if (strstr(p, "://") == NULL) {
		defang_host(out, p, strlen(p));
		return g_string_free(out, FALSE);
	}
	while ((sep = strstr(p, "://")) != NULL) {
		const char *s = sep;
		while (s > p && (g_ascii_isalnum(s[-1]) || s[-1] == '+' || s[-1] == '-' ||
				 s[-1] == '.'))
			s--;
		g_string_append_len(out, p, s - p);
		defang_scheme(out, s, (size_t)(sep - s));
		g_string_append(out, "://");
		const char *auth = sep + 3;
		size_t n = strcspn(auth, "/\\?#!");
		/* userinfo and port are outside the host */
		const char *at = memchr(auth, '@', n);
		const char *host = at != NULL ? at + 1 : auth;
		size_t hn = n - (size_t)(host - auth);
		if (hn > 0 && host[0] != '[') {
			const char *colon = memchr(host, ':', hn);
			if (colon != NULL)
				hn = (size_t)(colon - host);
		}
		g_string_append_len(out, auth, host - auth);
		defang_host(out, host, hn);
		g_string_append_len(out, host + hn, (gssize)(n - (size_t)(host - auth) - hn));
		p = auth + n;
	}
	g_string_append(out, p);
	return g_string_free(out, FALSE);
}

/* ---- the analyser ---- */

static bool iocs_accepts(const lure_scan *scan, const lure_artifact *a)
{
	(void)scan;
	if (a->data == NULL || a->len == 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(skipped_kinds); i++)
		if (strcmp(a->kind, skipped_kinds[i]) == 0)
			return false;
	return true;
}

static lure_error iocs_run(lure_scan *scan, lure_artifact *a)
{
	lure_iocs_scan_text(scan, (const char *)a->data, a->len);
	scan_wide(scan, a->data, a->len);
	return LURE_OK;
}

static lure_error iocs_finish(lure_scan *scan)
{
	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		const char *target = lure_finding_get_detail(f, "target_normalized");
		const char *command = lure_finding_get_detail(f, "command");

		if (target == NULL)
			target = lure_finding_get_detail(f, "target");
		if (target == NULL)
			target = lure_finding_get_detail(f, "url");
		if (target != NULL)
			lure_iocs_add_target(scan, target);
		if (command != NULL)
			lure_iocs_scan_text(scan, command, strlen(command));
	}
	return LURE_OK;
}

const lure_analyzer lure_analyzer_iocs = {
	.name = "iocs",
	.accepts = iocs_accepts,
	.run = iocs_run,
	.finish = iocs_finish,
};
