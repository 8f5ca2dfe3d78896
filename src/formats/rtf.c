/*
 * rtf.c - Rich Text Format (RTF 1.9.1), read the way Word reads it.
 *
 * The format. RTF is 7-bit text made of groups ("{" ... "}"), control words
 * ("\" + up to 32 ASCII letters + an optional signed decimal parameter +
 * an optional space that belongs to the word), control symbols ("\" + one
 * non-letter: \' + two hex digits is a byte in the ANSI code page, \* marks
 * the group as an ignorable destination, \\ \{ \} are the literal
 * characters), \binN (N raw bytes follow), and plain text. A destination
 * control word at the start of a group ({\fonttbl, {\pict, {\*\objdata)
 * sends the group's text somewhere other than the document body. Objects
 * are {\object <flags> {\*\objclass ProgID} {\*\objdata <hex>} {\result ..}}:
 * the hex of \objdata decodes to an OLE1 record (MS-OLEDS ObjectHeader, see
 * ole1.c) whose native data is usually a whole compound file.
 *
 * How Word tolerates it, and the evasions built on that. Word starts
 * parsing anything that begins "{\rt" ("{\rtf1", "{\rt", "{\rtfXYZ" all
 * open), which already defeats signatures keyed on "{\rtf1". Inside
 * \objdata it decodes hex nibble by nibble: whitespace and line breaks
 * anywhere (even between the two nibbles of a byte), upper or lower case,
 * non-hex junk characters skipped, unknown control words ignored ("\par",
 * "\foo123"), groups nested in the data decoded as part of it unless they
 * open another destination ({\*\anything} or {\pict ...}: skipped whole),
 * \binN runs taken as raw bytes, an odd trailing nibble dropped. It also
 * drops a pending odd nibble when it meets \'hh (a Word bug that oletools'
 * rtfobj documents and that lures use to shift the decoding by a nibble).
 * Control words longer than 32 letters are consumed whole and ignored;
 * numeric parameters may carry any number of leading zeros ("\bin0005").
 * \uN escapes skip the next \ucN fallback characters. Braces need not
 * balance: a stray "}" is ignored and groups still open at the end of the
 * data are closed there. Tools that pattern-match the hex instead of
 * parsing (or rtfobj's regex paths; oletools issues #572, #789 list
 * obfuscated files it misses) lose objects to these tricks; ClamAV decodes
 * \objdata but only treats it as OLE1 when the first bytes are exactly
 * 01050000 02000000, although Word ignores OLEVersion. The chain this is
 * written for (CVE-2023-36884): an altChunk RTF holding \objautlink
 * \objupdate objects of class OLE2Link and Msxml2.SAXXMLReader.5.0 whose
 * CFBs carry URL and file monikers.
 *
 * How we walk it. One linear pass with a bounded index over the artifact's
 * bytes; no recursion: groups live on an explicit stack of small states
 * (destination, current object, \uc value), capped at the rtf_group_depth
 * limit. Past the cap the groups are only counted (limit.exceeded once)
 * and their text goes on to the deepest tracked destination. Each \object
 * group becomes object[N] (N in document order) holding the decoded
 * \objdata, charged against the size limits in small slices before any
 * buffer grows; its OLE1 header is read here only to name the class and
 * the format in the rtf.object finding, and the child is handed to the
 * driver, which sniffs it (the ole1 handler then unpacks the native data).
 * An object without \objdata gets its rtf.object on the RTF artifact and no
 * child. A second \objdata in the same object is reported as a further
 * object (object[N+1]) with the first one's flags. \objdata outside any
 * \object still counts as an object, since its bytes are the payload.
 * {\*\template} targets are normalised and judged (rtf.template); \fldinst
 * text (bounded) goes to the DDE helper. Objects, templates and fields
 * nested inside ignorable groups are still looked at: reporting something
 * Word would skip is a cheaper mistake than missing something it runs.
 */
#include <limits.h>
#include <string.h>
#include "analyzers/dde.h"
#include "analyzers/target.h"
#include "core/handler.h"
#include "core/limits.h"
#include "ole1.h"
#include "rtf.h"

#define RTF_SIGNATURE "{\\rt"
/* Decoded objdata is collected here and charged per slice. */
#define RTF_STAGE_SIZE 4096u
/* Bytes of input between two looks at the clock. */
#define RTF_EXPIRY_STRIDE (256u * 1024u)
/* Bytes of the opening control word kept in the "header" property. */
#define RTF_HEADER_MAX 40u
/* \ucN is bounded: a fallback longer than this is still cut by braces. */
#define RTF_UC_MAX 65535
#define RTF_INITIAL_STACK 64u

typedef enum rtf_dest {
	DEST_NORMAL = 0, /* document text (ignored) */
	DEST_SKIP,       /* a destination we do not read */
	DEST_OBJDATA,    /* hex of the current object */
	DEST_OBJCLASS,   /* ProgID of the current object */
	DEST_TEMPLATE,   /* {\*\template target} */
	DEST_FLDINST,    /* field instruction */
} rtf_dest;

/* Object flags, in the order of LURE_RTF_OBJECT_FLAGS. */
enum {
	OBJ_EMB = 1u << 0,
	OBJ_LINK = 1u << 1,
	OBJ_AUTLINK = 1u << 2,
	OBJ_SUB = 1u << 3,
	OBJ_PUB = 1u << 4,
	OBJ_ICEMB = 1u << 5,
	OBJ_HTML = 1u << 6,
	OBJ_OCX = 1u << 7,
	OBJ_UPDATE = 1u << 8,
};
static const char *const flag_names[] = {
	"objemb", "objlink", "objautlink", "objsub", "objpub",
	"objicemb", "objhtml", "objocx", "objupdate",
};

