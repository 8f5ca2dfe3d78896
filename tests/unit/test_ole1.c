/*
 * test_ole1.c - unit tests for the OLE1 ObjectHeader parser and handler
 * (src/formats/ole1.c), on hand-built byte arrays.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <glib.h>

#include "core/handler.h"
#include "formats/ole1.h"
#include "testutil.h"

extern const lure_handler lure_handler_ole1;

static const uint8_t native_bytes[] = "native bytes of the object";
#define NATIVE_LEN (sizeof(native_bytes) - 1)

static GByteArray *embedded(uint32_t version, const char *cls, const char *topic,
			    const char *item, const uint8_t *native, size_t nlen)
{
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, version);
	tu_put_u32(b, LURE_OLE1_FORMAT_EMBEDDED);
	tu_put_str(b, cls);
	tu_put_str(b, topic);
	tu_put_str(b, item);
	tu_put_u32(b, (uint32_t)nlen);
	g_byte_array_append(b, native, (guint)nlen);
	return b;
}

static GByteArray *linked(const char *cls, const char *topic, const char *item,
			  const char *network, uint32_t update)
{
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, LURE_OLE1_VERSION_WORD);
	tu_put_u32(b, LURE_OLE1_FORMAT_LINKED);
	tu_put_str(b, cls);
	tu_put_str(b, topic);
	tu_put_str(b, item);
	tu_put_str(b, network);
	tu_put_u32(b, 0);
	tu_put_u32(b, update);
	return b;
}

static void assert_str(const lure_ole1_string *s, const char *want)
{
	assert_true(s->present);
	assert_int_equal(s->len, strlen(want));
	assert_memory_equal(s->str, want, s->len);
}

static char *sha256_of(const void *p, size_t n)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, p, n);
}

/* ---- parser ---- */

static void test_parse_embedded(void **state)
{
	lure_ole1_header h;
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "OLE2Link", NULL, NULL,
				 native_bytes, NATIVE_LEN);

	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_OK);
	assert_int_equal(h.ole_version, 0x0501);
	assert_int_equal(h.format_id, LURE_OLE1_FORMAT_EMBEDDED);
	assert_str(&h.class_name, "OLE2Link");
	assert_true(h.topic_name.present);
	assert_int_equal(h.topic_name.len, 0);
	assert_int_equal(h.item_name.len, 0);
	assert_true(h.has_native_size);
	assert_int_equal(h.native_size, NATIVE_LEN);
	assert_int_equal(h.native_len, NATIVE_LEN);
	assert_memory_equal(h.native_data, native_bytes, NATIVE_LEN);
	/* OLE2Link, empty topic and item: the CFB starts at 0x21, as the
	 * analyst who carved the RomCom objects found. */
	assert_ptr_equal(h.native_data, b->data + 0x21);
	assert_int_equal(h.end, b->len);
	assert_false(h.truncated);
	assert_null(h.problem);
	assert_string_equal(lure_ole1_format_name(h.format_id), "embedded");
	assert_true(lure_ole1_class_is_printable(&h.class_name));
	g_byte_array_free(b, TRUE);
}

static void test_parse_linked(void **state)
{
	lure_ole1_header h;
	(void)state;
	GByteArray *b = linked("Word.Document.8", "Z:\\share\\doc.docx", "bookmark1",
			       "\\\\192.0.2.10\\share\\doc.docx", 1);

	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_OK);
	assert_int_equal(h.format_id, LURE_OLE1_FORMAT_LINKED);
	assert_str(&h.class_name, "Word.Document.8");
	assert_str(&h.topic_name, "Z:\\share\\doc.docx");
	assert_str(&h.item_name, "bookmark1");
	assert_str(&h.network_name, "\\\\192.0.2.10\\share\\doc.docx");
	assert_true(h.has_link_options);
	assert_int_equal(h.link_update_option, 1);
	assert_false(h.has_native_size);
	assert_null(h.native_data);
	assert_string_equal(lure_ole1_format_name(h.format_id), "linked");
	g_byte_array_free(b, TRUE);
}

