/*
 * text.c - the text report: the artifact tree, findings, verdict.
 *
 *   Overview.docx [ooxml] 14.2 KiB
 *     ! medium limit.exceeded: nesting depth 16 reached
 *         limit: depth
 *     word/document.xml [xml] 1.1 KiB
 *   iocs:
 *     url: http://example.invalid/t.dotm
 *   verdict: suspicious (1 medium)
 *
 * The tree is printed in pre-order (a parent, its findings, then its
 * children in discovery order), with an explicit stack: the depth of the
 * tree is bounded by --max-depth, but that is the user's number, not ours.
 *
 * Everything printed comes from hostile input. The tree's strings were
 * escaped by the core, and each one is escaped again here (a no-op on a safe
 * string), so no control byte but our own '\n' and, when colour is on, our
 * own SGR sequences reach the terminal.
 */
#include <string.h>
#include "core/text.h"
#include "analyzers/iocs.h"
#include "report/report.h"

/* Indentation stops growing here so absurd depths stay readable. */
#define TEXT_MAX_INDENT_LEVEL 32

#define SGR_RESET "\033[0m"
#define SGR_BOLD_RED "\033[1;31m"
#define SGR_RED "\033[31m"
#define SGR_YELLOW "\033[33m"
#define SGR_GREEN "\033[32m"
#define SGR_CYAN "\033[36m"
#define SGR_DIM "\033[2m"
#define SGR_MAGENTA "\033[35m"

typedef struct text_ctx {
	FILE *out;
	const lure_report_opts *opts;
	bool color;
	bool defang;
} text_ctx;

static const char *severity_sgr(lure_severity sev)
{
	switch (sev) {
	case LURE_SEV_CRITICAL: return SGR_BOLD_RED;
	case LURE_SEV_HIGH: return SGR_RED;
	case LURE_SEV_MEDIUM: return SGR_YELLOW;
	case LURE_SEV_LOW: return SGR_CYAN;
	case LURE_SEV_INFO: return SGR_DIM;
	}
	return SGR_DIM;
}

static const char *verdict_sgr(lure_verdict v)
{
	switch (v) {
	case LURE_VERDICT_CLEAN: return SGR_GREEN;
	case LURE_VERDICT_SUSPICIOUS: return SGR_YELLOW;
	case LURE_VERDICT_MALICIOUS: return SGR_BOLD_RED;
	case LURE_VERDICT_ERROR: return SGR_MAGENTA;
	}
	return SGR_MAGENTA;
}

/* ---- defanging free text ---- */

/* URL schemes defanged inside free text; matched case-insensitively. */
static const char *const defang_schemes[] = {"http://", "https://", "ftp://", NULL};

/* True when s[i] does not continue a word (so "xhttp://" is not a URL). */
static bool at_word_start(const char *s, size_t i)
{
	return i == 0 || !(g_ascii_isalnum(s[i - 1]) || s[i - 1] == '+' || s[i - 1] == '-' ||
			   s[i - 1] == '.' || s[i - 1] == '\\');
}

static size_t scheme_at(const char *s)
{
	for (size_t k = 0; defang_schemes[k] != NULL; k++) {
		size_t n = strlen(defang_schemes[k]);
		if (g_ascii_strncasecmp(s, defang_schemes[k], n) == 0)
			return n;
	}
	return 0;
}

/* True at a display escape ("\x1B", "\u{202E}"): the byte it stands for
 * ended the URL in the raw text. */
static bool at_display_escape(const char *s, size_t i, size_t n)
{
	if (s[i] != '\\' || i + 1 >= n)
		return false;
	if (s[i + 1] == 'u')
		return i + 2 < n && s[i + 2] == '{';
	return s[i + 1] == 'x' && i + 3 < n && g_ascii_isxdigit(s[i + 2]) &&
	       g_ascii_isxdigit(s[i + 3]);
}

