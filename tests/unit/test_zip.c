/*
 * test_zip.c - unit tests for the ZIP handler (src/formats/zip.c).
 *
 * Good archives are built in memory with libzip; crafted ones (duplicate
 * names, lying sizes, overlapping entries, data descriptors, bombs) with the
 * small writer below, which follows APPNOTE 4.3 field by field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <glib.h>
#include <zip.h>
#include <zlib.h>

#include "core/handler.h"
#include "core/scan.h"
#include "testutil.h"

extern const lure_handler lure_handler_zip;

#if defined(__SANITIZE_ADDRESS__)
#define TZ_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TZ_SANITIZED 1
#endif
#endif
#ifndef TZ_SANITIZED
#define TZ_SANITIZED 0
#endif

/* ---- libzip builder ---- */

typedef struct lz_entry {
	const char *name;
	const void *data;
	size_t len;
	bool deflate;
	zip_uint16_t encryption; /* ZIP_EM_NONE or a method */
} lz_entry;

/* Builds a ZIP in memory with libzip; g_free the result. */
static uint8_t *lz_build(const lz_entry *e, size_t n, size_t *out_len)
{
	tu_zip z;

	tu_zip_start(&z);
	for (size_t i = 0; i < n; i++) {
		if (e[i].data == NULL && e[i].name[strlen(e[i].name) - 1] == '/') {
			assert_true(zip_dir_add(z.za, e[i].name, ZIP_FL_ENC_UTF_8) >= 0);
			continue;
		}
		zip_uint64_t idx = tu_zip_add(&z, e[i].name, e[i].data, e[i].len);
		assert_int_equal(zip_set_file_compression(z.za, idx,
				 e[i].deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0), 0);
		if (e[i].encryption != ZIP_EM_NONE)
			assert_int_equal(zip_file_set_encryption(z.za, idx,
					 e[i].encryption, "secret"), 0);
	}
	return tu_zip_finish(&z, out_len);
}

/* ---- a hand-rolled writer for crafted archives ---- */

typedef struct mz_entry {
	const char *name;
	const void *data;
	size_t len;
	uint64_t zeros;          /* > 0: the data is this many zero bytes */
	uint16_t method;         /* 0 stored, 8 deflated, or anything */
	uint16_t flags;          /* general purpose bits; 0x0008 writes a descriptor */
	bool lie_usize;          /* declare usize_decl as the uncompressed size */
	uint32_t usize_decl;
	const char *local_name;  /* name in the local header, when not name */
	int cd_alias;            /* k > 0: the CD record points at entry k-1's header */
} mz_entry;

typedef struct mz_out {
	uint8_t *data;
	size_t len;
	size_t lho[32];          /* local header offsets */
	size_t data_at[32];      /* data offsets */
	size_t cd;               /* central directory offset */
} mz_out;

static void put16(GByteArray *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	g_byte_array_append(b, x, 4);
}

static void set32(GByteArray *b, size_t at, uint32_t v)
{
	b->data[at] = (uint8_t)v;
	b->data[at + 1] = (uint8_t)(v >> 8);
	b->data[at + 2] = (uint8_t)(v >> 16);
	b->data[at + 3] = (uint8_t)(v >> 24);
}

/* Appends e's compressed data to b; returns its CRC-32 and sizes. */
static void mz_data(GByteArray *b, const mz_entry *e, uint32_t *crc, uint64_t *csize,
		    uint64_t *usize)
{
	static uint8_t zeros[1 << 20];
	size_t start = b->len;

	*crc = (uint32_t)crc32(0, NULL, 0);
	if (e->method != 8) {
		assert_true(e->zeros == 0);
		g_byte_array_append(b, e->data, (guint)e->len);
		*crc = (uint32_t)crc32(*crc, e->data, (uInt)e->len);
		*csize = *usize = e->len;
		return;
	}
	z_stream zs;
	uint8_t out[1 << 16];
	uint64_t left = e->zeros > 0 ? e->zeros : e->len;
	const uint8_t *in = e->zeros > 0 ? zeros : e->data;
	int rc;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
	*usize = left;
	do {
		size_t step = left > sizeof(zeros) ? sizeof(zeros) : (size_t)left;
		zs.next_in = (Bytef *)(uintptr_t)in;
		zs.avail_in = (uInt)step;
		*crc = (uint32_t)crc32(*crc, in, (uInt)step);
		left -= step;
		if (e->zeros == 0)
			in += step;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			rc = deflate(&zs, left == 0 ? Z_FINISH : Z_NO_FLUSH);
			g_byte_array_append(b, out, (guint)(sizeof(out) - zs.avail_out));
		} while (zs.avail_out == 0);
	} while (left > 0);
	assert_int_equal(rc, Z_STREAM_END);
	deflateEnd(&zs);
	*csize = b->len - start;
}

