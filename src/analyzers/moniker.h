/*
 * moniker.h - the link monikers of an OLEStream ("\x01Ole", MS-OLEDS 2.3.3)
 * and the MONIKERSTREAMs (2.3.2) inside it.
 *
 * The parsers only read: they take memory and fill a lure_olestream with
 * the link targets they decode (copied, so the input may go away). The
 * moniker analyser (lure_analyzer_moniker) turns each target into an
 * ole.link_moniker finding; the functions are exported for the tests, the
 * fuzzer and any handler that meets a moniker elsewhere (RTF, OLE1).
 */
#ifndef LURE_MONIKER_H
#define LURE_MONIKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "core/error.h"

/* OLEStream.Version (MS-OLEDS 2.3.3). */
#define LURE_OLESTREAM_VERSION 0x02000001u
/* OLEStream.Flags bit 0: a linked object (else embedded). */
#define LURE_OLESTREAM_FLAG_LINKED 0x00000001u

/* Composite monikers nest: deeper than this is refused. */
#define LURE_MONIKER_MAX_DEPTH 8u
/* Monikers decoded in one OLEStream, all nesting included. */
#define LURE_MONIKER_MAX_TOTAL 256u
/* Distinct link targets kept per OLEStream. */
#define LURE_MONIKER_MAX_LINKS 64u
/* Places the fallback scan tries per moniker class. */
#define LURE_MONIKER_MAX_CARVE 16u

/* One link target. */
typedef struct lure_moniker_link {
	const char *moniker;   /* "url", "file", "item", "soap", "script", "new",
				* or "composite" when it came from one */
	const char *component; /* inside a composite: the part's kind, else NULL */
	char clsid[39];        /* class of the moniker that held the target */
	char *target;          /* UTF-8 (ANSI bytes kept as is); never NULL */
	char *item;            /* composite: the item part ("!Sheet1"), or NULL */
	const char *field;     /* OLEStream field it came from, or "carved" */
	bool weak;             /* a lone item moniker: a target only if remote */
} lure_moniker_link;

typedef struct lure_olestream {
	uint32_t version;
	uint32_t flags;
	uint32_t link_update_option;
	bool has_header;         /* the four u32 fields were read */
	bool has_object_clsid;   /* ClsidIndicator was 0xFFFFFFFF and Clsid read */
	char object_clsid[39];   /* Clsid: the class of the linked object */
	GPtrArray *links;        /* lure_moniker_link*, distinct targets, in order */
	unsigned monikers;       /* monikers decoded (bounded) */
	lure_error err;          /* first problem met, LURE_OK when none */
	const char *problem;     /* static description of err, or NULL */
	bool carved;             /* lure_moniker_carve() found something */
} lure_olestream;

/* Initialises *s (empty); release with lure_olestream_clear(). */
void lure_olestream_init(lure_olestream *s);
void lure_olestream_clear(lure_olestream *s);

/* Parses an OLEStream from data[0..len) into *s (initialised by the
 * caller). Every MONIKERSTREAM present is decoded, whatever Flags say.
 * Returns LURE_OK, or the first problem (also in s->err and s->problem):
 * LURE_E_TRUNCATED (a field ran past the end), LURE_E_MALFORMED (a wrong
 * Version, an impossible size), LURE_E_UNSUPPORTED (a moniker class whose
 * data we cannot delimit), LURE_E_LIMIT (nesting or count bounds). The
 * targets decoded before the problem are kept. Missing trailing fields
 * after the moniker streams are not a problem. */
lure_error lure_moniker_parse_olestream(const uint8_t *data, size_t len, lure_olestream *s);

/* Decodes one MONIKERSTREAM (a 16-byte CLSID, then that class's data) from
 * data[0..len), adding its targets to s with field as their origin (a
 * static string). Returns as lure_moniker_parse_olestream() does. */
lure_error lure_moniker_parse(const uint8_t *data, size_t len, const char *field,
			      lure_olestream *s);

/* The fallback for garbled streams: finds the on-disk bytes of the URL,
 * file, SOAP and script moniker CLSIDs anywhere in data[0..len) and
 * decodes the moniker at each place (bounded), adding the targets to s
 * with field "carved". Returns the number of targets added. */
unsigned lure_moniker_carve(const uint8_t *data, size_t len, lure_olestream *s);

#endif
