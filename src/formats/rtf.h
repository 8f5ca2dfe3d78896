/*
 * rtf.h - the RTF handler's bounds, shared with its tests and fuzzer.
 *
 * The handler itself is lure_handler_rtf (registered in core/registry.c);
 * it has no other entry point. See the essay at the top of rtf.c.
 */
#ifndef LURE_RTF_H
#define LURE_RTF_H

#include "core/handler.h"

extern const lure_handler lure_handler_rtf;

/* Letters of a control word name that are kept; the RTF spec allows 32. A
 * longer run of letters is still consumed as one control word (as Word
 * does), but it matches no known word and is ignored. */
#define LURE_RTF_MAX_WORD 32u

/* Numeric parameters saturate at this magnitude (digits past it are read
 * and dropped), so no parameter can overflow; \binN is further bounded by
 * the bytes left in the input. Leading zeros are free: Word accepts
 * "\bin000...05". */
#define LURE_RTF_PARAM_MAX 999999999999LL

/* Text kept of one {\*\template}, \fldinst or {\*\objclass} destination;
 * the rest is read and dropped. */
#define LURE_RTF_MAX_TEMPLATE 4096u
#define LURE_RTF_MAX_FIELD 4096u
#define LURE_RTF_MAX_CLASS 256u

/* Details of rtf.object: the object flags, in this order, space separated
 * (the names of the control words without the backslash). */
#define LURE_RTF_OBJECT_FLAGS \
	"objemb objlink objautlink objsub objpub objicemb objhtml objocx objupdate"

#endif
