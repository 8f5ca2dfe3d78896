/*
 * dde.c - DDE and DDEAUTO fields, wherever a document can hold them.
 *
 * Dynamic Data Exchange lets a field ask another program for data; the
 * program is started when it is not running. A field "DDEAUTO cmd.exe
 * "/k ..."" refreshes itself on open, so Word offers (behind two prompts)
 * to run the command: code execution without macros (2017, T1559.002).
 * Excel's equivalent is a DDE link, "=cmd|' /c calc'!A0".
 *
 * Where fields live, and how we read them:
 *
 *  - WordprocessingML (ECMA-376 Part 1, 17.16 Fields and Hyperlinks): a
 *    simple field is <w:fldSimple w:instr="DDEAUTO ..."/> (17.16.19); a
 *    complex field is a run of <w:fldChar w:fldCharType="begin"/>, one or
 *    more <w:instrText> runs holding the instruction, an optional
 *    "separate" fldChar followed by the cached result, and an "end" fldChar
 *    (17.16.18, 17.16.23). Fields nest: an instruction may contain another
 *    field whose result becomes part of it. We stream every story part
 *    (document, headers, footers, footnotes, endnotes, comments, glossary;
 *    also Word 2003 XML and flat OPC packages) with the hardened walker,
 *    keep a stack of open fields, concatenate the instruction text of each
 *    (bounded to DDE_INSTR_MAX), and check it when its "separate" or "end"
 *    arrives. A nested field inside an instruction contributes its result
 *    text, or, for QUOTE with character codes, the characters it spells.
 *    Namespaces are not checked (local names only), so the Strict
 *    namespace (http://purl.oclc.org/ooxml/wordprocessingml/main) and the
 *    2003 one are read the same.
 *  - SpreadsheetML: an external link part (xl/externalLinks/externalLinkN.xml,
 *    18.14) holds <ddeLink ddeService="cmd" ddeTopic="/c calc"> (18.14.4)
 *    when a cell refers to a DDE source; it is what Excel stores for
 *    "=cmd|'/c calc'!A0". We report "service|topic". A cell formula
 *    (<f> in a worksheet, 18.3.1.40) with such a reference is reported too,
 *    in case the external link part was removed, and so is a line of a
 *    text file Excel would open (CSV, SYLK: "=cmd|' /C calc'!A0"), which
 *    ClamAV misses (its issue #919).
 *  - Word 97-2003 binary (MS-DOC 2.4.1, 2.8.25 PlcFld): in the text of the
 *    WordDocument stream a field is 0x13 (begin), instruction, 0x14
 *    (separate), result, 0x15 (end). The text is 8-bit or UTF-16LE
 *    depending on the piece; without reading the piece table we look at
 *    every 0x13 in the stream and try both encodings, as NVISO's public
 *    rule does on whole files. Nested fields are skipped inside the
 *    instruction (their results kept).
 *  - RTF (\fldinst) is read by the RTF handler, which calls
 *    lure_dde_check_field.
 *
 * Evasions handled: instructions split over many runs, one letter per run
 * (concatenation); nested fields spelling the command (QUOTE 99 109 100);
 * mixed case ("dDeAuTo"); leading spaces and quotes; the keyword inside
 * other words is not one ("DDEX"); the Strict namespace; fields in headers,
 * footers, footnotes and comments as well as the body; UTF-16 text in .doc;
 * XML parts encoded as UTF-16 (allowed by OPC; the core's root sniffer and
 * the XML handler only know UTF-8, so such a part arrives as "data").
 *
 * Hyperlink-like field targets (HYPERLINK, INCLUDEPICTURE, INCLUDETEXT,
 * IMPORT, LINK) found in the same pass are recorded as IOCs, since split runs
 * hide them from byte scanners.
 */
#include <string.h>
#include <glib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "core/text.h"
#include "core/xml.h"
#include "analyzers/dde.h"
#include "analyzers/iocs.h"
#include "analyzers/target.h"

