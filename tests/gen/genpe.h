/*
 * genpe.h - synthetic, inert Windows PE files for the YARA payload rules.
 *
 * genpe_build() lays out a small but well-formed PE/COFF image in memory
 * (Microsoft PE and COFF Specification): DOS header, PE signature, COFF
 * header, optional header (PE32 or PE32+), section table, and sections for
 * code, read-only data (imports, exports, strings), data, resources and
 * whatever other section names a trait needs. Everything YARA's pe,
 * dotnet and math modules read is real: exports with names and
 * forwarders, imports by name (so pe.imports() and pe.imphash() work),
 * resources with numeric or named types, a CLI header.
 *
 * Inert by construction: the entry point is 0 (no DllMain), code sections
 * hold only INT3 (0xCC) bytes and one RET (0xC3), non-forwarded exports
 * point at that RET, and there is no DOS stub program. Nothing here can
 * run, and no byte comes from real malware: every name is a public trait
 * from docs/research (see yara-rules/payloads/).
 *
 * Output is deterministic: no clock, no randomness but a fixed-seed filler.
 *
 * genpe.c also writes the few document-side fixtures the lure-chain
 * samples leave uncovered (stage files of the RomCom chain as text, a Word
 * 2003 XML DDE field, a VBA module as text, one-stream compound files with
 * an Equation Native or Ole10Native stream): see genpe_samples[].
 */
#ifndef LURE_GENPE_H
#define LURE_GENPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

/* One export: name, and the "DLL.Function" it forwards to (NULL: a local
 * export pointing at the RET). */
typedef struct genpe_export {
	const char *name;
	const char *forward;
} genpe_export;

/* One imported DLL and its functions, imported by name. */
typedef struct genpe_import {
	const char *dll;
	const char *const *functions;   /* NULL-terminated */
} genpe_import;

/* One resource: a numeric type (type_name NULL) or a named type
 * ("BINARY"), an id, language 0x409, and its bytes. */
typedef struct genpe_resource {
	uint16_t type_id;
	const char *type_name;
	uint16_t id;
	const uint8_t *data;
	size_t len;
} genpe_resource;

typedef struct genpe_spec {
	bool pe32;                       /* PE32 (i386) instead of PE32+ (x64) */
	bool exe;                        /* an EXE instead of a DLL */
	const char *dll_name;            /* export directory name, e.g. "x.dll" */
	const char *const *sections;     /* NULL-terminated names in order, or NULL
					  * for .text .rdata .data [.rsrc] .reloc;
					  * must include .text and .rdata */
	const genpe_export *exports;
	size_t nexports;
	const genpe_import *imports;
	size_t nimports;
	const genpe_resource *resources;
	size_t nresources;
	const char *const *ascii;        /* NULL-terminated strings for .rdata */
	const char *const *wide;         /* stored UTF-16LE in .rdata */
	const uint8_t *raw;              /* extra bytes for .rdata */
	size_t raw_len;
	bool dotnet;                     /* add a CLI header and metadata root */
	uint32_t timestamp;
} genpe_spec;

/* Builds the PE described by spec. Never fails (aborts on a spec that
 * cannot be laid out, which is a bug in the caller). g_bytes_unref() it. */
GBytes *genpe_build(const genpe_spec *spec);

/* A minimal ZIP (stored, no compression) holding one member; used to nest
 * a PE one level deep. g_bytes_unref() it. */
GBytes *genpe_zip_one(const char *member, GBytes *data);

/* Writes every sample of genpe_samples[] (positives and near misses of
 * the yara-rules/payloads/ rules, the .NET samples, the document-side
 * fixtures) into outdir, printing one line per file like gensamples does.
 * Exits the program on an I/O error. */
void genpe_write_samples(const char *outdir);

/* The samples, for gensamples' FILE selection and for tests: file name and
 * builder (the result is g_bytes_unref()ed by the caller). */
typedef struct genpe_sample {
	const char *file;
	GBytes *(*make)(void);
} genpe_sample;
extern const genpe_sample genpe_samples[];
extern const size_t genpe_nsamples;

#endif
