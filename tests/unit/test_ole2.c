/*
 * test_ole2.c - the OLE2 / Compound File Binary handler (src/formats/ole2.c).
 *
 * Good files are written in memory with libgsf's MS-OLE writer; broken ones
 * are those files patched by hand (the writer's layout: 512-byte sectors,
 * one directory entry list per storage chained through the right sibling,
 * the FAT last), or crafted from scratch where the writer cannot go.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>
#include "core/handler.h"
#include "formats/ole2.h"
#include "testutil.h"

extern const lure_handler lure_handler_ole2;

#define MALFORMED "container.malformed"
#define LIMIT "limit.exceeded"

/* MS-CFB constants the patches use. */
#define SECTOR 512u
#define HDR_FIRST_DIR_SECTOR 0x30
#define HDR_DIFAT 0x4C
#define DIRENT_SIZE 128u
#define DIRENT_LEFT 0x44
#define DIRENT_RIGHT 0x48
#define DIRENT_CHILD 0x4C
#define DIRENT_START 0x74
#define DIRENT_SIZE_FIELD 0x78
#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT 0xFFFFFFFFu
#define FATSECT 0xFFFFFFFDu
#define NOSTREAM 0xFFFFFFFFu

/* {00020906-0000-0000-C000-000000000046}: Word.Document.8. */
static const uint8_t WORD_CLSID[16] = {0x06, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
				       0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
#define WORD_CLSID_STR "{00020906-0000-0000-C000-000000000046}"
/* {0002CE02-0000-0000-C000-000000000046}: Equation.3. */
static const uint8_t EQUATION_CLSID[16] = {0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
					   0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
#define EQUATION_CLSID_STR "{0002CE02-0000-0000-C000-000000000046}"

/* ---- little helpers ---- */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Deterministic bytes that no handler takes for a format. */
static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = g_malloc(len > 0 ? len : 1);
	uint32_t x = 0x9E3779B9u * (seed + 1);
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	if (len > 0)
		p[0] = 0x11;
	return p;
}

static char *sha256_of(const uint8_t *d, size_t len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, d, len);
}

/* Findings with this id on artifact id. */
static unsigned count_on(const lure_scan *s, unsigned artifact, const char *id)
{
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (f->artifact == artifact && strcmp(f->id, id) == 0)
			n++;
	}
	return n;
}

/* Number of artifacts whose parent is id. */
static unsigned children_of(const lure_scan *s, int id)
{
	unsigned n = 0;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		if (a->parent == id)
			n++;
	}
	return n;
}

/* Prints the tree and findings when TEST_OLE2_DUMP is set (debugging). */
static void dump(const lure_scan *s)
{
	if (g_getenv("TEST_OLE2_DUMP") == NULL)
		return;
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		printf("  [%u] %s (%s, %" G_GUINT64_FORMAT " bytes)\n", a->id, a->path, a->kind,
		       a->size);
	}
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		printf("  #%u %s: %s\n", f->artifact, f->id, f->message);
	}
}

/* ---- writing compound files with libgsf ---- */

static void put_stream(GsfOutfile *dir, const char *name, const uint8_t *data, size_t len)
{
	GsfOutput *out = gsf_outfile_new_child(dir, name, FALSE);
	assert_non_null(out);
	if (len > 0)
		assert_true(gsf_output_write(out, len, data));
	assert_true(gsf_output_close(out));
	g_object_unref(out);
}

static GsfOutfile *open_storage(GsfOutfile *dir, const char *name, const uint8_t *clsid)
{
	GsfOutput *out = gsf_outfile_new_child(dir, name, TRUE);
	assert_non_null(out);
	if (clsid != NULL)
		assert_true(gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(out), clsid));
	return GSF_OUTFILE(out);
}

static void close_storage(GsfOutfile *dir)
{
	assert_true(gsf_output_close(GSF_OUTPUT(dir)));
	g_object_unref(dir);
}

static GsfOutfile *cfb_begin(GsfOutput **mem, const uint8_t *root_clsid)
{
	*mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(*mem);
	assert_non_null(root);
	if (root_clsid != NULL)
		assert_true(gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(root), root_clsid));
	return root;
}