static void test_parse_bad_format_and_lengths(void **state)
{
	lure_ole1_header h;
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Package", NULL, NULL,
				 native_bytes, NATIVE_LEN);

	/* FormatID 3 (an OLE1 static object) and 0 are not ObjectHeaders. */
	b->data[4] = 3;
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	assert_non_null(h.problem);
	assert_string_equal(lure_ole1_format_name(3), "invalid");
	b->data[4] = 0;
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	b->data[4] = 2;

	/* An absurd ClassName length is refused before any read. */
	memcpy(b->data + 8, "\xff\xff\xff\xff", 4);
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	assert_false(h.class_name.present);
	memcpy(b->data + 8, "\x01\x01\x00\x00", 4); /* 257 */
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	memcpy(b->data + 8, "\x00\x00\x00\x00", 4); /* empty */
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	memcpy(b->data + 8, "\x08\x00\x00\x00", 4);

	/* An absurd TopicName length (offset 20: 12 + "Package\0"). */
	memcpy(b->data + 20, "\xf0\xff\xff\xff", 4);
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_MALFORMED);
	assert_true(h.class_name.present);
	assert_false(h.topic_name.present);
	/* A TopicName length that is sane but past the end. */
	memcpy(b->data + 20, "\x00\x01\x00\x00", 4);
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_TRUNCATED);
	assert_true(h.truncated);
	g_byte_array_free(b, TRUE);

	assert_int_equal(lure_ole1_parse(NULL, 0, &h), LURE_E_TRUNCATED);
}

static void test_parse_native_size_clamped(void **state)
{
	lure_ole1_header h;
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Package", NULL, NULL,
				 native_bytes, NATIVE_LEN);
	size_t size_off = b->len - NATIVE_LEN - 4;

	memcpy(b->data + size_off, "\xff\xff\xff\xff", 4);
	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_E_TRUNCATED);
	assert_true(h.has_native_size);
	assert_int_equal(h.native_size, 0xffffffffu);
	assert_int_equal(h.native_len, NATIVE_LEN);
	assert_memory_equal(h.native_data, native_bytes, NATIVE_LEN);
	assert_non_null(h.problem);
	g_byte_array_free(b, TRUE);
}

static void test_parse_unterminated_class(void **state)
{
	lure_ole1_header h;
	(void)state;
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, 0xdeadbeef);
	tu_put_u32(b, 2);
	tu_put_u32(b, 4);
	g_byte_array_append(b, (const uint8_t *)"ABCD", 4); /* no NUL */
	tu_put_u32(b, 0);
	tu_put_u32(b, 0);
	tu_put_u32(b, 0);

	assert_int_equal(lure_ole1_parse(b->data, b->len, &h), LURE_OK);
	assert_str(&h.class_name, "ABCD");
	assert_int_equal(h.native_len, 0);
	/* No NUL: Word's reader would run on; we do not bid on it. */
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	g_byte_array_free(b, TRUE);
}

/* ---- probe ---- */

static void test_probe(void **state)
{
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Equation.3", NULL, NULL,
				 native_bytes, NATIVE_LEN);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), LURE_BID_STRONG);
	/* Word ignores OLEVersion; so do we. */
	memcpy(b->data, "\xef\xbe\xad\xde", 4);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), LURE_BID_STRONG);
	/* The driver picks us. */
	assert_ptr_equal(lure_handler_pick(b->data, b->len), &lure_handler_ole1);
	/* FormatID other than 1 or 2. */
	b->data[4] = 5;
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	b->data[4] = 2;
	/* Non-printable class names. */
	b->data[12] = 0x01;
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	b->data[12] = 0xE9;
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	b->data[12] = ' ';
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	b->data[12] = 0; /* empty class */
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	b->data[12] = 'E';
	/* Class length 1 (just the NUL), 0, 257, huge. */
	memcpy(b->data + 8, "\x01\x00\x00\x00", 4);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	memcpy(b->data + 8, "\x00\x00\x00\x00", 4);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	memcpy(b->data + 8, "\x01\x01\x00\x00", 4);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	memcpy(b->data + 8, "\xff\xff\xff\xff", 4);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	g_byte_array_free(b, TRUE);

	/* Other formats and short inputs. */
	assert_int_equal(lure_handler_ole1.probe((const uint8_t *)"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
			 "\0\0\0\0\0\0\0\0", 16), 0);
	assert_int_equal(lure_handler_ole1.probe((const uint8_t *)"{\\rtf1\\ansi hello}", 18), 0);
	assert_int_equal(lure_handler_ole1.probe((const uint8_t *)"\x01\x05\0\0\x02\0\0", 7), 0);
	assert_int_equal(lure_handler_ole1.probe(NULL, 0), 0);
}