/* Bytes of an instruction kept in details.command. */
#define DDE_COMMAND_MAX 512u
/* Bytes of a complex field's instruction (or a formula) assembled from its
 * runs; the rest is dropped. A real instruction is a line or two. */
#define DDE_INSTR_MAX 8192u
/* Nested fields tracked at once; deeper ones are ignored (but balanced). */
#define DDE_FIELD_DEPTH_MAX 32u
/* Distinct dde.field findings per artifact; more are not listed. */
#define DDE_PER_ARTIFACT_MAX 64u
/* Recent findings looked at for a duplicate by lure_dde_check_field. */
#define DDE_DEDUP_WINDOW 256u
/* Bytes of a .doc stream read for one 0x13 instruction. */
#define DOC_FIELD_SCAN_MAX (64u * 1024u)

/* MS-DOC 2.8.25: field characters in the document text. */
#define DOC_FIELD_BEGIN 0x13
#define DOC_FIELD_SEPARATE 0x14
#define DOC_FIELD_END 0x15

/* Root elements (local names) of the parts we walk. */
static const char *const word_roots[] = {
	"document", "hdr", "ftr", "footnotes", "endnotes", "comments", "glossaryDocument",
	"wordDocument", /* Word 2003 XML */
	"package",      /* flat OPC (pkg:package) */
};
#define ROOT_EXTERNAL_LINK "externalLink"
#define ROOT_WORKSHEET "worksheet"
#define ROOT_MAX 64
/* Bytes at the start of a "data" artifact looked at to call it text. */
#define TEXT_SNIFF_HEAD 4096u

/* True when one of the bytes of set occurs in s[0..n). */
static bool strpbrk_n(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(set, s[i]) != NULL && s[i] != '\0')
			return true;
	return false;
}

static bool is_word_char(unsigned char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* Finds a DDE keyword at the start of s (after whitespace and quotes).
 * Returns its offset, or -1; *field gets "DDE" or "DDEAUTO". */
static long match_keyword(const char *s, size_t len, const char **field)
{
	size_t i = 0;

	while (i < len && (g_ascii_isspace(s[i]) || s[i] == '"' || s[i] == '\''))
		i++;
	if (len - i >= 7 && g_ascii_strncasecmp(s + i, "DDEAUTO", 7) == 0 &&
	    (i + 7 == len || !is_word_char((unsigned char)s[i + 7]))) {
		*field = "DDEAUTO";
		return (long)i;
	}
	if (len - i >= 3 && g_ascii_strncasecmp(s + i, "DDE", 3) == 0 &&
	    (i + 3 == len || !is_word_char((unsigned char)s[i + 3]))) {
		*field = "DDE";
		return (long)i;
	}
	return -1;
}

/* The command as shown: whitespace runs folded to one space, trimmed,
 * bounded to DDE_COMMAND_MAX bytes (not cutting a UTF-8 sequence), made
 * display-safe. g_free. */
static char *command_text(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len < DDE_COMMAND_MAX ? len : DDE_COMMAND_MAX);
	bool space = false;

	for (size_t i = 0; i < len && out->len < DDE_COMMAND_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
			space = out->len > 0;
			continue;
		}
		if (space) {
			g_string_append_c(out, ' ');
			space = false;
		}
		g_string_append_c(out, (char)c);
	}
	/* Do not end inside a UTF-8 sequence. */
	if (out->len >= DDE_COMMAND_MAX) {
		gsize n = out->len;
		while (n > 0 && ((unsigned char)out->str[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)out->str[n - 1] >= 0xC0)
			n--;
		g_string_truncate(out, n);
	}
	char *shown = lure_display_escape(out->str, out->len);
	g_string_free(out, TRUE);
	return shown;
}

/* Adds dde.field with field and command (display-safe) on a, unless a
 * recent finding already says the same or the artifact has its share.
 * Returns the new or existing finding. */
