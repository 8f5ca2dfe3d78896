/*
 * altchunk.c - altChunk: a Word document importing another document.
 *
 * ECMA-376 Part 1, 17.17.2.1 (altChunk) and 15.2.1 (Alternative Format
 * Import Part): <w:altChunk r:id="rIdN"/> in the body names a relationship
 * of type ".../relationships/aFChunk" whose target is a part in the package
 * holding another document (RTF, HTML, MHT, plain text, or another
 * WordprocessingML document). Word converts it on open and merges it into
 * the body, with its full importer: an RTF chunk brings its \object groups
 * (linked, auto-updating OLE objects) and an HTML or MHT chunk its scripts,
 * frames and remote references. The OOXML shell then looks clean: no macro,
 * no external relationship. That is the RomCom / Storm-0978 July 2023 lure
 * (CVE-2023-36884): afchunk.rtf with an OLE2Link to a share and a URL
 * moniker object. No other scanner we compare with (oletools oleobj/oleid,
 * Assemblyline, ClamAV) reports altChunk at all.
 *
 * How we judge it:
 *  - run pass (bytes alive): every part directly inside a ZIP/OPC container
 *    that looks like HTML or MHT by its bytes (the content type is not known
 *    yet: "[Content_Types].xml" may come after the part) is read once for
 *    active content (<script, <iframe, <object, <embed, javascript:,
 *    vbscript:, event handlers, meta refresh, ms-msdt:, mhtml:) and remote
 *    references (href/src/data/action/... values that are http(s), UNC,
 *    file:, //host, mhtml: or an application protocol). MHT bodies are
 *    read through quoted-printable (soft line breaks and =XX escapes, which
 *    hide "<scr=\r\nipt" from naive matching). The results become the
 *    part's properties html, html_script, html_script_markers, html_links.
 *  - finish pass (whole tree): for each internal aFChunk relationship the
 *    target is resolved against its source part (lure_opc_resolve_target)
 *    and looked up among the parts of the same container, by name
 *    compared case-insensitively and after percent-decoding, as OPC
 *    compares part names (Part 2, 9.1.1.4). ooxml.altchunk goes on the chunk
 *    part (on the .rels part, with details.note "missing part", when the
 *    target does not exist), medium; low for HTML/MHT with neither script
 *    nor remote references (plain imported text); high when the chunk is RTF (kind "rtf",
 *    or content type application/rtf or text/rtf) and it or any artifact
 *    below it has an rtf.object finding, or when it is HTML/MHT carrying
 *    script or remote references.
 *
 * Evasions handled: the chunk's file name and extension are irrelevant
 * (kind and content type, never the name); case-changed and percent-encoded
 * part names; "../" in targets; relationships parts processed before or
 * after the chunk (all judgement waits for finish); quoted-printable MHT.
 * Not handled: base64-encoded MHT bodies (their content is not decoded
 * here; an RTF or OLE inside still surfaces through its own artifacts).
 */
#include <string.h>
#include <glib.h>
#include "core/handler.h"
#include "core/text.h"
#include "formats/opc.h"

/* Relationship type (last segment) of an Alternative Format Import Part. */
#define REL_AFCHUNK "aFChunk"
/* Bytes at the start of a part looked at to tell HTML or MHT. */
#define HTML_SNIFF_HEAD 4096u

/* What makes an HTML/MHT chunk active (matched on lower-case text). */
static const char *const script_markers[] = {
	"<script", "<iframe", "<frame", "<object", "<embed", "<applet", "<form",
	"javascript:", "vbscript:", "ms-msdt:", "mhtml:", "http-equiv=\"refresh\"",
	"http-equiv=refresh", "http-equiv='refresh'", "onload=", "onerror=",
	"window.location", "location.href", "document.write", "activexobject",
};

/* Attributes that reference something: name, optional spaces, '='. CSS
 * url( is looked for apart. */
static const char *const link_attrs[] = {
	"href", "src", "data", "action", "background", "codebase", "dynsrc", "lowsrc",
	"poster", "formaction",
};

