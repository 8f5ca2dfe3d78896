/*
 * testutil.h - helpers shared by the cmocka unit tests.
 * Include after <cmocka.h> (and its prerequisites: stdarg, stddef, setjmp,
 * stdint): the builders below fail the test through cmocka's asserts.
 */
#ifndef LURE_TESTUTIL_H
#define LURE_TESTUTIL_H

#include <string.h>
#include <glib.h>
#include <zip.h>
#include "core/scan.h"

/* Scans len bytes of data (copied) with the given limits (NULL: defaults)
 * and returns the finished scan; lure_scan_free() it. */
static inline lure_scan *tu_scan(const void *data, size_t len, const lure_limits *limits)
{
	lure_scan *s = lure_scan_new(limits, "input");
	uint8_t *copy = g_memdup2(data, len);
	lure_scan_run(s, copy, len);
	g_free(copy);
	return s;
}

/* Number of findings with this id (any artifact). */
static inline unsigned tu_count_findings(const lure_scan *s, const char *id)
{
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) == 0)
			n++;
	}
	return n;
}

/* First finding with this id whose details[key] == value (key NULL: any). */
static inline const lure_finding *tu_find_finding(const lure_scan *s, const char *id,
						  const char *key, const char *value)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) != 0)
			continue;
		if (key == NULL)
			return f;
		const char *v = lure_finding_get_detail(f, key);
		if (v != NULL && strcmp(v, value) == 0)
			return f;
	}
	return NULL;
}

/* First artifact named name (display form), or NULL. */
static inline const lure_artifact *tu_find_artifact(const lure_scan *s, const char *name)
{
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

/* ---- little-endian byte builders ---- */

static inline void tu_put_u16(GByteArray *b, uint16_t v)
{
	uint8_t p[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	g_byte_array_append(b, p, 2);
}

static inline void tu_put_u32(GByteArray *b, uint32_t v)
{
	uint8_t p[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	g_byte_array_append(b, p, 4);
}

/* A LengthPrefixedAnsiString (MS-OLEDS 2.1.4): u32 length counting the
 * NUL, then the bytes and the NUL; NULL gives length 0 (absent). */
static inline void tu_put_str(GByteArray *b, const char *s)
{
	if (s == NULL) {
		tu_put_u32(b, 0);
		return;
	}
	tu_put_u32(b, (uint32_t)strlen(s) + 1);
	g_byte_array_append(b, (const uint8_t *)s, (guint)strlen(s) + 1);
}

/* ---- ZIP archives built in memory with libzip ----
 *
 *   tu_zip z;
 *   tu_zip_start(&z);
 *   tu_zip_add(&z, "a.xml", data, len);   (or anything on z.za)
 *   uint8_t *bytes = tu_zip_finish(&z, &len);
 */
typedef struct tu_zip {
	zip_error_t err;
	zip_source_t *src;
	zip_t *za;
} tu_zip;

/* Opens an empty archive in memory. */
static inline void tu_zip_start(tu_zip *z)
{
	zip_error_init(&z->err);
	z->src = zip_source_buffer_create(NULL, 0, 0, &z->err);
	assert_non_null(z->src);
	zip_source_keep(z->src);
	z->za = zip_open_from_source(z->src, ZIP_TRUNCATE, &z->err);
	assert_non_null(z->za);
}

/* Adds a file entry of len bytes of data (borrowed until tu_zip_finish)
 * with libzip's default compression; returns its index. */
static inline zip_uint64_t tu_zip_add(tu_zip *z, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(z->za, data, len, 0);
	assert_non_null(s);
	zip_int64_t idx = zip_file_add(z->za, name, s, ZIP_FL_ENC_UTF_8);
	assert_true(idx >= 0);
	return (zip_uint64_t)idx;
}

/* Writes the archive and returns its *out_len bytes (g_free; one spare
 * byte is allocated after them). */
static inline uint8_t *tu_zip_finish(tu_zip *z, size_t *out_len)
{
	zip_stat_t st;

	assert_int_equal(zip_close(z->za), 0);
	assert_int_equal(zip_source_open(z->src), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(z->src, &st), 0);
	uint8_t *buf = g_malloc(st.size + 1);
	assert_int_equal(zip_source_read(z->src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(z->src);
	zip_source_free(z->src);
	zip_error_fini(&z->err);
	*out_len = st.size;
	return buf;
}

/* A part of a package: its name and its text (NUL-terminated). */
typedef struct tu_part {
	const char *name;
	const char *text;
} tu_part;

/* A ZIP of the n parts, with libzip's default compression; g_free the
 * result. */
static inline uint8_t *tu_zip_parts(const tu_part *p, size_t n, size_t *out_len)
{
	tu_zip z;

	tu_zip_start(&z);
	for (size_t i = 0; i < n; i++)
		tu_zip_add(&z, p[i].name, p[i].text, strlen(p[i].text));
	return tu_zip_finish(&z, out_len);
}

#endif