/* Closes the file and returns its bytes (g_free). */
static uint8_t *cfb_end(GsfOutput *mem, GsfOutfile *root, size_t *len)
{
	close_storage(root);
	*len = (size_t)gsf_output_size(mem);
	uint8_t *d = g_memdup2(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
	g_object_unref(mem);
	return d;
}

/* The streams of the reference document, in the order we expect them. */
typedef struct expect {
	const char *raw;       /* name given to the writer (last component) */
	const char *shown;     /* full path as displayed */
	size_t len;
	const char *storage;   /* NULL at the root */
	const char *storage_clsid;
} expect;

static const expect DOC[] = {
	{"WordDocument", "WordDocument", 5000, NULL, WORD_CLSID_STR},
	{"1Table", "1Table", 100, NULL, WORD_CLSID_STR},
	{"\x01" "CompObj", "\\x01CompObj", 76, NULL, WORD_CLSID_STR},
	{"Data", "Data", 0, NULL, WORD_CLSID_STR},
	{"\x01Ole", "ObjectPool/_1234/\\x01Ole", 20, "ObjectPool/_1234", EQUATION_CLSID_STR},
	{"\x01" "CompObj", "ObjectPool/_1234/\\x01CompObj", 90, "ObjectPool/_1234",
	 EQUATION_CLSID_STR},
	{"Equation Native", "ObjectPool/_1234/Equation Native", 6000, "ObjectPool/_1234",
	 EQUATION_CLSID_STR},
	{"Note", "ObjectPool/Note", 10, "ObjectPool", NULL},
};
#define DOC_STREAMS G_N_ELEMENTS(DOC)

static void put_doc_stream(GsfOutfile *dir, size_t i)
{
	uint8_t *p = pattern(DOC[i].len, (unsigned)i);
	put_stream(dir, DOC[i].raw, p, DOC[i].len);
	g_free(p);
}

/* The reference document: big and small streams, nested storages, CLSIDs;
 * sector_size 0 for the writer's default (512), else 4096 (version 4). */
static uint8_t *build_doc_with(unsigned sector_size, size_t *len)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = sector_size == 0 ? gsf_outfile_msole_new(mem)
					    : gsf_outfile_msole_new_full(mem, sector_size, 64);
	assert_non_null(root);
	assert_true(gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(root), WORD_CLSID));

	for (size_t i = 0; i < 4; i++)
		put_doc_stream(root, i);
	GsfOutfile *pool = open_storage(root, "ObjectPool", NULL);
	GsfOutfile *obj = open_storage(pool, "_1234", EQUATION_CLSID);
	for (size_t i = 4; i < 7; i++)
		put_doc_stream(obj, i);
	close_storage(obj);
	put_doc_stream(pool, 7);
	close_storage(pool);
	return cfb_end(mem, root, len);
}

static uint8_t *build_doc(size_t *len)
{
	return build_doc_with(0, len);
}

/* A file of n empty streams at the root (the writer chains them as a list). */
static uint8_t *build_flat(unsigned n, size_t stream_len, size_t *len)
{
	GsfOutput *mem;
	GsfOutfile *root = cfb_begin(&mem, NULL);
	uint8_t *p = pattern(stream_len, 7);

	for (unsigned i = 0; i < n; i++) {
		char name[32];
		g_snprintf(name, sizeof(name), "S%05u", i);
		put_stream(root, name, p, stream_len);
	}
	g_free(p);
	return cfb_end(mem, root, len);
}

/* ---- finding our way in a file the writer made (512-byte sectors) ---- */

static size_t sec_off(uint32_t s)
{
	return SECTOR + (size_t)s * SECTOR;
}

static size_t fat_entry_off(const uint8_t *d, uint32_t i)
{
	return sec_off(rd32(d + HDR_DIFAT + 4 * (i / 128))) + 4 * (i % 128);
}

static uint32_t fat_get(const uint8_t *d, uint32_t i)
{
	return rd32(d + fat_entry_off(d, i));
}

/* Offset of directory entry id, or 0 when the chain is shorter. */
static size_t dirent_off(const uint8_t *d, size_t len, uint32_t id)
{
	uint32_t s = rd32(d + HDR_FIRST_DIR_SECTOR);
	for (uint32_t k = id / 4; k > 0 && s < ENDOFCHAIN; k--)
		s = fat_get(d, s);
	if (s >= ENDOFCHAIN || sec_off(s) + SECTOR > len)
		return 0;
	return sec_off(s) + DIRENT_SIZE * (id % 4);
}

/* Id of the entry named name (ASCII, compared with its UTF-16 name). */
static uint32_t find_dirent(const uint8_t *d, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (uint32_t id = 0;; id++) {
		size_t off = dirent_off(d, len, id);
		assert_true(off != 0);
		const uint8_t *e = d + off;
		if (e[0x40] != (n + 1) * 2)
			continue;
		bool same = true;
		for (size_t i = 0; i < n && same; i++)
			same = e[2 * i] == (uint8_t)name[i] && e[2 * i + 1] == 0;
		if (same)
			return id;
	}
}

static uint8_t *dirent(uint8_t *d, size_t len, const char *name)
{
	return d + dirent_off(d, len, find_dirent(d, len, name));
}

/* ---- crafting files the writer would never make ---- */