/* The end of the URL or UNC path that starts at s[i]. */
static size_t span_end(const char *s, size_t i, size_t n)
{
	while (i < n && !g_ascii_isspace(s[i]) && !g_ascii_iscntrl(s[i]) &&
	       strchr("\"'<>`", s[i]) == NULL && !at_display_escape(s, i, n))
		i++;
	return i;
}

/* Length of the link (URL or UNC path) starting at s[i], or 0. */
static size_t link_at(const char *s, size_t i, size_t n)
{
	if (!at_word_start(s, i))
		return 0;
	size_t scheme = scheme_at(s + i);
	if (scheme > 0) {
		size_t e = span_end(s, i + scheme, n);
		return e > i + scheme ? e - i : 0;
	}
	if (s[i] == '\\' && i + 2 < n && s[i + 1] == '\\' &&
	    (g_ascii_isalnum(s[i + 2]) || s[i + 2] == '[')) {
		return span_end(s, i + 2, n) - i;
	}
	return 0;
}

/* Appends the defanged form of the link s[0..len) (lure_ioc_defang: the
 * scheme as hxxp/hxxps/fxp, the last dot of the host as "[.]"). */
static void append_link_defanged(GString *out, const char *s, size_t len)
{
	char *link = g_strndup(s, len);
	char *d = lure_ioc_defang(link);
	g_string_append(out, d);
	g_free(d);
	g_free(link);
}

char *lure_report_defang(const char *text)
{
	if (text == NULL)
		return g_strdup("");
	size_t n = strlen(text);
	GString *out = g_string_sized_new(n + 16);

	for (size_t i = 0; i < n;) {
		size_t len = link_at(text, i, n);
		if (len == 0) {
			g_string_append_c(out, text[i++]);
			continue;
		}
		append_link_defanged(out, text + i, len);
		i += len;
	}
	return g_string_free(out, FALSE);
}

/* Defangs one IOC value: a URL or UNC path, or a bare domain or address. */
static char *defang_ioc(const char *value)
{
	return lure_ioc_defang(value);
}

/* ---- output ---- */

/* Writes s as data: escaped (and defanged on request), never raw. */
static void put_safe(const text_ctx *t, const char *s)
{
	char *safe = lure_display_escape_str(s);
	if (t->defang) {
		char *d = lure_report_defang(safe);
		g_free(safe);
		safe = d;
	}
	fputs(safe, t->out);
	g_free(safe);
}

/* Writes a fixed string of ours, coloured with sgr when colour is on. */
static void put_colored(const text_ctx *t, const char *sgr, const char *s)
{
	if (t->color)
		fputs(sgr, t->out);
	fputs(s, t->out);
	if (t->color)
		fputs(SGR_RESET, t->out);
}

static void indent(const text_ctx *t, unsigned level)
{
	if (level > TEXT_MAX_INDENT_LEVEL)
		level = TEXT_MAX_INDENT_LEVEL;
	for (unsigned i = 0; i < level; i++)
		fputs("  ", t->out);
}

/* "512 B", "14.2 KiB", "3.0 MiB": one decimal past bytes, IEC units. */
static void format_size(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (n < 1024) {
		g_snprintf(buf, len, "%" G_GUINT64_FORMAT " B", n);
		return;
	}
	double v = (double)n;
	size_t u = 0;
	v /= 1024.0;
	while (v >= 1024.0 && u + 1 < G_N_ELEMENTS(units)) {
		v /= 1024.0;
		u++;
	}
	/* %.1f is locale-dependent; build the decimal ourselves. */
	uint64_t tenths = (uint64_t)(v * 10.0 + 0.5);
	g_snprintf(buf, len, "%" G_GUINT64_FORMAT ".%u %s", tenths / 10, (unsigned)(tenths % 10),
		   units[u]);
}

char *lure_report_summary(const lure_scan *scan)
{
	unsigned counts[LURE_SEV_CRITICAL + 1] = {0};
	lure_verdict v = lure_scan_verdict(scan);
	GString *s = g_string_new(lure_verdict_name(v));
	bool first = true;

	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		if ((unsigned)f->severity <= LURE_SEV_CRITICAL)
			counts[f->severity]++;
	}
	for (int sev = LURE_SEV_CRITICAL; sev >= LURE_SEV_INFO; sev--) {
		if (counts[sev] == 0)
			continue;
		g_string_append_printf(s, "%s%u %s", first ? " (" : ", ", counts[sev],
				       lure_severity_name((lure_severity)sev));
		first = false;
	}
	if (!first)
		g_string_append_c(s, ')');
	return g_string_free(s, FALSE);
}

