/*
 * opc.c - the XML parts of the Open Packaging Conventions (ECMA-376 Part 2):
 * relationships parts, the content types stream, and XML in general.
 *
 * Relationships (Part 2, 9.3). Each part may have a relationships part
 * named "<folder>/_rels/<part name>.rels" ("_rels/.rels" for the package):
 * <Relationships><Relationship Id Type Target [TargetMode]/>...</Relationships>.
 * Type is a URI naming what the target is (officeDocument, image,
 * attachedTemplate, oleObject, hyperlink, ...); Target is a URI reference,
 * resolved against the source part unless TargetMode="External", in which
 * case it is fetched from outside the package (a remote template, an OLE
 * link, an mhtml: or ms-msdt: URL). We record every relationship in the scan
 * (lure_scan_add_relationship) with its source part, taken from the .rels
 * part's own name; the relationship analyser judges them.
 *
 * Content types (Part 2, 10.1.2). "[Content_Types].xml" maps part names to
 * media types: <Default Extension ContentType/> by extension and
 * <Override PartName ContentType/> per part, the Override winning. We keep
 * the mapping as properties of the stream and give every sibling part its
 * "content_type" property, matching names and extensions case-insensitively
 * as OPC does (9.1.1.4, 10.1.2.2.x).
 *
 * Everything goes through lure_xml_walk (core/xml.c): no DTD, no entity
 * expansion, no network, node and depth caps. A DOCTYPE is xml.doctype, a
 * parse error container.malformed; what parsed before stands.
 *
 * Evasions: relationships with odd namespaces or prefixes (we match local
 * names only, as a lenient reader would); a .rels part missing attributes (we
 * keep what has a Target and report the rest); a .rels part outside a
 * "_rels" folder, which Office ignores (recorded, marked "orphan"); part
 * names that differ only in case or by a leading "/"; huge numbers of
 * relationships or content type entries (capped, and the cap reported).
 */
#include <string.h>
#include "core/handler.h"
#include "core/text.h"
#include "core/xml.h"
#include "formats/opc.h"

/* ECMA-376 Part 2, 9.3.3: the folder and extension of relationships parts. */
#define OPC_RELS_FOLDER "_rels"
#define OPC_RELS_EXT ".rels"

/* Default and Override entries kept as properties of the content types
 * stream; past this the mapping still applies to the parts, but the
 * properties (which are searched linearly) stop. */
#define OPC_MAX_CT_PROPS 1024u

/* Root element names (local names) that the probes look for. */
#define OPC_RELS_ROOT "Relationships"
#define OPC_TYPES_ROOT "Types"
#define OPC_ROOT_MAX 64

/* ---- helpers ---- */

