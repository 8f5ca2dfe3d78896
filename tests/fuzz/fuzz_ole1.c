/*
 * fuzz_ole1.c - libFuzzer harness for the OLE1 ObjectHeader parser and
 * handler (src/formats/ole1.c).
 *
 * Each input goes to lure_ole1_parse() directly, whose borrowed results are
 * checked to lie inside the input (abort() otherwise, so libFuzzer reports
 * it), and then through a whole scan, where the ole1 handler bids on it if
 * it looks like an ObjectHeader and unpacks its native data.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_ole1
 * Run:   tests/fuzz/fuzz_ole1 -dict=tests/fuzz/rtf.dict -timeout=20 \
 *            tests/fuzz/corpus/ole1
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "core/scan.h"
#include "formats/ole1.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const lure_ole1_string *s, const uint8_t *data, size_t size,
			 size_t max)
{
	if (!s->present)
		return;
	const uint8_t *p = (const uint8_t *)s->str;
	if (p < data || s->len > size || p - data > (ptrdiff_t)(size - s->len) || s->len > max ||
	    memchr(p, 0, s->len) != NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lure_ole1_header h;
	lure_limits limits;
	/* An exact-size copy, so reads past the end are caught. */
	uint8_t *copy = g_memdup2(data, size);

	lure_error err = lure_ole1_parse(copy, size, &h);
	if (h.end > size || (err == LURE_OK) != (h.problem == NULL))
		abort();
	check_string(&h.class_name, copy, size, LURE_OLE1_MAX_CLASS_LEN);
	check_string(&h.topic_name, copy, size, LURE_OLE1_MAX_STRING_LEN);
	check_string(&h.item_name, copy, size, LURE_OLE1_MAX_STRING_LEN);
	check_string(&h.network_name, copy, size, LURE_OLE1_MAX_STRING_LEN);
	if (h.native_data != NULL &&
	    (h.native_data < copy || h.native_len > size ||
	     h.native_data - copy > (ptrdiff_t)(size - h.native_len) ||
	     h.native_len > h.native_size))
		abort();

	fz_limits(&limits, 5000, 16u * 1024 * 1024, 64u * 1024 * 1024, 2000);
	fz_scan_and_free(&limits, "fuzz.ole1", copy, size);
	g_free(copy);
	return 0;
}