static void test_probe_lookalikes(void **state)
{
	(void)state;
	/* MS-OFFCRYPTO DataSpaceDefinition: HeaderLength 8, one reference,
	 * then a UNICODE-LP-P4 "StrongEncryptionTransform". */
	GByteArray *b = g_byte_array_new();
	tu_put_u32(b, 8);
	tu_put_u32(b, 1);
	tu_put_u32(b, 50);
	for (const char *p = "StrongEncryptionTransform"; *p != '\0'; p++) {
		g_byte_array_append(b, (const uint8_t *)p, 1);
		g_byte_array_append(b, (const uint8_t *)"", 1); /* UTF-16LE */
	}
	tu_put_u32(b, 0);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	g_byte_array_free(b, TRUE);

	/* One-letter and digit-first class names are not ProgIDs. */
	b = embedded(LURE_OLE1_VERSION_WORD, "X", NULL, NULL, native_bytes, NATIVE_LEN);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	g_byte_array_free(b, TRUE);
	b = embedded(LURE_OLE1_VERSION_WORD, "2Link", NULL, NULL, native_bytes, NATIVE_LEN);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), 0);
	g_byte_array_free(b, TRUE);
	b = embedded(LURE_OLE1_VERSION_WORD, "{00000300-0000-0000-C000-000000000046}", NULL,
		     NULL, native_bytes, NATIVE_LEN);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), LURE_BID_STRONG);
	g_byte_array_free(b, TRUE);

	/* Junk after the NUL inside the declared length: Word stops at the NUL,
	 * and so do we. */
	b = g_byte_array_new();
	tu_put_u32(b, LURE_OLE1_VERSION_WORD);
	tu_put_u32(b, LURE_OLE1_FORMAT_EMBEDDED);
	tu_put_u32(b, 13);
	g_byte_array_append(b, (const uint8_t *)"OLE2Link\0junk", 13);
	tu_put_u32(b, 0);
	tu_put_u32(b, 0);
	tu_put_u32(b, (uint32_t)NATIVE_LEN);
	g_byte_array_append(b, native_bytes, NATIVE_LEN);
	assert_int_equal(lure_handler_ole1.probe(b->data, b->len), LURE_BID_STRONG);
	lure_scan *s = tu_scan(b->data, b->len, NULL);
	assert_non_null(tu_find_artifact(s, "ole1:OLE2Link"));
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_probe_random_data(void **state)
{
	uint8_t buf[96];
	unsigned bids = 0;
	(void)state;
	GRand *r = g_rand_new_with_seed(0x01e1);

	for (int round = 0; round < 200000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)g_rand_int(r);
		if (round % 2 == 1)
			memcpy(buf, "\x01\x05\x00\x00\x02\x00\x00\x00", 8); /* Word's prefix */
		if (lure_handler_ole1.probe(buf, sizeof(buf)) != 0)
			bids++;
	}
	g_rand_free(r);
	assert_int_equal(bids, 0);
}

/* ---- handler ---- */

