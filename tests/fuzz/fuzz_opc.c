/*
 * fuzz_opc.c - libFuzzer harness for the OPC handlers (src/formats/opc.c).
 *
 * The input is used three ways:
 *  1. scanned as it is: the rels, content types and xml probes bid on its
 *     root element;
 *  2. walked as "word/_rels/document.xml.rels" and as "[Content_Types].xml"
 *     inside a package, next to sibling parts, so the source part
 *     derivation and the content type mapping onto siblings run;
 *  3. split at its first newline into a source part and a target for
 *     lure_opc_resolve_target(), and as a whole for lure_opc_source_part(),
 *     whose results must be normalised part names.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_opc
 * Run:   tests/fuzz/fuzz_opc -dict=tests/fuzz/opc.dict tests/fuzz/corpus/opc
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/handler.h"
#include "core/scan.h"
#include "formats/opc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const lure_handler lure_handler_rels;
extern const lure_handler lure_handler_content_types;

static const char *const siblings[] = {
	"word/document.xml", "word/media/image1.PNG", "docProps/app.xml", "x", "a/b.c.d",
};

/* A resolved part name never starts with "/" and has no empty, "." or ".."
 * segment. */
static void check_part_name(const char *name)
{
	if (name == NULL)
		return;
	if (name[0] == '/' || strstr(name, "//") != NULL || strchr(name, '\\') != NULL)
		__builtin_trap();
	char **segs = g_strsplit(name, "/", -1);
	for (char **s = segs; *s != NULL; s++) {
		if (name[0] != '\0' && ((*s)[0] == '\0' || strcmp(*s, ".") == 0 ||
					strcmp(*s, "..") == 0))
			__builtin_trap();
	}
	g_strfreev(segs);
}

static void walk_in_package(const uint8_t *data, size_t size)
{
	lure_limits limits;
	lure_artifact *root, *part;

	lure_limits_default(&limits);
	limits.timeout_ms = 5000;
	lure_scan *scan = lure_scan_new(&limits, "fuzz.docx");
	lure_scan_run(scan, (const uint8_t *)"", 0);
	root = lure_scan_root(scan);
	for (size_t i = 0; i < G_N_ELEMENTS(siblings); i++)
		lure_scan_add_child(scan, root, siblings[i], g_memdup2("<x/>", 4), 4, NULL);
	if (lure_scan_add_child(scan, root, "word/_rels/document.xml.rels",
				g_memdup2(data, size), size, &part) == LURE_OK)
		lure_handler_rels.walk(scan, part);
	if (lure_scan_add_child(scan, root, "[Content_Types].xml", g_memdup2(data, size), size,
				&part) == LURE_OK)
		lure_handler_content_types.walk(scan, part);
	for (guint i = 0; i < scan->relationships->len; i++) {
		const lure_relationship *r = g_ptr_array_index(scan->relationships, i);
		if (strcmp(r->source_part, "word/document.xml") != 0)
			__builtin_trap();
	}
	lure_scan_free(scan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_limits limits;

	lure_limits_default(&limits);
	limits.timeout_ms = 5000;
	lure_scan *scan = lure_scan_new(&limits, "fuzz.xml");
	lure_scan_run(scan, data, size);
	lure_scan_free(scan);

	walk_in_package(data, size);

	char *text = g_strndup((const char *)data, size);
	char *nl = strchr(text, '\n');
	const char *target = nl != NULL ? nl + 1 : text;
	if (nl != NULL)
		*nl = '\0';
	char *resolved = lure_opc_resolve_target(nl != NULL ? text : "", target);
	check_part_name(resolved);
	g_free(resolved);
	if (nl != NULL)
		*nl = '\n';
	char *source = lure_opc_source_part(text);
	if (source != NULL && strlen(source) >= strlen(text))
		__builtin_trap();
	g_free(source);
	g_free(text);
	return 0;
}