/* Builds an archive of entries e[0..n) after prefix bytes of junk. */
static void mz_build(const mz_entry *e, size_t n, size_t prefix, mz_out *o)
{
	GByteArray *b = g_byte_array_new();
	uint32_t crc[32];
	uint64_t csize[32], usize[32];

	assert_true(n <= 32);
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < prefix; i++) {
		uint8_t junk = (uint8_t)('a' + i % 26);
		g_byte_array_append(b, &junk, 1);
	}
	for (size_t i = 0; i < n; i++) {
		const char *lname = e[i].local_name != NULL ? e[i].local_name : e[i].name;
		bool dd = (e[i].flags & 0x0008) != 0;
		size_t hdr = b->len;

		o->lho[i] = hdr;
		put32(b, 0x04034b50);
		put16(b, 20);
		put16(b, e[i].flags);
		put16(b, e[i].method);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, 0);    /* crc, patched */
		put32(b, 0);    /* csize, patched */
		put32(b, 0);    /* usize, patched */
		put16(b, (uint16_t)strlen(lname));
		put16(b, 0);
		g_byte_array_append(b, (const uint8_t *)lname, (guint)strlen(lname));
		o->data_at[i] = b->len;
		mz_data(b, &e[i], &crc[i], &csize[i], &usize[i]);
		if (e[i].lie_usize)
			usize[i] = e[i].usize_decl;
		if (dd) {
			put32(b, 0x08074b50);
			put32(b, crc[i]);
			put32(b, (uint32_t)csize[i]);
			put32(b, (uint32_t)usize[i]);
		} else {
			set32(b, hdr + 14, crc[i]);
			set32(b, hdr + 18, (uint32_t)csize[i]);
			set32(b, hdr + 22, (uint32_t)usize[i]);
		}
	}
	o->cd = b->len;
	for (size_t i = 0; i < n; i++) {
		size_t k = e[i].cd_alias > 0 ? (size_t)e[i].cd_alias - 1 : i;
		put32(b, 0x02014b50);
		put16(b, 20);
		put16(b, 20);
		put16(b, e[k].flags);
		put16(b, e[k].method);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, crc[k]);
		put32(b, (uint32_t)csize[k]);
		put32(b, (uint32_t)usize[k]);
		put16(b, (uint16_t)strlen(e[i].name));
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put32(b, 0);
		put32(b, (uint32_t)(o->lho[k] - prefix));
		g_byte_array_append(b, (const uint8_t *)e[i].name, (guint)strlen(e[i].name));
	}
	size_t cd_size = b->len - o->cd;
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, (uint16_t)n);
	put16(b, (uint16_t)n);
	put32(b, (uint32_t)cd_size);
	put32(b, (uint32_t)(o->cd - prefix));
	put16(b, 0);
	o->len = b->len;
	o->data = g_byte_array_free(b, FALSE);
}

/* ---- assertions ---- */

static void assert_child(const lure_scan *s, const char *name, const void *data, size_t len)
{
	const lure_artifact *a = tu_find_artifact(s, name);
	char *sha;

	assert_non_null(a);
	assert_int_equal(a->size, len);
	sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	assert_string_equal(a->sha256, sha);
	g_free(sha);
}

/* Prints the tree and findings when TZ_DUMP is set (debugging aid). */
static void dump(const lure_scan *s)
{
	if (g_getenv("TZ_DUMP") == NULL)
		return;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		fprintf(stderr, "  [%u] %s kind=%s size=%" G_GUINT64_FORMAT "\n", a->id, a->path,
			a->kind, a->size);
	}
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		fprintf(stderr, "  ! %s on %u: %s\n", f->id, f->artifact, f->message);
	}
}

static unsigned children_of(const lure_scan *s, unsigned id)
{
	unsigned n = 0;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		if (a->parent == (int)id)
			n++;
	}
	return n;
}

static char *text_of(size_t len)
{
	GString *g = g_string_sized_new(len + 64);
	for (unsigned i = 0; g->len < len; i++)
		g_string_append_printf(g, "line %u: the quick brown fox jumps over the lazy dog\n", i);
	g_string_truncate(g, len);
	return g_string_free(g, FALSE);
}

/* ---- good archives ---- */

