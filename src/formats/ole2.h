/*
 * ole2.h - helpers of the OLE2 / Compound File Binary handler ([MS-CFB]) that
 * other handlers and analysers reuse (monikers, CompObj, Ole10Native).
 *
 * The handler itself is lure_handler_ole2 (registered in core/registry.c).
 */
#ifndef LURE_OLE2_H
#define LURE_OLE2_H

#include <stdbool.h>
#include <stdint.h>

/* A CLSID as stored on disk: a GUID ([MS-DTYP] 2.3.4.1) with Data1, Data2
 * and Data3 little-endian and Data4 as 8 bytes in order. */
#define LURE_OLE2_CLSID_LEN 16
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" plus the NUL. */
#define LURE_OLE2_CLSID_STR_SIZE 39

/* Writes raw (16 bytes, on-disk order) to out in the canonical registry
 * form, e.g. "{00020906-0000-0000-C000-000000000046}": uppercase hex,
 * braces, always NUL-terminated. Cannot fail; reads exactly 16 bytes. */
void lure_ole2_clsid_format(const uint8_t raw[LURE_OLE2_CLSID_LEN],
			    char out[LURE_OLE2_CLSID_STR_SIZE]);

/* True when all 16 bytes are zero (CLSID_NULL: "no class"). */
bool lure_ole2_clsid_is_null(const uint8_t raw[LURE_OLE2_CLSID_LEN]);

#endif