/* Value prefixes that leave the document. */
static const char *const remote_prefixes[] = {
	"http:", "https:", "ftp:", "file:", "\\\\", "//", "mhtml:", "mk:", "ms-",
	"search-ms:", "search:", "javascript:", "vbscript:", "its:", "ldap:",
};

/* ---- run pass: HTML and MHT parts ---- */

/* Case-insensitive search for needle (lower case) in d[0..n). */
static bool has_ci(const uint8_t *d, size_t n, const char *needle)
{
	return lure_find_ci(d, n, needle) >= 0;
}

typedef enum html_kind { NOT_HTML = 0, HTML, MHT } html_kind;

static html_kind sniff_html(const uint8_t *d, size_t len)
{
	size_t n = len < HTML_SNIFF_HEAD ? len : HTML_SNIFF_HEAD;

	if (has_ci(d, n, "mime-version:") && has_ci(d, n, "content-type:"))
		return MHT;
	/* One pass over the '<' of the head, not one per tag name. */
	static const char *const tags[] = {"<html", "<!doctype html", "<head", "<body",
					   "<script", "<iframe"};
	const uint8_t *end = d + n;
	for (const uint8_t *p = memchr(d, '<', n); p != NULL;
	     p = p + 1 < end ? memchr(p + 1, '<', (size_t)(end - p - 1)) : NULL) {
		for (size_t k = 0; k < G_N_ELEMENTS(tags); k++) {
			size_t m = strlen(tags[k]);
			if ((size_t)(end - p) >= m && lure_find_ci(p, m, tags[k]) == 0)
				return HTML;
		}
	}
	return NOT_HTML;
}

/* A lower-case copy of d; for MHT, quoted-printable soft line breaks are
 * removed and =XX escapes decoded first. */
static GString *lowered_text(const uint8_t *d, size_t len, bool qp)
{
	GString *s = g_string_sized_new(len + 1);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = d[i];
		if (qp && c == '=') {
			if (i + 1 < len && d[i + 1] == '\n') {
				i += 1;
				continue;
			}
			if (i + 2 < len && d[i + 1] == '\r' && d[i + 2] == '\n') {
				i += 2;
				continue;
			}
			if (i + 2 < len && g_ascii_isxdigit(d[i + 1]) && g_ascii_isxdigit(d[i + 2])) {
				c = (uint8_t)(g_ascii_xdigit_value(d[i + 1]) * 16 +
					      g_ascii_xdigit_value(d[i + 2]));
				i += 2;
			}
		}
		g_string_append_c(s, (char)g_ascii_tolower(c));
	}
	return s;
}

/* True when the value at v (after '=' or '(', spaces and quotes) leaves
 * the document. */
static bool value_is_remote(const char *v, const char *end)
{
	while (v < end && (*v == ' ' || *v == '"' || *v == '\'' || *v == '\t' || *v == '\r' ||
			   *v == '\n'))
		v++;
	for (size_t r = 0; r < G_N_ELEMENTS(remote_prefixes); r++) {
		size_t rl = strlen(remote_prefixes[r]);
		if ((size_t)(end - v) >= rl && memcmp(v, remote_prefixes[r], rl) == 0)
			return true;
	}
	return false;
}

/* Counts attribute values (name = value, any spacing) and CSS url(...)
 * references in s that point outside the document. */
static unsigned count_remote_links(const GString *s)
{
	unsigned count = 0;
	const char *end = s->str + s->len;

	for (size_t k = 0; k < G_N_ELEMENTS(link_attrs); k++) {
		size_t m = strlen(link_attrs[k]);
		const char *p = s->str;
		while (p < end) {
			const char *hit = memmem(p, (size_t)(end - p), link_attrs[k], m);
			if (hit == NULL)
				break;
			p = hit + m;
			/* a whole attribute name: not "metadata", "srcset" */
			if (hit > s->str && (g_ascii_isalnum(hit[-1]) || hit[-1] == '-'))
				continue;
			const char *v = p;
			while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
				v++;
			if (v < end && *v == '=' && value_is_remote(v + 1, end) && count < G_MAXUINT)
				count++;
		}
	}
	for (const char *p = s->str; p < end;) {
		const char *hit = memmem(p, (size_t)(end - p), "url(", 4);
		if (hit == NULL)
			break;
		p = hit + 4;
		if (value_is_remote(p, end) && count < G_MAXUINT)
			count++;
	}
	return count;
}