static void test_stored_and_deflated(void **state)
{
	char *big = text_of(100000);
	lz_entry e[] = {
		{"a.txt", "hello", 5, false, ZIP_EM_NONE},
		{"dir/", NULL, 0, false, ZIP_EM_NONE},
		{"dir/b.txt", big, 100000, true, ZIP_EM_NONE},
		{"empty", "", 0, true, ZIP_EM_NONE},
	};
	size_t len;
	uint8_t *z = lz_build(e, G_N_ELEMENTS(e), &len);
	(void)state;

	assert_int_equal(lure_handler_zip.probe(z, len), LURE_BID_CERTAIN);
	lure_scan *s = tu_scan(z, len, NULL);
	dump(s);
	const lure_artifact *root = lure_scan_root(s);
	assert_string_equal(root->kind, "zip");
	assert_int_equal(children_of(s, 0), 3);
	assert_child(s, "a.txt", "hello", 5);
	assert_child(s, "dir/b.txt", big, 100000);
	assert_child(s, "empty", "", 0);
	assert_null(tu_find_artifact(s, "dir/"));
	assert_string_equal(lure_artifact_get_prop(root, "entries"), "3");
	assert_null(lure_artifact_get_prop(root, "ooxml_app"));
	assert_int_equal(s->findings->len, 0);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	lure_scan_free(s);
	g_free(z);
	g_free(big);
}

static void test_nested_zip(void **state)
{
	lz_entry inner_e[] = {{"deep.txt", "deep data", 9, true, ZIP_EM_NONE}};
	size_t ilen, olen;
	uint8_t *inner = lz_build(inner_e, 1, &ilen);
	lz_entry outer_e[] = {
		{"inner.zip", inner, ilen, false, ZIP_EM_NONE},
		{"top.txt", "top", 3, true, ZIP_EM_NONE},
	};
	uint8_t *outer = lz_build(outer_e, 2, &olen);
	(void)state;

	lure_scan *s = tu_scan(outer, olen, NULL);
	dump(s);
	const lure_artifact *in = tu_find_artifact(s, "inner.zip");
	assert_non_null(in);
	assert_string_equal(in->kind, "zip");
	assert_int_equal(in->depth, 1);
	const lure_artifact *deep = tu_find_artifact(s, "deep.txt");
	assert_non_null(deep);
	assert_int_equal(deep->parent, (int)in->id);
	assert_int_equal(deep->depth, 2);
	assert_string_equal(deep->path, "input > inner.zip > deep.txt");
	assert_child(s, "deep.txt", "deep data", 9);
	assert_child(s, "inner.zip", inner, ilen);
	assert_int_equal(s->findings->len, 0);
	lure_scan_free(s);
	g_free(inner);
	g_free(outer);
}

static const char ct_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"</Types>";

static void test_ooxml_detection(void **state)
{
	static const char *mains[][2] = {
		{"word/document.xml", "word"},
		{"xl/workbook.xml", "excel"},
		{"xl/workbook.bin", "excel"},
		{"ppt/presentation.xml", "powerpoint"},
		{"word/renamed.xml", "word"}, /* no main part: the folder tells */
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(mains); i++) {
		lz_entry e[] = {
			{"[Content_Types].xml", ct_xml, sizeof(ct_xml) - 1, true, ZIP_EM_NONE},
			{mains[i][0], "<x/>", 4, true, ZIP_EM_NONE},
		};
		size_t len;
		uint8_t *z = lz_build(e, 2, &len);
		lure_scan *s = tu_scan(z, len, NULL);
		dump(s);
		const lure_artifact *root = lure_scan_root(s);
		assert_string_equal(root->kind, "ooxml");
		assert_string_equal(lure_artifact_get_prop(root, "ooxml_app"), mains[i][1]);
		assert_string_equal(lure_artifact_get_prop(root, "entries"), "2");
		lure_scan_free(s);
		g_free(z);
	}

	/* Without [Content_Types].xml it is a plain ZIP. */
	lz_entry e[] = {{"word/document.xml", "<x/>", 4, true, ZIP_EM_NONE}};
	size_t len;
	uint8_t *z = lz_build(e, 1, &len);
	lure_scan *s = tu_scan(z, len, NULL);
	dump(s);
	assert_string_equal(lure_scan_root(s)->kind, "zip");
	assert_null(lure_artifact_get_prop(lure_scan_root(s), "ooxml_app"));
	lure_scan_free(s);
	g_free(z);
}

static void test_empty_archive(void **state)
{
	static const uint8_t eocd[22] = {'P', 'K', 5, 6};
	(void)state;

	assert_int_equal(lure_handler_zip.probe(eocd, sizeof(eocd)), LURE_BID_CERTAIN);
	lure_scan *s = tu_scan(eocd, sizeof(eocd), NULL);
	dump(s);
	assert_string_equal(lure_scan_root(s)->kind, "zip");
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "entries"), "0");
	assert_int_equal(s->findings->len, 0);
	lure_scan_free(s);
}

