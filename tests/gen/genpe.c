/*
 * genpe.c - synthetic, inert PE files for the payload rules; see genpe.h.
 *
 * The layout follows the Microsoft PE and COFF Specification:
 *
 *   0x000  IMAGE_DOS_HEADER ("MZ", e_lfanew = 0x40; no DOS stub program)
 *   0x040  "PE\0\0", IMAGE_FILE_HEADER, IMAGE_OPTIONAL_HEADER32/64 with 16
 *          data directories, then the section table
 *   ...    sections, each at a FileAlignment (0x200) boundary in the file
 *          and a SectionAlignment (0x1000) boundary in memory, in the order
 *          the spec names them, .text first.
 *
 * .text is one RET and INT3 filler. .rdata holds, in order: a marker
 * string, the spec's strings and raw bytes, the import directory
 * (descriptors, then per DLL its import lookup table, its import address
 * table, the hint/name entries and the DLL name), the export directory
 * (IMAGE_EXPORT_DIRECTORY, address table, name pointer table sorted by
 * name, ordinal table, the names, and the forwarder strings, which must lie
 * inside the export directory's range to count as forwarders), and the
 * CLI header with a metadata root for .NET. .rsrc holds the three-level
 * resource tree (type, name, language), data entries, type name strings
 * and the data.
 *
 * Every structure is written field by field, little-endian, into a
 * GByteArray; nothing is cast over memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-outfile-msole.h>
#include <zlib.h>
#include "genpe.h"

/* PE/COFF constants, named after the specification. */
#define IMAGE_DOS_SIGNATURE 0x5A4Du
#define PE_LFANEW 0x40u
#define IMAGE_FILE_MACHINE_I386 0x014Cu
#define IMAGE_FILE_MACHINE_AMD64 0x8664u
#define IMAGE_FILE_EXECUTABLE_IMAGE 0x0002u
#define IMAGE_FILE_LARGE_ADDRESS_AWARE 0x0020u
#define IMAGE_FILE_32BIT_MACHINE 0x0100u
#define IMAGE_FILE_DLL 0x2000u
#define IMAGE_NT_OPTIONAL_HDR32_MAGIC 0x10Bu
#define IMAGE_NT_OPTIONAL_HDR64_MAGIC 0x20Bu
#define OPTIONAL_HEADER32_SIZE 224u
#define OPTIONAL_HEADER64_SIZE 240u
#define SECTION_HEADER_SIZE 40u
#define FILE_ALIGNMENT 0x200u
#define SECTION_ALIGNMENT 0x1000u
#define NUMBER_OF_RVA_AND_SIZES 16u
#define IMAGE_SUBSYSTEM_WINDOWS_GUI 2u
#define DLLCHARS_DYNBASE_NX_HIGHENTROPY 0x0160u
#define DIR_EXPORT 0
#define DIR_IMPORT 1
#define DIR_RESOURCE 2
#define DIR_COM_DESCRIPTOR 14
#define SCN_CODE_EXEC_READ 0x60000020u
#define SCN_DATA_READ 0x40000040u
#define SCN_DATA_READ_WRITE 0xC0000040u
#define SCN_DATA_READ_DISCARDABLE 0x42000040u
#define IMPORT_DESCRIPTOR_SIZE 20u
#define EXPORT_DIRECTORY_SIZE 40u
#define RESOURCE_DIRECTORY_SIZE 16u
#define RESOURCE_ENTRY_SIZE 8u
#define RESOURCE_DATA_ENTRY_SIZE 16u
#define RESOURCE_NAME_IS_STRING 0x80000000u
#define RESOURCE_DATA_IS_DIRECTORY 0x80000000u
#define RESOURCE_LANG_EN_US 0x0409u
#define CLI_HEADER_SIZE 72u
#define CLI_METADATA_MAGIC 0x424A5342u /* "BSJB" */
#define COMIMAGE_FLAGS_ILONLY 1u
#define X86_RET 0xC3u
#define X86_INT3 0xCCu
#define FILLER_SIZE 0x200u

#define MARKER "lurescan synthetic PE: inert test file, no program code"

/* ZIP (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16). */
#define ZIP_LOCAL_SIG 0x04034B50u
#define ZIP_CENTRAL_SIG 0x02014B50u
#define ZIP_EOCD_SIG 0x06054B50u
#define ZIP_VERSION_20 20u
#define ZIP_DOS_DATE_1980_01_01 0x0021u

static const char *const default_sections[] = {".text", ".rdata", ".data", ".rsrc", ".reloc", NULL};

/* ------------------------------------------------------------------ */
/* Bytes                                                               */
/* ------------------------------------------------------------------ */

static void put(GByteArray *b, const void *p, size_t n)
{
	g_byte_array_append(b, p, (guint)n);
}

static void put_u8(GByteArray *b, uint8_t v)
{
	put(b, &v, 1);
}

static void put_le16(GByteArray *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, x, 2);
}

static void put_le32(GByteArray *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	put(b, x, 4);
}

static void put_le64(GByteArray *b, uint64_t v)
{
	put_le32(b, (uint32_t)v);
	put_le32(b, (uint32_t)(v >> 32));
}

static void put_zeros(GByteArray *b, size_t n)
{
	size_t at = b->len;
	g_byte_array_set_size(b, (guint)(at + n));
	memset(b->data + at, 0, n);
}

static void put_cstr(GByteArray *b, const char *s)
{
	put(b, s, strlen(s) + 1);
}

/* s as UTF-16LE (ASCII input), with a terminating NUL unless bare. */
static void put_wide(GByteArray *b, const char *s, bool terminate)
{
	for (const char *p = s; *p != '\0'; p++)
		put_le16(b, (uint8_t)*p);
	if (terminate)
		put_le16(b, 0);
}

static void pad_to(GByteArray *b, size_t align)
{
	if (b->len % align != 0)
		put_zeros(b, align - b->len % align);
}

static void set_le16(GByteArray *b, size_t at, uint16_t v)
{
	b->data[at] = (uint8_t)v;
	b->data[at + 1] = (uint8_t)(v >> 8);
}

