/*
 * text.h - making hostile strings safe to show.
 *
 * Names come from hostile input: stream names such as "\x01Ole", invalid
 * UTF-8, terminal escape sequences, bidirectional overrides. Every name and
 * detail value is turned into a display form before it is stored: valid
 * UTF-8 with printable characters kept, and every control byte, invalid
 * byte, C1 control or bidi/format character written as \xNN or \u{NNNN}.
 * A literal backslash stays a backslash: the form is for reading, and the
 * raw bytes stay available in the artifact itself.
 */
#ifndef LURE_TEXT_H
#define LURE_TEXT_H

#include <stddef.h>

/* Returns a newly allocated (g_free) display-safe copy of raw[0..len). */
char *lure_display_escape(const char *raw, size_t len);
/* Same for a NUL-terminated string; NULL gives "". */
char *lure_display_escape_str(const char *raw);

/* Offset of the first occurrence of needle (ASCII, compared without case)
 * in hay[0..n), or -1. Linear in n for the short needles we use. */
long lure_find_ci(const void *hay, size_t n, const char *needle);

#endif
