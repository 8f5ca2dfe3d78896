/*
 * clsid.h - OLE class identifiers: what a CLSID names, the CompObj stream
 * that names a storage's class in words, and the UTF-16 strings the OLE
 * streams share.
 *
 * A CLSID says which COM server Office starts for an embedded or linked
 * object, so it is the most reliable statement of what an object is: the
 * OLE1 class name, the CompObj ProgID and the file name can all be forged
 * without changing what runs, the CLSID cannot. lure_clsid_lookup() maps the
 * canonical text of a CLSID to what we know about it; the clsid analyser
 * reports the classes of every compound file (ole.class) and Equation
 * Editor objects (ole.equation_editor).
 */
#ifndef LURE_CLSID_H
#define LURE_CLSID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* Flags of a known class. */
#define LURE_CLSID_LINK       (1u << 0) /* an OLE link or a moniker */
#define LURE_CLSID_MONIKER    (1u << 1) /* a moniker class */
#define LURE_CLSID_EQUATION   (1u << 2) /* Equation Editor 3.0 */
#define LURE_CLSID_PACKAGE    (1u << 3) /* Packager: carries any file */
#define LURE_CLSID_SUSPICIOUS (1u << 4) /* abused by published exploits */
#define LURE_CLSID_DOCUMENT   (1u << 5) /* an Office document class */
#define LURE_CLSID_CONTROL    (1u << 6) /* an ActiveX / Forms control */

typedef struct lure_clsid_info {
	const char *clsid; /* canonical: "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */
	const char *name;  /* what it is, in our words */
	unsigned flags;    /* LURE_CLSID_* */
	const char *cve;   /* CVEs that abused it ("CVE-a, CVE-b"), or NULL */
} lure_clsid_info;

/* The table entry for a CLSID written in canonical form (braces optional,
 * any case), or NULL when we know nothing about it (or canonical is NULL).
 * The entry is static. */
const lure_clsid_info *lure_clsid_lookup(const char *canonical);

/* The whole table, for documentation and tests: *count entries. */
const lure_clsid_info *lure_clsid_table(size_t *count);

/* Decodes UTF-16LE text from p[0..nbytes) into a new NUL-terminated UTF-8
 * string (g_free). Decoding stops at the first U+0000 when stop_at_nul;
 * an odd trailing byte is dropped; unpaired surrogates become U+FFFD. At
 * most LURE_OLE_MAX_TEXT_BYTES bytes of input are read. Never fails. */
#define LURE_OLE_MAX_TEXT_BYTES (64u * 1024u)
char *lure_ole_utf16_to_utf8(const uint8_t *p, size_t nbytes, bool stop_at_nul);

/* Copies ANSI text p[0..n) up to its first NUL into a new NUL-terminated
 * string (g_free); the bytes are kept as they are (the code page is
 * unknown) and are escaped for display where they are shown. */
char *lure_ole_ansi_dup(const uint8_t *p, size_t n);

/* ---- CompObjStream (MS-OLEDS 2.3.8) ---- */

/* The value of UnicodeMarker that announces the Unicode fields. */
#define LURE_COMPOBJ_UNICODE_MARKER 0x71B239F4u

typedef struct lure_compobj {
	char *ansi_user_type;        /* AnsiUserType ("Microsoft Equation 3.0") */
	char *ansi_clipboard_format; /* AnsiClipboardFormat when a string */
	char *ansi_prog_id;          /* Reserved1: the ProgID ("Equation.3") */
	char *unicode_user_type;     /* the Unicode fields, when present */
	char *unicode_clipboard_format;
	char *unicode_prog_id;
	uint32_t clipboard_format;   /* standard clipboard format id, or 0 */
	bool has_unicode;            /* UnicodeMarker was found */
} lure_compobj;

/* Parses a CompObjStream from data[0..len) into *out (always initialised;
 * release with lure_compobj_clear()). Returns LURE_OK when the fields up to
 * Reserved1 were read (the Unicode part is optional), LURE_E_TRUNCATED when
 * the data ended early, LURE_E_MALFORMED when a length is absurd; the
 * fields read before the error are kept. */
lure_error lure_compobj_parse(const uint8_t *data, size_t len, lure_compobj *out);
void lure_compobj_clear(lure_compobj *c);
/* The ProgID to report: the ANSI one, else the Unicode one, else NULL. */
const char *lure_compobj_prog_id(const lure_compobj *c);
/* The user type to report, chosen the same way. */
const char *lure_compobj_user_type(const lure_compobj *c);

/* True when a ProgID names Equation Editor 3.0 ("Equation.3", and the
 * "Equation.*" forms oletools issue #858 saw evade exact matches), any
 * case. */
bool lure_clsid_progid_is_equation(const char *prog_id);

#endif