static void set_le32(GByteArray *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->data[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static void set_thunk(GByteArray *b, size_t at, uint32_t rva, bool pe32)
{
	set_le32(b, at, rva);
	if (!pe32)
		set_le32(b, at + 4, 0);
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */
/* ------------------------------------------------------------------ */

typedef struct ddir {
	uint32_t rva;
	uint32_t size;
} ddir;

typedef struct section {
	const char *name;
	GByteArray *data;
	uint32_t rva;
	uint32_t raw_off;
	uint32_t raw_size;
	uint32_t characteristics;
} section;

typedef struct pe_build {
	const genpe_spec *spec;
	ddir dirs[NUMBER_OF_RVA_AND_SIZES];
	uint32_t ret_rva;   /* the RET in .text */
} pe_build;

static GByteArray *build_text(pe_build *pb, uint32_t rva)
{
	GByteArray *b = g_byte_array_new();
	put_u8(b, X86_RET);
	for (unsigned i = 1; i < FILLER_SIZE; i++)
		put_u8(b, X86_INT3);
	pb->ret_rva = rva;
	return b;
}

static size_t count_functions(const char *const *f)
{
	size_t n = 0;
	while (f[n] != NULL)
		n++;
	return n;
}

/* One import descriptor's tables and names; fills descriptor i. */
static void put_import_dll(GByteArray *b, uint32_t base, const genpe_import *imp, size_t desc_at,
			   bool pe32)
{
	size_t k = count_functions(imp->functions), tsize = pe32 ? 4 : 8;
	size_t ilt = b->len;
	put_zeros(b, (k + 1) * tsize);
	size_t iat = b->len;
	put_zeros(b, (k + 1) * tsize);
	for (size_t j = 0; j < k; j++) {
		pad_to(b, 2);
		uint32_t hint_rva = base + (uint32_t)b->len;
		put_le16(b, 0); /* Hint */
		put_cstr(b, imp->functions[j]);
		set_thunk(b, ilt + j * tsize, hint_rva, pe32);
		set_thunk(b, iat + j * tsize, hint_rva, pe32);
	}
	uint32_t name_rva = base + (uint32_t)b->len;
	put_cstr(b, imp->dll);
	set_le32(b, desc_at + 0, base + (uint32_t)ilt);  /* OriginalFirstThunk */
	set_le32(b, desc_at + 12, name_rva);             /* Name */
	set_le32(b, desc_at + 16, base + (uint32_t)iat); /* FirstThunk */
}

static void put_imports(pe_build *pb, GByteArray *b, uint32_t base)
{
	const genpe_spec *s = pb->spec;
	pad_to(b, 4);
	size_t desc = b->len;
	put_zeros(b, (s->nimports + 1) * IMPORT_DESCRIPTOR_SIZE);
	for (size_t i = 0; i < s->nimports; i++)
		put_import_dll(b, base, &s->imports[i], desc + i * IMPORT_DESCRIPTOR_SIZE, s->pe32);
	pb->dirs[DIR_IMPORT].rva = base + (uint32_t)desc;
	pb->dirs[DIR_IMPORT].size = (uint32_t)((s->nimports + 1) * IMPORT_DESCRIPTOR_SIZE);
}

/* Orders export indexes by name (the name pointer table is sorted). */
static gint compare_export_index(gconstpointer a, gconstpointer b, gpointer user)
{
	const genpe_export *ex = user;
	return strcmp(ex[*(const size_t *)a].name, ex[*(const size_t *)b].name);
}

static void put_exports(pe_build *pb, GByteArray *b, uint32_t base)
{
	const genpe_spec *s = pb->spec;
	size_t n = s->nexports, *order = g_new(size_t, n);

	pad_to(b, 4);
	size_t dir = b->len;
	put_zeros(b, EXPORT_DIRECTORY_SIZE);
	size_t eat = b->len, names = eat + 4 * n, ords = names + 4 * n;
	put_zeros(b, 10 * n);
	uint32_t dll_name = base + (uint32_t)b->len;
	put_cstr(b, s->dll_name != NULL ? s->dll_name : "synthetic.dll");
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	g_qsort_with_data(order, (gint)n, sizeof(*order), compare_export_index,
			  (gpointer)s->exports);
	for (size_t k = 0; k < n; k++) {
		set_le32(b, names + 4 * k, base + (uint32_t)b->len);
		set_le16(b, ords + 2 * k, (uint16_t)order[k]);
		put_cstr(b, s->exports[order[k]].name);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t target = pb->ret_rva;
		if (s->exports[i].forward != NULL) {
			target = base + (uint32_t)b->len;
			put_cstr(b, s->exports[i].forward);
		}
		set_le32(b, eat + 4 * i, target);
	}
	set_le32(b, dir + 4, s->timestamp);                 /* TimeDateStamp */
	set_le32(b, dir + 12, dll_name);                    /* Name */
	set_le32(b, dir + 16, 1);                           /* Base */
	set_le32(b, dir + 20, (uint32_t)n);                 /* NumberOfFunctions */
	set_le32(b, dir + 24, (uint32_t)n);                 /* NumberOfNames */
	set_le32(b, dir + 28, base + (uint32_t)eat);        /* AddressOfFunctions */
	set_le32(b, dir + 32, base + (uint32_t)names);      /* AddressOfNames */
	set_le32(b, dir + 36, base + (uint32_t)ords);       /* AddressOfNameOrdinals */
	pb->dirs[DIR_EXPORT].rva = base + (uint32_t)dir;
	pb->dirs[DIR_EXPORT].size = (uint32_t)(b->len - dir);
	g_free(order);
}

/* CLI header (ECMA-335 II.25.3.3) and a metadata root (II.24.2.1) with no
 * streams: enough for a loader-independent ".NET or not" check. */
static void put_dotnet(pe_build *pb, GByteArray *b, uint32_t base)
{
	static const char version[12] = "v4.0.30319";
	pad_to(b, 4);
	size_t cli = b->len;
	put_zeros(b, CLI_HEADER_SIZE);
	size_t md = b->len;
	put_le32(b, CLI_METADATA_MAGIC);
	put_le16(b, 1); /* MajorVersion */
	put_le16(b, 1); /* MinorVersion */
	put_le32(b, 0); /* Reserved */
	put_le32(b, sizeof(version));
	put(b, version, sizeof(version));
	put_le16(b, 0); /* Flags */
	put_le16(b, 0); /* Streams */
	set_le32(b, cli + 0, CLI_HEADER_SIZE);
	set_le16(b, cli + 4, 2);                        /* MajorRuntimeVersion */
	set_le16(b, cli + 6, 5);                        /* MinorRuntimeVersion */
	set_le32(b, cli + 8, base + (uint32_t)md);      /* MetaData.VirtualAddress */
	set_le32(b, cli + 12, (uint32_t)(b->len - md)); /* MetaData.Size */
	set_le32(b, cli + 16, COMIMAGE_FLAGS_ILONLY);   /* Flags */
	pb->dirs[DIR_COM_DESCRIPTOR].rva = base + (uint32_t)cli;
	pb->dirs[DIR_COM_DESCRIPTOR].size = CLI_HEADER_SIZE;
}

static GByteArray *build_rdata(pe_build *pb, uint32_t rva)
{
	const genpe_spec *s = pb->spec;
	GByteArray *b = g_byte_array_new();

	put_cstr(b, MARKER);
	for (size_t i = 0; s->ascii != NULL && s->ascii[i] != NULL; i++)
		put_cstr(b, s->ascii[i]);
	for (size_t i = 0; s->wide != NULL && s->wide[i] != NULL; i++) {
		pad_to(b, 2);
		put_wide(b, s->wide[i], true);
	}
	if (s->raw != NULL)
		put(b, s->raw, s->raw_len);
	if (s->nimports > 0)
		put_imports(pb, b, rva);
	if (s->nexports > 0)
		put_exports(pb, b, rva);
	if (s->dotnet)
		put_dotnet(pb, b, rva);
	return b;
}

/* ---- resources ---- */

/* The distinct resource types of s, named ones first (PE spec 6.9.1):
 * indexes of the first resource of each type, in directory order. */
static GArray *resource_types(const genpe_spec *s)
{
	GArray *types = g_array_new(FALSE, FALSE, sizeof(size_t));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->nresources; i++) {
			const genpe_resource *r = &s->resources[i];
			bool named = r->type_name != NULL, seen = false;
			if (named != (pass == 0))
				continue;
			for (guint k = 0; k < types->len && !seen; k++) {
				const genpe_resource *t = &s->resources[g_array_index(types, size_t, k)];
				seen = named ? t->type_name != NULL && strcmp(t->type_name, r->type_name) == 0
					     : t->type_name == NULL && t->type_id == r->type_id;
			}
			if (!seen)
				g_array_append_val(types, i);
		}
	}
	return types;
}

static bool same_type(const genpe_resource *a, const genpe_resource *b)
{
	if (a->type_name != NULL || b->type_name != NULL)
		return a->type_name != NULL && b->type_name != NULL &&
		       strcmp(a->type_name, b->type_name) == 0;
	return a->type_id == b->type_id;
}

static void put_resource_dir(GByteArray *b, uint16_t named, uint16_t ids)
{
	put_le32(b, 0); /* Characteristics */
	put_le32(b, 0); /* TimeDateStamp */
	put_le16(b, 4); /* MajorVersion */
	put_le16(b, 0); /* MinorVersion */
	put_le16(b, named);
	put_le16(b, ids);
}

/* Offsets (from the section start) of the pieces of the resource tree. */
typedef struct rsrc_layout {
	GArray *types;     /* size_t: first resource index of each type */
	size_t *l2;        /* per type: its name directory */
	size_t *l3;        /* per resource: its language directory */
	size_t *entry;     /* per resource: its data entry */
	size_t *tname;     /* per type: its name string (named types) */
	size_t *data;      /* per resource: its bytes */
	size_t end;
} rsrc_layout;

static size_t type_count(const genpe_spec *s, const genpe_resource *t)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nresources; i++)
		n += same_type(&s->resources[i], t);
	return n;
}

