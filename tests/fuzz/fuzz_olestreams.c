/*
 * fuzz_olestreams.c - libFuzzer harness for the OLE2 special-stream
 * parsers: OLEStream and its monikers (plus the fallback scan),
 * Ole10Native / Packager, CompObj, the Word FIB, the BIFF walk, the
 * PowerPoint crypt-session search and EncryptionVersionInfo. Each parser
 * gets the input directly; then the whole scan runs twice: on the input as
 * it is (seeds that are whole compound files reach the analysers through
 * the OLE2 handler), and on a compound file built around it, where the
 * input is each special stream in turn, so the analysers' accepts/run and
 * finish passes run on hostile stream bytes.
 *
 * Build: CC=clang ./configure --enable-fuzzing && make tests/fuzz/fuzz_olestreams
 * Run:   tests/fuzz/fuzz_olestreams -dict=tests/fuzz/olestreams.dict \
 *            tests/fuzz/corpus/olestreams
 */
#include <string.h>
#include <glib.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>
#include "analyzers/clsid.h"
#include "analyzers/encryption.h"
#include "analyzers/moniker.h"
#include "analyzers/package.h"
#include "core/scan.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Wrapping is skipped for inputs larger than this (the writer's cost grows
 * with them and the parsers already saw the bytes). */
#define WRAP_MAX (64u * 1024u)

/* Every stream name an analyser looks at. */
static const char *const stream_names[] = {
	"\001Ole", "\001Ole10Native", "\001CompObj", "EncryptionInfo", "WordDocument",
	"1Table", "Workbook", "PowerPoint Document", "Equation Native",
};

static void parse_directly(const uint8_t *data, size_t size)
{
	lure_olestream s;
	lure_olestream_init(&s);
	lure_moniker_parse_olestream(data, size, &s);
	lure_moniker_carve(data, size, &s);
	lure_olestream_clear(&s);

	lure_olestream_init(&s);
	lure_moniker_parse(data, size, "fuzz", &s);
	lure_olestream_clear(&s);

	lure_package p;
	lure_package_parse_ole10native(data, size, &p);
	if (p.label != NULL)
		lure_package_is_executable(p.label);
	lure_package_clear(&p);
	lure_package_parse_native(data, size, &p);
	lure_package_clear(&p);

	lure_compobj c;
	lure_compobj_parse(data, size, &c);
	lure_compobj_clear(&c);

	lure_fib_info fib;
	lure_encryption_parse_fib(data, size, &fib);
	const char *method;
	lure_encryption_parse_biff(data, size, &method);
	lure_encryption_find_ppt_crypt(data, size);
	uint16_t major, minor;
	lure_encryption_parse_version(data, size, &major, &minor);

	char *u = lure_ole_utf16_to_utf8(data, size, false);
	g_free(u);
	char *text = g_strndup((const char *)data, MIN(size, 512u));
	g_free(lure_package_extension(text));
	lure_clsid_lookup(text);
	g_free(text);
}

/* A compound file whose root holds the input under the name chosen by
 * the input's first byte, and an ObjectPool storage with it as "\x01Ole". */
static GByteArray *wrap(const uint8_t *data, size_t size)
{
	static const uint8_t stdolelink[16] = {0x00, 0x03, 0, 0, 0, 0, 0, 0,
					       0xC0, 0, 0, 0, 0, 0, 0, 0x46};
	const char *name = stream_names[size > 0 ? data[0] % G_N_ELEMENTS(stream_names) : 0];
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *ole = gsf_outfile_msole_new(mem);
	GByteArray *out = NULL;

	if (ole == NULL)
		goto out;
	GsfOutput *o = gsf_outfile_new_child(ole, name, FALSE);
	if (o != NULL) {
		gsf_output_write(o, size, data);
		gsf_output_close(o);
		g_object_unref(o);
	}
	GsfOutput *dir = gsf_outfile_new_child(ole, "ObjectPool", TRUE);
	if (dir != NULL) {
		gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(dir), stdolelink);
		o = gsf_outfile_new_child(GSF_OUTFILE(dir), "\001Ole", FALSE);
		if (o != NULL) {
			gsf_output_write(o, size, data);
			gsf_output_close(o);
			g_object_unref(o);
		}
		gsf_output_close(dir);
		g_object_unref(dir);
	}
	gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	out = g_byte_array_new();
	g_byte_array_append(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
			    (guint)gsf_output_size(mem));
out:
	g_object_unref(mem);
	return out;
}

static void scan(const uint8_t *data, size_t size)
{
	lure_limits limits;
	fz_limits(&limits, 5000, 32u * 1024 * 1024, 64u * 1024 * 1024, 0);
	fz_scan_and_free(&limits, "fuzz", data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		gsf_init();
		ready = true;
	}
	parse_directly(data, size);
	scan(data, size);
	if (size <= WRAP_MAX) {
		GByteArray *cfb = wrap(data, size);
		if (cfb != NULL) {
			scan(cfb->data, cfb->len);
			g_byte_array_unref(cfb);
		}
	}
	return 0;
}
