/*
 * handler.h - the one interface of format handlers and analysers.
 *
 * A handler recognises a format by its bytes (probe) and unpacks it (walk).
 * Each handler file exports one const struct with designated initialisers,
 * and registry.c lists them all once. The driver probes every handler; the
 * highest bid wins and gives the artifact its kind. There is no switch.
 *
 * An analyser does not unpack: it looks at artifacts of the kinds it accepts
 * and adds findings (relationships, monikers, DDE, ...). Analysers run after
 * the handler's walk, in registry order.
 */
#ifndef LURE_HANDLER_H
#define LURE_HANDLER_H

#include "scan.h"

/* Bids: a signature at offset 0 that settles the format. */
#define LURE_BID_CERTAIN 100
/* A signature plus a structural check that may be spoofed. */
#define LURE_BID_STRONG 80
/* A plausible but weak hint (e.g. a text format). */
#define LURE_BID_WEAK 20

typedef struct lure_handler {
	const char *name;   /* short, for logs and docs */
	const char *kind;   /* the kind an artifact gets when this wins */
	/* Returns a bid 0..100 for data (0 = not this format). Must only read
	 * inside data[0..len). */
	unsigned (*probe)(const uint8_t *data, size_t len);
	/* Unpacks a: adds children, findings, properties. Returns LURE_OK, or
	 * an error it has not reported itself (the driver then records
	 * container.malformed); LURE_E_NOMEM ends the scan. May set a->kind to
	 * a more precise kind it found while walking. */
	lure_error (*walk)(lure_scan *scan, lure_artifact *a);
} lure_handler;

typedef struct lure_analyzer {
	const char *name;
	/* True when the analyser should look at a (kind is already set).
	 * NULL: it looks at no single artifact (only finish). */
	bool (*accepts)(const lure_scan *scan, const lure_artifact *a);
	/* Looks at a while its bytes are alive; may add findings, properties,
	 * IOCs, and children (queued like a handler's). */
	lure_error (*run)(lure_scan *scan, lure_artifact *a);
	/* Optional: runs once when the whole tree is built (no bytes are alive
	 * then), in registry order, for judgements that need several
	 * artifacts: e.g. an altChunk and the objects found in its part. */
	lure_error (*finish)(lure_scan *scan);
} lure_analyzer;

/* NULL-terminated lists, in registry.c. */
extern const lure_handler *const lure_handlers[];
extern const lure_analyzer *const lure_analyzers[];

/* The winning handler for data, or NULL when none bids. */
const lure_handler *lure_handler_pick(const uint8_t *data, size_t len);

#endif