typedef enum word_kind {
	W_DEST,     /* another destination: its group is skipped */
	W_OBJECT,
	W_OBJDATA,
	W_OBJCLASS,
	W_TEMPLATE,
	W_FLDINST,
	W_FLAG,
	W_U,
	W_UC,
	W_BIN,
} word_kind;

typedef struct rtf_word {
	const char *name;
	word_kind kind;
	unsigned flag;
} rtf_word;

/* Control words we act on, sorted by strcmp for bsearch. W_DEST lists the
 * destinations of RTF 1.9.1 that carry data we must not mistake for object
 * hex (pictures, theme and data-store blobs, fonts, styles, ...). */
static const rtf_word words[] = {
	{"aftncn", W_DEST, 0}, {"aftnsep", W_DEST, 0}, {"aftnsepc", W_DEST, 0},
	{"annotation", W_DEST, 0}, {"atnauthor", W_DEST, 0}, {"atndate", W_DEST, 0},
	{"atnid", W_DEST, 0}, {"atnparent", W_DEST, 0}, {"atnref", W_DEST, 0},
	{"atrfend", W_DEST, 0}, {"atrfstart", W_DEST, 0}, {"author", W_DEST, 0},
	{"background", W_DEST, 0}, {"bin", W_BIN, 0}, {"bkmkend", W_DEST, 0},
	{"bkmkstart", W_DEST, 0}, {"blipuid", W_DEST, 0}, {"buptim", W_DEST, 0},
	{"category", W_DEST, 0}, {"colorschememapping", W_DEST, 0}, {"colortbl", W_DEST, 0},
	{"comment", W_DEST, 0}, {"company", W_DEST, 0}, {"creatim", W_DEST, 0},
	{"datafield", W_DEST, 0}, {"datastore", W_DEST, 0}, {"defchp", W_DEST, 0},
	{"defpap", W_DEST, 0}, {"do", W_DEST, 0}, {"doccomm", W_DEST, 0},
	{"docvar", W_DEST, 0}, {"dptxbxtext", W_DEST, 0}, {"ebcend", W_DEST, 0},
	{"ebcstart", W_DEST, 0}, {"factoidname", W_DEST, 0}, {"falt", W_DEST, 0},
	{"fchars", W_DEST, 0}, {"ffdeftext", W_DEST, 0}, {"ffentrymcr", W_DEST, 0},
	{"ffexitmcr", W_DEST, 0}, {"ffformat", W_DEST, 0}, {"ffhelptext", W_DEST, 0},
	{"ffl", W_DEST, 0}, {"ffname", W_DEST, 0}, {"ffstattext", W_DEST, 0},
	{"field", W_DEST, 0}, {"file", W_DEST, 0}, {"filetbl", W_DEST, 0},
	{"fldinst", W_FLDINST, 0}, {"fldrslt", W_DEST, 0}, {"fldtype", W_DEST, 0},
	{"fontemb", W_DEST, 0}, {"fonttbl", W_DEST, 0}, {"footer", W_DEST, 0},
	{"footerf", W_DEST, 0}, {"footerl", W_DEST, 0}, {"footerr", W_DEST, 0},
	{"footnote", W_DEST, 0}, {"formfield", W_DEST, 0}, {"ftncn", W_DEST, 0},
	{"ftnsep", W_DEST, 0}, {"ftnsepc", W_DEST, 0}, {"g", W_DEST, 0},
	{"generator", W_DEST, 0}, {"gridtbl", W_DEST, 0}, {"header", W_DEST, 0},
	{"headerf", W_DEST, 0}, {"headerl", W_DEST, 0}, {"headerr", W_DEST, 0},
	{"hl", W_DEST, 0}, {"hlfr", W_DEST, 0}, {"hlinkbase", W_DEST, 0},
	{"hlloc", W_DEST, 0}, {"hlsrc", W_DEST, 0}, {"hsv", W_DEST, 0},
	{"info", W_DEST, 0}, {"keywords", W_DEST, 0}, {"latentstyles", W_DEST, 0},
	{"lchars", W_DEST, 0}, {"levelnumbers", W_DEST, 0}, {"leveltext", W_DEST, 0},
	{"lfolevel", W_DEST, 0}, {"linkval", W_DEST, 0}, {"list", W_DEST, 0},
	{"listlevel", W_DEST, 0}, {"listname", W_DEST, 0}, {"listoverride", W_DEST, 0},
	{"listoverridetable", W_DEST, 0}, {"listpicture", W_DEST, 0},
	{"liststylename", W_DEST, 0}, {"listtable", W_DEST, 0}, {"listtext", W_DEST, 0},
	{"lsdlockedexcept", W_DEST, 0}, {"manager", W_DEST, 0}, {"mmathPict", W_DEST, 0},
	{"nesttableprops", W_DEST, 0}, {"nonesttables", W_DEST, 0},
	{"nonshppict", W_DEST, 0}, {"objalias", W_DEST, 0},
	{"objautlink", W_FLAG, OBJ_AUTLINK}, {"objclass", W_OBJCLASS, 0},
	{"objdata", W_OBJDATA, 0}, {"object", W_OBJECT, 0}, {"objemb", W_FLAG, OBJ_EMB},
	{"objhtml", W_FLAG, OBJ_HTML}, {"objicemb", W_FLAG, OBJ_ICEMB},
	{"objlink", W_FLAG, OBJ_LINK}, {"objname", W_DEST, 0}, {"objocx", W_FLAG, OBJ_OCX},
	{"objpub", W_FLAG, OBJ_PUB}, {"objsect", W_DEST, 0}, {"objsub", W_FLAG, OBJ_SUB},
	{"objupdate", W_FLAG, OBJ_UPDATE}, {"oldcprops", W_DEST, 0},
	{"oldpprops", W_DEST, 0}, {"oldsprops", W_DEST, 0}, {"oldtprops", W_DEST, 0},
	{"oleclsid", W_DEST, 0}, {"operator", W_DEST, 0}, {"panose", W_DEST, 0},
	{"password", W_DEST, 0}, {"passwordhash", W_DEST, 0}, {"pgp", W_DEST, 0},
	{"pgptbl", W_DEST, 0}, {"picprop", W_DEST, 0}, {"pict", W_DEST, 0},
	{"pn", W_DEST, 0}, {"pnseclvl", W_DEST, 0}, {"pntext", W_DEST, 0},
	{"pntxta", W_DEST, 0}, {"pntxtb", W_DEST, 0}, {"printim", W_DEST, 0},
	{"propname", W_DEST, 0}, {"protend", W_DEST, 0}, {"protstart", W_DEST, 0},
	{"protusertbl", W_DEST, 0}, {"result", W_DEST, 0}, {"revtbl", W_DEST, 0},
	{"revtim", W_DEST, 0}, {"rsidtbl", W_DEST, 0}, {"rxe", W_DEST, 0},
	{"shp", W_DEST, 0}, {"shpgrp", W_DEST, 0}, {"shpinst", W_DEST, 0},
	{"shppict", W_DEST, 0}, {"shprslt", W_DEST, 0}, {"shptxt", W_DEST, 0},
	{"sn", W_DEST, 0}, {"sp", W_DEST, 0}, {"staticval", W_DEST, 0},
	{"stylesheet", W_DEST, 0}, {"subject", W_DEST, 0}, {"sv", W_DEST, 0},
	{"svb", W_DEST, 0}, {"tc", W_DEST, 0}, {"template", W_TEMPLATE, 0},
	{"themedata", W_DEST, 0}, {"title", W_DEST, 0}, {"txe", W_DEST, 0},
	{"u", W_U, 0}, {"uc", W_UC, 0}, {"ud", W_DEST, 0}, {"upr", W_DEST, 0},
	{"userprops", W_DEST, 0}, {"wgrffmtfilter", W_DEST, 0},
	{"windowcaption", W_DEST, 0}, {"writereservation", W_DEST, 0},
	{"writereservhash", W_DEST, 0}, {"xe", W_DEST, 0}, {"xform", W_DEST, 0},
	{"xmlattrname", W_DEST, 0}, {"xmlattrvalue", W_DEST, 0}, {"xmlclose", W_DEST, 0},
	{"xmlname", W_DEST, 0}, {"xmlnstbl", W_DEST, 0}, {"xmlopen", W_DEST, 0},
};