static bool altchunk_accepts(const lure_scan *scan, const lure_artifact *a)
{
	if (a->data == NULL || a->len == 0 || a->parent < 0)
		return false;
	const lure_artifact *parent = lure_scan_artifact(scan, (unsigned)a->parent);
	if (parent == NULL ||
	    (strcmp(parent->kind, "ooxml") != 0 && strcmp(parent->kind, "zip") != 0))
		return false;
	return strcmp(a->kind, "data") == 0 || strcmp(a->kind, "xml") == 0 ||
	       strcmp(a->kind, "html") == 0 || strcmp(a->kind, "mht") == 0;
}

static char *media_type(const char *ct);
static bool is_html_type(const char *mt);

static lure_error altchunk_run(lure_scan *scan, lure_artifact *a)
{
	html_kind kind = sniff_html(a->data, a->len);
	(void)scan;

	/* When "[Content_Types].xml" came first, its word counts too. */
	if (kind == NOT_HTML) {
		char *mt = media_type(lure_artifact_get_prop(a, "content_type"));
		if (is_html_type(mt))
			kind = strcmp(mt, "text/html") == 0 || strcmp(mt, "application/xhtml+xml") == 0
				       ? HTML : MHT;
		g_free(mt);
	}
	if (kind == NOT_HTML)
		return LURE_OK;
	GString *text = lowered_text(a->data, a->len, kind == MHT);
	GString *markers = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(script_markers); i++) {
		if (memmem(text->str, text->len, script_markers[i], strlen(script_markers[i]))) {
			if (markers->len > 0)
				g_string_append_c(markers, ',');
			g_string_append(markers, script_markers[i]);
		}
	}
	unsigned links = count_remote_links(text);
	char num[16];
	g_snprintf(num, sizeof(num), "%u", links);
	lure_artifact_set_prop(a, "html", kind == MHT ? "mht" : "html");
	lure_artifact_set_prop(a, "html_script", markers->len > 0 ? "yes" : "no");
	if (markers->len > 0)
		lure_artifact_set_prop(a, "html_script_markers", markers->str);
	lure_artifact_set_prop(a, "html_links", num);
	g_string_free(markers, TRUE);
	g_string_free(text, TRUE);
	return LURE_OK;
}

/* ---- finish pass ---- */

static bool is_afchunk(const lure_relationship *r)
{
	size_t end = strlen(r->type), n = strlen(REL_AFCHUNK);
	while (end > 0 && (r->type[end - 1] == '/' || g_ascii_isspace(r->type[end - 1])))
		end--;
	if (end < n + 1 || r->type[end - n - 1] != '/')
		return false;
	return g_ascii_strncasecmp(r->type + end - n, REL_AFCHUNK, n) == 0;
}


/* Part-name key: lower case, percent-escapes decoded, no leading "/". */
static char *part_key(int container, const char *name)
{
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "%d\x1f", container);
	if (name[0] == '/')
		name++;
	for (const char *p = name; *p != '\0'; p++) {
		if (p[0] == '%' && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
			g_string_append_c(s, (char)g_ascii_tolower(
				(char)(g_ascii_xdigit_value(p[1]) * 16 + g_ascii_xdigit_value(p[2]))));
			p += 2;
		} else {
			g_string_append_c(s, (char)g_ascii_tolower(*p));
		}
	}
	return g_string_free(s, FALSE);
}

