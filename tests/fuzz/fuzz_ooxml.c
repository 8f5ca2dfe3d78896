/*
 * fuzz_ooxml.c - libFuzzer harness for the OOXML analysers
 * (src/analyzers/relationships.c, altchunk.c, dde.c, iocs.c).
 *
 * Each input is used five ways:
 *  1. a whole scan: XML parts reach the DDE walker by their root element
 *     (w:document, externalLink, worksheet, ...), .rels parts reach the
 *     relationship judge, ZIP inputs reach altChunk and the IOC passes;
 *  2. the shared field check, lure_dde_check_field, on the raw bytes;
 *  3. the same bytes as a .doc "WordDocument" stream (0x13 field scanner,
 *     8-bit and UTF-16) and as a part of an OPC package (HTML/MHT sniffing);
 *  4. the bytes split at the first NUL into a relationship Type and Target,
 *     judged as External and as Internal, and as an aFChunk target;
 *  5. the IOC text scanner and the defanger on the bytes.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_ooxml
 * Run:   tests/fuzz/fuzz_ooxml -dict=tests/fuzz/ooxml.dict tests/fuzz/corpus/ooxml
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <glib.h>
#include "core/handler.h"
#include "analyzers/dde.h"
#include "analyzers/iocs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const lure_analyzer lure_analyzer_relationships;
extern const lure_analyzer lure_analyzer_altchunk;
extern const lure_analyzer lure_analyzer_dde;
extern const lure_analyzer lure_analyzer_iocs;

static void run_if_accepted(const lure_analyzer *an, lure_scan *scan, lure_artifact *a)
{
	if (an->accepts != NULL && an->run != NULL && an->accepts(scan, a))
		an->run(scan, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_limits limits;

	fz_limits(&limits, 5000, 8u * 1024 * 1024, 32u * 1024 * 1024, 2000);

	/* 1. the whole scan */
	lure_scan *scan = lure_scan_new(&limits, "fuzz.docx");
	lure_scan_run(scan, data, size);
	lure_artifact *root = lure_scan_root(scan);

	/* 2. the shared field check */
	lure_dde_check_field(scan, root, (const char *)data, size);

	/* 3. the bytes as a WordDocument stream and as a package part */
	root->kind = "ooxml";
	lure_artifact *a = NULL;
	if (lure_scan_add_child(scan, root, "WordDocument", g_memdup2(data, size), size, &a) ==
	    LURE_OK) {
		run_if_accepted(&lure_analyzer_dde, scan, a);
		run_if_accepted(&lure_analyzer_iocs, scan, a);
	}
	lure_artifact *part = NULL;
	if (lure_scan_add_child(scan, root, "word/afchunk.mht", g_memdup2(data, size), size,
				&part) == LURE_OK) {
		run_if_accepted(&lure_analyzer_altchunk, scan, part);
		part->kind = "xml";
		run_if_accepted(&lure_analyzer_dde, scan, part);
	}

	/* 4. a relationship made of the bytes */
	char *text = g_strndup((const char *)data, size);
	size_t tlen = strlen(text);
	const char *target = tlen < size ? (const char *)data + tlen + 1 : "";
	char *target_copy = g_strndup(target, size - (tlen < size ? tlen + 1 : size));
	lure_artifact *rels = NULL;
	if (lure_scan_add_child(scan, root, "word/_rels/document.xml.rels", (uint8_t *)g_strdup("<R/>"), 4,
				&rels) == LURE_OK) {
		rels->kind = "rels";
		lure_scan_add_relationship(scan, rels, "word/document.xml", "rId1", text,
					   target_copy, "External");
		lure_scan_add_relationship(scan, rels, "word/document.xml", "rId2", text,
					   target_copy, NULL);
		lure_scan_add_relationship(scan, rels, "word/document.xml", "rId3",
			"http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk",
			text, NULL);
		run_if_accepted(&lure_analyzer_relationships, scan, rels);
		lure_analyzer_altchunk.finish(scan);
	}

	/* 5. IOCs and defanging */
	lure_iocs_scan_text(scan, (const char *)data, size);
	lure_iocs_add_target(scan, text);
	lure_analyzer_iocs.finish(scan);
	for (int t = 0; t < LURE_IOC__COUNT; t++) {
		for (guint i = 0; i < scan->iocs[t]->len; i++)
			g_free(lure_ioc_defang(g_ptr_array_index(scan->iocs[t], i)));
	}
	g_free(lure_ioc_defang(text));

	g_free(target_copy);
	g_free(text);
	lure_scan_free(scan);
	return 0;
}