/* One open group. The state is copied from the parent on "{". */
typedef struct rtf_group {
	rtf_dest dest;
	bool opened_dest; /* this group set dest: finish it on "}" */
	bool fresh;       /* only \* seen since "{": a destination may start */
	bool star;        /* \* seen at the start of the group */
	int obj;          /* object receiving flags and objdata, -1 none */
	int opened_obj;   /* object whose \object (or bare \objdata) is here */
	unsigned uc;      /* \ucN: fallback characters after \uN */
	size_t cap_start; /* start of this destination's text in its buffer */
} rtf_group;

/* One object in document order. Flags and \objclass live on the root
 * record; a second \objdata in the same \object gets an extra record (root
 * = the first) so that both payloads are scanned. */
typedef struct rtf_object {
	int root;
	int next_extra;      /* next extra record of the same root, -1 none */
	int last_extra;      /* on a root: the last record of its list */
	unsigned flags;
	GString *objclass;   /* NULL until {\*\objclass} */
	uint8_t *buf;        /* decoded objdata */
	size_t len, cap;
	bool has_objdata;
	bool nibble_pending; /* an odd nibble waits for its partner */
	uint8_t nibble;
	bool limited;        /* a size limit stopped the decoding */
	bool done;           /* reported */
} rtf_object;

typedef struct rtf_ctx {
	lure_scan *scan;
	lure_artifact *a;
	const uint8_t *d;
	size_t n;
	rtf_group *stack; /* stack[0]: outside every group */
	size_t nstack, capstack;
	size_t overflow;  /* groups open past the depth limit (not tracked) */
	bool depth_hit;
	rtf_object *objs;
	size_t nobjs, capobjs;
	bool objs_full;
	bool total_exhausted; /* the total-size limit was hit: decode no more */
	unsigned uc_skip;     /* fallback characters still to skip */
	GString *tpl;         /* template text of the open template groups */
	GString *fld;         /* field instruction text of open fldinst groups */
	size_t stage_obj;
	size_t stage_len;
	uint8_t stage[RTF_STAGE_SIZE];
} rtf_ctx;

