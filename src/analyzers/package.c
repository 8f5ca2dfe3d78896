/*
 * package.c - OLE1 native data ("\x01Ole10Native") and the Packager object:
 * any file, embedded in a document, run by a double click.
 *
 * The format. When an OLE1 object is kept in an OLE2 container, its native
 * data sits in the stream "\x01Ole10Native", an OLENativeStream (MS-OLEDS
 * 2.3.6): a u32 NativeDataSize, then that many bytes. For the Packager
 * class ("Package", {0003000C-...}, {F20DA720-...}) the native data is the
 * Packager's own, undocumented by Microsoft and described by public
 * analyses (oletools' oleobj, ClamAV's ole2 scanner):
 *
 *   Type          u16   2
 *   Label         ANSI, NUL-terminated: the file name shown ("invoice.pdf")
 *   SourcePath    ANSI, NUL-terminated: where the file was packaged from
 *   Reserved      u16   0
 *   ItemType      u16   3 = embedded file, 1 = link
 *   TempPathSize  u32   then TempPath: ANSI, NUL-terminated, the path the
 *                       file is written to when opened (and run from)
 *   DataSize      u32   then Data: the file itself
 *   and, optionally, u32 character counts each followed by the UTF-16LE
 *   TempPath, Label and SourcePath.
 *
 * The same native data (without NativeDataSize) is an OLE1 object's
 * NativeData when RTF embeds a "Package" object directly: the OLE1 handler
 * names that child "ole1:Package", and we parse it too.
 *
 * How we walk it. A bounded cursor reads the fields; every size is checked
 * against what remains and clamped (reported) when it runs past the end, so
 * whatever payload is present is still extracted. The payload becomes a
 * child artifact named by the label (charged to the scan first), and an
 * ole.package finding on the stream gives the names and size: high when a
 * name's extension is one Windows runs (exe, scr, js, hta, lnk, ...) or
 * when the label's extension differs from the temp path's, medium
 * otherwise. Native data that is not a Packager's becomes a child named
 * "native" for the driver to sniff (often a PE, a CFB or an image).
 *
 * Evasions. Double extensions ("invoice.pdf.js"), trailing dots and spaces
 * that Windows drops ("run.exe. "), upper case ("RUN.EXE"), and a label
 * that shows one extension while the temp path, which is what actually
 * runs, has another ("invoice.pdf" / "%TEMP%\invoice.pdf.exe") are all
 * judged on the same normalised extension. The ANSI and Unicode names may
 * disagree: both are judged. Sizes past the end are clamped and reported.
 */
#include <string.h>
#include <glib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "clsid.h"
#include "package.h"

/* Names are paths: MAX_PATH in practice. Longer ones are cut when copied
 * (never read past the end). */
#define PACKAGE_MAX_NAME 4096u
/* ItemType of an embedded file. */
#define PACKAGE_ITEM_EMBEDDED 3u
#define NATIVE_CHILD_NAME "native"
#define PACKAGE_CHILD_FALLBACK "package"

/* Extensions Windows runs, or opens with a program that runs code. */
static const char *const executable_extensions[] = {
	"exe", "scr", "com", "pif", "cpl", "dll", "ocx", "sys", "drv", "efi",
	"js", "jse", "vbs", "vbe", "vb", "wsf", "wsc", "wsh", "hta", "sct",
	"bat", "cmd", "ps1", "psm1", "psd1", "ps1xml", "ps2", "psc1", "msh",
	"lnk", "url", "website", "msi", "msp", "mst", "msc", "jar", "chm",
	"hlp", "iso", "img", "vhd", "vhdx", "inf", "reg", "scf", "xll",
	"application", "appref-ms", "gadget", "xbap", "settingcontent-ms",
	"search-ms", "searchconnector-ms", "library-ms", "diagcab", "appx",
	"msix", "appinstaller", "ws",
};

/* ------------------------------------------------------------------------
 * Names.
 */