static void rsrc_plan(const genpe_spec *s, rsrc_layout *lay)
{
	size_t nt, off;

	lay->types = resource_types(s);
	nt = lay->types->len;
	lay->l2 = g_new0(size_t, nt);
	lay->tname = g_new0(size_t, nt);
	lay->l3 = g_new0(size_t, s->nresources);
	lay->entry = g_new0(size_t, s->nresources);
	lay->data = g_new0(size_t, s->nresources);
	off = RESOURCE_DIRECTORY_SIZE + RESOURCE_ENTRY_SIZE * nt;
	for (size_t t = 0; t < nt; t++) {
		lay->l2[t] = off;
		off += RESOURCE_DIRECTORY_SIZE +
		       RESOURCE_ENTRY_SIZE *
			       type_count(s, &s->resources[g_array_index(lay->types, size_t, t)]);
	}
	for (size_t i = 0; i < s->nresources; i++, off += RESOURCE_DIRECTORY_SIZE + RESOURCE_ENTRY_SIZE)
		lay->l3[i] = off;
	for (size_t i = 0; i < s->nresources; i++, off += RESOURCE_DATA_ENTRY_SIZE)
		lay->entry[i] = off;
	for (size_t t = 0; t < nt; t++) {
		const char *name = s->resources[g_array_index(lay->types, size_t, t)].type_name;
		if (name != NULL) {
			lay->tname[t] = off;
			off += 2 + 2 * strlen(name);
			off = align_up((uint32_t)off, 2);
		}
	}
	for (size_t i = 0; i < s->nresources; i++) {
		off = align_up((uint32_t)off, 8);
		lay->data[i] = off;
		off += s->resources[i].len;
	}
	lay->end = off;
}

static void rsrc_layout_clear(rsrc_layout *lay)
{
	g_array_unref(lay->types);
	g_free(lay->l2);
	g_free(lay->l3);
	g_free(lay->entry);
	g_free(lay->tname);
	g_free(lay->data);
}

/* Writes level 1 (types) and level 2 (ids per type) directories. */
static void rsrc_put_dirs(const genpe_spec *s, const rsrc_layout *lay, GByteArray *b)
{
	size_t nt = lay->types->len, nnamed = 0;

	for (size_t t = 0; t < nt; t++)
		nnamed += s->resources[g_array_index(lay->types, size_t, t)].type_name != NULL;
	put_resource_dir(b, (uint16_t)nnamed, (uint16_t)(nt - nnamed));
	for (size_t t = 0; t < nt; t++) {
		const genpe_resource *r = &s->resources[g_array_index(lay->types, size_t, t)];
		put_le32(b, r->type_name != NULL ? RESOURCE_NAME_IS_STRING | (uint32_t)lay->tname[t]
						 : r->type_id);
		put_le32(b, RESOURCE_DATA_IS_DIRECTORY | (uint32_t)lay->l2[t]);
	}
	for (size_t t = 0; t < nt; t++) {
		const genpe_resource *first = &s->resources[g_array_index(lay->types, size_t, t)];
		put_resource_dir(b, 0, (uint16_t)type_count(s, first));
		for (size_t i = 0; i < s->nresources; i++) {
			if (!same_type(&s->resources[i], first))
				continue;
			put_le32(b, s->resources[i].id);
			put_le32(b, RESOURCE_DATA_IS_DIRECTORY | (uint32_t)lay->l3[i]);
		}
	}
}

static GByteArray *build_rsrc(pe_build *pb, uint32_t rva)
{
	const genpe_spec *s = pb->spec;
	GByteArray *b = g_byte_array_new();
	rsrc_layout lay;

	rsrc_plan(s, &lay);
	rsrc_put_dirs(s, &lay, b);
	for (size_t i = 0; i < s->nresources; i++) {
		g_assert(b->len == lay.l3[i]);
		put_resource_dir(b, 0, 1);
		put_le32(b, RESOURCE_LANG_EN_US);
		put_le32(b, (uint32_t)lay.entry[i]);
	}
	for (size_t i = 0; i < s->nresources; i++) {
		put_le32(b, rva + (uint32_t)lay.data[i]); /* OffsetToData (an RVA) */
		put_le32(b, (uint32_t)s->resources[i].len);
		put_le32(b, 0); /* CodePage */
		put_le32(b, 0); /* Reserved */
	}
	for (size_t t = 0; t < lay.types->len; t++) {
		const char *name = s->resources[g_array_index(lay.types, size_t, t)].type_name;
		if (name == NULL)
			continue;
		g_assert(b->len == lay.tname[t]);
		put_le16(b, (uint16_t)strlen(name));
		put_wide(b, name, false);
		pad_to(b, 2);
	}
	for (size_t i = 0; i < s->nresources; i++) {
		pad_to(b, 8);
		g_assert(b->len == lay.data[i]);
		put(b, s->resources[i].data, s->resources[i].len);
	}
	pb->dirs[DIR_RESOURCE].rva = rva;
	pb->dirs[DIR_RESOURCE].size = (uint32_t)lay.end;
	rsrc_layout_clear(&lay);
	return b;
}

