/*
 * cursor.h - a bounded cursor over memory; every parser reads through one.
 *
 * A read that would pass the end fails with LURE_E_TRUNCATED and leaves the
 * cursor where it was. The check is overflow-safe: n <= len && off <= len - n.
 * Multi-byte integers are decoded explicitly, little-endian, as the Microsoft
 * formats store them; no struct is ever cast over input.
 */
#ifndef LURE_CURSOR_H
#define LURE_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "error.h"

typedef struct lure_cursor {
	const uint8_t *data; /* borrowed */
	size_t len;
	size_t off;
} lure_cursor;

void lure_cursor_init(lure_cursor *c, const uint8_t *data, size_t len);
/* True when n more bytes can be read from the current offset. */
bool lure_cursor_fits(const lure_cursor *c, size_t n);
/* True when [off, off+n) lies inside a buffer of len bytes. */
bool lure_range_fits(size_t len, size_t off, size_t n);
size_t lure_cursor_remaining(const lure_cursor *c);
lure_error lure_cursor_seek(lure_cursor *c, size_t off);
lure_error lure_cursor_skip(lure_cursor *c, size_t n);
lure_error lure_cursor_u8(lure_cursor *c, uint8_t *out);
lure_error lure_cursor_u16le(lure_cursor *c, uint16_t *out);
lure_error lure_cursor_u32le(lure_cursor *c, uint32_t *out);
lure_error lure_cursor_u64le(lure_cursor *c, uint64_t *out);
/* Points *out at the next n bytes (borrowed from the cursor's buffer). */
lure_error lure_cursor_bytes(lure_cursor *c, size_t n, const uint8_t **out);
/* Peeks without moving; false when fewer than n bytes remain or they differ. */
bool lure_cursor_peek_eq(const lure_cursor *c, const void *bytes, size_t n);

/* Plain little-endian loads from a buffer the caller has bounds-checked. */
static inline uint16_t lure_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t lure_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

#endif