static void put_dirent(uint8_t *e, const char *name, uint8_t type, uint32_t left,
		       uint32_t right, uint32_t child, uint32_t start, uint32_t size)
{
	size_t n = strlen(name);
	memset(e, 0, DIRENT_SIZE);
	for (size_t i = 0; i < n; i++)
		e[2 * i] = (uint8_t)name[i];
	wr16(e + 0x40, (uint16_t)((n + 1) * 2));
	e[0x42] = type;
	e[0x43] = 1;
	wr32(e + DIRENT_LEFT, left);
	wr32(e + DIRENT_RIGHT, right);
	wr32(e + DIRENT_CHILD, child);
	wr32(e + DIRENT_START, start);
	wr32(e + DIRENT_SIZE_FIELD, size);
}

static void put_header(uint8_t *d, unsigned shift, uint32_t nfat, uint32_t dir,
		       uint32_t minifat, uint32_t nminifat)
{
	static const uint8_t sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	memset(d, 0, 512);
	memcpy(d, sig, 8);
	wr16(d + 0x18, 0x3E);
	wr16(d + 0x1A, shift == 12 ? 4 : 3);
	wr16(d + 0x1C, 0xFFFE);
	wr16(d + 0x1E, (uint16_t)shift);
	wr16(d + 0x20, 6);
	wr32(d + 0x2C, nfat);
	wr32(d + 0x30, dir);
	wr32(d + 0x38, 4096);
	wr32(d + 0x3C, minifat);
	wr32(d + 0x40, nminifat);
	wr32(d + 0x44, ENDOFCHAIN);
	for (uint32_t i = 0; i < 109; i++)
		wr32(d + HDR_DIFAT + 4 * i, i < nfat ? i : FREESECT);
}

/* A 270 KB version-4 file whose mini FAT chain runs through 65,000 FAT
 * entries: libgsf 1.14.50 would put an 8 MiB bitmap on the stack for it. */
static uint8_t *craft_mini_fat_bomb(size_t *len)
{
	const uint32_t ss = 4096, per = 1024, nfat = 64, dir = nfat, start = nfat + 1;
	*len = ss + (size_t)(nfat + 2) * ss;
	uint8_t *d = g_malloc0(*len);
	put_header(d, 12, nfat, dir, start, 1);
	uint8_t *fat = d + ss;
	for (uint32_t i = 0; i < nfat * per; i++) {
		uint32_t v = i < nfat ? FATSECT : i == dir ? ENDOFCHAIN : i + 1;
		if (i == nfat * per - 1)
			v = ENDOFCHAIN;
		wr32(fat + 4 * (size_t)i, v);
	}
	uint8_t *dirs = d + ss + (size_t)dir * ss;
	put_dirent(dirs, "Root Entry", 5, NOSTREAM, NOSTREAM, 1, start, 64);
	put_dirent(dirs + DIRENT_SIZE, "A", 2, NOSTREAM, NOSTREAM, NOSTREAM, 0, 10);
	return d;
}

/* n streams at the root in a balanced tree (as Office writes them), with
 * 512-byte sectors: FAT sectors first, then the directory. */
static uint32_t balance(uint8_t *dirs, uint32_t lo, uint32_t hi)
{
	if (lo > hi)
		return NOSTREAM;
	uint32_t mid = lo + (hi - lo) / 2;
	char name[16];
	g_snprintf(name, sizeof(name), "S%06u", mid);
	uint32_t left = mid > lo ? balance(dirs, lo, mid - 1) : NOSTREAM;
	uint32_t right = balance(dirs, mid + 1, hi);
	put_dirent(dirs + (size_t)mid * DIRENT_SIZE, name, 2, left, right, NOSTREAM, ENDOFCHAIN, 0);
	return mid;
}

static uint8_t *craft_balanced(uint32_t n, size_t *len)
{
	uint32_t ndir = (n + 1 + 3) / 4, nfat = 1;
	while (nfat * 128 < nfat + ndir)
		nfat++;
	assert_true(nfat <= 109);
	*len = SECTOR + (size_t)(nfat + ndir) * SECTOR;
	uint8_t *d = g_malloc0(*len);
	put_header(d, 9, nfat, nfat, ENDOFCHAIN, 0);
	for (uint32_t i = 0; i < nfat * 128; i++) {
		uint32_t v = i < nfat ? FATSECT : i < nfat + ndir - 1 ? i + 1 : FREESECT;
		if (i == nfat + ndir - 1)
			v = ENDOFCHAIN;
		wr32(d + sec_off(i / 128) + 4 * (i % 128), v);
	}
	uint8_t *dirs = d + sec_off(nfat);
	uint32_t top = balance(dirs, 1, n);
	put_dirent(dirs, "Root Entry", 5, NOSTREAM, NOSTREAM, top, ENDOFCHAIN, 0);
	return d;
}