static lure_finding *add_dde(lure_scan *scan, const lure_artifact *a, const char *field,
			     const char *command)
{
	lure_finding *last = NULL;
	unsigned seen = 0;
	guint n = scan->findings->len;

	for (guint k = 0; k < n && k < DDE_DEDUP_WINDOW; k++) {
		lure_finding *f = g_ptr_array_index(scan->findings, n - 1 - k);
		if (f->ind != LURE_IND_DDE_FIELD || f->artifact != a->id)
			continue;
		const char *c = lure_finding_get_detail(f, "command");
		if (c != NULL && strcmp(c, command) == 0)
			return f;
		if (last == NULL)
			last = f;
		seen++;
	}
	if (seen >= DDE_PER_ARTIFACT_MAX) {
		if (seen == DDE_PER_ARTIFACT_MAX && !lure_artifact_get_prop(a, "dde_capped")) {
			/* said once, never silent: the rest of the fields go unlisted */
			lure_artifact_set_prop((lure_artifact *)a, "dde_capped", "yes");
			lure_scan_limit_hit(scan, a, LURE_LIMIT_DDE_FIELDS,
					    "more than %u DDE fields; the rest are not listed",
					    DDE_PER_ARTIFACT_MAX);
		}
		return last;
	}
	lure_finding *f = lure_finding_add(scan, a, LURE_IND_DDE_FIELD,
					   "%s field (Dynamic Data Exchange with another program): %.120s%s", field, command,
					   strlen(command) > 120 ? "..." : "");
	lure_finding_detail(f, "command", "%s", command);
	lure_finding_detail(f, "field", "%s", field);
	return f;
}

/* Fields that load content from their first argument when the document
 * is opened or updated (Word's field reference). */
static const char *const include_fields[] = {"INCLUDEPICTURE", "INCLUDETEXT", "IMPORT", "LINK"};

/* The first argument of a field instruction (quoted or bare), unescaping
 * Word's doubled backslashes in quoted paths. g_free; NULL when none. */
static char *first_argument(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && g_ascii_isspace(s[i]))
		i++;
	if (i >= len)
		return NULL;
	GString *arg = g_string_new(NULL);
	if (s[i] == '"') {
		for (i++; i < len && s[i] != '"' && arg->len < DDE_COMMAND_MAX; i++) {
			if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\')
				i++;
			g_string_append_c(arg, s[i]);
		}
	} else {
		for (; i < len && !g_ascii_isspace(s[i]) && arg->len < DDE_COMMAND_MAX; i++)
			g_string_append_c(arg, s[i]);
	}
	return g_string_free(arg, FALSE);
}

/* Checks for a field that includes remote content: field.remote_include,
 * high for a UNC or remote file: target (opening the document sends the
 * user's NTLM credentials to that host: forced authentication), low for
 * http(s), which legitimate documents also use (a web beacon at worst). */
static lure_finding *check_include(lure_scan *scan, const lure_artifact *a, const char *instr,
				   size_t len)
{
	size_t i = 0;
	while (i < len && (g_ascii_isspace(instr[i]) || instr[i] == '"'))
		i++;
	for (size_t k = 0; k < G_N_ELEMENTS(include_fields); k++) {
		size_t n = strlen(include_fields[k]);
		if (len - i < n || g_ascii_strncasecmp(instr + i, include_fields[k], n) != 0 ||
		    (i + n < len && is_word_char((unsigned char)instr[i + n])))
			continue;
		char *arg = first_argument(instr + i + n, len - i - n);
		if (arg == NULL)
			return NULL;
		lure_target t;
		lure_target_parse(arg, &t);
		lure_finding *f = NULL;
		if (t.remote) {
			bool smb = strcmp(t.scheme, "unc") == 0 || strcmp(t.scheme, "file") == 0;
			f = lure_finding_add(scan, a, LURE_IND_FIELD_REMOTE_INCLUDE,
					     "%s field loads %s", include_fields[k], t.normalized);
			lure_finding_set_severity(f, smb ? LURE_SEV_HIGH : LURE_SEV_LOW);
			lure_finding_detail(f, "field", "%s", include_fields[k]);
			lure_finding_detail(f, "target", "%s", arg);
			lure_finding_detail(f, "target_normalized", "%s", t.normalized);
			lure_finding_detail(f, "scheme", "%s", t.scheme);
		}
		lure_target_clear(&t);
		g_free(arg);
		return f;
	}
	return NULL;
}