static void test_probe(void **state)
{
	static const uint8_t lfh[] = "PK\x03\x04rest";
	static const uint8_t split[] = "PK\x07\x08PK\x03\x04";
	static const uint8_t not_zip[] = "PK\x01\x02 is not a start";
	(void)state;

	assert_int_equal(lure_handler_zip.probe(lfh, 4), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_zip.probe(lfh, 3), 0);
	assert_int_equal(lure_handler_zip.probe(split, 8), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_zip.probe(not_zip, sizeof(not_zip) - 1), 0);
	assert_int_equal(lure_handler_zip.probe(NULL, 0), 0);
}

static void test_prepended_junk(void **state)
{
	mz_entry e[] = {
		{.name = "a.txt", .data = "alpha", .len = 5, .method = 0},
		{.name = "b.txt", .data = "bravo bravo bravo", .len = 17, .method = 8},
	};
	mz_out o;
	(void)state;

	mz_build(e, 2, 100, &o);
	unsigned bid = lure_handler_zip.probe(o.data, o.len);
	assert_true(bid > LURE_BID_WEAK && bid < LURE_BID_STRONG);
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_string_equal(lure_scan_root(s)->kind, "zip");
	assert_child(s, "a.txt", "alpha", 5);
	assert_child(s, "b.txt", "bravo bravo bravo", 17);
	const lure_finding *f = tu_find_finding(s, "container.malformed", "offset", "100");
	assert_non_null(f);
	assert_null(lure_artifact_get_prop(lure_scan_root(s), "salvaged"));
	lure_scan_free(s);
	g_free(o.data);
}

/* ---- damaged archives ---- */

static void test_truncated_in_central_directory(void **state)
{
	char *t1 = text_of(5000), *t2 = text_of(7000);
	lz_entry e[] = {
		{"one.txt", t1, 5000, true, ZIP_EM_NONE},
		{"two.bin", t2, 7000, false, ZIP_EM_NONE},
		{"three.txt", "3", 1, true, ZIP_EM_NONE},
	};
	size_t len;
	uint8_t *z = lz_build(e, 3, &len);
	(void)state;

	/* Cut 40 bytes into the central directory: no EOCD any more. */
	const uint8_t *cd = memmem(z, len, "PK\x01\x02", 4);
	assert_non_null(cd);
	size_t cut = (size_t)(cd - z) + 40;
	lure_scan *s = tu_scan(z, cut, NULL);
	dump(s);
	const lure_artifact *root = lure_scan_root(s);
	assert_string_equal(root->kind, "zip");
	assert_string_equal(lure_artifact_get_prop(root, "salvaged"), "true");
	assert_non_null(tu_find_finding(s, "container.malformed", NULL, NULL));
	assert_int_equal(children_of(s, 0), 3);
	assert_child(s, "one.txt", t1, 5000);
	assert_child(s, "two.bin", t2, 7000);
	assert_child(s, "three.txt", "3", 1);
	assert_string_equal(lure_artifact_get_prop(root, "entries"), "3");
	lure_scan_free(s);
	g_free(z);
	g_free(t1);
	g_free(t2);
}

static void test_truncated_mid_entry(void **state)
{
	char *t1 = text_of(3000), *t3 = text_of(200000);
	mz_entry e[] = {
		{.name = "first.txt", .data = t1, .len = 3000, .method = 8},
		{.name = "second.txt", .data = "stored bytes", .len = 12, .method = 0},
		{.name = "third.txt", .data = t3, .len = 200000, .method = 8},
	};
	mz_out o;
	(void)state;

	mz_build(e, 3, 0, &o);
	size_t cut = o.data_at[2] + (o.cd - o.data_at[2]) / 2;
	lure_scan *s = tu_scan(o.data, cut, NULL);
	dump(s);
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "salvaged"), "true");
	assert_child(s, "first.txt", t1, 3000);
	assert_child(s, "second.txt", "stored bytes", 12);
	const lure_artifact *third = tu_find_artifact(s, "third.txt");
	assert_non_null(third);
	assert_true(third->size > 0 && third->size < 200000);
	assert_non_null(lure_artifact_get_prop(third, "damaged"));
	assert_non_null(tu_find_finding(s, "container.malformed", "entry", "third.txt"));
	lure_scan_free(s);

	/* Cut inside the third local header: the first two still come out. */
	s = tu_scan(o.data, o.lho[2] + 10, NULL);
	dump(s);
	assert_child(s, "first.txt", t1, 3000);
	assert_child(s, "second.txt", "stored bytes", 12);
	assert_null(tu_find_artifact(s, "third.txt"));
	lure_scan_free(s);
	g_free(o.data);
	g_free(t1);
	g_free(t3);
}

