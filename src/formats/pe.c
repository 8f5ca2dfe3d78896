/*
 * pe.c - Windows PE executables (Microsoft PE/COFF specification).
 *
 * A PE starts with the DOS header ("MZ"); its e_lfanew field at offset 0x3C
 * gives the offset of the "PE\0\0" signature. We only recognise the format
 * here: the bytes stay scannable by YARA's pe module, and the pe.embedded
 * finding is raised on any PE that is not the input itself.
 *
 * Evasions: a bare "MZ" with no PE header (text starting with MZ) is not a
 * PE; e_lfanew pointing past the end or overflowing is rejected.
 */
#include <string.h>
#include "core/cursor.h"
#include "core/handler.h"

#define PE_DOS_MAGIC "MZ"
#define PE_E_LFANEW_OFFSET 0x3C
#define PE_SIGNATURE "PE\0\0"

static unsigned probe(const uint8_t *d, size_t n)
{
	if (n < PE_E_LFANEW_OFFSET + 4 || d[0] != 'M' || d[1] != 'Z')
		return 0;
	uint32_t lfanew = lure_le32(d + PE_E_LFANEW_OFFSET);
	if (!lure_range_fits(n, lfanew, 4) || memcmp(d + lfanew, PE_SIGNATURE, 4) != 0)
		return 0;
	return LURE_BID_CERTAIN;
}

static lure_error walk(lure_scan *scan, lure_artifact *a)
{
	if (a->parent >= 0)
		lure_finding_add(scan, a, LURE_IND_PE_EMBEDDED,
				 "embedded Windows executable (%zu bytes)", a->len);
	return LURE_OK;
}

const lure_handler lure_handler_pe = {
	.name = "pe",
	.kind = "pe",
	.probe = probe,
	.walk = walk,
};