char *lure_package_extension(const char *path)
{
	if (path == NULL)
		return NULL;
	const char *base = path;
	for (const char *p = path; *p != '\0'; p++)
		if (*p == '\\' || *p == '/')
			base = p + 1;
	size_t n = strlen(base);
	while (n > 0 && (base[n - 1] == '.' || base[n - 1] == ' '))
		n--;
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++)
		if (base[i] == '.')
			dot = base + i;
	if (dot == NULL || dot == base + n - 1)
		return NULL;
	return g_ascii_strdown(dot + 1, (gssize)(base + n - dot - 1));
}

bool lure_package_is_executable(const char *path)
{
	char *ext = lure_package_extension(path);
	bool hit = false;
	for (size_t i = 0; ext != NULL && i < G_N_ELEMENTS(executable_extensions); i++)
		if (strcmp(ext, executable_extensions[i]) == 0)
			hit = true;
	g_free(ext);
	return hit;
}

/* ------------------------------------------------------------------------
 * Parsing.
 */

void lure_package_clear(lure_package *p)
{
	if (p == NULL)
		return;
	g_free(p->label);
	g_free(p->source_path);
	g_free(p->temp_path);
	g_free(p->label_w);
	g_free(p->source_path_w);
	g_free(p->temp_path_w);
	memset(p, 0, sizeof(*p));
}

static lure_error truncated(lure_package *p, const char *why)
{
	p->truncated = true;
	if (p->problem == NULL)
		p->problem = why;
	return LURE_E_TRUNCATED;
}

/* An ANSI NUL-terminated string at c; false when there is no NUL. */
static bool read_cstring(lure_cursor *c, char **out)
{
	size_t rem = lure_cursor_remaining(c);
	const uint8_t *p = c->data + c->off;
	const uint8_t *nul = rem > 0 ? memchr(p, 0, rem) : NULL;
	if (nul == NULL)
		return false;
	size_t n = (size_t)(nul - p);
	*out = g_strndup((const char *)p, MIN(n, (size_t)PACKAGE_MAX_NAME));
	c->off += n + 1;
	return true;
}

/* A u32 character count and that many UTF-16LE characters; false when
 * they are not all there. */
static bool read_unicode(lure_cursor *c, char **out)
{
	uint32_t chars;
	const uint8_t *p;
	if (lure_cursor_u32le(c, &chars) != LURE_OK || chars > lure_cursor_remaining(c) / 2 ||
	    lure_cursor_bytes(c, (size_t)chars * 2, &p) != LURE_OK)
		return false;
	*out = lure_ole_utf16_to_utf8(p, MIN((size_t)chars * 2, (size_t)PACKAGE_MAX_NAME * 2), true);
	return true;
}

/* The optional Unicode names after Data: stop quietly at the first one
 * that is not there. Empty strings are dropped. */
static void read_unicode_names(lure_cursor *c, lure_package *p)
{
	char **fields[] = {&p->temp_path_w, &p->label_w, &p->source_path_w};
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (!read_unicode(c, fields[i]))
			return;
		if ((*fields[i])[0] == '\0')
			g_clear_pointer(fields[i], g_free);
	}
}

/* The Packager fields of native data at c; out->is_package says whether
 * the header was one. */
static lure_error parse_packager(lure_cursor *c, lure_package *out)
{
	uint16_t type, reserved;
	uint32_t temp_size;
	const uint8_t *p;

	if (lure_cursor_u16le(c, &type) != LURE_OK || type != LURE_PACKAGE_TYPE)
		return LURE_OK;
	size_t mark = c->off;
	if (!read_cstring(c, &out->label) || !read_cstring(c, &out->source_path)) {
		/* Not a Packager after all: the strings do not end. */
		g_clear_pointer(&out->label, g_free);
		c->off = mark;
		return LURE_OK;
	}
	out->is_package = true;
	if (lure_cursor_u16le(c, &reserved) != LURE_OK ||
	    lure_cursor_u16le(c, &out->item_type) != LURE_OK ||
	    lure_cursor_u32le(c, &temp_size) != LURE_OK)
		return truncated(out, "Packager header cut off after the source path");
	size_t n = MIN((size_t)temp_size, lure_cursor_remaining(c));
	lure_cursor_bytes(c, n, &p);
	out->temp_path = lure_ole_ansi_dup(p, MIN(n, (size_t)PACKAGE_MAX_NAME));
	if (n < temp_size)
		return truncated(out, "Packager TempPath runs past the end");
	if (lure_cursor_u32le(c, &out->data_size) != LURE_OK)
		return truncated(out, "Packager DataSize cut off");
	out->has_data = true;
	out->data_len = MIN((size_t)out->data_size, lure_cursor_remaining(c));
	lure_cursor_bytes(c, out->data_len, &out->data);
	if (out->data_len < out->data_size)
		return truncated(out, "Packager Data runs past the end; payload clamped");
	read_unicode_names(c, out);
	return LURE_OK;
}