static unsigned probe(const uint8_t *d, size_t n)
{
	if (n >= 4 && memcmp(d, RTF_SIGNATURE, 4) == 0)
		return LURE_BID_CERTAIN;
	return 0;
}

/* ---- small helpers ---- */

static bool is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Hex digit values plus one (0: not a hex digit), and the bytes that end
 * a run of text. */
static const uint8_t hex_plus_one[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
	['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16,
};
static const uint8_t ends_text[256] = {['{'] = 1, ['}'] = 1, ['\\'] = 1};

static int hex_value(uint8_t c)
{
	return hex_plus_one[c] - 1;
}

static int word_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const rtf_word *)elem)->name);
}

static const rtf_word *word_lookup(const char *name)
{
	return bsearch(name, words, G_N_ELEMENTS(words), sizeof(words[0]), word_cmp);
}

static rtf_group *top(rtf_ctx *c)
{
	return &c->stack[c->nstack - 1];
}

static rtf_group *parent_of_top(rtf_ctx *c)
{
	return c->nstack >= 2 ? &c->stack[c->nstack - 2] : NULL;
}

static void object_name(size_t k, char *buf, size_t size)
{
	g_snprintf(buf, size, "object[%zu]", k);
}

/* ---- decoded objdata: staged, charged, then stored ---- */

static void stage_flush(rtf_ctx *c)
{
	char name[32];
	size_t n = c->stage_len;

	if (n == 0)
		return;
	c->stage_len = 0;
	rtf_object *o = &c->objs[c->stage_obj];
	if (o->limited || c->total_exhausted)
		return;
	object_name(c->stage_obj, name, sizeof(name));
	bool too_big = (uint64_t)o->len + n > c->scan->limits.max_artifact_size;
	if (lure_scan_charge(c->scan, c->a, name, n, (uint64_t)o->len + n) != LURE_OK) {
		o->limited = true;
		if (!too_big)
			c->total_exhausted = true;
		return;
	}
	if (o->len + n > o->cap) {
		size_t cap = o->cap < RTF_STAGE_SIZE ? RTF_STAGE_SIZE : o->cap;
		while (cap < o->len + n)
			cap = cap > SIZE_MAX / 2 ? o->len + n : cap * 2;
		o->buf = g_realloc(o->buf, cap);
		o->cap = cap;
	}
	memcpy(o->buf + o->len, c->stage, n);
	o->len += n;
}

static void emit(rtf_ctx *c, size_t k, const uint8_t *p, size_t n)
{
	if (c->stage_len > 0 && c->stage_obj != k)
		stage_flush(c);
	c->stage_obj = k;
	while (n > 0) {
		size_t room = RTF_STAGE_SIZE - c->stage_len;
		size_t take = n < room ? n : room;
		memcpy(c->stage + c->stage_len, p, take);
		c->stage_len += take;
		p += take;
		n -= take;
		if (c->stage_len == RTF_STAGE_SIZE)
			stage_flush(c);
	}
}

static bool object_accepts_data(const rtf_ctx *c, int k)
{
	return k >= 0 && !c->objs[k].limited && !c->total_exhausted && !c->objs[k].done;
}

/* Hex text of object k: every hex digit is a nibble, everything else is
 * skipped, as Word does. */
static void objdata_hex(rtf_ctx *c, int k, const uint8_t *p, size_t n)
{
	if (!object_accepts_data(c, k))
		return;
	rtf_object *o = &c->objs[k];
	bool pending = o->nibble_pending;
	uint8_t nibble = o->nibble;

	if (c->stage_len > 0 && c->stage_obj != (size_t)k)
		stage_flush(c);
	c->stage_obj = (size_t)k;
	for (size_t i = 0; i < n; i++) {
		uint8_t v = hex_plus_one[p[i]];
		if (v == 0)
			continue;
		if (!pending) {
			nibble = (uint8_t)(v - 1);
			pending = true;
			continue;
		}
		pending = false;
		c->stage[c->stage_len++] = (uint8_t)(nibble << 4 | (v - 1));
		if (c->stage_len == RTF_STAGE_SIZE) {
			stage_flush(c);
			if (!object_accepts_data(c, k))
				break;
		}
	}
	o->nibble_pending = pending;
	o->nibble = nibble;
}

/* ---- objects ---- */

static int object_new(rtf_ctx *c, int root)
{
	if (c->nobjs >= c->scan->limits.max_artifacts || c->nobjs >= (size_t)INT_MAX) {
		if (!c->objs_full) {
			c->objs_full = true;
			lure_scan_limit_hit(c->scan, c->a, LURE_LIMIT_ARTIFACTS,
					    "more than %u RTF objects; the rest were not extracted",
					    c->scan->limits.max_artifacts);
		}
		return -1;
	}
	if (c->nobjs == c->capobjs) {
		c->capobjs = c->capobjs == 0 ? 8 : c->capobjs * 2;
		c->objs = g_renew(rtf_object, c->objs, c->capobjs);
	}
	int k = (int)c->nobjs++;
	rtf_object *o = &c->objs[k];
	memset(o, 0, sizeof(*o));
	o->root = root >= 0 ? root : k;
	o->next_extra = -1;
	o->last_extra = k;
	if (root >= 0) {
		c->objs[c->objs[root].last_extra].next_extra = k;
		c->objs[root].last_extra = k;
	}
	return k;
}

