/*
 * relationships.c - judging OPC relationships (ECMA-376 Part 2, 9.3).
 *
 * Every part of an Office Open XML package may have a relationships part
 * ("word/_rels/document.xml.rels") listing <Relationship Id Type Target
 * TargetMode/>. With TargetMode="External" the Target is a URI that Office
 * resolves outside the package, and for several relationship types it does
 * so on open, without a click:
 *
 *   attachedTemplate  (Part 1, 17.15.1.6 settings): Word loads the template;
 *                     remote template injection, T1221.
 *   oleObject         (Part 1, 15.2.13): an OLE link; with an http URL
 *                     ending in "!" it started MSHTML and ms-msdt (Follina,
 *                     CVE-2022-30190); with "mhtml:http://...!x-usc:..." it
 *                     started MSHTML on an ActiveX cab (CVE-2021-40444).
 *   frame             (framesets), subDocument (master documents),
 *   externalLink      (Excel external workbooks), package, control, ...:
 *                     fetched on open too.
 *   hyperlink         only on a click: information, not a threat.
 *
 * The relationships handler (formats/opc.c) records every relationship in
 * scan->relationships; this analyser runs on each "rels" artifact right
 * after its walk, over the relationships recorded for it (the tail of the
 * list), and reports:
 *
 *   ooxml.msdt_target (critical)  ms-msdt: target, or a non-hyperlink
 *                                 target whose normalised form ends in '!';
 *   ooxml.mhtml_target (high)     mhtml: (or mk:) target;
 *   ooxml.remote_template (high)  attachedTemplate that is not local;
 *   ooxml.external_relationship   everything else that is external: high
 *                                 for a non-hyperlink to http(s)/ftp, UNC,
 *                                 an IP or a remote file:; medium for a
 *                                 hyperlink or other link to an
 *                                 application protocol that runs things
 *                                 (search-ms:, ms-*:, javascript:, ...);
 *                                 info otherwise (ordinary hyperlinks, local
 *                                 files, relative paths).
 * One finding per relationship: the most specific id wins.
 *
 * A local template is not injection: Word writes
 * Target="file:///C:\Users\...\Normal.dotm" TargetMode="External" for a
 * template attached from disk (oletools issue #663 reported those as
 * injection and the check was disabled downstream); such targets are info.
 *
 * Evasions handled: targets are normalised by lure_target_parse before
 * judging (percent-escapes "%68ttp", XML character references, mixed-case
 * schemes "HtTp", surrounding whitespace and quotes, every UNC spelling:
 * "\\h\s", "//h/s", "file://h/s", "file:////h/s", WebDAV "\\h@SSL@443\s");
 * TargetMode compared case-insensitively and trimmed; relationship types
 * matched by their last segment and case-insensitively, so the Transitional
 * (http://schemas.openxmlformats.org/officeDocument/2006/relationships/...),
 * Strict (http://purl.oclc.org/ooxml/officeDocument/relationships/...) and
 * Microsoft (http://schemas.microsoft.com/office/.../relationships/...)
 * spellings are one; a remote absolute URI in an Internal relationship,
 * which Office should not follow but a lenient reader might, is judged as
 * if external (and says so in details.target_mode).
 */
#include <string.h>
#include <glib.h>
#include "core/handler.h"
#include "analyzers/target.h"

/* Relationship type short names (last segment of the Type URI). */
#define REL_ATTACHED_TEMPLATE "attachedTemplate"
#define REL_HYPERLINK "hyperlink"
/* externalLinkPath is Excel's file path of an external workbook; like a
 * hyperlink it is not fetched by itself (the externalLink part is). */
#define REL_EXTERNAL_LINK_PATH "externalLinkPath"

/* Schemes of application protocols that start programs or searches. A
 * target using one is worth a look even as a hyperlink. */
static const char *const active_schemes[] = {
	"search-ms", "search", "ms-msdt", "ms-officecmd", "ms-word", "ms-excel",
	"ms-powerpoint", "ms-appinstaller", "ms-cxh", "ms-cxh-full", "ms-its", "its",
	"mk", "javascript", "vbscript", "shell", "mshta", "hcp", "ms-settings",
	"ms-search", "ms-officeapp", "microsoft-edge", "ldap",
};

/* The last segment of a relationship type URI, as a pointer into type. */
static const char *type_short_len(const char *type, size_t *n)
{
	size_t end = strlen(type);
	while (end > 0 && (type[end - 1] == '/' || g_ascii_isspace(type[end - 1])))
		end--;
	size_t start = end;
	while (start > 0 && type[start - 1] != '/' && type[start - 1] != '#')
		start--;
	*n = end - start;
	return type + start;
}

static bool type_is(const char *type, const char *shortname)
{
	size_t n;
	const char *s = type_short_len(type, &n);
	return n == strlen(shortname) && g_ascii_strncasecmp(s, shortname, n) == 0;
}

static bool scheme_is_active(const char *scheme)
{
	for (size_t i = 0; i < G_N_ELEMENTS(active_schemes); i++)
		if (strcmp(scheme, active_schemes[i]) == 0)
			return true;
	return false;
}

static bool scheme_is(const lure_target *t, const char *s)
{
	return t->scheme != NULL && strcmp(t->scheme, s) == 0;
}