/* ---- tests: good files ---- */

static void test_clsid_format(void **state)
{
	(void)state;
	char out[LURE_OLE2_CLSID_STR_SIZE];
	static const uint8_t url_moniker[16] = {0xE0, 0xC9, 0xEA, 0x79, 0xF9, 0xBA, 0xCE, 0x11,
						0x8C, 0x82, 0x00, 0xAA, 0x00, 0x4B, 0xA9, 0x0B};
	static const uint8_t zero[16] = {0};

	lure_ole2_clsid_format(WORD_CLSID, out);
	assert_string_equal(out, WORD_CLSID_STR);
	lure_ole2_clsid_format(url_moniker, out);
	assert_string_equal(out, "{79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}");
	assert_true(lure_ole2_clsid_is_null(zero));
	assert_false(lure_ole2_clsid_is_null(url_moniker));
}

static void test_probe(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);

	assert_int_equal(lure_handler_ole2.probe(d, len), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_ole2.probe(d, 8), LURE_BID_CERTAIN);
	assert_int_equal(lure_handler_ole2.probe(d, 7), 0);
	d[7] ^= 1;
	assert_int_equal(lure_handler_ole2.probe(d, len), 0);
	g_free(d);
}

static void test_good_document(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);
	const lure_artifact *root = lure_scan_root(s);

	assert_string_equal(root->kind, "ole2");
	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	assert_int_equal(count_on(s, 0, LIMIT), 0);
	assert_string_equal(lure_artifact_get_prop(root, "root_clsid"), WORD_CLSID_STR);
	assert_int_equal(children_of(s, 0), DOC_STREAMS);
	for (size_t i = 0; i < DOC_STREAMS; i++) {
		const lure_artifact *a = tu_find_artifact(s, DOC[i].shown);
		assert_non_null(a);
		assert_int_equal(a->parent, 0);
		assert_int_equal(a->size, DOC[i].len);
		uint8_t *p = pattern(DOC[i].len, (unsigned)i);
		char *sum = sha256_of(p, DOC[i].len);
		assert_string_equal(a->sha256, sum);
		g_free(sum);
		g_free(p);
		const char *storage = lure_artifact_get_prop(a, "storage");
		if (DOC[i].storage == NULL)
			assert_null(storage);
		else
			assert_string_equal(storage, DOC[i].storage);
		const char *clsid = lure_artifact_get_prop(a, "storage_clsid");
		if (DOC[i].storage_clsid == NULL)
			assert_null(clsid);
		else
			assert_string_equal(clsid, DOC[i].storage_clsid);
	}
	/* The path shows the raw \x01 escaped, once. */
	const lure_artifact *ole = tu_find_artifact(s, "ObjectPool/_1234/\\x01Ole");
	assert_string_equal(ole->path, "input > ObjectPool/_1234/\\x01Ole");
	lure_scan_free(s);
	g_free(d);
}

/* Version 4: 4096-byte sectors. */
static void test_good_v4(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc_with(4096, &len);
	assert_int_equal(d[0x1E], 12);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	assert_int_equal(children_of(s, 0), DOC_STREAMS);
	for (size_t i = 0; i < DOC_STREAMS; i++) {
		const lure_artifact *a = tu_find_artifact(s, DOC[i].shown);
		assert_non_null(a);
		uint8_t *p = pattern(DOC[i].len, (unsigned)i);
		char *sum = sha256_of(p, DOC[i].len);
		assert_string_equal(a->sha256, sum);
		g_free(sum);
		g_free(p);
	}
	lure_scan_free(s);
	g_free(d);
}