static void test_data_descriptor_salvage(void **state)
{
	char *t = text_of(20000);
	mz_entry e[] = {
		{.name = "dd.txt", .data = t, .len = 20000, .method = 8, .flags = 0x0008},
		{.name = "after.txt", .data = "after", .len = 5, .method = 0},
		{.name = "dd-stored.txt", .data = "stored with descriptor", .len = 22, .method = 0,
		 .flags = 0x0008},
		{.name = "last.txt", .data = "last", .len = 4, .method = 0},
	};
	mz_out o;
	(void)state;

	mz_build(e, 4, 0, &o);
	/* Intact, libzip reads it. */
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_child(s, "dd.txt", t, 20000);
	assert_child(s, "dd-stored.txt", "stored with descriptor", 22);
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	lure_scan_free(s);
	/* Without its central directory, salvage finds the same. */
	s = tu_scan(o.data, o.cd, NULL);
	dump(s);
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "salvaged"), "true");
	assert_int_equal(children_of(s, 0), 4);
	assert_child(s, "dd.txt", t, 20000);
	assert_child(s, "after.txt", "after", 5);
	assert_child(s, "dd-stored.txt", "stored with descriptor", 22);
	assert_child(s, "last.txt", "last", 4);
	lure_scan_free(s);
	g_free(o.data);
	g_free(t);
}

static void test_garbage(void **state)
{
	uint8_t junk[4096];
	(void)state;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 7919u >> 3);
	memcpy(junk, "PK\x03\x04", 4);
	lure_scan *s = tu_scan(junk, sizeof(junk), NULL);
	dump(s);
	assert_string_equal(lure_scan_root(s)->kind, "zip");
	assert_non_null(tu_find_finding(s, "container.malformed", NULL, NULL));
	assert_int_equal(s->fatal, LURE_OK);
	lure_scan_free(s);

	/* Not a ZIP at all. */
	memcpy(junk, "JUNK", 4);
	s = tu_scan(junk, sizeof(junk), NULL);
	dump(s);
	assert_string_not_equal(lure_scan_root(s)->kind, "zip");
	lure_scan_free(s);
}

static void test_central_directory_lists_nothing(void **state)
{
	mz_entry e[] = {{.name = "hidden.txt", .data = "hidden", .len = 6, .method = 0}};
	mz_out o;
	(void)state;

	mz_build(e, 1, 0, &o);
	/* Replace the directory by an empty one: EOCD right after the entry. */
	uint8_t *z = g_malloc(o.cd + 22);
	memcpy(z, o.data, o.cd);
	memset(z + o.cd, 0, 22);
	memcpy(z + o.cd, "PK\x05\x06", 4);
	z[o.cd + 16] = (uint8_t)o.cd;
	z[o.cd + 17] = (uint8_t)(o.cd >> 8);
	lure_scan *s = tu_scan(z, o.cd + 22, NULL);
	dump(s);
	assert_child(s, "hidden.txt", "hidden", 6);
	assert_non_null(tu_find_finding(s, "container.malformed", NULL, NULL));
	lure_scan_free(s);
	g_free(z);
	g_free(o.data);
}

static void test_duplicate_names(void **state)
{
	mz_entry e[] = {
		{.name = "[Content_Types].xml", .data = ct_xml, .len = sizeof(ct_xml) - 1, .method = 8},
		{.name = "word/document.xml", .data = "<first/>", .len = 8, .method = 8},
		{.name = "word/document.xml", .data = "<second/>", .len = 9, .method = 0},
		{.name = "Word/Styles.xml", .data = "<a/>", .len = 4, .method = 0},
		{.name = "word/styles.xml", .data = "<b/>", .len = 4, .method = 0},
	};
	mz_out o;
	(void)state;

	mz_build(e, G_N_ELEMENTS(e), 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_int_equal(children_of(s, 0), 5);
	unsigned docs = 0;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		if (strcmp(a->name, "word/document.xml") == 0)
			docs++;
	}
	assert_int_equal(docs, 2);
	assert_non_null(tu_find_finding(s, "container.malformed", "entry", "word/document.xml"));
	/* Equal but for case: one part for OPC. */
	assert_non_null(tu_find_finding(s, "container.malformed", "entry", "word/styles.xml"));
	assert_int_equal(tu_count_findings(s, "container.malformed"), 2);
	assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "entries"), "5");
	lure_scan_free(s);
	g_free(o.data);
}

static void test_local_name_mismatch(void **state)
{
	mz_entry e[] = {
		{.name = "word/document.xml", .data = "<x/>", .len = 4, .method = 0,
		 .local_name = "word/decoy.xml"},
	};
	mz_out o;
	(void)state;

	mz_build(e, 1, 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_non_null(tu_find_finding(s, "container.malformed", "local_name", "word/decoy.xml"));
	lure_scan_free(s);
	g_free(o.data);
}

static void test_overlapping_entries(void **state)
{
	char *t = text_of(50000);
	mz_entry e[] = {
		{.name = "kernel.txt", .data = t, .len = 50000, .method = 8},
		{.name = "alias.txt", .data = t, .len = 50000, .method = 8, .cd_alias = 1},
	};
	mz_out o;
	(void)state;

	mz_build(e, 2, 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	const lure_finding *f = tu_find_finding(s, "container.malformed", "offset", "0");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "overlap"));
	lure_scan_free(s);
	g_free(o.data);
	g_free(t);
}