static void test_walk_embedded(void **state)
{
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "OLE2Link", "topic.doc", "item!1",
				 native_bytes, NATIVE_LEN);
	lure_scan *s = tu_scan(b->data, b->len, NULL);
	const lure_artifact *root = lure_scan_root(s);

	assert_string_equal(root->kind, "ole1");
	assert_string_equal(lure_artifact_get_prop(root, "class"), "OLE2Link");
	assert_string_equal(lure_artifact_get_prop(root, "format"), "embedded");
	assert_string_equal(lure_artifact_get_prop(root, "topic"), "topic.doc");
	assert_string_equal(lure_artifact_get_prop(root, "item"), "item!1");
	assert_string_equal(lure_artifact_get_prop(root, "ole_version"), "0x00000501");
	const lure_artifact *child = tu_find_artifact(s, "ole1:OLE2Link");
	assert_non_null(child);
	assert_int_equal(child->parent, 0);
	assert_int_equal(child->size, NATIVE_LEN);
	char *want = sha256_of(native_bytes, NATIVE_LEN);
	assert_string_equal(child->sha256, want);
	g_free(want);
	assert_string_equal(child->path, "input > ole1:OLE2Link");
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	assert_int_equal(lure_scan_verdict(s), LURE_VERDICT_CLEAN);
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_walk_empty_topic_not_set(void **state)
{
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Package", NULL, NULL, NULL, 0);
	lure_scan *s = tu_scan(b->data, b->len, NULL);
	const lure_artifact *root = lure_scan_root(s);

	assert_string_equal(root->kind, "ole1");
	assert_null(lure_artifact_get_prop(root, "topic"));
	assert_null(lure_artifact_get_prop(root, "item"));
	assert_int_equal(root->nchildren, 0); /* no native data, no child */
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_walk_linked(void **state)
{
	(void)state;
	GByteArray *b = linked("Excel.Sheet.8", "C:\\data\\book.xls", "Sheet1!R1C1",
			       "\\\\192.0.2.10\\data\\book.xls", 3);
	lure_scan *s = tu_scan(b->data, b->len, NULL);
	const lure_artifact *root = lure_scan_root(s);

	assert_string_equal(root->kind, "ole1");
	assert_string_equal(lure_artifact_get_prop(root, "format"), "linked");
	assert_string_equal(lure_artifact_get_prop(root, "topic"), "C:\\data\\book.xls");
	assert_string_equal(lure_artifact_get_prop(root, "network"),
			    "\\\\192.0.2.10\\data\\book.xls");
	assert_string_equal(lure_artifact_get_prop(root, "link_update_option"), "3");
	assert_int_equal(root->nchildren, 0);
	assert_int_equal(tu_count_findings(s, "container.malformed"), 0);
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

static void test_walk_clamped_native(void **state)
{
	(void)state;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Package", NULL, NULL,
				 native_bytes, NATIVE_LEN);
	memcpy(b->data + b->len - NATIVE_LEN - 4, "\x00\x00\x00\x10", 4); /* 256 MiB */
	lure_scan *s = tu_scan(b->data, b->len, NULL);

	const lure_finding *f = tu_find_finding(s, "container.malformed", NULL, NULL);
	assert_non_null(f);
	assert_int_equal(f->artifact, 0);
	assert_non_null(lure_finding_get_detail(f, "reason"));
	/* What is there is still scanned. */
	const lure_artifact *child = tu_find_artifact(s, "ole1:Package");
	assert_non_null(child);
	char *want = sha256_of(native_bytes, NATIVE_LEN);
	assert_string_equal(child->sha256, want);
	g_free(want);
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

/* Every prefix of a header: the parser never reads past the end, and the
 * handler either does not bid or reports the damage. */
static void check_prefixes(GByteArray *b)
{
	lure_ole1_header h;

	for (size_t n = 0; n <= b->len; n++) {
		uint8_t *copy = g_memdup2(b->data, n); /* exact size for ASan */
		lure_error err = lure_ole1_parse(copy, n, &h);
		assert_true(h.end <= n);
		if (n < b->len)
			assert_int_not_equal(err, LURE_OK);
		else
			assert_int_equal(err, LURE_OK);
		lure_scan *s = tu_scan(copy, n, NULL);
		const lure_artifact *root = lure_scan_root(s);
		if (strcmp(root->kind, "ole1") == 0) {
			unsigned bad = tu_count_findings(s, "container.malformed");
			if (n < b->len)
				assert_int_equal(bad, 1);
			else
				assert_int_equal(bad, 0);
		}
		lure_scan_free(s);
		g_free(copy);
	}
}

static void test_truncated_everywhere(void **state)
{
	(void)state;
	GByteArray *e = embedded(LURE_OLE1_VERSION_WORD, "OLE2Link", "t", "i",
				 native_bytes, NATIVE_LEN);
	check_prefixes(e);
	g_byte_array_free(e, TRUE);
	GByteArray *l = linked("Word.Document.12", "C:\\x.docx", NULL, "\\\\h\\s\\x.docx", 1);
	check_prefixes(l);
	g_byte_array_free(l, TRUE);
}

static void test_native_child_limited(void **state)
{
	lure_limits limits;
	(void)state;
	lure_limits_default(&limits);
	limits.max_artifact_size = 8;
	GByteArray *b = embedded(LURE_OLE1_VERSION_WORD, "Package", NULL, NULL,
				 native_bytes, NATIVE_LEN);
	lure_scan *s = tu_scan(b->data, b->len, &limits);

	assert_string_equal(lure_scan_root(s)->kind, "ole1");
	assert_non_null(tu_find_finding(s, "limit.exceeded", "limit", "artifact_size"));
	assert_null(tu_find_artifact(s, "ole1:Package"));
	lure_scan_free(s);
	g_byte_array_free(b, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_embedded),
		cmocka_unit_test(test_parse_linked),
		cmocka_unit_test(test_parse_bad_format_and_lengths),
		cmocka_unit_test(test_parse_native_size_clamped),
		cmocka_unit_test(test_parse_unterminated_class),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_probe_lookalikes),
		cmocka_unit_test(test_probe_random_data),
		cmocka_unit_test(test_walk_embedded),
		cmocka_unit_test(test_walk_empty_topic_not_set),
		cmocka_unit_test(test_walk_linked),
		cmocka_unit_test(test_walk_clamped_native),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_native_child_limited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