/* A balanced tree of 3000 entries, as Office writes directories. */
static void test_balanced_tree(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = craft_balanced(3000, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	assert_int_equal(children_of(s, 0), 3000);
	assert_non_null(tu_find_artifact(s, "S000001"));
	assert_non_null(tu_find_artifact(s, "S003000"));
	lure_scan_free(s);
	g_free(d);
}

static void test_no_clsid(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_flat(3, 10, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_null(lure_artifact_get_prop(lure_scan_root(s), "root_clsid"));
	const lure_artifact *a = tu_find_artifact(s, "S00001");
	assert_non_null(a);
	assert_null(lure_artifact_get_prop(a, "storage_clsid"));
	assert_null(lure_artifact_get_prop(a, "storage"));
	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	lure_scan_free(s);
	g_free(d);
}

/* A compound file inside a stream is unpacked in turn. */
static void test_nested_compound_file(void **state)
{
	(void)state;
	size_t inner_len, len;
	uint8_t *inner = build_doc(&inner_len);
	GsfOutput *mem;
	GsfOutfile *root = cfb_begin(&mem, NULL);
	GsfOutfile *pool = open_storage(root, "ObjectPool", NULL);
	GsfOutfile *obj = open_storage(pool, "_99", NULL);
	put_stream(obj, "Package", inner, inner_len);
	close_storage(obj);
	close_storage(pool);
	uint8_t *d = cfb_end(mem, root, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	const lure_artifact *pkg = tu_find_artifact(s, "ObjectPool/_99/Package");
	assert_non_null(pkg);
	assert_string_equal(pkg->kind, "ole2");
	assert_int_equal(pkg->size, inner_len);
	assert_int_equal(children_of(s, (int)pkg->id), DOC_STREAMS);
	const lure_artifact *eq = tu_find_artifact(s, "ObjectPool/_1234/Equation Native");
	assert_non_null(eq);
	assert_int_equal(eq->depth, 2);
	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	assert_int_equal(count_on(s, pkg->id, MALFORMED), 0);
	lure_scan_free(s);
	g_free(d);
	g_free(inner);
}

/* Writers that chain siblings as a list need one libgsf frame per entry. */
static void test_many_streams(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_flat(3000, 1, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_int_equal(children_of(s, 0), 3000);
	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	assert_non_null(tu_find_artifact(s, "S02999"));
	lure_scan_free(s);
	g_free(d);
}

/* ---- tests: broken files ---- */

/* Scans d[0..len) and checks the compound file got container.malformed. */
static lure_scan *scan_expect_malformed(const uint8_t *d, size_t len)
{
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);
	assert_string_equal(lure_scan_root(s)->kind, "ole2");
	assert_true(count_on(s, 0, MALFORMED) >= 1);
	assert_int_equal(s->fatal, LURE_OK);
	return s;
}

static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	const size_t cuts[] = {8, 100, 511, 512, 513, 1024, 2048, len / 2, len - 2 * SECTOR,
			       len - SECTOR, len - 1};

	for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++)
		lure_scan_free(scan_expect_malformed(d, cuts[i]));
	g_free(d);
}

static void test_signature_only(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);

	lure_scan *s = scan_expect_malformed(d, 8);
	assert_int_equal(children_of(s, 0), 0);
	lure_scan_free(s);
	/* A header and nothing after it. */
	s = scan_expect_malformed(d, 512);
	assert_int_equal(children_of(s, 0), 0);
	lure_scan_free(s);
	g_free(d);
}

/* A FAT entry of WordDocument's chain points at itself. */
static void test_fat_loop(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	uint8_t *e = dirent(d, len, "WordDocument");
	uint32_t s0 = rd32(e + DIRENT_START);
	uint32_t s2 = fat_get(d, fat_get(d, s0));
	wr32(d + fat_entry_off(d, s2), s2);

	lure_scan *s = scan_expect_malformed(d, len);
	assert_null(tu_find_artifact(s, "WordDocument"));
	assert_non_null(tu_find_finding(s, MALFORMED, "stream", "WordDocument"));
	/* The rest of the file is still unpacked. */
	assert_non_null(tu_find_artifact(s, "1Table"));
	assert_non_null(tu_find_artifact(s, "ObjectPool/_1234/Equation Native"));
	lure_scan_free(s);
	g_free(d);
}

/* The FAT chain of the directory loops back on itself. */
static void test_directory_chain_loop(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	uint32_t dir = rd32(d + HDR_FIRST_DIR_SECTOR);
	uint32_t next = fat_get(d, dir);
	wr32(d + fat_entry_off(d, next), dir);

	lure_scan_free(scan_expect_malformed(d, len));
	g_free(d);
}

/* Start sectors past the end of the file, inside and outside the FAT. */
static void test_start_sector_past_end(void **state)
{
	(void)state;
	const uint32_t starts[] = {0x00100000u, 120, ENDOFCHAIN, 0x7FFFFFFFu};
	const char *names[] = {"WordDocument", "Equation Native", "1Table"};

	for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
		for (size_t i = 0; i < G_N_ELEMENTS(starts); i++) {
			size_t len;
			uint8_t *d = build_doc(&len);
			wr32(dirent(d, len, names[k]) + DIRENT_START, starts[i]);
			lure_scan *s = scan_expect_malformed(d, len);
			assert_non_null(tu_find_artifact(s, "ObjectPool/Note"));
			lure_scan_free(s);
			g_free(d);
		}
	}
}

/* Sibling and child links that come back: to the entry itself, to its
 * storage, to the root. */