static char *flags_string(unsigned flags)
{
	GString *s = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(flag_names); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, flag_names[i]);
	}
	return g_string_free(s, FALSE);
}

static char *objclass_text(const rtf_object *root)
{
	if (root->objclass == NULL)
		return NULL;
	char *t = g_strstrip(g_strndup(root->objclass->str, root->objclass->len));
	if (*t == '\0') {
		g_free(t);
		return NULL;
	}
	return t;
}

/* Reports object k: a child holding its decoded bytes (when it has any),
 * rtf.object and rtf.objupdate on that child (or on the RTF artifact). */
static void object_finish(rtf_ctx *c, int k)
{
	char name[32];
	lure_ole1_header h;
	lure_artifact *child = NULL;
	char *cls = NULL;

	if (c->objs[k].done)
		return;
	if (c->stage_len > 0 && c->stage_obj == (size_t)k)
		stage_flush(c);
	rtf_object *o = &c->objs[k];
	const rtf_object *root = &c->objs[o->root];
	o->done = true;
	o->nibble_pending = false; /* an odd trailing nibble is dropped */
	object_name((size_t)k, name, sizeof(name));

	char *objclass = objclass_text(root);
	char *flags = flags_string(root->flags);
	lure_error perr = LURE_E_MALFORMED;
	memset(&h, 0, sizeof(h));
	if (o->len > 0)
		perr = lure_ole1_parse(o->buf, o->len, &h);
	bool have_header = h.class_name.present;
	if (have_header && h.class_name.len > 0)
		cls = g_strndup(h.class_name.str, h.class_name.len);
	else if (objclass != NULL)
		cls = g_strdup(objclass);

	bool linked = (root->flags & (OBJ_LINK | OBJ_AUTLINK)) != 0 ||
		      (have_header && h.format_id == LURE_OLE1_FORMAT_LINKED);
	bool ole2link = cls != NULL && g_ascii_strcasecmp(cls, "OLE2Link") == 0;
	const char *format = have_header ? lure_ole1_format_name(h.format_id) : NULL;
	size_t size = o->len;

	if (o->len > 0) {
		uint8_t *bytes = o->len < o->cap ? g_realloc(o->buf, o->len) : o->buf;
		o->buf = NULL;
		o->cap = 0;
		o->len = 0;
		/* The bytes were charged while they were decoded. */
		if (lure_scan_add_child(c->scan, c->a, name, bytes, size, &child) != LURE_OK)
			child = NULL;
	}
	lure_artifact *on = child != NULL ? child : c->a;
	if (child != NULL) {
		if (objclass != NULL)
			lure_artifact_set_prop(child, "objclass", objclass);
		if (*flags != '\0')
			lure_artifact_set_prop(child, "rtf_flags", flags);
	}

	lure_finding *f = lure_finding_add(c->scan, on, LURE_IND_RTF_OBJECT,
		"RTF %s: %s%s%s%s%s", name, cls != NULL ? cls : "unknown class",
		format != NULL ? ", " : "", format != NULL ? format : "",
		*flags != '\0' ? ", " : "", flags);
	lure_finding_detail(f, "object", "%s", name);
	if (cls != NULL)
		lure_finding_detail(f, "class", "%s", cls);
	if (objclass != NULL && (cls == NULL || strcmp(objclass, cls) != 0))
		lure_finding_detail(f, "objclass", "%s", objclass);
	lure_finding_detail(f, "flags", "%s", flags);
	if (format != NULL)
		lure_finding_detail(f, "format", "%s", format);
	lure_finding_detail(f, "size", "%zu", size);
	if (size == 0)
		lure_finding_detail(f, "data", "%s", root->has_objdata || o->has_objdata
					    ? "empty \\objdata" : "no \\objdata");
	else if (perr != LURE_OK)
		lure_finding_detail(f, "ole1", "%s", h.problem != NULL ? h.problem
					    : "not an OLE1 ObjectHeader");
	if (o->limited)
		lure_finding_detail(f, "truncated", "a size limit stopped the decoding");
	if (linked || ole2link)
		lure_finding_set_severity(f, LURE_SEV_MEDIUM);

	if (root->flags & OBJ_UPDATE) {
		bool autolink = (root->flags & OBJ_AUTLINK) != 0;
		lure_finding *u = lure_finding_add(c->scan, on, LURE_IND_RTF_OBJUPDATE,
			"RTF %s (%s) updates itself when the document opens%s", name,
			cls != NULL ? cls : "unknown class",
			autolink ? ", and it is an automatic link" : "");
		lure_finding_detail(u, "object", "%s", name);
		if (cls != NULL)
			lure_finding_detail(u, "class", "%s", cls);
		lure_finding_detail(u, "flags", "%s", flags);
		if (autolink)
			lure_finding_set_severity(u, LURE_SEV_HIGH);
	}
	g_free(cls);
	g_free(objclass);
	g_free(flags);
}

static void object_finish_tree(rtf_ctx *c, int k)
{
	for (int j = k; j >= 0; j = c->objs[j].next_extra)
		object_finish(c, j);
}

/* ---- destinations ---- */

