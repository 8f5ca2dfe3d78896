/*
 * registry.c - every handler and analyser, listed once.
 *
 * Adding a format: write src/formats/<fmt>.c exporting one const
 * lure_handler, declare it here, add it to the list and to Makefile.am.
 * Order matters only between equal bids (the first wins).
 */
#include "handler.h"

extern const lure_handler lure_handler_ole2;
extern const lure_handler lure_handler_zip;
extern const lure_handler lure_handler_rels;
extern const lure_handler lure_handler_content_types;
extern const lure_handler lure_handler_xml;
extern const lure_handler lure_handler_rtf;
extern const lure_handler lure_handler_pe;
extern const lure_handler lure_handler_ole1;
extern const lure_handler lure_handler_html;
extern const lure_handler lure_handler_mht;

extern const lure_analyzer lure_analyzer_relationships;
extern const lure_analyzer lure_analyzer_clsid;
extern const lure_analyzer lure_analyzer_moniker;
extern const lure_analyzer lure_analyzer_package;
extern const lure_analyzer lure_analyzer_encryption;
extern const lure_analyzer lure_analyzer_dde;
extern const lure_analyzer lure_analyzer_altchunk;
extern const lure_analyzer lure_analyzer_iocs;

const lure_handler *const lure_handlers[] = {
	&lure_handler_ole2,
	&lure_handler_zip,
	&lure_handler_rels,
	&lure_handler_content_types,
	&lure_handler_xml,
	&lure_handler_rtf,
	&lure_handler_pe,
	&lure_handler_ole1,
	&lure_handler_html,
	&lure_handler_mht,
	NULL,
};

/* IOCs come last: their finish reads the targets the others found. */
const lure_analyzer *const lure_analyzers[] = {
	&lure_analyzer_relationships,
	&lure_analyzer_clsid,
	&lure_analyzer_moniker,
	&lure_analyzer_package,
	&lure_analyzer_encryption,
	&lure_analyzer_dde,
	&lure_analyzer_altchunk,
	&lure_analyzer_iocs,
	NULL,
};