lure_finding *lure_dde_check_field(lure_scan *scan, const lure_artifact *a,
				   const char *instr, size_t len)
{
	const char *field = NULL;
	long at;

	if (scan == NULL || a == NULL || instr == NULL)
		return NULL;
	at = match_keyword(instr, len, &field);
	if (at < 0)
		return check_include(scan, a, instr, len);
	char *cmd = command_text(instr + at, len - (size_t)at);
	lure_finding *f = add_dde(scan, a, field, cmd);
	g_free(cmd);
	return f;
}

/* ---- Word XML: simple and complex fields ---- */

typedef struct open_field {
	GString *instr;   /* instruction text so far */
	GString *result;  /* cached result text (kept for nesting) */
	bool in_result;   /* "separate" seen */
	bool checked;
} open_field;

typedef enum part_kind {
	PART_WORD,
	PART_EXTERNAL_LINK,
	PART_WORKSHEET,
} part_kind;

typedef struct walk_state {
	lure_scan *scan;
	lure_artifact *a;
	part_kind kind;
	open_field stack[DDE_FIELD_DEPTH_MAX];
	unsigned depth;        /* fields on the stack */
	unsigned overflow;     /* begins past DDE_FIELD_DEPTH_MAX not yet ended */
	bool in_instr_text;
	bool in_t;
	bool in_formula;
	GString *formula;
} walk_state;

static void append_bounded(GString *s, const char *text, size_t n)
{
	if (s->len >= DDE_INSTR_MAX)
		return;
	if (n > DDE_INSTR_MAX - s->len)
		n = DDE_INSTR_MAX - s->len;
	g_string_append_len(s, text, (gssize)n);
}

/* Checks a completed instruction, and records the link targets in it. */
static void check_instruction(walk_state *st, const char *text, size_t len)
{
	if (len == 0)
		return;
	lure_dde_check_field(st->scan, st->a, text, len);
	lure_iocs_scan_text(st->scan, text, len);
}

/* For a nested "QUOTE 99 109 100" (character codes), the text it spells,
 * appended to out; false when the instruction is anything else. */
static bool quote_codes(const GString *instr, GString *out)
{
	const char *p = instr->str;
	GString *spelled;
	bool any = false;

	while (g_ascii_isspace(*p))
		p++;
	if (g_ascii_strncasecmp(p, "QUOTE", 5) != 0 || is_word_char((unsigned char)p[5]))
		return false;
	p += 5;
	spelled = g_string_new(NULL);
	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (*p == '\0')
			break;
		if (!g_ascii_isdigit(*p)) {
			g_string_free(spelled, TRUE);
			return false;
		}
		unsigned v = 0;
		while (g_ascii_isdigit(*p)) {
			if (v < 0x110000)
				v = v * 10 + (unsigned)(*p - '0');
			p++;
		}
		if (v == 0 || v > 0xFFFF || (v >= 0xD800 && v <= 0xDFFF))
			g_string_append_c(spelled, '?');
		else
			g_string_append_unichar(spelled, (gunichar)v);
		any = true;
	}
	if (any)
		append_bounded(out, spelled->str, spelled->len);
	g_string_free(spelled, TRUE);
	return any;
}

static void field_free(open_field *f)
{
	g_string_free(f->instr, TRUE);
	g_string_free(f->result, TRUE);
}

static void fld_begin(walk_state *st)
{
	if (st->depth >= DDE_FIELD_DEPTH_MAX || st->overflow > 0) {
		st->overflow++;
		return;
	}
	open_field *f = &st->stack[st->depth++];
	f->instr = g_string_new(NULL);
	f->result = g_string_new(NULL);
	f->in_result = false;
	f->checked = false;
}