static GByteArray *build_filler(void)
{
	GByteArray *b = g_byte_array_new();
	put_zeros(b, FILLER_SIZE);
	return b;
}

static uint32_t section_characteristics(const char *name)
{
	if (strcmp(name, ".text") == 0)
		return SCN_CODE_EXEC_READ;
	if (strcmp(name, ".data") == 0)
		return SCN_DATA_READ_WRITE;
	if (strcmp(name, ".reloc") == 0)
		return SCN_DATA_READ_DISCARDABLE;
	return SCN_DATA_READ;
}

static GByteArray *build_section(pe_build *pb, const char *name, uint32_t rva)
{
	if (strcmp(name, ".text") == 0)
		return build_text(pb, rva);
	if (strcmp(name, ".rdata") == 0)
		return build_rdata(pb, rva);
	if (strcmp(name, ".rsrc") == 0)
		return build_rsrc(pb, rva);
	return build_filler();
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

static void put_dos_header(GByteArray *b)
{
	put_le16(b, IMAGE_DOS_SIGNATURE);
	put_zeros(b, 0x3C - 2);
	put_le32(b, PE_LFANEW); /* e_lfanew */
}

static void put_file_header(GByteArray *b, const genpe_spec *s, size_t nsec)
{
	uint16_t chars = IMAGE_FILE_EXECUTABLE_IMAGE |
			 (s->pe32 ? IMAGE_FILE_32BIT_MACHINE : IMAGE_FILE_LARGE_ADDRESS_AWARE) |
			 (s->exe ? 0 : IMAGE_FILE_DLL);
	put(b, "PE\0\0", 4);
	put_le16(b, s->pe32 ? IMAGE_FILE_MACHINE_I386 : IMAGE_FILE_MACHINE_AMD64);
	put_le16(b, (uint16_t)nsec);
	put_le32(b, s->timestamp);
	put_le32(b, 0); /* PointerToSymbolTable */
	put_le32(b, 0); /* NumberOfSymbols */
	put_le16(b, s->pe32 ? OPTIONAL_HEADER32_SIZE : OPTIONAL_HEADER64_SIZE);
	put_le16(b, chars);
}

typedef struct image_sizes {
	uint32_t code;
	uint32_t init_data;
	uint32_t image;
	uint32_t headers;
	uint32_t code_base;
	uint32_t data_base;
} image_sizes;

static void put_optional_header(GByteArray *b, const pe_build *pb, const image_sizes *z)
{
	bool pe32 = pb->spec->pe32;

	put_le16(b, pe32 ? IMAGE_NT_OPTIONAL_HDR32_MAGIC : IMAGE_NT_OPTIONAL_HDR64_MAGIC);
	put_u8(b, 14); /* MajorLinkerVersion */
	put_u8(b, 0);
	put_le32(b, z->code);
	put_le32(b, z->init_data);
	put_le32(b, 0);           /* SizeOfUninitializedData */
	put_le32(b, 0);           /* AddressOfEntryPoint: none */
	put_le32(b, z->code_base);
	if (pe32) {
		put_le32(b, z->data_base);
		put_le32(b, 0x10000000u); /* ImageBase */
	} else {
		put_le64(b, 0x180000000ull);
	}
	put_le32(b, SECTION_ALIGNMENT);
	put_le32(b, FILE_ALIGNMENT);
	put_le16(b, 6); /* MajorOperatingSystemVersion */
	put_le16(b, 0);
	put_le16(b, 0); /* MajorImageVersion */
	put_le16(b, 0);
	put_le16(b, 6); /* MajorSubsystemVersion */
	put_le16(b, 0);
	put_le32(b, 0); /* Win32VersionValue */
	put_le32(b, z->image);
	put_le32(b, z->headers);
	put_le32(b, 0); /* CheckSum */
	put_le16(b, IMAGE_SUBSYSTEM_WINDOWS_GUI);
	put_le16(b, DLLCHARS_DYNBASE_NX_HIGHENTROPY);
	for (int i = 0; i < 4; i++) { /* stack/heap reserve and commit */
		uint32_t v = i % 2 == 0 ? 0x100000u : 0x1000u;
		if (pe32)
			put_le32(b, v);
		else
			put_le64(b, v);
	}
	put_le32(b, 0); /* LoaderFlags */
	put_le32(b, NUMBER_OF_RVA_AND_SIZES);
	for (unsigned i = 0; i < NUMBER_OF_RVA_AND_SIZES; i++) {
		put_le32(b, pb->dirs[i].rva);
		put_le32(b, pb->dirs[i].size);
	}
}

static void put_section_header(GByteArray *b, const section *sec)
{
	char name[8] = {0};
	memcpy(name, sec->name, MIN(strlen(sec->name), sizeof(name)));
	put(b, name, sizeof(name));
	put_le32(b, sec->data->len);   /* VirtualSize */
	put_le32(b, sec->rva);
	put_le32(b, sec->raw_size);
	put_le32(b, sec->raw_off);
	put_zeros(b, 12);              /* relocations, line numbers */
	put_le32(b, sec->characteristics);
}

static image_sizes measure(const section *secs, size_t n, uint32_t headers)
{
	image_sizes z = {.headers = headers};
	for (size_t i = 0; i < n; i++) {
		if (secs[i].characteristics == SCN_CODE_EXEC_READ) {
			z.code += secs[i].raw_size;
			if (z.code_base == 0)
				z.code_base = secs[i].rva;
		} else {
			z.init_data += secs[i].raw_size;
			if (z.data_base == 0)
				z.data_base = secs[i].rva;
		}
		z.image = secs[i].rva + align_up(secs[i].data->len, SECTION_ALIGNMENT);
	}
	return z;
}

GBytes *genpe_build(const genpe_spec *spec)
{
	const char *const *names = spec->sections != NULL ? spec->sections : default_sections;
	size_t n = 0;
	pe_build pb = {.spec = spec};

	while (names[n] != NULL)
		n++;
	if (n == 0 || strcmp(names[0], ".text") != 0)
		g_error("genpe: the first section must be .text");
	section *secs = g_new0(section, n);
	uint32_t opt = spec->pe32 ? OPTIONAL_HEADER32_SIZE : OPTIONAL_HEADER64_SIZE;
	uint32_t headers = align_up(PE_LFANEW + 4 + 20 + opt + SECTION_HEADER_SIZE * (uint32_t)n,
				    FILE_ALIGNMENT);
	uint32_t rva = SECTION_ALIGNMENT, raw = headers;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], ".rsrc") == 0 && spec->nresources == 0)
			g_error("genpe: a .rsrc section needs resources");
		secs[i].name = names[i];
		secs[i].rva = rva;
		secs[i].data = build_section(&pb, names[i], rva);
		secs[i].raw_off = raw;
		secs[i].raw_size = align_up(MAX(secs[i].data->len, 1u), FILE_ALIGNMENT);
		secs[i].characteristics = section_characteristics(names[i]);
		rva += align_up(MAX(secs[i].data->len, 1u), SECTION_ALIGNMENT);
		raw += secs[i].raw_size;
	}
	image_sizes z = measure(secs, n, headers);
	GByteArray *b = g_byte_array_new();
	put_dos_header(b);
	put_file_header(b, spec, n);
	put_optional_header(b, &pb, &z);
	for (size_t i = 0; i < n; i++)
		put_section_header(b, &secs[i]);
	pad_to(b, FILE_ALIGNMENT);
	for (size_t i = 0; i < n; i++) {
		g_assert(b->len == secs[i].raw_off);
		put(b, secs[i].data->data, secs[i].data->len);
		pad_to(b, FILE_ALIGNMENT);
		g_byte_array_unref(secs[i].data);
	}
	g_free(secs);
	return g_byte_array_free_to_bytes(b);
}

