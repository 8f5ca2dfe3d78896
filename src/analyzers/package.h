/*
 * package.h - OLE1 native data in "\x01Ole10Native" streams (MS-OLEDS
 * 2.3.6) and the Packager object inside it: an embedded file with its
 * name, source path and temporary path.
 *
 * The parsers only read: strings are copied, the payload and native data
 * are borrowed from the caller's buffer. The package analyser
 * (lure_analyzer_package) reports ole.package and makes the payload a child
 * artifact.
 */
#ifndef LURE_PACKAGE_H
#define LURE_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* The first field of a Packager object's native data. */
#define LURE_PACKAGE_TYPE 0x0002u

typedef struct lure_package {
	/* OLENativeStream (MS-OLEDS 2.3.6) */
	bool has_native_size;
	uint32_t native_size;      /* NativeDataSize as declared */
	const uint8_t *native;     /* borrowed: the native data, clamped */
	size_t native_len;
	/* Packager */
	bool is_package;           /* the Packager header was recognised */
	char *label;               /* file name shown (ANSI, NUL-free) */
	char *source_path;         /* where it was packaged from */
	char *temp_path;           /* where it is written when opened */
	char *label_w;             /* the Unicode forms, when present */
	char *source_path_w;
	char *temp_path_w;
	uint16_t item_type;        /* 3 = embedded file, 1 = link */
	bool has_data;             /* DataSize was read */
	uint32_t data_size;        /* DataSize as declared */
	const uint8_t *data;       /* borrowed: the payload, clamped */
	size_t data_len;
	bool truncated;            /* a size ran past the end; clamped */
	const char *problem;       /* static reason when not LURE_OK */
} lure_package;

/* Parses an OLENativeStream (u32 NativeDataSize, NativeData) from
 * data[0..len) and, when the native data is a Packager object, its fields.
 * *out is always initialised; release with lure_package_clear(). Returns
 * LURE_OK, LURE_E_TRUNCATED (a size ran past the end: what is there is
 * kept, clamped) or LURE_E_MALFORMED (a Packager header whose strings are
 * not terminated); out->problem says why. */
lure_error lure_package_parse_ole10native(const uint8_t *data, size_t len, lure_package *out);

/* Parses Packager native data (the bytes after NativeDataSize, or an OLE1
 * EmbeddedObject's NativeData of class "Package") from data[0..len). Same
 * contract; is_package is false when the header is not a Packager's. */
lure_error lure_package_parse_native(const uint8_t *data, size_t len, lure_package *out);

void lure_package_clear(lure_package *p);

/* The extension of the file name in path (after the last '\\', '/' and
 * '.', with the trailing dots and spaces Windows ignores removed), copied
 * in lower case, or NULL when there is none. g_free the result. */
char *lure_package_extension(const char *path);

/* True when path's extension is one Windows runs or opens as code
 * (exe, scr, js, hta, lnk, ...), any case. */
bool lure_package_is_executable(const char *path);

#endif