static void fld_separate(walk_state *st)
{
	if (st->overflow > 0 || st->depth == 0)
		return;
	open_field *f = &st->stack[st->depth - 1];
	if (!f->in_result && !f->checked) {
		check_instruction(st, f->instr->str, f->instr->len);
		f->checked = true;
	}
	f->in_result = true;
}

static void fld_end(walk_state *st)
{
	if (st->overflow > 0) {
		st->overflow--;
		return;
	}
	if (st->depth == 0)
		return;
	open_field *f = &st->stack[--st->depth];
	if (!f->checked)
		check_instruction(st, f->instr->str, f->instr->len);
	/* A field nested in an instruction adds to it what it evaluates to. */
	if (st->depth > 0) {
		open_field *outer = &st->stack[st->depth - 1];
		if (!outer->in_result && !quote_codes(f->instr, outer->instr))
			append_bounded(outer->instr, f->result->str, f->result->len);
	}
	field_free(f);
}

/* Attribute localname in the element's namespace, else in none. */
static char *attr(xmlTextReaderPtr r, const char *localname, const char *ns)
{
	char *v = ns != NULL ? lure_xml_attr(r, localname, ns) : NULL;
	if (v == NULL)
		v = lure_xml_attr(r, localname, NULL);
	return v;
}

static void word_start(walk_state *st, const char *local, const char *ns, xmlTextReaderPtr r)
{
	if (strcmp(local, "fldChar") == 0) {
		char *type = attr(r, "fldCharType", ns);
		if (type != NULL) {
			if (strcmp(type, "begin") == 0)
				fld_begin(st);
			else if (strcmp(type, "separate") == 0)
				fld_separate(st);
			else if (strcmp(type, "end") == 0)
				fld_end(st);
		}
		xmlFree(type);
	} else if (strcmp(local, "instrText") == 0) {
		st->in_instr_text = true;
	} else if (strcmp(local, "t") == 0) {
		st->in_t = true;
	} else if (strcmp(local, "fldSimple") == 0) {
		char *instr = attr(r, "instr", ns);
		if (instr != NULL)
			check_instruction(st, instr, strlen(instr));
		xmlFree(instr);
	}
}

static void word_text(walk_state *st, const char *text)
{
	if (st->overflow > 0 || st->depth == 0 || text == NULL)
		return;
	open_field *f = &st->stack[st->depth - 1];
	if (st->in_instr_text && !f->in_result)
		append_bounded(f->instr, text, strlen(text));
	else if (st->in_t && f->in_result)
		append_bounded(f->result, text, strlen(text));
}

/* Excel: a DDE reference in a formula, "app|'topic'!item" or
 * "app|topic!item"; with strings, outside "..." literals (a cell formula),
 * else anywhere (a CSV or SYLK line, where the whole cell may be quoted).
 * Linear: a quoted topic is never searched twice. */
static bool formula_has_dde(const char *s, size_t len, bool strings)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (strings && s[i] == '"') {
			in_string = !in_string;
			continue;
		}
		if (in_string || s[i] != '|' || i == 0 || !(is_word_char((unsigned char)s[i - 1]) ||
							    s[i - 1] == '.'))
			continue;
		size_t j = i + 1;
		while (j < len && s[j] == ' ')
			j++;
		if (j < len && s[j] == '\'') {
			for (j++; j < len; j++) {
				if (s[j] == '\'') {
					if (j + 1 < len && s[j + 1] == '\'') {
						j++;
						continue;
					}
					break;
				}
			}
			if (j >= len)
				return false; /* no closing quote anywhere after */
			if (j + 1 < len && s[j + 1] == '!')
				return true;
			i = j;
		} else {
			size_t k = j;
			while (k < len && (is_word_char((unsigned char)s[k]) || s[k] == '.' ||
					   s[k] == '\\' || s[k] == ' '))
				k++;
			if (k > j && k < len && s[k] == '!')
				return true;
		}
	}
	return false;
}