static void write_finding(const text_ctx *t, const lure_finding *f, unsigned level)
{
	indent(t, level);
	fputs("! ", t->out);
	put_colored(t, severity_sgr(f->severity), lure_severity_name(f->severity));
	fputc(' ', t->out);
	put_safe(t, f->id);
	fputs(": ", t->out);
	put_safe(t, f->message);
	fputc('\n', t->out);
	for (guint k = 0; f->details != NULL && k < f->details->len; k++) {
		const lure_kv *kv = g_ptr_array_index(f->details, k);
		indent(t, level + 2);
		put_safe(t, kv->key);
		fputs(": ", t->out);
		if (t->defang && strcmp(kv->key, "host") == 0) {
			/* a bare host is an IOC too */
			char *d = defang_ioc(kv->value);
			put_safe(t, d);
			g_free(d);
		} else {
			put_safe(t, kv->value);
		}
		fputc('\n', t->out);
	}
}

static void write_artifact_line(const text_ctx *t, const lure_artifact *a, unsigned level)
{
	char size[48];

	format_size(a->size, size, sizeof size);
	indent(t, level);
	/* The root line names the input as the user gave it (a path); the
	 * root artifact itself is named by the base name. */
	put_safe(t, a->parent < 0 && t->opts->file != NULL ? t->opts->file : a->name);
	fputs(" [", t->out);
	put_safe(t, a->kind != NULL ? a->kind : "data");
	fputs("] ", t->out);
	fputs(size, t->out);
	fputc('\n', t->out);
}

/*
 * Links every artifact to its parent and every finding to its artifact with
 * index arrays (no per-node allocation). Lists are built by pushing at the
 * head while walking ids downwards, so each list is in ascending id order.
 * An artifact whose parent is out of range hangs under the root; a finding
 * whose artifact is out of range goes on the root.
 */
typedef struct tree_index {
	guint n;
	gint *first_child, *next_sibling;   /* artifact ids, -1 = none */
	gint *first_finding, *next_finding; /* finding indexes, -1 = none */
} tree_index;

static void tree_index_build(tree_index *ix, const lure_scan *scan)
{
	guint n = scan->artifacts->len, nf = scan->findings->len;

	ix->n = n;
	ix->first_child = g_new(gint, n + 1);
	ix->next_sibling = g_new(gint, n + 1);
	ix->first_finding = g_new(gint, n + 1);
	ix->next_finding = g_new(gint, nf + 1);
	for (guint i = 0; i <= n; i++)
		ix->first_child[i] = ix->next_sibling[i] = ix->first_finding[i] = -1;
	for (guint i = n; i-- > 1;) {
		const lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		guint p = a->parent >= 0 && (guint)a->parent < i ? (guint)a->parent : 0;
		ix->next_sibling[i] = ix->first_child[p];
		ix->first_child[p] = (gint)i;
	}
	for (guint i = nf; i-- > 0;) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		guint a = f->artifact < n ? f->artifact : 0;
		ix->next_finding[i] = ix->first_finding[a];
		ix->first_finding[a] = (gint)i;
	}
}

static void tree_index_clear(tree_index *ix)
{
	g_free(ix->first_child);
	g_free(ix->next_sibling);
	g_free(ix->first_finding);
	g_free(ix->next_finding);
}

static void write_findings_of(const text_ctx *t, const lure_scan *scan, const tree_index *ix,
			      guint id, unsigned level)
{
	for (gint f = ix->first_finding[id]; f >= 0; f = ix->next_finding[f])
		write_finding(t, g_ptr_array_index(scan->findings, f), level);
}

