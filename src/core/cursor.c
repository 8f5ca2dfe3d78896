/* cursor.c - bounded reads; see cursor.h. */
#include <string.h>
#include "cursor.h"

void lure_cursor_init(lure_cursor *c, const uint8_t *data, size_t len)
{
	c->data = data;
	c->len = data != NULL ? len : 0;
	c->off = 0;
}

bool lure_range_fits(size_t len, size_t off, size_t n)
{
	return n <= len && off <= len - n;
}

bool lure_cursor_fits(const lure_cursor *c, size_t n)
{
	return lure_range_fits(c->len, c->off, n);
}

size_t lure_cursor_remaining(const lure_cursor *c)
{
	return c->off <= c->len ? c->len - c->off : 0;
}

lure_error lure_cursor_seek(lure_cursor *c, size_t off)
{
	if (off > c->len)
		return LURE_E_TRUNCATED;
	c->off = off;
	return LURE_OK;
}

lure_error lure_cursor_skip(lure_cursor *c, size_t n)
{
	if (!lure_cursor_fits(c, n))
		return LURE_E_TRUNCATED;
	c->off += n;
	return LURE_OK;
}

lure_error lure_cursor_bytes(lure_cursor *c, size_t n, const uint8_t **out)
{
	if (!lure_cursor_fits(c, n))
		return LURE_E_TRUNCATED;
	*out = c->data + c->off;
	c->off += n;
	return LURE_OK;
}

lure_error lure_cursor_u8(lure_cursor *c, uint8_t *out)
{
	const uint8_t *p;
	lure_error e = lure_cursor_bytes(c, 1, &p);
	if (e == LURE_OK)
		*out = p[0];
	return e;
}

lure_error lure_cursor_u16le(lure_cursor *c, uint16_t *out)
{
	const uint8_t *p;
	lure_error e = lure_cursor_bytes(c, 2, &p);
	if (e == LURE_OK)
		*out = lure_le16(p);
	return e;
}

lure_error lure_cursor_u32le(lure_cursor *c, uint32_t *out)
{
	const uint8_t *p;
	lure_error e = lure_cursor_bytes(c, 4, &p);
	if (e == LURE_OK)
		*out = lure_le32(p);
	return e;
}

lure_error lure_cursor_u64le(lure_cursor *c, uint64_t *out)
{
	const uint8_t *p;
	lure_error e = lure_cursor_bytes(c, 8, &p);
	if (e == LURE_OK)
		*out = (uint64_t)lure_le32(p) | ((uint64_t)lure_le32(p + 4) << 32);
	return e;
}

bool lure_cursor_peek_eq(const lure_cursor *c, const void *bytes, size_t n)
{
	return lure_cursor_fits(c, n) && memcmp(c->data + c->off, bytes, n) == 0;
}