lure_error lure_package_parse_native(const uint8_t *data, size_t len, lure_package *out)
{
	lure_cursor c;

	memset(out, 0, sizeof(*out));
	if (data == NULL) {
		data = (const uint8_t *)"";
		len = 0;
	}
	out->native = data;
	out->native_len = len;
	lure_cursor_init(&c, data, len);
	return parse_packager(&c, out);
}

lure_error lure_package_parse_ole10native(const uint8_t *data, size_t len, lure_package *out)
{
	lure_cursor c;
	uint32_t size;

	memset(out, 0, sizeof(*out));
	if (data == NULL) {
		data = (const uint8_t *)"";
		len = 0;
	}
	lure_cursor_init(&c, data, len);
	if (lure_cursor_u32le(&c, &size) != LURE_OK)
		return truncated(out, "NativeDataSize cut off");
	size_t n = MIN((size_t)size, lure_cursor_remaining(&c));
	lure_error err = lure_package_parse_native(c.data + c.off, n, out);
	out->has_native_size = true;
	out->native_size = size;
	if (n < size) {
		lure_error t = truncated(out, "NativeDataSize runs past the end; native data clamped");
		if (err == LURE_OK)
			err = t;
	}
	return err;
}

/* ------------------------------------------------------------------------
 * The analyser.
 */

#define OLE10NATIVE_NAME "\\x01Ole10Native" /* as the core displays it */
#define OLE1_PACKAGE_NAME "ole1:Package"

static const char *leaf_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash != NULL ? slash + 1 : name;
}

static const lure_artifact *parent_of(const lure_scan *scan, const lure_artifact *a)
{
	return a->parent >= 0 ? lure_scan_artifact(scan, (unsigned)a->parent) : NULL;
}

static bool kind_is(const lure_artifact *a, const char *kind)
{
	return a != NULL && a->kind != NULL && strcmp(a->kind, kind) == 0;
}

/* An Ole10Native stream of a compound file. */
static bool is_ole10native(const lure_scan *scan, const lure_artifact *a)
{
	return strcmp(leaf_of(a->name), OLE10NATIVE_NAME) == 0 &&
	       kind_is(parent_of(scan, a), "ole2");
}

/* The NativeData of an OLE1 "Package" object. */
static bool is_ole1_package(const lure_scan *scan, const lure_artifact *a)
{
	return g_ascii_strcasecmp(a->name, OLE1_PACKAGE_NAME) == 0 &&
	       kind_is(parent_of(scan, a), "ole1");
}

static bool accepts(const lure_scan *scan, const lure_artifact *a)
{
	return is_ole10native(scan, a) || is_ole1_package(scan, a);
}

/* Why a package is dangerous, or NULL. */
static const char *danger(const lure_package *p)
{
	const char *names[] = {p->label, p->label_w, p->temp_path, p->temp_path_w,
			       p->source_path, p->source_path_w};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i] != NULL && lure_package_is_executable(names[i]))
			return "executable or script extension";

	const char *pairs[][2] = {{p->label, p->temp_path}, {p->label_w, p->temp_path_w}};
	const char *why = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(pairs) && why == NULL; i++) {
		char *a = lure_package_extension(pairs[i][0]);
		char *b = lure_package_extension(pairs[i][1]);
		if (a != NULL && b != NULL && strcmp(a, b) != 0)
			why = "file name extension differs from the temp path's";
		g_free(a);
		g_free(b);
	}
	return why;
}