static lure_error part_event(void *user, lure_xml_event ev, const char *local, const char *ns,
			     int depth, const char *text, xmlTextReaderPtr r)
{
	walk_state *st = user;
	(void)depth;

	if (ev == LURE_XML_TEXT) {
		if (st->kind == PART_WORD)
			word_text(st, text);
		else if (st->kind == PART_WORKSHEET && st->in_formula && text != NULL)
			append_bounded(st->formula, text, strlen(text));
		return LURE_OK;
	}
	if (local == NULL)
		return LURE_OK;
	if (ev == LURE_XML_END) {
		if (strcmp(local, "instrText") == 0)
			st->in_instr_text = false;
		else if (strcmp(local, "t") == 0)
			st->in_t = false;
		else if (st->kind == PART_WORKSHEET && strcmp(local, "f") == 0 && st->in_formula) {
			st->in_formula = false;
			if (formula_has_dde(st->formula->str, st->formula->len, true)) {
				char *cmd = command_text(st->formula->str, st->formula->len);
				add_dde(st->scan, st->a, "formula", cmd);
				g_free(cmd);
			}
		}
		return LURE_OK;
	}
	switch (st->kind) {
	case PART_WORD:
		word_start(st, local, ns, r);
		break;
	case PART_EXTERNAL_LINK:
		if (strcmp(local, "ddeLink") == 0) {
			char *service = attr(r, "ddeService", ns);
			char *topic = attr(r, "ddeTopic", ns);
			char *raw = g_strdup_printf("%s|%s", service != NULL ? service : "",
						    topic != NULL ? topic : "");
			char *cmd = command_text(raw, strlen(raw));
			add_dde(st->scan, st->a, "ddeLink", cmd);
			lure_iocs_scan_text(st->scan, raw, strlen(raw));
			g_free(cmd);
			g_free(raw);
			xmlFree(service);
			xmlFree(topic);
		}
		break;
	case PART_WORKSHEET:
		if (strcmp(local, "f") == 0) {
			st->in_formula = true;
			g_string_truncate(st->formula, 0);
		}
		break;
	}
	return LURE_OK;
}

/* True when data starts with a UTF-16 byte order mark. OPC allows parts in
 * UTF-16 (ECMA-376 Part 2, 8.1.4), which hides element names from byte
 * matching; libxml2 reads them by their BOM. */
static bool is_utf16(const uint8_t *d, size_t len)
{
	return len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF));
}

/* The root element of a, in UTF-8 or (with a BOM) UTF-16. */
static bool sniff_root(const lure_artifact *a, char *root, size_t rootlen)
{
	if (!is_utf16(a->data, a->len))
		return lure_xml_sniff_root(a->data, a->len, root, rootlen);
	/* Transcode a bounded head, whole code units only. */
	size_t n = a->len - 2 < 4096 ? a->len - 2 : 4096;
	n &= ~(size_t)1;
	gsize written = 0;
	char *utf8 = g_convert((const char *)a->data + 2, (gssize)n, "UTF-8",
			       a->data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL, &written, NULL);
	bool ok = utf8 != NULL &&
		  lure_xml_sniff_root((const uint8_t *)utf8, written, root, rootlen);
	g_free(utf8);
	return ok;
}

/* Which of our parts a is, by its root element; false when none. */
static bool part_kind_of(const lure_artifact *a, part_kind *out)
{
	char root[ROOT_MAX];

	if (a->data == NULL || !sniff_root(a, root, sizeof(root)))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(word_roots); i++) {
		if (strcmp(root, word_roots[i]) == 0) {
			*out = PART_WORD;
			return true;
		}
	}
	if (strcmp(root, ROOT_EXTERNAL_LINK) == 0) {
		*out = PART_EXTERNAL_LINK;
		return true;
	}
	if (strcmp(root, ROOT_WORKSHEET) == 0) {
		*out = PART_WORKSHEET;
		return true;
	}
	return false;
}

static bool contains(const lure_artifact *a, const char *needle)
{
	return memmem(a->data, a->len, needle, strlen(needle)) != NULL;
}