/* ------------------------------------------------------------------ */
/* A one-member stored ZIP                                             */
/* ------------------------------------------------------------------ */

static void put_zip_entry_fields(GByteArray *b, uint32_t crc, uint32_t size, size_t name_len)
{
	put_le16(b, 0);                        /* general purpose flags */
	put_le16(b, 0);                        /* method: stored */
	put_le16(b, 0);                        /* time 00:00 */
	put_le16(b, ZIP_DOS_DATE_1980_01_01);
	put_le32(b, crc);
	put_le32(b, size);                     /* compressed */
	put_le32(b, size);                     /* uncompressed */
	put_le16(b, (uint16_t)name_len);
	put_le16(b, 0);                        /* extra length */
}

GBytes *genpe_zip_one(const char *member, GBytes *data)
{
	gsize len;
	const uint8_t *d = g_bytes_get_data(data, &len);
	uint32_t crc = (uint32_t)crc32(0L, d, (uInt)len);
	size_t nlen = strlen(member);
	GByteArray *b = g_byte_array_new();

	put_le32(b, ZIP_LOCAL_SIG);
	put_le16(b, ZIP_VERSION_20);
	put_zip_entry_fields(b, crc, (uint32_t)len, nlen);
	put(b, member, nlen);
	put(b, d, len);
	size_t cd = b->len;
	put_le32(b, ZIP_CENTRAL_SIG);
	put_le16(b, ZIP_VERSION_20);           /* made by: MS-DOS */
	put_le16(b, ZIP_VERSION_20);           /* needed */
	put_zip_entry_fields(b, crc, (uint32_t)len, nlen);
	put_le16(b, 0);                        /* comment length */
	put_le16(b, 0);                        /* disk number start */
	put_le16(b, 0);                        /* internal attributes */
	put_le32(b, 0);                        /* external attributes */
	put_le32(b, 0);                        /* local header offset */
	put(b, member, nlen);
	size_t cd_size = b->len - cd;
	put_le32(b, ZIP_EOCD_SIG);
	put_le16(b, 0);
	put_le16(b, 0);
	put_le16(b, 1);
	put_le16(b, 1);
	put_le32(b, (uint32_t)cd_size);
	put_le32(b, (uint32_t)cd);
	put_le16(b, 0);
	return g_byte_array_free_to_bytes(b);
}

/* ------------------------------------------------------------------ */
/* The payload samples                                                 */
/* ------------------------------------------------------------------ */

/* Deterministic high-entropy bytes (xorshift32, fixed seed). */
static void fill_noise(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed != 0 ? seed : 0x9E3779B9u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
}

static const char *const sections_blackberry[] = {
	".text", ".rdata", ".data", ".pdata", "_RDATA", ".rsrc", ".reloc", NULL,
};
static const char *const sections_no_rsrc[] = {".text", ".rdata", ".data", ".reloc", NULL};

static const char *const k32_basic[] = {"GetModuleHandleW", "GetProcAddress", "Sleep", NULL};
static const genpe_import imports_basic[] = {{"KERNEL32.dll", k32_basic}};

static const uint8_t manifest_xml[] =
	"<assembly xmlns=\"urn:schemas-microsoft-com:asm.v1\" manifestVersion=\"1.0\"/>";
static const uint8_t rcdata_text[] = "synthetic resource data";

/* Two resources, as the 2022 RomCom builds have. */
static const genpe_resource resources_two[] = {
	{.type_id = 10, .id = 101, .data = rcdata_text, .len = sizeof(rcdata_text)},
	{.type_id = 24, .id = 2, .data = manifest_xml, .len = sizeof(manifest_xml) - 1},
};

static GBytes *make_romcom_startfile(void)
{
	static const genpe_export ex[] = {{"startFile", NULL}, {"startInet", NULL}};
	static const char *const ascii[] = {"comDll.dll", NULL};
	static const char *const wide[] = {"combase32.dll", NULL};
	genpe_spec s = {
		.dll_name = "comDll.dll", .sections = sections_blackberry,
		.exports = ex, .nexports = G_N_ELEMENTS(ex),
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
		.resources = resources_two, .nresources = G_N_ELEMENTS(resources_two),
		.ascii = ascii, .wide = wide,
	};
	return genpe_build(&s);
}

static GBytes *make_nearmiss_startfile(void)
{
	static const genpe_export ex[] = {{"startFile", NULL}, {"stopFile", NULL}};
	static const char *const ascii[] = {"comDll.dll", NULL};
	genpe_spec s = {
		.dll_name = "comDll.dll", .sections = sections_blackberry,
		.exports = ex, .nexports = G_N_ELEMENTS(ex),
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
		.resources = resources_two, .nresources = G_N_ELEMENTS(resources_two),
		.ascii = ascii,
	};
	return genpe_build(&s);
}