/* Media type without parameters, lower case (g_free). */
static char *media_type(const char *ct)
{
	if (ct == NULL)
		return g_strdup("");
	while (g_ascii_isspace(*ct))
		ct++;
	size_t n = strcspn(ct, ";");
	while (n > 0 && g_ascii_isspace(ct[n - 1]))
		n--;
	return g_ascii_strdown(ct, (gssize)n);
}

static bool is_rtf(const lure_artifact *part, const char *mt)
{
	return strcmp(part->kind, "rtf") == 0 || strcmp(mt, "application/rtf") == 0 ||
	       strcmp(mt, "text/rtf") == 0;
}

/* HTML and MHT media types (lower case, no parameters). */
static bool is_html_type(const char *mt)
{
	return strcmp(mt, "text/html") == 0 || strcmp(mt, "application/xhtml+xml") == 0 ||
	       strcmp(mt, "message/rfc822") == 0 || strcmp(mt, "multipart/related") == 0;
}

static bool is_html(const lure_artifact *part, const char *mt)
{
	return lure_artifact_get_prop(part, "html") != NULL || is_html_type(mt) ||
	       strcmp(part->kind, "html") == 0 || strcmp(part->kind, "mht") == 0 ||
	       strcmp(part->kind, "mhtml") == 0;
}

typedef struct tree_index {
	guint n;
	int *first_child;
	int *next_sibling;
	bool *has_object;   /* rtf.object finding on the artifact */
	GHashTable *by_name; /* part_key -> lure_artifact* */
} tree_index;

static void index_build(const lure_scan *scan, tree_index *ix)
{
	ix->n = scan->artifacts->len;
	ix->first_child = g_new(int, ix->n ? ix->n : 1);
	ix->next_sibling = g_new(int, ix->n ? ix->n : 1);
	ix->has_object = g_new0(bool, ix->n ? ix->n : 1);
	ix->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < ix->n; i++)
		ix->first_child[i] = ix->next_sibling[i] = -1;
	for (guint i = ix->n; i > 0; i--) {
		const lure_artifact *a = g_ptr_array_index(scan->artifacts, i - 1);
		if (a->parent < 0 || (guint)a->parent >= ix->n || (guint)a->parent >= i - 1)
			continue;
		ix->next_sibling[i - 1] = ix->first_child[a->parent];
		ix->first_child[a->parent] = (int)(i - 1);
	}
	for (guint i = 0; i < ix->n; i++) {
		lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		if (a->parent < 0)
			continue;
		char *key = part_key(a->parent, a->name);
		if (g_hash_table_contains(ix->by_name, key))
			g_free(key); /* duplicate name: the first entry stands */
		else
			g_hash_table_insert(ix->by_name, key, a);
	}
	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		if (f->ind == LURE_IND_RTF_OBJECT && f->artifact < ix->n)
			ix->has_object[f->artifact] = true;
	}
}

static void index_free(tree_index *ix)
{
	g_free(ix->first_child);
	g_free(ix->next_sibling);
	g_free(ix->has_object);
	g_hash_table_destroy(ix->by_name);
}

/* Number of artifacts at or below root with an rtf.object finding. */
static unsigned objects_below(const tree_index *ix, unsigned root)
{
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
	unsigned count = 0;
	int id = (int)root;

	g_array_append_val(stack, id);
	while (stack->len > 0) {
		id = g_array_index(stack, int, stack->len - 1);
		g_array_set_size(stack, stack->len - 1);
		if (ix->has_object[id])
			count++;
		for (int c = ix->first_child[id]; c >= 0; c = ix->next_sibling[c])
			g_array_append_val(stack, c);
	}
	g_array_free(stack, TRUE);
	return count;
}