static void report_template(rtf_ctx *c, const char *raw, size_t len)
{
	lure_target t;
	char *target = g_strstrip(g_strndup(raw, len));

	if (*target == '\0') {
		g_free(target);
		return;
	}
	lure_target_parse(target, &t);
	lure_finding *f = lure_finding_add(c->scan, c->a, LURE_IND_RTF_TEMPLATE,
		"RTF document template %s: %s", t.remote ? "on a remote host" : "(local)",
		target);
	lure_finding_detail(f, "target", "%s", target);
	lure_finding_detail(f, "target_normalized", "%s",
			    t.normalized != NULL ? t.normalized : "");
	lure_finding_detail(f, "scheme", "%s", t.scheme != NULL ? t.scheme : "");
	if (!t.remote)
		lure_finding_set_severity(f, LURE_SEV_INFO);
	lure_target_clear(&t);
	g_free(target);
}

/* Ends the destination the top group opened (on "}" or when the group
 * switches to another destination). */
static void dest_finish(rtf_ctx *c)
{
	rtf_group *g = top(c);
	rtf_group *parent = parent_of_top(c);
	bool outermost = parent == NULL || parent->dest != g->dest ||
			 (g->dest == DEST_OBJDATA && parent->obj != g->obj);

	switch (g->dest) {
	case DEST_OBJDATA:
		if (g->obj >= 0 && outermost) {
			if (c->stage_len > 0 && c->stage_obj == (size_t)g->obj)
				stage_flush(c);
			c->objs[g->obj].nibble_pending = false;
		}
		break;
	case DEST_TEMPLATE:
		if (g->cap_start <= c->tpl->len)
			report_template(c, c->tpl->str + g->cap_start, c->tpl->len - g->cap_start);
		if (outermost)
			g_string_truncate(c->tpl, g->cap_start);
		break;
	case DEST_FLDINST:
		if (g->cap_start <= c->fld->len)
			lure_dde_check_field(c->scan, c->a, c->fld->str + g->cap_start,
					     c->fld->len - g->cap_start);
		if (outermost)
			g_string_truncate(c->fld, g->cap_start);
		break;
	default:
		break;
	}
	g->opened_dest = false;
}

static void dest_open(rtf_ctx *c, rtf_dest d)
{
	rtf_group *g = top(c);
	if (g->opened_dest)
		dest_finish(c);
	g->dest = d;
	g->opened_dest = true;
	if (d == DEST_TEMPLATE)
		g->cap_start = c->tpl->len;
	else if (d == DEST_FLDINST)
		g->cap_start = c->fld->len;
}

static void object_open(rtf_ctx *c)
{
	rtf_group *g = top(c);
	/* \object is itself a destination: its own text is not data. */
	dest_open(c, DEST_NORMAL);
	if (g->opened_obj >= 0)
		object_finish_tree(c, g->opened_obj);
	int k = object_new(c, -1);
	g = top(c);
	g->obj = k;
	g->opened_obj = k;
}

static void objdata_open(rtf_ctx *c)
{
	rtf_group *g = top(c);
	int k = g->obj;
	bool implicit = false;

	if (k >= 0 && g->dest == DEST_OBJDATA)
		return; /* nested in this object's data: the same stream goes on */
	if (k < 0) {
		k = object_new(c, -1); /* \objdata outside \object */
		implicit = true;
	} else if (c->objs[k].has_objdata || c->objs[k].done) {
		k = object_new(c, c->objs[k].root);
	}
	if (k < 0) {
		dest_open(c, DEST_SKIP);
		return;
	}
	dest_open(c, DEST_OBJDATA);
	g = top(c);
	g->obj = k;
	if (implicit)
		g->opened_obj = k;
	c->objs[k].has_objdata = true;
}

static void objclass_open(rtf_ctx *c)
{
	rtf_group *g = top(c);
	if (g->obj < 0) {
		dest_open(c, DEST_SKIP);
		return;
	}
	rtf_object *root = &c->objs[c->objs[g->obj].root];
	if (root->objclass == NULL)
		root->objclass = g_string_new(NULL);
	g_string_truncate(root->objclass, 0); /* the last \objclass wins */
	dest_open(c, DEST_OBJCLASS);
}

/* ---- groups ---- */

static void group_open(rtf_ctx *c)
{
	c->uc_skip = 0;
	if (c->overflow > 0 || c->nstack - 1 >= c->scan->limits.rtf_group_depth) {
		if (!c->depth_hit) {
			c->depth_hit = true;
			lure_scan_limit_hit(c->scan, c->a, LURE_LIMIT_RTF_GROUP_DEPTH,
				"RTF groups nested deeper than %u; deeper groups are read as part of their parent",
				c->scan->limits.rtf_group_depth);
		}
		c->overflow++;
		/* A destination cannot start in an untracked group. */
		top(c)->fresh = false;
		top(c)->star = false;
		return;
	}
	if (c->nstack == c->capstack) {
		c->capstack *= 2;
		c->stack = g_renew(rtf_group, c->stack, c->capstack);
	}
	rtf_group *g = &c->stack[c->nstack];
	*g = c->stack[c->nstack - 1];
	g->opened_dest = false;
	g->opened_obj = -1;
	g->fresh = true;
	g->star = false;
	c->nstack++;
}

/* Closes the top group; at the bottom (stack[0], outside every group) it
 * only finishes what the top-level text opened, at the end of the data. */
static void group_finish_top(rtf_ctx *c)
{
	rtf_group *g = top(c);
	if (g->opened_dest)
		dest_finish(c);
	if (g->opened_obj >= 0) {
		int k = g->opened_obj;
		g->opened_obj = -1;
		object_finish_tree(c, k);
	}
}