static void test_directory_cycles(void **state)
{
	(void)state;
	struct {
		const char *entry;
		size_t field;
		const char *target; /* NULL: the root */
	} cases[] = {
		{"1Table", DIRENT_RIGHT, "1Table"},
		{"1Table", DIRENT_LEFT, "1Table"},
		{"_1234", DIRENT_CHILD, "ObjectPool"},
		{"_1234", DIRENT_CHILD, "_1234"},
		{"ObjectPool", DIRENT_CHILD, NULL},
		{"Equation Native", DIRENT_RIGHT, "WordDocument"},
		{"Note", DIRENT_CHILD, "ObjectPool"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		size_t len;
		uint8_t *d = build_doc(&len);
		uint32_t target = cases[i].target != NULL ? find_dirent(d, len, cases[i].target) : 0;
		wr32(dirent(d, len, cases[i].entry) + cases[i].field, target);
		lure_scan *s = scan_expect_malformed(d, len);
		assert_true(s->artifacts->len <= 1 + DOC_STREAMS);
		lure_scan_free(s);
		g_free(d);
	}
}

/* Declared stream sizes larger than the file. */
static void test_absurd_stream_size(void **state)
{
	(void)state;
	const uint32_t sizes[] = {0x7FFFFFF0u, 0xFFFFFFFFu, 0};
	const char *names[] = {"WordDocument", "1Table", "Note"};

	for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
		for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
			size_t len;
			uint8_t *d = build_doc(&len);
			uint32_t size = sizes[i] != 0 ? sizes[i] : (uint32_t)len + 1;
			wr32(dirent(d, len, names[k]) + DIRENT_SIZE_FIELD, size);
			lure_scan *s = scan_expect_malformed(d, len);
			assert_null(tu_find_artifact(s, names[k]));
			lure_scan_free(s);
			g_free(d);
		}
	}
}

/* A size within the file but beyond the stream's chain: a short read. */
static void test_short_read(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	wr32(dirent(d, len, "WordDocument") + DIRENT_SIZE_FIELD, (uint32_t)len - 600);

	lure_scan *s = scan_expect_malformed(d, len);
	assert_non_null(tu_find_finding(s, MALFORMED, "stream", "WordDocument"));
	assert_null(tu_find_artifact(s, "WordDocument"));
	assert_non_null(tu_find_artifact(s, "1Table"));
	lure_scan_free(s);
	g_free(d);
}

static void test_garbage_after_header(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	const uint8_t fills[] = {0xA5, 0x00, 0xFF, 0x41};

	for (size_t i = 0; i < G_N_ELEMENTS(fills); i++) {
		memset(d + 512, fills[i], len - 512);
		lure_scan_free(scan_expect_malformed(d, len));
	}
	uint8_t *noise = pattern(len, 99);
	memcpy(d + 512, noise + 512, len - 512);
	lure_scan_free(scan_expect_malformed(d, len));
	g_free(noise);
	g_free(d);
}

/* Sector sizes other than 512 and 4096 are refused before libgsf. */
static void test_bad_sector_shift(void **state)
{
	(void)state;
	const uint16_t shifts[] = {0, 7, 8, 10, 16, 30, 0xFFFF};

	for (size_t i = 0; i < G_N_ELEMENTS(shifts); i++) {
		size_t len;
		uint8_t *d = build_doc(&len);
		wr16(d + 0x1E, shifts[i]);
		lure_scan *s = scan_expect_malformed(d, len);
		assert_int_equal(children_of(s, 0), 0);
		lure_scan_free(s);
		g_free(d);
	}
}

/* Header counts that promise more FAT than the file holds. */
static void test_bad_fat_counts(void **state)
{
	(void)state;
	const size_t fields[] = {0x2C, 0x40, 0x48};
	const uint32_t values[] = {0x7FFFFFFFu, 0xFFFFFFFFu, 200, 2};

	for (size_t f = 0; f < G_N_ELEMENTS(fields); f++) {
		for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
			size_t len;
			uint8_t *d = build_doc(&len);
			wr32(d + fields[f], values[i]);
			lure_scan *s = tu_scan(d, len, NULL);
			dump(s);
			/* Some of these libgsf tolerates; none may crash. */
			assert_int_equal(s->fatal, LURE_OK);
			/* More FAT sectors than the file holds. (Two, the second
			 * FREESECT in the DIFAT, is a quirk libgsf accepts.) */
			if (fields[f] == 0x2C && values[i] > 2)
				assert_true(count_on(s, 0, MALFORMED) >= 1);
			lure_scan_free(s);
			g_free(d);
		}
	}
}

static void test_mini_fat_chain_bomb(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = craft_mini_fat_bomb(&len);

	lure_scan *s = scan_expect_malformed(d, len);
	assert_int_equal(children_of(s, 0), 0);
	lure_scan_free(s);
	g_free(d);
}