static void report_chunk(lure_scan *scan, const tree_index *ix, const lure_relationship *r,
			 const lure_artifact *rels, const char *part_name,
			 const lure_artifact *part)
{
	lure_finding *f;

	if (part == NULL) {
		f = lure_finding_add(scan, rels, LURE_IND_OOXML_ALTCHUNK,
				     "altChunk %s of %s names part %s, which is missing", r->id,
				     r->source_part, part_name);
		lure_finding_detail(f, "part", "%s", part_name);
		lure_finding_detail(f, "source_part", "%s", r->source_part);
		lure_finding_detail(f, "note", "missing part");
		return;
	}
	const char *ct = lure_artifact_get_prop(part, "content_type");
	char *mt = media_type(ct);
	lure_severity sev = LURE_SEV_MEDIUM;
	const char *what = "a document";
	unsigned objects = 0;
	const char *reason = NULL;

	if (is_rtf(part, mt)) {
		what = "RTF";
		objects = objects_below(ix, part->id);
		if (objects > 0) {
			sev = LURE_SEV_HIGH;
			reason = "RTF carrying OLE objects";
		}
	} else if (is_html(part, mt)) {
		const char *script = lure_artifact_get_prop(part, "html_script");
		const char *links = lure_artifact_get_prop(part, "html_links");
		const char *html = lure_artifact_get_prop(part, "html");
		what = html != NULL && strcmp(html, "mht") == 0 ? "MHT" : "HTML";
		if (script != NULL && strcmp(script, "yes") == 0) {
			sev = LURE_SEV_HIGH;
			reason = "HTML carrying script or active content";
		} else if (links != NULL && strcmp(links, "0") != 0) {
			sev = LURE_SEV_HIGH;
			reason = "HTML carrying remote references";
		} else {
			/* Plain HTML text is how legitimate tools import formatted
			 * text; with nothing active or remote it is not a lure. */
			sev = LURE_SEV_LOW;
			reason = "plain HTML: no script, no remote references";
		}
	}
	f = lure_finding_add(scan, part, LURE_IND_OOXML_ALTCHUNK,
			     "altChunk %s of %s imports %s part %s%s%s", r->id, r->source_part,
			     what, part_name, reason != NULL ? ": " : "",
			     reason != NULL ? reason : "");
	lure_finding_set_severity(f, sev);
	lure_finding_detail(f, "part", "%s", part_name);
	lure_finding_detail(f, "content_type", "%s", ct != NULL ? ct : "");
	lure_finding_detail(f, "source_part", "%s", r->source_part);
	lure_finding_detail(f, "kind", "%s", part->kind);
	if (objects > 0)
		lure_finding_detail(f, "objects", "%u", objects);
	if (reason != NULL)
		lure_finding_detail(f, "reason", "%s", reason);
	const char *markers = lure_artifact_get_prop(part, "html_script_markers");
	if (markers != NULL)
		lure_finding_detail(f, "html_script_markers", "%s", markers);
	g_free(mt);
}

static lure_error altchunk_finish(lure_scan *scan)
{
	tree_index ix;
	GHashTable *reported;
	bool any = false;

	for (guint i = 0; i < scan->relationships->len && !any; i++) {
		const lure_relationship *r = g_ptr_array_index(scan->relationships, i);
		any = is_afchunk(r) && !lure_relationship_is_external(r);
	}
	if (!any)
		return LURE_OK;
	index_build(scan, &ix);
	reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < scan->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(scan->relationships, i);
		if (!is_afchunk(r) || lure_relationship_is_external(r))
			continue;
		const lure_artifact *rels = lure_scan_artifact(scan, r->artifact);
		if (rels == NULL || rels->parent < 0)
			continue;
		char *name = lure_opc_resolve_target(r->source_part, r->raw_target);
		if (name == NULL)
			continue; /* an absolute URI: relationships.c judges it */
		char *key = part_key(rels->parent, name);
		if (!g_hash_table_add(reported, key)) {
			g_free(name);
			continue;
		}
		const lure_artifact *part = g_hash_table_lookup(ix.by_name, key);
		report_chunk(scan, &ix, r, rels, name, part);
		g_free(name);
	}
	g_hash_table_destroy(reported);
	index_free(&ix);
	return LURE_OK;
}

const lure_analyzer lure_analyzer_altchunk = {
	.name = "altchunk",
	.accepts = altchunk_accepts,
	.run = altchunk_run,
	.finish = altchunk_finish,
};