static void test_unsupported_method(void **state)
{
	mz_entry e[] = {
		{.name = "odd.bin", .data = "\x01\x02\x03", .len = 3, .method = 97},
		{.name = "fine.txt", .data = "fine", .len = 4, .method = 0},
	};
	mz_out o;
	(void)state;

	mz_build(e, 2, 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_non_null(tu_find_finding(s, "container.malformed", "compression_method", "97"));
	assert_null(tu_find_artifact(s, "odd.bin"));
	assert_child(s, "fine.txt", "fine", 4);
	lure_scan_free(s);
	/* The same, salvaged. */
	s = tu_scan(o.data, o.cd, NULL);
	dump(s);
	assert_non_null(tu_find_finding(s, "container.malformed", "compression_method", "97"));
	assert_child(s, "fine.txt", "fine", 4);
	lure_scan_free(s);
	g_free(o.data);
}

static void test_crc_mismatch_keeps_bytes(void **state)
{
	mz_entry e[] = {{.name = "bad.txt", .data = "payload", .len = 7, .method = 0}};
	mz_out o;
	(void)state;

	mz_build(e, 1, 0, &o);
	o.data[o.data_at[0]] = 'P'; /* data no longer matches its CRC */
	lure_scan *s = tu_scan(o.data, o.len, NULL);
	dump(s);
	assert_non_null(tu_find_finding(s, "container.malformed", "entry", "bad.txt"));
	assert_child(s, "bad.txt", "Payload", 7);
	assert_non_null(lure_artifact_get_prop(tu_find_artifact(s, "bad.txt"), "damaged"));
	lure_scan_free(s);
	g_free(o.data);
}

static void test_encrypted(void **state)
{
	(void)state;

	if (zip_encryption_method_supported(ZIP_EM_TRAD_PKWARE, 1)) {
		lz_entry e[] = {
			{"secret.txt", "top secret text", 15, true, ZIP_EM_TRAD_PKWARE},
			{"plain.txt", "plain", 5, true, ZIP_EM_NONE},
		};
		size_t len;
		uint8_t *z = lz_build(e, 2, &len);
		lure_scan *s = tu_scan(z, len, NULL);
		dump(s);
		const lure_finding *f = tu_find_finding(s, "doc.encrypted", "entry", "secret.txt");
		assert_non_null(f);
		assert_string_equal(lure_finding_get_detail(f, "method"), "zip");
		assert_null(tu_find_artifact(s, "secret.txt"));
		assert_child(s, "plain.txt", "plain", 5);
		assert_string_equal(lure_artifact_get_prop(lure_scan_root(s), "entries"), "2");
		lure_scan_free(s);
		g_free(z);
	}
	/* Salvaged: the encryption bit of the local header. */
	mz_entry e[] = {
		{.name = "locked.bin", .data = "\x9a\x11\x42garbled", .len = 10, .method = 0,
		 .flags = 0x0001},
		{.name = "open.txt", .data = "open", .len = 4, .method = 0},
	};
	mz_out o;
	mz_build(e, 2, 0, &o);
	lure_scan *s = tu_scan(o.data, o.cd, NULL);
	dump(s);
	const lure_finding *f = tu_find_finding(s, "doc.encrypted", "entry", "locked.bin");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "method"), "zip");
	assert_null(tu_find_artifact(s, "locked.bin"));
	assert_child(s, "open.txt", "open", 4);
	lure_scan_free(s);
	g_free(o.data);
}

/* ---- limits ---- */

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#define BOMB_SIZE (200u * 1000 * 1000)

/* One 200 MB all-zero entry, deflated (~200 KB), built once: deflating it
 * takes about two seconds. Its declared size is patched per test. */
static mz_out bomb;

static const mz_out *zero_bomb(uint32_t declared)
{
	if (bomb.data == NULL) {
		mz_entry e[] = {{.name = "zeros.bin", .zeros = BOMB_SIZE, .method = 8}};
		mz_build(e, 1, 0, &bomb);
	}
	/* APPNOTE 4.3.7 and 4.3.12: uncompressed size fields. */
	for (int i = 0; i < 4; i++) {
		bomb.data[bomb.lho[0] + 22 + i] = (uint8_t)(declared >> (8 * i));
		bomb.data[bomb.cd + 24 + i] = (uint8_t)(declared >> (8 * i));
	}
	return &bomb;
}