/* 9000 siblings in one list: libgsf would recurse 9000 frames deep. */
static void test_deep_sibling_list(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_flat(9000, 0, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_non_null(tu_find_finding(s, LIMIT, "limit", "ole2_directory_depth"));
	assert_int_equal(children_of(s, 0), 0);
	lure_scan_free(s);
	g_free(d);
}

/* 12,000 entries in one storage: libgsf would sort them for seconds. */
static void test_too_many_siblings(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = craft_balanced(12000, &len);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);

	assert_non_null(tu_find_finding(s, LIMIT, "limit", "ole2_siblings"));
	assert_int_equal(children_of(s, 0), 0);
	lure_scan_free(s);
	g_free(d);
}

/* A mini stream larger than the file: clamped before libgsf sizes an
 * array by it. */
static void test_root_size(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	wr32(d + dirent_off(d, len, 0) + DIRENT_SIZE_FIELD, 0xFFFFFF00u);

	lure_scan *s = scan_expect_malformed(d, len);
	assert_int_equal(children_of(s, 0), DOC_STREAMS);
	assert_non_null(tu_find_artifact(s, "ObjectPool/_1234/\\x01Ole"));
	lure_scan_free(s);
	g_free(d);
}

/* The root with siblings: libgsf would leak them; we ignore them. */
static void test_root_siblings(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	uint8_t *root = d + dirent_off(d, len, 0);
	wr32(root + DIRENT_LEFT, find_dirent(d, len, "1Table"));
	wr32(root + DIRENT_RIGHT, find_dirent(d, len, "_1234"));

	lure_scan *s = scan_expect_malformed(d, len);
	assert_int_equal(children_of(s, 0), DOC_STREAMS);
	lure_scan_free(s);
	g_free(d);
}

/* ---- tests: limits ---- */

static void test_artifact_limit(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	lure_limits lim;
	lure_limits_default(&lim);
	lim.max_artifacts = 3;

	lure_scan *s = tu_scan(d, len, &lim);
	dump(s);
	assert_int_equal(s->artifacts->len, 3);
	assert_non_null(tu_find_finding(s, LIMIT, "limit", "artifacts"));
	assert_int_equal(count_on(s, 0, LIMIT), 1);
	lure_scan_free(s);
	g_free(d);
}

static void test_size_limit(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	lure_limits lim;
	lure_limits_default(&lim);
	lim.max_artifact_size = 4096;

	lure_scan *s = tu_scan(d, len, &lim);
	dump(s);
	const lure_finding *f = tu_find_finding(s, LIMIT, "limit", "artifact_size");
	assert_non_null(f);
	assert_int_equal(f->artifact, 0);
	assert_non_null(tu_find_finding(s, LIMIT, "artifact", "WordDocument"));
	assert_non_null(tu_find_finding(s, LIMIT, "artifact", "ObjectPool/_1234/Equation Native"));
	assert_null(tu_find_artifact(s, "WordDocument"));
	assert_non_null(tu_find_artifact(s, "1Table"));
	assert_int_equal(children_of(s, 0), DOC_STREAMS - 2);
	assert_int_equal(count_on(s, 0, MALFORMED), 0);
	lure_scan_free(s);
	g_free(d);
}

static void test_total_limit(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	lure_limits lim;
	lure_limits_default(&lim);
	lim.max_total_size = 5400; /* the small streams and WordDocument */

	lure_scan *s = tu_scan(d, len, &lim);
	dump(s);
	assert_non_null(tu_find_finding(s, LIMIT, "limit", "total_size"));
	assert_non_null(tu_find_artifact(s, "WordDocument"));
	assert_null(tu_find_artifact(s, "ObjectPool/_1234/Equation Native"));
	lure_scan_free(s);
	g_free(d);
}

/* libgsf's messages are capped per artifact, with a last "... N more". */
static void test_log_cap(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_flat(40, 5000, &len);
	for (unsigned i = 0; i < 40; i++) {
		char name[32];
		g_snprintf(name, sizeof(name), "S%05u", i);
		wr32(dirent(d, len, name) + DIRENT_START, 0x00100000u + i);
	}
	lure_scan *s = scan_expect_malformed(d, len);
	unsigned from_gsf = 0;
	const char *last = NULL;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (g_str_has_prefix(f->message, "libgsf: ")) {
			from_gsf++;
			last = f->message;
		}
	}
	assert_int_equal(from_gsf, 21);
	assert_non_null(strstr(last, "more messages"));
	lure_scan_free(s);
	g_free(d);
}