/* Cheap filter: a part without the element names holds no field. UTF-16
 * parts are always walked (their names are not contiguous bytes). */
static bool may_hold_fields(const lure_artifact *a, part_kind kind)
{
	if (is_utf16(a->data, a->len))
		return true;
	switch (kind) {
	case PART_WORD:
		return contains(a, "instrText") || contains(a, "fldSimple");
	case PART_EXTERNAL_LINK:
		return contains(a, "ddeLink");
	case PART_WORKSHEET:
		return memchr(a->data, '|', a->len) != NULL;
	}
	return true;
}

static lure_error walk_part(lure_scan *scan, lure_artifact *a, part_kind kind)
{
	walk_state st = {.scan = scan, .a = a, .kind = kind};
	lure_error err;

	if (!may_hold_fields(a, kind))
		return LURE_OK;
	st.formula = g_string_new(NULL);
	err = lure_xml_walk(scan, a, part_event, &st);
	/* Fields left open at the end of the part still count. */
	while (st.depth > 0)
		fld_end(&st);
	g_string_free(st.formula, TRUE);
	return err;
}

/* ---- text that Excel opens: CSV, SYLK, tab-separated ---- */

/* True when the head of d looks like text: no NUL byte and at most one
 * control byte in twenty (tab, CR, LF and form feed allowed). */
static bool looks_like_text(const uint8_t *d, size_t len)
{
	size_t n = len < TEXT_SNIFF_HEAD ? len : TEXT_SNIFF_HEAD, bad = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (d[i] == 0)
			return false;
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\r' && d[i] != '\n' && d[i] != '\f')
			bad++;
	}
	return bad * 20 <= n;
}

static bool is_text_with_pipe(const lure_artifact *a)
{
	return strcmp(a->kind, "data") == 0 && looks_like_text(a->data, a->len) &&
	       memchr(a->data, '|', a->len) != NULL;
}

/* Each line whose formula ("=", "+", "-" or "@" before the '|') holds a DDE
 * reference: "=cmd|' /C calc'!A0" in a CSV cell, "C;X1;Y1;E=cmd|..." in
 * SYLK. ClamAV's issue #919 is this case. */
static lure_error scan_text_lines(lure_scan *scan, lure_artifact *a)
{
	const char *p = (const char *)a->data, *end = p + a->len;
	unsigned found = 0;

	while (p < end && found < DDE_PER_ARTIFACT_MAX) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol != NULL ? eol : end) - p);
		if (n > DDE_INSTR_MAX)
			n = DDE_INSTR_MAX;
		const char *bar = memchr(p, '|', n);
		if (bar != NULL && strpbrk_n(p, (size_t)(bar - p), "=+-@") &&
		    formula_has_dde(p, n, false)) {
			char *cmd = command_text(p, n);
			if (add_dde(scan, a, "formula", cmd) != NULL)
				found++;
			g_free(cmd);
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	return LURE_OK;
}

/* ---- Word 97-2003: the WordDocument stream ---- */

/* Reads one field instruction starting at d[start] (after 0x13) in units
 * of width 1 or 2 bytes, up to its 0x14/0x15 at nesting level 0; nested
 * field codes are dropped, their results kept. Returns the offset where
 * reading stopped. */
static size_t doc_instruction(const uint8_t *d, size_t len, size_t start, unsigned width,
			      GString *out)
{
	size_t i = start, stop = len - start > DOC_FIELD_SCAN_MAX ? start + DOC_FIELD_SCAN_MAX : len;
	unsigned nest = 0;       /* nested fields open */
	unsigned nest_code = 0;  /* of which in their instruction */

	while (i + width <= stop && out->len < DDE_INSTR_MAX) {
		unsigned c = width == 1 ? d[i] : lure_le16(d + i);
		i += width;
		if (c == DOC_FIELD_BEGIN) {
			if (nest < DDE_FIELD_DEPTH_MAX) {
				nest++;
				nest_code++;
			}
			continue;
		}
		if (c == DOC_FIELD_SEPARATE || c == DOC_FIELD_END) {
			if (nest == 0)
				break;
			if (c == DOC_FIELD_SEPARATE) {
				if (nest_code > 0)
					nest_code--;
			} else {
				nest--;
				if (nest_code > nest)
					nest_code = nest;
			}
			continue;
		}
		if (nest_code > 0)
			continue;
		if (width == 1) {
			/* cp1252 text: keep ASCII, mark the rest */
			g_string_append_c(out, c < 0x80 ? (char)c : '?');
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			g_string_append_c(out, '?');
		} else {
			g_string_append_unichar(out, (gunichar)c);
		}
	}
	return i;
}

