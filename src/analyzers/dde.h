/*
 * dde.h - recognising DDE field instructions, shared by every place a field
 * can live: Word XML (fldSimple, instrText), .doc (field begin 0x13), RTF
 * (\fldinst) and Excel (ddeLink).
 */
#ifndef LURE_DDE_H
#define LURE_DDE_H

#include <stddef.h>
#include "core/scan.h"

/* Checks a field instruction (instr[0..len), raw bytes as read, before any
 * unescaping) for a DDE or DDEAUTO field: leading whitespace, quotes and
 * case ignored. When it is one, adds dde.field on a with details.command
 * (the instruction, escaped, bounded in length) and details.field ("DDE" or
 * "DDEAUTO") and returns the finding. Otherwise, an INCLUDEPICTURE,
 * INCLUDETEXT, IMPORT or LINK field whose first argument is remote gives
 * field.remote_include (high for UNC/remote file:, low for http(s)), which
 * is returned. NULL when neither. */
lure_finding *lure_dde_check_field(lure_scan *scan, const lure_artifact *a,
				   const char *instr, size_t len);

#endif