/* Pre-order walk from the root. The stack holds frames; children are
 * pushed last-first so they pop in discovery order. */
typedef struct frame {
	guint id, level;
} frame;

static void write_tree(const text_ctx *t, const lure_scan *scan)
{
	tree_index ix;
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(frame));
	GArray *kids = g_array_new(FALSE, FALSE, sizeof(gint));
	frame top = {0, 0};

	tree_index_build(&ix, scan);
	g_array_append_val(stack, top);
	while (stack->len > 0) {
		frame e = g_array_index(stack, frame, stack->len - 1);
		g_array_set_size(stack, stack->len - 1);

		write_artifact_line(t, g_ptr_array_index(scan->artifacts, e.id), e.level);
		write_findings_of(t, scan, &ix, e.id, e.level + 1);
		g_array_set_size(kids, 0);
		for (gint c = ix.first_child[e.id]; c >= 0; c = ix.next_sibling[c])
			g_array_append_val(kids, c);
		for (guint k = kids->len; k-- > 0;) {
			frame child = {(guint)g_array_index(kids, gint, k), e.level + 1};
			g_array_append_val(stack, child);
		}
	}
	g_array_free(kids, TRUE);
	g_array_free(stack, TRUE);
	tree_index_clear(&ix);
}

/* The IOC section, from the scan's own lists: URLs and UNC paths first,
 * then the hosts they name. */
static void write_iocs(const text_ctx *t, const lure_scan *scan)
{
	static const struct {
		lure_ioc_type type;
		const char *label;
	} order[] = {
		{LURE_IOC_URL, "url"},
		{LURE_IOC_UNC, "unc"},
		{LURE_IOC_DOMAIN, "domain"},
		{LURE_IOC_IP, "ip"},
	};
	bool header = false;

	for (size_t l = 0; l < G_N_ELEMENTS(order); l++) {
		const GPtrArray *items = scan->iocs[order[l].type];
		for (guint i = 0; items != NULL && i < items->len; i++) {
			char *value = lure_display_escape_str(g_ptr_array_index(items, i));
			if (t->defang) {
				char *d = defang_ioc(value);
				g_free(value);
				value = d;
			}
			if (!header) {
				fputs("iocs:\n", t->out);
				header = true;
			}
			indent(t, 1);
			fprintf(t->out, "%s: %s\n", order[l].label, value);
			g_free(value);
		}
	}
}

static void write_verdict(const text_ctx *t, const lure_scan *scan, const char *label)
{
	char *summary = lure_report_summary(scan);

	put_safe(t, label);
	fputs(": ", t->out);
	put_colored(t, verdict_sgr(lure_scan_verdict(scan)), summary);
	fputc('\n', t->out);
	g_free(summary);
}

lure_error lure_report_text_write(const lure_scan *scan, const lure_report_opts *opts, FILE *out)
{
	static const lure_report_opts defaults = {0};
	text_ctx t = {.out = out, .opts = opts != NULL ? opts : &defaults};

	t.color = t.opts->color;
	t.defang = t.opts->defang;
	if (t.opts->quiet) {
		write_verdict(&t, scan, t.opts->file != NULL ? t.opts->file : scan->root_name);
		return ferror(out) ? LURE_E_IO : LURE_OK;
	}

	if (lure_scan_root(scan) != NULL) {
		write_tree(&t, scan);
	} else {
		put_safe(&t, t.opts->file != NULL ? t.opts->file : scan->root_name);
		fputc('\n', out);
	}
	for (guint i = 0; i < scan->errors->len; i++) {
		indent(&t, 1);
		put_colored(&t, SGR_MAGENTA, "error");
		fputs(": ", out);
		put_safe(&t, g_ptr_array_index(scan->errors, i));
		fputc('\n', out);
	}
	write_iocs(&t, scan);
	if (t.opts->extract_dir != NULL) {
		fputs("extracted: ", out);
		put_safe(&t, t.opts->extract_dir);
		fputc('\n', out);
	}
	write_verdict(&t, scan, "verdict");
	return ferror(out) ? LURE_E_IO : LURE_OK;
}