/* True when the text at d[i] (units of width) starts, after spaces and
 * quotes, with DDE or DDEAUTO as a word. */
static bool doc_keyword(const uint8_t *d, size_t len, size_t i, unsigned width)
{
	char head[9];
	size_t n = 0;

	while (i + width <= len) {
		unsigned c = width == 1 ? d[i] : lure_le16(d + i);
		if (c != ' ' && c != '"' && c != '\'')
			break;
		i += width;
	}
	while (n < 8 && i + width <= len) {
		unsigned c = width == 1 ? d[i] : lure_le16(d + i);
		head[n++] = c < 0x80 ? (char)c : '?';
		i += width;
	}
	const char *kw;
	return match_keyword(head, n, &kw) == 0;
}

static lure_error scan_word_document(lure_scan *scan, lure_artifact *a)
{
	const uint8_t *d = a->data;
	size_t len = a->len, i = 0;
	unsigned found = 0;
	GString *instr = g_string_new(NULL);

	while (i < len && found < DDE_PER_ARTIFACT_MAX) {
		const uint8_t *p = memchr(d + i, DOC_FIELD_BEGIN, len - i);
		if (p == NULL)
			break;
		i = (size_t)(p - d) + 1;
		unsigned width = (i < len && d[i] == 0x00) ? 2 : 1;
		size_t start = width == 2 ? i + 1 : i;
		if (start >= len || !doc_keyword(d, len, start, width))
			continue;
		g_string_truncate(instr, 0);
		i = doc_instruction(d, len, start, width, instr);
		if (lure_dde_check_field(scan, a, instr->str, instr->len) != NULL)
			found++;
		lure_iocs_scan_text(scan, instr->str, instr->len);
	}
	g_string_free(instr, TRUE);
	return LURE_OK;
}

/* The last component of a stream path ("1Table", "WordDocument"). */
static const char *base_name(const char *name)
{
	const char *s = strrchr(name, '/');
	const char *b = strrchr(name, '\\');
	if (b != NULL && (s == NULL || b > s))
		s = b;
	return s != NULL ? s + 1 : name;
}

/* ---- the analyser ---- */

static bool is_word_document_stream(const lure_artifact *a)
{
	return a->parent >= 0 && g_ascii_strcasecmp(base_name(a->name), "WordDocument") == 0;
}

static bool dde_accepts(const lure_scan *scan, const lure_artifact *a)
{
	part_kind kind;
	(void)scan;
	if (a->data == NULL || a->len == 0)
		return false;
	if (is_word_document_stream(a))
		return true;
	if (strcmp(a->kind, "xml") == 0 || (strcmp(a->kind, "data") == 0 && is_utf16(a->data, a->len)))
		if (part_kind_of(a, &kind))
			return true;
	return is_text_with_pipe(a);
}

static lure_error dde_run(lure_scan *scan, lure_artifact *a)
{
	part_kind kind;

	if (is_word_document_stream(a))
		return scan_word_document(scan, a);
	if ((strcmp(a->kind, "xml") == 0 || strcmp(a->kind, "data") == 0) && part_kind_of(a, &kind))
		return walk_part(scan, a, kind);
	if (is_text_with_pipe(a))
		return scan_text_lines(scan, a);
	return LURE_OK;
}

const lure_analyzer lure_analyzer_dde = {
	.name = "dde",
	.accepts = dde_accepts,
	.run = dde_run,
};
