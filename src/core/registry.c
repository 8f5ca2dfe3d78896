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

const lure_handler *const lure_handlers[] = {
	&lure_handler_ole2,
	&lure_handler_zip,
	&lure_handler_rels,
	&lure_handler_content_types,
	&lure_handler_xml,
	&lure_handler_rtf,
	&lure_handler_pe,
	NULL,
};

const lure_analyzer *const lure_analyzers[] = {
	NULL,
};