static void test_zero_bomb_200mb(void **state)
{
	const mz_out *b;
	const lure_finding *f;
	(void)state;

	/* Declared honestly: refused before anything is inflated. */
	b = zero_bomb(BOMB_SIZE);
	assert_true(b->len < 400 * 1024);
	lure_scan *s = tu_scan(b->data, b->len, NULL);
	dump(s);
	f = tu_find_finding(s, "limit.exceeded", "limit", "artifact_size");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "artifact"), "zeros.bin");
	assert_null(tu_find_artifact(s, "zeros.bin"));
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_SUSPICIOUS);
	lure_scan_free(s);

	/* Declared as 1000 bytes: refused by the ratio limit while inflating,
	 * once the entry passes 200 times its compressed size (~40 MB here). */
	b = zero_bomb(1000);
	uint64_t compressed = b->cd - b->data_at[0];
	s = tu_scan(b->data, b->len, NULL);
	dump(s);
	f = tu_find_finding(s, "limit.exceeded", "limit", "ratio");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "artifact"), "zeros.bin");
	assert_non_null(lure_finding_get_detail(f, "compressed_size"));
	assert_non_null(lure_finding_get_detail(f, "ratio"));
	assert_null(tu_find_artifact(s, "zeros.bin"));
	assert_true(s->total_bytes > 200 * compressed);
	assert_true(s->total_bytes <= 200 * compressed + 2 * 65536);
	lure_scan_free(s);

	/* And the same without its central directory (salvage). */
	s = tu_scan(b->data, b->cd, NULL);
	dump(s);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "ratio"));
	assert_null(tu_find_artifact(s, "zeros.bin"));
	lure_scan_free(s);
	/* Under AddressSanitizer the shadow memory and quarantine count too. */
	if (!TZ_SANITIZED)
		assert_true(peak_rss_kib() < 100 * 1024);
}

static void test_ratio_small_limits(void **state)
{
	mz_entry e[] = {{.name = "z.bin", .zeros = 4u * 1024 * 1024, .method = 8}};
	lure_limits l;
	mz_out o;
	(void)state;

	lure_limits_default(&l);
	l.ratio_floor = 64 * 1024;
	l.max_ratio = 10;
	mz_build(e, 1, 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, &l);
	dump(s);
	const lure_finding *f = tu_find_finding(s, "limit.exceeded", "limit", "ratio");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "artifact"), "z.bin");
	assert_null(tu_find_artifact(s, "z.bin"));
	assert_int_equal(s->limits_hit->len, 1);
	assert_string_equal(g_ptr_array_index(s->limits_hit, 0), "ratio");
	lure_scan_free(s);

	/* Below the floor the ratio is not checked. */
	l.ratio_floor = 8u * 1024 * 1024;
	s = tu_scan(o.data, o.len, &l);
	dump(s);
	assert_null(tu_find_finding(s, "limit.exceeded", NULL, NULL));
	assert_non_null(tu_find_artifact(s, "z.bin"));
	assert_int_equal(tu_find_artifact(s, "z.bin")->size, 4u * 1024 * 1024);
	lure_scan_free(s);
	g_free(o.data);
}

static void test_artifact_size_limit(void **state)
{
	char *t = text_of(300000);
	mz_entry honest[] = {
		{.name = "big.txt", .data = t, .len = 300000, .method = 8},
		{.name = "small.txt", .data = "small", .len = 5, .method = 8},
	};
	mz_entry liar[] = {
		{.name = "big.txt", .data = t, .len = 300000, .method = 8, .lie_usize = true,
		 .usize_decl = 10},
	};
	lure_limits l;
	mz_out o;
	(void)state;

	lure_limits_default(&l);
	l.max_artifact_size = 100000;
	mz_build(honest, 2, 0, &o);
	lure_scan *s = tu_scan(o.data, o.len, &l);
	dump(s);
	const lure_finding *f = tu_find_finding(s, "limit.exceeded", "limit", "artifact_size");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "artifact"), "big.txt");
	assert_null(tu_find_artifact(s, "big.txt"));
	assert_child(s, "small.txt", "small", 5);
	assert_int_equal(s->total_bytes, 5);
	lure_scan_free(s);
	g_free(o.data);

	mz_build(liar, 1, 0, &o);
	s = tu_scan(o.data, o.len, &l);
	dump(s);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifact_size"));
	assert_null(tu_find_artifact(s, "big.txt"));
	assert_true(s->total_bytes <= 100000);
	lure_scan_free(s);
	g_free(o.data);
	g_free(t);
}