/* Follina: the target's normalised form ends in '!' (after any trailing
 * whitespace, which the normaliser trims). */
static bool ends_in_bang(const lure_target *t)
{
	size_t n = t->normalized != NULL ? strlen(t->normalized) : 0;
	return n > 0 && t->normalized[n - 1] == '!';
}

/* Where the target leads to, in words for the message. */
static const char *where(const lure_target *t)
{
	if (!t->remote)
		return "a local or relative target";
	if (t->host_is_ip)
		return "an IP address";
	if (scheme_is(t, "unc") || scheme_is(t, "file"))
		return "a network share";
	return "a remote location";
}

static void add_details(lure_finding *f, const lure_relationship *r, const char *shortname,
			size_t short_len, const lure_target *t, bool external)
{
	lure_finding_detail(f, "type", "%.*s", (int)short_len, shortname);
	lure_finding_detail(f, "target", "%s", r->target);
	lure_finding_detail(f, "target_normalized", "%s", t->normalized);
	lure_finding_detail(f, "scheme", "%s", t->scheme);
	lure_finding_detail(f, "source_part", "%s", r->source_part);
	lure_finding_detail(f, "id", "%s", r->id);
	lure_finding_detail(f, "target_mode", "%s", external ? "External" : r->target_mode);
	if (t->host != NULL)
		lure_finding_detail(f, "host", "%s", t->host);
	lure_finding_detail(f, "relationship_type", "%s", r->type);
}

/* Judges one relationship of the rels artifact a. */
static void judge(lure_scan *scan, const lure_artifact *a, const lure_relationship *r)
{
	bool external = lure_relationship_is_external(r);
	size_t short_len;
	const char *shortname = type_short_len(r->type, &short_len);
	bool hyperlink = type_is(r->type, REL_HYPERLINK) || type_is(r->type, REL_EXTERNAL_LINK_PATH);
	bool is_template = type_is(r->type, REL_ATTACHED_TEMPLATE);
	lure_target t;
	lure_finding *f;

	/* judged as written, not in its display form */
	lure_target_parse(r->raw_target, &t);
	bool active = t.scheme != NULL && scheme_is_active(t.scheme);
	bool mhtml = scheme_is(&t, "mhtml") || scheme_is(&t, "mk");
	/* Internal relationships are part names; only an absolute URI that
	 * leads somewhere is worth judging. */
	if (!external && !t.remote && !active && !mhtml)
		goto out;

	if (scheme_is(&t, "ms-msdt") || (!hyperlink && ends_in_bang(&t))) {
		f = lure_finding_add(scan, a, LURE_IND_OOXML_MSDT_TARGET,
				     "%.*s relationship %s targets %s (Follina, CVE-2022-30190)",
				     (int)short_len, shortname, r->id,
				     scheme_is(&t, "ms-msdt") ? "the ms-msdt: protocol"
							      : "an HTML page with a trailing '!'");
		lure_finding_detail(f, "cve", "CVE-2022-30190");
	} else if (mhtml) {
		f = lure_finding_add(scan, a, LURE_IND_OOXML_MHTML_TARGET,
				     "%.*s relationship %s targets an %s: URL (CVE-2021-40444)",
				     (int)short_len, shortname, r->id, t.scheme);
		lure_finding_detail(f, "cve", "CVE-2021-40444");
	} else if (is_template && t.remote) {
		f = lure_finding_add(scan, a, LURE_IND_OOXML_REMOTE_TEMPLATE,
				     "attachedTemplate %s loads a template from %s: %s", r->id,
				     where(&t), t.normalized);
		lure_finding_detail(f, "attack", "T1221");
	} else {
		lure_severity sev = LURE_SEV_INFO;
		if (active)
			sev = hyperlink ? LURE_SEV_MEDIUM : LURE_SEV_HIGH;
		else if (!hyperlink && t.remote)
			sev = LURE_SEV_HIGH;
		f = lure_finding_add(scan, a, LURE_IND_OOXML_EXTERNAL_RELATIONSHIP,
				     "%s %.*s relationship %s to %s: %s",
				     external ? "external" : "internal",
				     (int)short_len, shortname, r->id, where(&t), t.normalized);
		lure_finding_set_severity(f, sev);
	}
	add_details(f, r, shortname, short_len, &t, external);
out:
	lure_target_clear(&t);
}

static bool rels_accepts(const lure_scan *scan, const lure_artifact *a)
{
	(void)scan;
	return strcmp(a->kind, "rels") == 0;
}

/* The relationships of a are the ones recorded during its walk: the tail of
 * scan->relationships. Walk back to where they start, then judge them in
 * document order. */
static lure_error rels_run(lure_scan *scan, lure_artifact *a)
{
	guint n = scan->relationships->len, first = n;

	while (first > 0) {
		const lure_relationship *r = g_ptr_array_index(scan->relationships, first - 1);
		if (r->artifact != a->id)
			break;
		first--;
	}
	for (guint i = first; i < n; i++)
		judge(scan, a, g_ptr_array_index(scan->relationships, i));
	return LURE_OK;
}

const lure_analyzer lure_analyzer_relationships = {
	.name = "relationships",
	.accepts = rels_accepts,
	.run = rels_run,
};