static void group_close(rtf_ctx *c)
{
	c->uc_skip = 0;
	if (c->overflow > 0) {
		c->overflow--;
		return;
	}
	if (c->nstack <= 1)
		return; /* a stray "}" is ignored */
	group_finish_top(c);
	c->nstack--;
}

/* ---- text ---- */

static void capture(GString *s, size_t max, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && s->len < max; i++)
		if (p[i] != '\r' && p[i] != '\n' && p[i] != '\0')
			g_string_append_c(s, (char)p[i]);
}

static bool all_blank(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* Text for the top group's destination (after any \uN fallback). */
static void text(rtf_ctx *c, const uint8_t *p, size_t n)
{
	rtf_group *g = top(c);

	if ((g->fresh || g->star) && !all_blank(p, n))
		g->fresh = g->star = false;
	switch (g->dest) {
	case DEST_OBJDATA:
		objdata_hex(c, g->obj, p, n);
		break;
	case DEST_OBJCLASS:
		if (g->obj >= 0) {
			rtf_object *root = &c->objs[c->objs[g->obj].root];
			if (root->objclass != NULL)
				capture(root->objclass, LURE_RTF_MAX_CLASS, p, n);
		}
		break;
	case DEST_TEMPLATE:
		capture(c->tpl, LURE_RTF_MAX_TEMPLATE, p, n);
		break;
	case DEST_FLDINST:
		capture(c->fld, LURE_RTF_MAX_FIELD, p, n);
		break;
	default:
		break;
	}
}

/* A run of plain text up to the next brace or backslash. */
static size_t text_run(rtf_ctx *c, size_t i)
{
	size_t j = i;
	while (j < c->n && !ends_text[c->d[j]])
		j++;
	const uint8_t *p = c->d + i;
	size_t n = j - i;
	while (c->uc_skip > 0 && n > 0) {
		if (*p != '\r' && *p != '\n')
			c->uc_skip--;
		p++;
		n--;
	}
	if (n > 0)
		text(c, p, n);
	return j;
}

/* One character that came from a control symbol (\\, \{, \}, \'hh). */
static void text_char(rtf_ctx *c, uint8_t ch)
{
	if (c->uc_skip > 0) {
		c->uc_skip--;
		return;
	}
	text(c, &ch, 1);
}

/* \uN: a UTF-16 code unit (signed), kept in the text destinations. */
static void unicode_char(rtf_ctx *c, int64_t param)
{
	rtf_group *g = top(c);
	GString *s = NULL;
	size_t max = 0;
	char utf8[8];

	g->fresh = g->star = false;
	if (g->dest == DEST_TEMPLATE) {
		s = c->tpl;
		max = LURE_RTF_MAX_TEMPLATE;
	} else if (g->dest == DEST_FLDINST) {
		s = c->fld;
		max = LURE_RTF_MAX_FIELD;
	} else if (g->dest == DEST_OBJCLASS && g->obj >= 0) {
		s = c->objs[c->objs[g->obj].root].objclass;
		max = LURE_RTF_MAX_CLASS;
	}
	if (s == NULL)
		return;
	if (param < 0)
		param += 65536;
	if (param <= 0 || param > 0xFFFF)
		return;
	int n = g_unichar_to_utf8((gunichar)param, utf8);
	if (s->len + (size_t)n <= max)
		g_string_append_len(s, utf8, n);
}

/* \'hh. Inside \objdata Word drops a pending odd nibble here. */
static void hex_escape(rtf_ctx *c, const uint8_t *p, size_t n)
{
	rtf_group *g = top(c);

	g->fresh = g->star = false;
	if (c->uc_skip > 0) {
		c->uc_skip--;
		return;
	}
	if (g->dest == DEST_OBJDATA) {
		if (g->obj >= 0)
			c->objs[g->obj].nibble_pending = false;
		return;
	}
	if (n < 2 || hex_value(p[0]) < 0 || hex_value(p[1]) < 0)
		return;
	uint8_t b = (uint8_t)(hex_value(p[0]) << 4 | hex_value(p[1]));
	if (b != 0)
		text(c, &b, 1);
}

/* \binN: N raw bytes (N already bounded by the data left). */
static void bin_data(rtf_ctx *c, const uint8_t *p, size_t n)
{
	rtf_group *g = top(c);
	if (g->dest != DEST_OBJDATA || !object_accepts_data(c, g->obj))
		return;
	c->objs[g->obj].nibble_pending = false;
	if (n > 0)
		emit(c, (size_t)g->obj, p, n);
}

/* ---- control words ---- */

static size_t control_word(rtf_ctx *c, size_t i)
{
	const uint8_t *d = c->d;
	size_t n = c->n, j = i;
	char name[LURE_RTF_MAX_WORD + 1];
	size_t nl = 0;
	bool overlong = false, has_param = false, neg = false;
	int64_t param = 0;

	while (j < n && is_alpha(d[j])) {
		if (nl < LURE_RTF_MAX_WORD)
			name[nl++] = (char)d[j];
		else
			overlong = true;
		j++;
	}
	name[nl] = '\0';
	if (j + 1 < n && d[j] == '-' && is_digit(d[j + 1])) {
		neg = true;
		j++;
	}
	while (j < n && is_digit(d[j])) {
		has_param = true;
		if (param < LURE_RTF_PARAM_MAX) {
			param = param * 10 + (d[j] - '0');
			if (param > LURE_RTF_PARAM_MAX)
				param = LURE_RTF_PARAM_MAX;
		}
		j++;
	}
	if (neg)
		param = -param;
	if (j < n && d[j] == ' ')
		j++; /* the delimiting space belongs to the word */

	rtf_group *g = top(c);
	bool star = g->star, fresh = g->fresh;
	g->star = false;
	g->fresh = false;
	const rtf_word *w = overlong ? NULL : word_lookup(name);

	if (w == NULL) {
		if (star)
			dest_open(c, DEST_SKIP); /* {\*\unknown ...}: ignorable */
		return j;
	}
	switch (w->kind) {
	case W_BIN: {
		size_t len = 0;
		if (has_param && param > 0)
			len = (uint64_t)param < (uint64_t)(n - j) ? (size_t)param : n - j;
		bin_data(c, d + j, len);
		return j + len;
	}
	case W_DEST:
		if (star || fresh)
			dest_open(c, DEST_SKIP);
		break;
	case W_OBJECT:
		object_open(c);
		break;
	case W_OBJDATA:
		objdata_open(c);
		break;
	case W_OBJCLASS:
		objclass_open(c);
		break;
	case W_TEMPLATE:
		dest_open(c, DEST_TEMPLATE);
		break;
	case W_FLDINST:
		dest_open(c, DEST_FLDINST);
		break;
	case W_FLAG:
		if (g->obj >= 0)
			c->objs[c->objs[g->obj].root].flags |= w->flag;
		break;
	case W_U:
		unicode_char(c, has_param ? param : 0);
		c->uc_skip = top(c)->uc;
		break;
	case W_UC:
		g->uc = param < 0 ? 0 : param > RTF_UC_MAX ? RTF_UC_MAX : (unsigned)param;
		break;
	}
	return j;
}

/* d[i] is a backslash; returns the index after the control word/symbol. */
static size_t control(rtf_ctx *c, size_t i)
{
	size_t j = i + 1;

	if (j >= c->n)
		return c->n;
	uint8_t ch = c->d[j];
	if (is_alpha(ch))
		return control_word(c, j);
	switch (ch) {
	case '\'': {
		size_t avail = c->n - (j + 1);
		size_t take = avail < 2 ? avail : 2;
		hex_escape(c, c->d + j + 1, take);
		return j + 1 + take;
	}
	case '*':
		if (top(c)->fresh)
			top(c)->star = true;
		return j + 1;
	case '\\':
	case '{':
	case '}':
		text_char(c, ch);
		return j + 1;
	default:
		/* \~ \- \_ \: \| \<newline> ...: no text we need; a digit here
		 * is a control symbol too, so it is not a nibble. */
		top(c)->fresh = top(c)->star = false;
		return j + 1;
	}
}

/* ---- the walk ---- */

static void set_header_prop(lure_artifact *a)
{
	size_t n = 2;
	while (n < a->len && n < RTF_HEADER_MAX &&
	       (is_alpha(a->data[n]) || is_digit(a->data[n]) || a->data[n] == '-'))
		n++;
	char *h = g_strndup((const char *)a->data, n);
	lure_artifact_set_prop(a, "header", h);
	g_free(h);
}

static void ctx_free(rtf_ctx *c)
{
	for (size_t k = 0; k < c->nobjs; k++) {
		g_free(c->objs[k].buf);
		if (c->objs[k].objclass != NULL)
			g_string_free(c->objs[k].objclass, TRUE);
	}
	g_free(c->objs);
	g_free(c->stack);
	g_string_free(c->tpl, TRUE);
	g_string_free(c->fld, TRUE);
	g_free(c);
}

static lure_error walk(lure_scan *scan, lure_artifact *a)
{
	rtf_ctx *c = g_new0(rtf_ctx, 1);
	lure_error err = LURE_OK;
	size_t i = 0, next_check = RTF_EXPIRY_STRIDE;
	char count[32];

	c->scan = scan;
	c->a = a;
	c->d = a->data;
	c->n = a->len;
	c->capstack = RTF_INITIAL_STACK;
	c->stack = g_new(rtf_group, c->capstack);
	c->nstack = 1;
	c->stack[0] = (rtf_group){.dest = DEST_NORMAL, .obj = -1, .opened_obj = -1, .uc = 1};
	c->tpl = g_string_new(NULL);
	c->fld = g_string_new(NULL);
	set_header_prop(a);

	while (i < c->n) {
		if (i >= next_check) {
			next_check = i + RTF_EXPIRY_STRIDE;
			if (lure_scan_expired(scan)) {
				err = LURE_E_TIMEOUT;
				break;
			}
		}
		switch (c->d[i]) {
		case '{':
			group_open(c);
			i++;
			break;
		case '}':
			group_close(c);
			i++;
			break;
		case '\\':
			i = control(c, i);
			break;
		default:
			i = text_run(c, i);
			break;
		}
	}
	/* Groups still open at the end are closed there, as Word does. */
	c->overflow = 0;
	while (c->nstack > 1)
		group_close(c);
	group_finish_top(c);
	for (size_t k = 0; k < c->nobjs; k++)
		object_finish(c, (int)k);

	g_snprintf(count, sizeof(count), "%zu", c->nobjs);
	lure_artifact_set_prop(a, "objects", count);
	ctx_free(c);
	return err;
}

const lure_handler lure_handler_rtf = {
	.name = "rtf",
	.kind = "rtf",
	.probe = probe,
	.walk = walk,
};