static GBytes *make_c2_path(bool positive)
{
	static const genpe_export ex[] = {{"Run", NULL}};
	static const char *const wide_pos[] = {
		"http://c2.example.invalid:80/api/v1.5/subscription?token=", NULL,
	};
	static const char *const wide_neg[] = {
		"http://c2.example.invalid:443/api/v2/subscription?token=", NULL,
	};
	static const char *const ascii_neg[] = {
		"http://c2.example.invalid:80/api/v1.5/subscription?token=", NULL,
	};
	genpe_spec s = {
		.dll_name = "synthetic.dll", .sections = sections_no_rsrc,
		.exports = ex, .nexports = 1,
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
		.wide = positive ? wide_pos : wide_neg, .ascii = positive ? NULL : ascii_neg,
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_c2_path(void)
{
	return make_c2_path(true);
}

static GBytes *make_nearmiss_c2_path(void)
{
	return make_c2_path(false);
}

static GBytes *make_worker(bool positive)
{
	static const genpe_export one[] = {{"Main", NULL}};
	static const genpe_export two[] = {{"Main", NULL}, {"Init", NULL}};
	static const char *const k32[] = {
		"UpdateProcThreadAttribute", "WriteFile", "SetHandleInformation", "PeekNamedPipe",
		NULL,
	};
	static const char *const iphlp[] = {"GetAdaptersAddresses", NULL};
	static const genpe_import imp[] = {{"KERNEL32.dll", k32}, {"IPHLPAPI.DLL", iphlp}};
	static const char *const ascii[] = {"inflate 1.2.13 Copyright 1995-2022 Mark Adler", NULL};
	genpe_spec s = {
		.dll_name = "worker.dll", .sections = sections_no_rsrc,
		.exports = positive ? one : two, .nexports = positive ? 1 : 2,
		.imports = imp, .nimports = G_N_ELEMENTS(imp), .ascii = ascii,
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_worker(void)
{
	return make_worker(true);
}

static GBytes *make_nearmiss_worker(void)
{
	return make_worker(false);
}

static GBytes *make_dropper(bool positive)
{
	static const genpe_export ex[] = {{"Main", NULL}};
	static const char *const ascii[] = {"POST", NULL};
	static const char *const wide[] = {
		"\\REGISTRY\\MACHINE\\SOFTWARE\\Classes", "\\REGISTRY\\USER", NULL,
	};
	static const uint8_t dll_main[] = "payload.dll\0Main";
	/* "MZ" and zeros: looks like the start of a PE to a magic check, and
	 * is not one (no PE header), so nothing can load it. */
	uint8_t blob[256] = {'M', 'Z'};
	genpe_resource res[] = {
		{.type_name = positive ? "BINARY" : NULL, .type_id = 10, .id = 101, .data = blob,
		 .len = sizeof(blob)},
		{.type_id = 24, .id = 2, .data = manifest_xml, .len = sizeof(manifest_xml) - 1},
	};
	genpe_spec s = {
		.dll_name = "dropper.dll", .exports = ex, .nexports = 1,
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
		.resources = res, .nresources = G_N_ELEMENTS(res),
		.ascii = ascii, .wide = wide, .raw = dll_main, .raw_len = sizeof(dll_main),
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_dropper(void)
{
	return make_dropper(true);
}

static GBytes *make_nearmiss_dropper(void)
{
	return make_dropper(false);
}

static GBytes *make_stealdeal(bool positive)
{
	static const genpe_export ex[] = {{"stub", NULL}};
	static const char *const ascii[] = {"stealDll.dll", NULL};
	genpe_spec s = {
		.pe32 = !positive, .dll_name = "stealDll.dll", .sections = sections_no_rsrc,
		.exports = ex, .nexports = 1,
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic), .ascii = ascii,
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_stealdeal(void)
{
	return make_stealdeal(true);
}

static GBytes *make_nearmiss_stealdeal(void)
{
	return make_stealdeal(false);
}

static GBytes *make_proxy(bool positive)
{
	static const genpe_export fwd[] = {
		{"DllCanUnloadNow", "actxprxy_orig.DllCanUnloadNow"},
		{"DllGetClassObject", "actxprxy_orig.DllGetClassObject"},
		{"DllRegisterServer", "actxprxy_orig.DllRegisterServer"},
		{"DllUnregisterServer", "actxprxy_orig.DllUnregisterServer"},
		{"GetProxyDllInfo", "actxprxy_orig.GetProxyDllInfo"},
	};
	static const genpe_export local[] = {
		{"DllCanUnloadNow", NULL}, {"DllGetClassObject", NULL}, {"DllRegisterServer", NULL},
		{"DllUnregisterServer", NULL}, {"GetProxyDllInfo", NULL},
	};
	genpe_spec s = {
		.dll_name = "ActXPrxy.dll", .sections = sections_no_rsrc,
		.exports = positive ? fwd : local, .nexports = G_N_ELEMENTS(fwd),
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_proxy(void)
{
	return make_proxy(true);
}

static GBytes *make_nearmiss_proxy(void)
{
	return make_proxy(false);
}

static GBytes *make_psfactory(bool positive)
{
	static const genpe_export ex[] = {{"Install", NULL}};
	static const char *const wide_pos[] = {
		"Software\\Classes\\CLSID\\{C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6}\\InProcServer32",
		NULL,
	};
	static const char *const wide_neg[] = {
		"Software\\Classes\\CLSID\\{C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6}", NULL,
	};
	genpe_spec s = {
		.dll_name = "install.dll", .sections = sections_no_rsrc,
		.exports = ex, .nexports = 1,
		.imports = imports_basic, .nimports = G_N_ELEMENTS(imports_basic),
		.wide = positive ? wide_pos : wide_neg,
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_psfactory(void)
{
	return make_psfactory(true);
}

static GBytes *make_nearmiss_psfactory(void)
{
	return make_psfactory(false);
}

/* More than 100 imported functions: the six of the profile, plus
 * synthetic names from a DLL that does not exist. */
#define PROFILE_FILLER_IMPORTS 110

static GBytes *make_nato_profile(bool positive)
{
	static const char *const k32[] = {
		"GetPhysicallyInstalledSystemMemory", "GetStartupInfoW",
		"InitializeCriticalSectionAndSpinCount", NULL,
	};
	static const char *const netapi[] = {"NetUserGetInfo", NULL};
	static const char *const advapi[] = {"LookupAccountNameW", "ChangeServiceConfig2W", NULL};
	char names[PROFILE_FILLER_IMPORTS][32];
	const char *filler[PROFILE_FILLER_IMPORTS + 1];
	uint8_t icon[8192];
	static const uint8_t group_icon[20] = {0, 0, 1, 0, 1, 0};

	for (unsigned i = 0; i < PROFILE_FILLER_IMPORTS; i++) {
		g_snprintf(names[i], sizeof(names[i]), "SyntheticImport%03u", i);
		filler[i] = names[i];
	}
	filler[PROFILE_FILLER_IMPORTS] = NULL;
	if (positive)
		fill_noise(icon, sizeof(icon), 0x5EEDu);
	else
		for (size_t i = 0; i < sizeof(icon); i++)
			icon[i] = (uint8_t)"low entropy icon "[i % 17];
	genpe_import imp[] = {
		{"KERNEL32.dll", k32}, {"NETAPI32.dll", netapi}, {"ADVAPI32.dll", advapi},
		{"lurescan_synthetic.dll", filler},
	};
	genpe_resource res[] = {
		{.type_id = 3, .id = 1, .data = icon, .len = sizeof(icon)},
		{.type_id = 14, .id = 1, .data = group_icon, .len = sizeof(group_icon)},
		{.type_id = 24, .id = 1, .data = manifest_xml, .len = sizeof(manifest_xml) - 1},
	};
	static const genpe_export ex[] = {{"Main", NULL}, {"Run", NULL}};
	genpe_spec s = {
		.dll_name = "survey.dll", .exports = ex, .nexports = G_N_ELEMENTS(ex),
		.imports = imp, .nimports = G_N_ELEMENTS(imp),
		.resources = res, .nresources = G_N_ELEMENTS(res),
	};
	return genpe_build(&s);
}

static GBytes *make_romcom_nato_profile(void)
{
	return make_nato_profile(true);
}

static GBytes *make_nearmiss_nato_profile(void)
{
	return make_nato_profile(false);
}

static GBytes *make_dotnet_dll(void)
{
	static const char *const mscoree[] = {"_CorDllMain", NULL};
	static const genpe_import imp[] = {{"mscoree.dll", mscoree}};
	genpe_spec s = {
		.pe32 = true, .dll_name = "Synthetic.dll", .sections = sections_no_rsrc,
		.imports = imp, .nimports = G_N_ELEMENTS(imp), .dotnet = true,
	};
	return genpe_build(&s);
}

static GBytes *make_dotnet_in_zip(void)
{
	GBytes *pe = make_dotnet_dll();
	GBytes *zip = genpe_zip_one("payload.dll", pe);
	g_bytes_unref(pe);
	return zip;
}

/* ------------------------------------------------------------------ */
/* Document-side fixtures for the text and stream rules                */
/* ------------------------------------------------------------------ */

/* The lure-chain samples (gen_lures.c) exercise most document rules; these
 * fill the gaps, each as small and inert as the rule allows: the later
 * stages of the RomCom chain as plain text (no script element anywhere,
 * documentation addresses only, the REPLICA-DEFANGED label), a Word 2003
 * XML document with an unsplit DDE field, a VBA module as text, and two
 * compound files holding one stream each. */

static GBytes *text(const char *s)
{
	return g_bytes_new(s, strlen(s));
}

/* A compound file whose root has CLSID clsid (16 bytes as stored) and one
 * stream name holding data[0..len), written by libgsf's MS-OLE writer. */
static GBytes *one_stream_cfb(const uint8_t clsid[16], const char *name, const void *data,
			      size_t len)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *root = gsf_outfile_msole_new(mem);
	if (root == NULL || !gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(root), clsid))
		g_error("genpe: cannot start a compound file");
	GsfOutput *st = gsf_outfile_new_child(root, name, FALSE);
	if (st == NULL || !gsf_output_write(st, len, data) || !gsf_output_close(st))
		g_error("genpe: cannot write stream %s", name);
	g_object_unref(st);
	if (!gsf_output_close(GSF_OUTPUT(root)))
		g_error("genpe: cannot close the compound file");
	g_object_unref(root);
	GBytes *out = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)),
				  (gsize)gsf_output_size(mem));
	if (!gsf_output_is_closed(mem))
		gsf_output_close(mem);
	g_object_unref(mem);
	return out;
}

static GBytes *make_stage_start_xml(void)
{
	return text("<?xml version=\"1.0\"?>\n<!-- REPLICA-DEFANGED: stand-in for start.xml -->\n"
		    "<html><body><iframe src=\"http://192.0.2.20/MSHTML_C7/RFile.asp?d=198.51.100.7\">"
		    "</iframe></body></html>\n");
}

static GBytes *make_stage_file001_htm(void)
{
	return text("<!-- REPLICA-DEFANGED: stand-in for <ip>_<hex>_file001.htm, text only -->\n"
		    "<html><body><p>search-ms:query=file001&amp;crumb=location:\\\\192.0.2.10"
		    "\\share1\\MSHTML_C7\\1&amp;displayname=Downloads</p>\n"
		    "<p>198.51.100.7_a15fa_file001.search-ms</p>\n"
		    "<p>198.51.100.7_a15fa_file001.zip</p></body></html>\n");
}

static GBytes *make_stage_file001_url(void)
{
	return text("[InternetShortcut]\r\n"
		    "URL=file://192.0.2.10/share1/MSHTML_C7/1/198.51.100.7_a15fa_file001.htm\r\n"
		    "; REPLICA-DEFANGED\r\n");
}

static GBytes *make_stage_ex001_htm(void)
{
	return text("<!-- REPLICA-DEFANGED: the last hop, text only -->\n"
		    "<html><body><iframe src=\"file://192.0.2.10/share1/MSHTML_C7/ex001.zip/"
		    "file001.vbs\"></iframe></body></html>\n");
}

/* Near misses of the stage rules: a generic remote search-ms crumb, another
 * folder with one stage name, a per-victim-looking name that is not
 * file001. */
static GBytes *make_stage_nearmiss_htm(void)
{
	return text("<!-- REPLICA-DEFANGED: near misses of the RomCom stage rules -->\n"
		    "<html><body><p>search-ms:query=report&amp;crumb=location:\\\\192.0.2.10"
		    "\\share\\docs</p>\n<p>http://192.0.2.20/MSHTML_C8/start.xml</p>\n"
		    "<p>198.51.100.7_a15fa_report.htm</p></body></html>\n");
}

/* The last hop's script name without its archive. */
static GBytes *make_stage_vbs_only_htm(void)
{
	return text("<!-- REPLICA-DEFANGED -->\n<html><body><iframe src=\"file://192.0.2.10/"
		    "share/scripts/file001.vbs\"></iframe></body></html>\n");
}

static GBytes *make_search_local_htm(void)
{
	return text("<!-- REPLICA-DEFANGED -->\n<html><body><p>search-ms:query=invoice&amp;"
		    "crumb=location:C:\\Users\\Public\\Documents</p></body></html>\n");
}

static GBytes *make_follina_stage2_html(void)
{
	return text("<!-- REPLICA-DEFANGED: the markers of a Follina second stage as text, no "
		    "script -->\n<html><body><pre>ms-msdt:/id PCWDiagnostic /skip force /param "
		    "\"IT_RebrowseForFile=? IT_BrowseForFile=REPLICA-DEFANGED\"</pre></body></html>\n");
}

static GBytes *make_follina_comment_html(void)
{
	return text("<html><!-- REPLICA-DEFANGED: ms-msdt: named in a comment, nothing else --></html>\n");
}

static GBytes *make_vba_downloader_bas(void)
{
	return text("Attribute VB_Name = \"Module1\"\r\n"
		    "' REPLICA-DEFANGED: text of a module, never run\r\n"
		    "Sub AutoOpen()\r\n"
		    "    Set sh = CreateObject(\"WScript.Shell\")\r\n"
		    "End Sub\r\n");
}

static GBytes *make_vba_msgbox_bas(void)
{
	return text("Attribute VB_Name = \"Module1\"\r\n"
		    "Sub AutoOpen()\r\n"
		    "    MsgBox \"REPLICA-DEFANGED\"\r\n"
		    "End Sub\r\n");
}

/* Word 2003 XML (a format Word opens as is) with one field. */
static GBytes *flat_word_xml(const char *instr)
{
	char *doc = g_strdup_printf(
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<?mso-application progid=\"Word.Document\"?>\n"
		"<w:wordDocument xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\">"
		"<w:body><w:p><w:fldSimple w:instr=\"%s\"><w:r><w:t>REPLICA-DEFANGED</w:t></w:r>"
		"</w:fldSimple></w:p></w:body></w:wordDocument>\n", instr);
	return g_bytes_new_take(doc, strlen(doc));
}

static GBytes *make_dde_flat_xml(void)
{
	return flat_word_xml(" DDEAUTO REPLICA-DEFANGED topic ");
}

static GBytes *make_field_flat_xml(void)
{
	return flat_word_xml(" PAGE ");
}

/* Near miss of the RTF DDE rule: a field, but a PAGE field. */
static GBytes *make_field_page_rtf(void)
{
	return text("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Calibri;}}\n"
		    "REPLICA-DEFANGED: page {\\field{\\*\\fldinst PAGE }{\\fldrslt 1}}\\par\n}\n");
}

/* {0002CE02-0000-0000-C000-000000000046}, Equation.3, as stored. */
static const uint8_t clsid_equation3[16] = {
	0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
};
/* {0003000C-0000-0000-C000-000000000046}, Package. */
static const uint8_t clsid_package[16] = {
	0x0C, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
};

/* An Equation Native stream: EQNOLEFILEHDR (cbHdr 0x1C, version 0x00020000,
 * clipboard format, size of the MTEF data) then an MTEF v3 header and a
 * one-character equation. An ordinary equation: no font record at all,
 * let alone the over-long one of CVE-2017-11882. */
static GBytes *make_equation_native_bin(void)
{
	static const uint8_t mtef[] = {
		0x03, 0x01, 0x01, 0x03, 0x0A,   /* MTEF v3, Windows, Equation Editor 3.10 */
		0x0A,                           /* LINE */
		0x02, 0x83, 0x78, 0x00,         /* CHAR, typeface 3 (variable), 'x' */
		0x00, 0x00,                     /* END of line, END of equation */
	};
	GByteArray *b = g_byte_array_new();
	put_le16(b, 0x001C);                  /* cbHdr */
	put_le32(b, 0x00020000);              /* version */
	put_le16(b, 0xC1C8);                  /* cf (registered clipboard format) */
	put_le32(b, sizeof(mtef));            /* cbObject */
	put_zeros(b, 0x1C - b->len);          /* reserved */
	put(b, mtef, sizeof(mtef));
	GBytes *out = one_stream_cfb(clsid_equation3, "Equation Native", b->data, b->len);
	g_byte_array_unref(b);
	return out;
}

/* An Ole10Native stream of a Packager object holding a text file. */
static GBytes *make_package_txt_bin(void)
{
	static const char body[] = "REPLICA-DEFANGED report\r\n";
	GByteArray *b = g_byte_array_new();
	put_le32(b, 0);                       /* size, set below */
	put_le16(b, 0x0002);
	put_cstr(b, "report.txt");
	put_cstr(b, "C:\\Users\\user\\Documents\\report.txt");
	put_le16(b, 0);
	put_le16(b, 0x0003);
	static const char temp[] = "C:\\Users\\user\\AppData\\Local\\Temp\\report.txt";
	put_le32(b, sizeof(temp));
	put(b, temp, sizeof(temp));
	put_le32(b, sizeof(body) - 1);
	put(b, body, sizeof(body) - 1);
	set_le32(b, 0, b->len - 4);
	GBytes *out = one_stream_cfb(clsid_package, "\001Ole10Native", b->data, b->len);
	g_byte_array_unref(b);
	return out;
}

const genpe_sample genpe_samples[] = {
	{"pe-romcom-startfile.dll", make_romcom_startfile},
	{"pe-nearmiss-startfile.dll", make_nearmiss_startfile},
	{"pe-romcom-c2-path.dll", make_romcom_c2_path},
	{"pe-nearmiss-c2-path.dll", make_nearmiss_c2_path},
	{"pe-romcom-worker.dll", make_romcom_worker},
	{"pe-nearmiss-worker.dll", make_nearmiss_worker},
	{"pe-romcom-dropper.dll", make_romcom_dropper},
	{"pe-nearmiss-dropper.dll", make_nearmiss_dropper},
	{"pe-romcom-stealdeal.dll", make_romcom_stealdeal},
	{"pe-nearmiss-stealdeal.dll", make_nearmiss_stealdeal},
	{"pe-romcom-proxy-loader.dll", make_romcom_proxy},
	{"pe-nearmiss-proxy-loader.dll", make_nearmiss_proxy},
	{"pe-romcom-psfactory.dll", make_romcom_psfactory},
	{"pe-nearmiss-psfactory.dll", make_nearmiss_psfactory},
	{"pe-romcom-nato-profile.dll", make_romcom_nato_profile},
	{"pe-nearmiss-nato-profile.dll", make_nearmiss_nato_profile},
	{"pe-dotnet-in-zip.zip", make_dotnet_in_zip},
	{"pe-nearmiss-dotnet.dll", make_dotnet_dll},
	{"stage-start.xml", make_stage_start_xml},
	{"stage-file001.htm", make_stage_file001_htm},
	{"stage-file001.url", make_stage_file001_url},
	{"stage-ex001.htm", make_stage_ex001_htm},
	{"stage-nearmiss.htm", make_stage_nearmiss_htm},
	{"stage-vbs-only.htm", make_stage_vbs_only_htm},
	{"search-local.htm", make_search_local_htm},
	{"follina-stage2.html", make_follina_stage2_html},
	{"follina-comment.html", make_follina_comment_html},
	{"vba-downloader.bas", make_vba_downloader_bas},
	{"vba-msgbox.bas", make_vba_msgbox_bas},
	{"dde-flat.xml", make_dde_flat_xml},
	{"field-flat.xml", make_field_flat_xml},
	{"field-page.rtf", make_field_page_rtf},
	{"equation-native.bin", make_equation_native_bin},
	{"package-txt.bin", make_package_txt_bin},
};
const size_t genpe_nsamples = G_N_ELEMENTS(genpe_samples);

void genpe_write_samples(const char *outdir)
{
	for (size_t i = 0; i < genpe_nsamples; i++) {
		GBytes *b = genpe_samples[i].make();
		gsize len;
		const char *d = g_bytes_get_data(b, &len);
		char *path = g_build_filename(outdir, genpe_samples[i].file, NULL);
		GError *err = NULL;
		if (!g_file_set_contents(path, d, (gssize)len, &err)) {
			fprintf(stderr, "genpe: %s\n", err->message);
			exit(1);
		}
		printf("%-24s %9" G_GSIZE_FORMAT " bytes\n", genpe_samples[i].file, len);
		g_free(path);
		g_bytes_unref(b);
	}
}