char *lure_opc_source_part(const char *rels_name)
{
	const char *slash, *base, *folder_end, *seg;
	size_t base_len, ext_len = strlen(OPC_RELS_EXT), seg_len;

	if (rels_name == NULL)
		return NULL;
	if (rels_name[0] == '/')
		rels_name++;
	slash = strrchr(rels_name, '/');
	if (slash == NULL)
		return NULL;
	base = slash + 1;
	base_len = strlen(base);
	if (base_len < ext_len ||
	    g_ascii_strcasecmp(base + base_len - ext_len, OPC_RELS_EXT) != 0)
		return NULL;
	/* The last folder must be "_rels". */
	folder_end = slash;
	seg = folder_end;
	while (seg > rels_name && seg[-1] != '/')
		seg--;
	seg_len = (size_t)(folder_end - seg);
	if (seg_len != strlen(OPC_RELS_FOLDER) ||
	    g_ascii_strncasecmp(seg, OPC_RELS_FOLDER, seg_len) != 0)
		return NULL;
	/* "_rels/.rels" belongs to the package; "x/_rels/.rels" to nothing. */
	if (base_len == ext_len)
		return seg == rels_name ? g_strdup("") : NULL;
	return g_strdup_printf("%.*s%.*s", (int)(seg - rels_name), rels_name,
			       (int)(base_len - ext_len), base);
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static bool has_scheme(const char *s)
{
	if (!g_ascii_isalpha(s[0]))
		return false;
	for (const char *p = s + 1; *p != '\0'; p++) {
		if (*p == ':')
			return true;
		if (!g_ascii_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
			return false;
	}
	return false;
}

char *lure_opc_resolve_target(const char *source_part, const char *target)
{
	char *t, *cut, *path, **segs;
	GPtrArray *out;
	GString *joined;

	if (target == NULL)
		return NULL;
	t = g_strdup(target);
	g_strdelimit(t, "\\", '/');
	cut = strpbrk(t, "#?");
	if (cut != NULL)
		*cut = '\0';
	if ((t[0] == '/' && t[1] == '/') || has_scheme(t)) {
		g_free(t);
		return NULL;
	}
	if (t[0] == '/') {
		path = t;
	} else {
		char *src = g_strdup(source_part != NULL ? source_part : "");
		const char *last;
		g_strdelimit(src, "\\", '/');
		last = strrchr(src, '/');
		path = g_strdup_printf("%.*s%s", last != NULL ? (int)(last - src + 1) : 0, src, t);
		g_free(src);
		g_free(t);
	}
	/* RFC 3986 5.2.4, remove_dot_segments, dropping empty segments too. */
	segs = g_strsplit(path, "/", -1);
	out = g_ptr_array_new();
	for (char **s = segs; *s != NULL; s++) {
		if ((*s)[0] == '\0' || strcmp(*s, ".") == 0)
			continue;
		if (strcmp(*s, "..") == 0) {
			if (out->len > 0)
				g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, *s);
	}
	joined = g_string_new(NULL);
	for (guint i = 0; i < out->len; i++) {
		if (i > 0)
			g_string_append_c(joined, '/');
		g_string_append(joined, g_ptr_array_index(out, i));
	}
	g_ptr_array_free(out, TRUE);
	g_strfreev(segs);
	g_free(path);
	return g_string_free(joined, FALSE);
}

static bool root_is(const uint8_t *d, size_t n, const char *name)
{
	char root[OPC_ROOT_MAX];
	return lure_xml_sniff_root(d, n, root, sizeof(root)) && strcmp(root, name) == 0;
}

/* ---- relationships ---- */

typedef struct rels_state {
	lure_scan *scan;
	lure_artifact *a;
	const char *source;
	unsigned count;
	bool missing_reported;
} rels_state;

static lure_error rels_event(void *user, lure_xml_event ev, const char *localname,
			     const char *ns, int depth, const char *text,
			     xmlTextReaderPtr reader)
{
	rels_state *st = user;
	char *id, *type, *target, *mode;

	(void)ns;
	(void)depth;
	(void)text;
	if (ev != LURE_XML_START || localname == NULL || strcmp(localname, "Relationship") != 0)
		return LURE_OK;
	if (st->scan->relationships->len >= st->scan->limits.max_relationships) {
		lure_scan_limit_hit(st->scan, st->a, LURE_LIMIT_RELATIONSHIPS,
				    "more than %u relationships; the rest were not recorded",
				    st->scan->limits.max_relationships);
		return LURE_E_LIMIT;
	}
	id = lure_xml_attr(reader, "Id", NULL);
	type = lure_xml_attr(reader, "Type", NULL);
	target = lure_xml_attr(reader, "Target", NULL);
	mode = lure_xml_attr(reader, "TargetMode", NULL);
	if ((id == NULL || type == NULL || target == NULL) && !st->missing_reported) {
		lure_finding *f = lure_finding_add(st->scan, st->a, LURE_IND_CONTAINER_MALFORMED,
			"a Relationship lacks its %s attribute%s",
			target == NULL ? "Target" : type == NULL ? "Type" : "Id",
			target == NULL ? "; it was not recorded" : "");
		lure_finding_detail(f, "attribute", "%s",
				    target == NULL ? "Target" : type == NULL ? "Type" : "Id");
		st->missing_reported = true;
	}
	/* Without a Target there is nothing to follow; the rest is kept. */
	if (target != NULL) {
		lure_scan_add_relationship(st->scan, st->a, st->source, id != NULL ? id : "",
					   type != NULL ? type : "", target, mode);
		st->count++;
	}
	xmlFree(id);
	xmlFree(type);
	xmlFree(target);
	xmlFree(mode);
	return LURE_OK;
}

static unsigned rels_probe(const uint8_t *d, size_t n)
{
	return root_is(d, n, OPC_RELS_ROOT) ? LURE_BID_STRONG : 0;
}

static lure_error rels_walk(lure_scan *scan, lure_artifact *a)
{
	rels_state st = {.scan = scan, .a = a};
	char *source = a->parent >= 0 ? lure_opc_source_part(a->name) : NULL;
	char count[16];
	lure_error err;

	/* A .rels part outside the naming scheme belongs to no part (Office
	 * ignores it); we still record it, against the package. */
	if (source == NULL && a->parent >= 0)
		lure_artifact_set_prop(a, "orphan", "true");
	st.source = source != NULL ? source : "";
	lure_artifact_set_prop(a, "source_part", st.source);
	err = lure_xml_walk(scan, a, rels_event, &st);
	g_snprintf(count, sizeof(count), "%u", st.count);
	lure_artifact_set_prop(a, "relationships", count);
	g_free(source);
	return err == LURE_E_LIMIT ? LURE_OK : err;
}

const lure_handler lure_handler_rels = {
	.name = "rels",
	.kind = "rels",
	.probe = rels_probe,
	.walk = rels_walk,
};

/* ---- content types ---- */

typedef struct ct_state {
	lure_scan *scan;
	lure_artifact *a;
	GHashTable *defaults;   /* lowercased extension -> content type */
	GHashTable *overrides;  /* lowercased part name, no leading "/" -> type */
	unsigned nprops;
	bool missing_reported;
	bool dup_reported;
} ct_state;

/* Records key -> type in table (first one wins) and as property
 * prefix:shown_key of the stream. */
static void ct_add(ct_state *st, GHashTable *table, const char *prefix, const char *key,
		   const char *shown_key, const char *type)
{
	char *folded = g_ascii_strdown(key, -1);

	if (g_hash_table_contains(table, folded)) {
		if (!st->dup_reported) {
			char *shown = lure_display_escape_str(shown_key);
			lure_finding *f = lure_finding_add(st->scan, st->a,
				LURE_IND_CONTAINER_MALFORMED,
				"content type for %s '%s' given more than once; the first is used",
				prefix, shown);
			lure_finding_detail(f, prefix, "%s", shown_key);
			g_free(shown);
			st->dup_reported = true;
		}
		g_free(folded);
		return;
	}
	g_hash_table_insert(table, folded, g_strdup(type));
	if (st->nprops < OPC_MAX_CT_PROPS) {
		char *shown = lure_display_escape_str(shown_key);
		char *prop = g_strconcat(prefix, ":", shown, NULL);
		lure_artifact_set_prop(st->a, prop, type);
		g_free(prop);
		g_free(shown);
		st->nprops++;
	}
}

static lure_error ct_event(void *user, lure_xml_event ev, const char *localname,
			   const char *ns, int depth, const char *text, xmlTextReaderPtr reader)
{
	ct_state *st = user;
	bool is_default, is_override;
	char *key, *type;

	(void)ns;
	(void)depth;
	(void)text;
	if (ev != LURE_XML_START || localname == NULL)
		return LURE_OK;
	is_default = strcmp(localname, "Default") == 0;
	is_override = strcmp(localname, "Override") == 0;
	if (!is_default && !is_override)
		return LURE_OK;
	key = lure_xml_attr(reader, is_default ? "Extension" : "PartName", NULL);
	type = lure_xml_attr(reader, "ContentType", NULL);
	if (key == NULL || type == NULL) {
		if (!st->missing_reported) {
			lure_finding *f = lure_finding_add(st->scan, st->a,
				LURE_IND_CONTAINER_MALFORMED, "a%s %s entry lacks its %s attribute",
				is_default ? "" : "n", localname,
				key == NULL ? (is_default ? "Extension" : "PartName") : "ContentType");
			lure_finding_detail(f, "attribute", "%s",
				key == NULL ? (is_default ? "Extension" : "PartName") : "ContentType");
			st->missing_reported = true;
		}
	} else if (is_default) {
		ct_add(st, st->defaults, "default", key, key, type);
	} else {
		ct_add(st, st->overrides, "override", key[0] == '/' ? key + 1 : key, key, type);
	}
	xmlFree(key);
	xmlFree(type);
	return LURE_OK;
}

/* The content type of the part named name: its Override, else the Default
 * of its extension (the text after the last '.' of the last segment). */
static const char *ct_lookup(const ct_state *st, const char *name)
{
	char *folded = g_ascii_strdown(name[0] == '/' ? name + 1 : name, -1);
	const char *type = g_hash_table_lookup(st->overrides, folded);

	if (type == NULL) {
		const char *seg = strrchr(folded, '/');
		const char *dot = strrchr(seg != NULL ? seg : folded, '.');
		if (dot != NULL && dot[1] != '\0')
			type = g_hash_table_lookup(st->defaults, dot + 1);
	}
	g_free(folded);
	return type;
}

static unsigned ct_probe(const uint8_t *d, size_t n)
{
	return root_is(d, n, OPC_TYPES_ROOT) ? LURE_BID_STRONG : 0;
}

static lure_error ct_walk(lure_scan *scan, lure_artifact *a)
{
	ct_state st = {.scan = scan, .a = a};
	lure_error err;
	char count[16];

	st.defaults = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	st.overrides = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	err = lure_xml_walk(scan, a, ct_event, &st);
	g_snprintf(count, sizeof(count), "%u", g_hash_table_size(st.defaults));
	lure_artifact_set_prop(a, "defaults", count);
	g_snprintf(count, sizeof(count), "%u", g_hash_table_size(st.overrides));
	lure_artifact_set_prop(a, "overrides", count);
	/* The parts are this stream's siblings, all created by the ZIP walk
	 * before any of them is processed. */
	if (a->parent >= 0 && err == LURE_OK) {
		for (guint i = (guint)a->parent + 1; i < scan->artifacts->len; i++) {
			lure_artifact *part = g_ptr_array_index(scan->artifacts, i);
			const char *type;
			if (part->parent != a->parent || part == a)
				continue;
			type = ct_lookup(&st, part->name);
			if (type != NULL)
				lure_artifact_set_prop(part, "content_type", type);
		}
	}
	g_hash_table_destroy(st.defaults);
	g_hash_table_destroy(st.overrides);
	return err;
}

const lure_handler lure_handler_content_types = {
	.name = "content_types",
	.kind = "content_types",
	.probe = ct_probe,
	.walk = ct_walk,
};

/* ---- any other XML ---- */

static unsigned xml_probe(const uint8_t *d, size_t n)
{
	char root[OPC_ROOT_MAX];
	return lure_xml_sniff_root(d, n, root, sizeof(root)) ? LURE_BID_WEAK : 0;
}

const lure_handler lure_handler_xml = {
	.name = "xml",
	.kind = "xml",
	.probe = xml_probe,
	.walk = NULL,
};