static void test_total_size_limit(void **state)
{
	char *t = text_of(100000);
	lz_entry e[] = {
		{"1.txt", t, 100000, true, ZIP_EM_NONE},
		{"2.txt", t, 100000, false, ZIP_EM_NONE},
		{"3.txt", t, 100000, true, ZIP_EM_NONE},
	};
	lure_limits l;
	size_t len;
	uint8_t *z = lz_build(e, 3, &len);
	(void)state;

	lure_limits_default(&l);
	l.max_total_size = 250000;
	lure_scan *s = tu_scan(z, len, &l);
	dump(s);
	const lure_finding *f = tu_find_finding(s, "limit.exceeded", "limit", "total_size");
	assert_non_null(f);
	assert_string_equal(lure_finding_get_detail(f, "artifact"), "3.txt");
	assert_child(s, "1.txt", t, 100000);
	assert_child(s, "2.txt", t, 100000);
	assert_null(tu_find_artifact(s, "3.txt"));
	assert_true(s->total_bytes <= 250000);
	lure_scan_free(s);
	g_free(z);
	g_free(t);
}

static void test_artifact_limit(void **state)
{
	lz_entry e[20];
	char names[20][16];
	lure_limits l;
	size_t len;
	(void)state;

	for (size_t i = 0; i < 20; i++) {
		g_snprintf(names[i], sizeof(names[i]), "f%02zu.txt", i);
		e[i] = (lz_entry){names[i], "x", 1, false, ZIP_EM_NONE};
	}
	uint8_t *z = lz_build(e, 20, &len);
	lure_limits_default(&l);
	l.max_artifacts = 5;
	lure_scan *s = tu_scan(z, len, &l);
	dump(s);
	assert_int_equal(s->artifacts->len, 5);
	assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifacts"));
	assert_non_null(tu_find_artifact(s, "f03.txt"));
	assert_null(tu_find_artifact(s, "f04.txt"));
	lure_scan_free(s);
	g_free(z);
}

static void test_entry_limit_counts_unextracted(void **state)
{
	mz_entry e[12];
	char names[12][16];
	lure_limits l;
	mz_out o;
	(void)state;

	/* Encrypted entries are never extracted, yet each costs a finding:
	 * the artifact limit bounds them too. */
	for (size_t i = 0; i < 12; i++) {
		g_snprintf(names[i], sizeof(names[i]), "locked%02zu", i);
		e[i] = (mz_entry){.name = names[i], .data = "xxxx", .len = 4, .flags = 0x0001};
	}
	mz_build(e, 12, 0, &o);
	lure_limits_default(&l);
	l.max_artifacts = 5;
	for (int salvage = 0; salvage < 2; salvage++) {
		lure_scan *s = tu_scan(o.data, salvage ? o.cd : o.len, &l);
		dump(s);
		assert_int_equal(tu_count_findings(s, "doc.encrypted"), 5);
		assert_int_equal(tu_count_findings(s, "limit.exceeded"), 1);
		assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifacts"));
		lure_scan_free(s);
	}
	g_free(o.data);
}

static void test_timeout_stops_walk(void **state)
{
	const mz_out *b = zero_bomb(BOMB_SIZE);
	lure_limits l;
	(void)state;

	lure_limits_default(&l);
	/* No size or ratio limit in the way: only time stops the inflation. */
	l.max_ratio = 0;
	l.max_artifact_size = 300u * 1000 * 1000;
	l.timeout_ms = 20;
	lure_scan *s = tu_scan(b->data, b->len, &l);
	dump(s);
	assert_true(s->timed_out);
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "timeout"));
	assert_null(tu_find_artifact(s, "zeros.bin"));
	assert_true(s->total_bytes < BOMB_SIZE);
	lure_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_bomb_200mb),
		cmocka_unit_test(test_stored_and_deflated),
		cmocka_unit_test(test_nested_zip),
		cmocka_unit_test(test_ooxml_detection),
		cmocka_unit_test(test_empty_archive),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_prepended_junk),
		cmocka_unit_test(test_truncated_in_central_directory),
		cmocka_unit_test(test_truncated_mid_entry),
		cmocka_unit_test(test_data_descriptor_salvage),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_central_directory_lists_nothing),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_local_name_mismatch),
		cmocka_unit_test(test_overlapping_entries),
		cmocka_unit_test(test_unsupported_method),
		cmocka_unit_test(test_crc_mismatch_keeps_bytes),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_ratio_small_limits),
		cmocka_unit_test(test_artifact_size_limit),
		cmocka_unit_test(test_total_size_limit),
		cmocka_unit_test(test_artifact_limit),
		cmocka_unit_test(test_entry_limit_counts_unextracted),
		cmocka_unit_test(test_timeout_stops_walk),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	g_free(bomb.data);
	return failed;
}