/* Nothing reaches stderr while broken files are parsed. */
static void test_quiet(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	uint8_t *e = dirent(d, len, "WordDocument");
	wr32(d + fat_entry_off(d, rd32(e + DIRENT_START)), rd32(e + DIRENT_START));
	wr32(dirent(d, len, "Note") + DIRENT_CHILD, find_dirent(d, len, "ObjectPool"));
	wr32(dirent(d, len, "Equation Native") + DIRENT_SIZE_FIELD, 0x7FFFFFF0u);

	fflush(stderr);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	int saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	lure_scan *s = tu_scan(d, len, NULL);
	dump(s);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	struct stat st;
	assert_int_equal(fstat(fileno(tmp), &st), 0);
	fclose(tmp);

	assert_int_equal(st.st_size, 0);
	assert_true(count_on(s, 0, MALFORMED) >= 3);
	lure_scan_free(s);
	g_free(d);
}

static unsigned app_log_calls;

static void app_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer u)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)u;
	app_log_calls++;
}

/* Outside a parse, the application's default handler sees libgsf's
 * domains as before. */
static void test_log_handlers_restored(void **state)
{
	(void)state;
	size_t len;
	uint8_t *d = build_doc(&len);
	wr32(dirent(d, len, "WordDocument") + DIRENT_START, 0x00100000u);
	lure_scan_free(tu_scan(d, len, NULL));

	GLogFunc old = g_log_set_default_handler(app_log, NULL);
	app_log_calls = 0;
	g_log("libgsf:msole", G_LOG_LEVEL_WARNING, "outside a parse");
	g_log(NULL, G_LOG_LEVEL_WARNING, "outside a parse");
	g_log_set_default_handler(old, NULL);
	assert_int_equal(app_log_calls, 2);
	g_free(d);
}

/* Scans in parallel threads keep their findings apart. */
typedef struct thread_job {
	const uint8_t *good, *bad;
	size_t good_len, bad_len;
	unsigned bad_malformed;
	bool ok;
} thread_job;

static gpointer thread_main(gpointer p)
{
	thread_job *job = p;
	job->ok = true;
	for (int i = 0; i < 20; i++) {
		lure_scan *s = tu_scan(job->good, job->good_len, NULL);
		dump(s);
		if (count_on(s, 0, MALFORMED) != 0 || children_of(s, 0) != DOC_STREAMS)
			job->ok = false;
		lure_scan_free(s);
		s = tu_scan(job->bad, job->bad_len, NULL);
		dump(s);
		if (count_on(s, 0, MALFORMED) != job->bad_malformed)
			job->ok = false;
		lure_scan_free(s);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	thread_job job[4];
	GThread *th[4];
	size_t good_len, bad_len;
	uint8_t *good = build_doc(&good_len);
	uint8_t *bad = build_doc(&bad_len);
	wr32(dirent(bad, bad_len, "Note") + DIRENT_CHILD, find_dirent(bad, bad_len, "ObjectPool"));
	wr32(dirent(bad, bad_len, "WordDocument") + DIRENT_START, 0x00100000u);

	lure_scan *s = tu_scan(bad, bad_len, NULL);
	dump(s);
	unsigned expected = count_on(s, 0, MALFORMED);
	assert_true(expected >= 2);
	lure_scan_free(s);
	for (int i = 0; i < 4; i++) {
		job[i] = (thread_job){good, bad, good_len, bad_len, expected, false};
		th[i] = g_thread_new("scan", thread_main, &job[i]);
	}
	for (int i = 0; i < 4; i++) {
		g_thread_join(th[i]);
		assert_true(job[i].ok);
	}
	g_free(good);
	g_free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clsid_format),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_good_document),
		cmocka_unit_test(test_good_v4),
		cmocka_unit_test(test_balanced_tree),
		cmocka_unit_test(test_no_clsid),
		cmocka_unit_test(test_nested_compound_file),
		cmocka_unit_test(test_many_streams),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_signature_only),
		cmocka_unit_test(test_fat_loop),
		cmocka_unit_test(test_directory_chain_loop),
		cmocka_unit_test(test_start_sector_past_end),
		cmocka_unit_test(test_directory_cycles),
		cmocka_unit_test(test_absurd_stream_size),
		cmocka_unit_test(test_short_read),
		cmocka_unit_test(test_garbage_after_header),
		cmocka_unit_test(test_bad_sector_shift),
		cmocka_unit_test(test_bad_fat_counts),
		cmocka_unit_test(test_mini_fat_chain_bomb),
		cmocka_unit_test(test_deep_sibling_list),
		cmocka_unit_test(test_too_many_siblings),
		cmocka_unit_test(test_root_size),
		cmocka_unit_test(test_root_siblings),
		cmocka_unit_test(test_artifact_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_log_cap),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_log_handlers_restored),
		cmocka_unit_test(test_threads),
	};

	gsf_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