static void detail_if(lure_finding *f, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		lure_finding_detail(f, key, "%s", value);
}

/* The name of the payload's child: the label, else the temp path's base
 * name, else a fixed one. */
static const char *child_name(const lure_package *p)
{
	const char *names[] = {p->label, p->label_w, p->temp_path, p->temp_path_w};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		const char *n = names[i];
		if (n == NULL)
			continue;
		const char *base = n;
		for (const char *q = n; *q != '\0'; q++)
			if (*q == '\\' || *q == '/')
				base = q + 1;
		if (base[0] != '\0')
			return base;
	}
	return PACKAGE_CHILD_FALLBACK;
}

static void report_package(lure_scan *scan, const lure_artifact *a, const lure_package *p)
{
	const char *shown = p->label_w != NULL ? p->label_w : p->label;
	const char *why = danger(p);
	char *ext = lure_package_extension(shown);

	lure_finding *f = lure_finding_add(scan, a, LURE_IND_OLE_PACKAGE,
					   "embedded file '%s' (%zu bytes)%s%s",
					   shown != NULL ? shown : "", p->data_len,
					   why != NULL ? ": " : "", why != NULL ? why : "");
	lure_finding_set_severity(f, why != NULL ? LURE_SEV_HIGH : LURE_SEV_MEDIUM);
	lure_finding_detail(f, "filename", "%s", shown != NULL ? shown : "");
	if (p->label_w != NULL && p->label != NULL && strcmp(p->label_w, p->label) != 0)
		detail_if(f, "filename_ansi", p->label);
	detail_if(f, "source_path", p->source_path_w != NULL ? p->source_path_w : p->source_path);
	detail_if(f, "temp_path", p->temp_path_w != NULL ? p->temp_path_w : p->temp_path);
	lure_finding_detail(f, "size", "%zu", p->data_len);
	if (p->has_data && p->data_len != p->data_size)
		lure_finding_detail(f, "declared_size", "%u", p->data_size);
	detail_if(f, "extension", ext);
	if (p->item_type != 0 && p->item_type != PACKAGE_ITEM_EMBEDDED)
		lure_finding_detail(f, "item_type", "%u", p->item_type);
	detail_if(f, "reason", why);
	g_free(ext);
}

/* Charges and adds data[0..len) as a child of a named name. */
static lure_error add_child(lure_scan *scan, lure_artifact *a, const char *name,
			    const uint8_t *data, size_t len)
{
	lure_error err = lure_scan_charge(scan, a, name, len, len);
	if (err != LURE_OK)
		return err;
	return lure_scan_add_child(scan, a, name, g_memdup2(data, len), len, NULL);
}

static lure_error run(lure_scan *scan, lure_artifact *a)
{
	lure_package p;
	lure_error err, cerr = LURE_OK;
	bool ole1 = is_ole1_package(scan, a);

	if (ole1)
		err = lure_package_parse_native(a->data, a->len, &p);
	else
		err = lure_package_parse_ole10native(a->data, a->len, &p);
	if (err != LURE_OK) {
		lure_finding *f = lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
						   "%s: %s", ole1 ? "Packager object" : "Ole10Native",
						   p.problem);
		lure_finding_detail(f, "reason", "%s", p.problem);
	}
	if (p.is_package) {
		report_package(scan, a, &p);
		if (p.data_len > 0)
			cerr = add_child(scan, a, child_name(&p), p.data, p.data_len);
	} else if (!ole1 && p.native_len > 0) {
		cerr = add_child(scan, a, NATIVE_CHILD_NAME, p.native, p.native_len);
	}
	lure_package_clear(&p);
	return cerr == LURE_E_NOMEM ? cerr : LURE_OK;
}

const lure_analyzer lure_analyzer_package = {
	.name = "package",
	.accepts = accepts,
	.run = run,
};
