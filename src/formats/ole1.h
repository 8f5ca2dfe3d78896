/*
 * ole1.h - the OLE 1.0 ObjectHeader (MS-OLEDS 2.2.4) and what follows it:
 * EmbeddedObject (2.2.5) and LinkedObject (2.2.6).
 *
 * RTF \objdata holds one of these; so does the OLE1 form of an object in
 * older containers. The parser only reads: it returns borrowed pointers into
 * the caller's buffer and allocates nothing, so the caller keeps the buffer
 * alive as long as it uses the result.
 */
#ifndef LURE_OLE1_H
#define LURE_OLE1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* FormatID values of an ObjectHeader (MS-OLEDS 2.2.4). */
#define LURE_OLE1_FORMAT_LINKED 0x00000001u
#define LURE_OLE1_FORMAT_EMBEDDED 0x00000002u

/* The OLEVersion Word writes (any value is legal and ignored on receipt). */
#define LURE_OLE1_VERSION_WORD 0x00000501u

/* ClassName is a ProgID ("OLE2Link", "Equation.3", "Package"); real ones are
 * well under 40 characters. The length includes the terminating NUL. */
#define LURE_OLE1_MAX_CLASS_LEN 256u
/* TopicName, ItemName and NetworkName are file paths and item names;
 * anything longer than this is not a real header. */
#define LURE_OLE1_MAX_STRING_LEN 65536u

/* A LengthPrefixedAnsiString (MS-OLEDS 2.1.4): a u32 length that counts the
 * terminating NUL, then the characters. */
typedef struct lure_ole1_string {
	const char *str; /* borrowed; NOT NUL-terminated: use len */
	size_t len;      /* characters before the first NUL (or the whole
			  * declared length when the NUL is missing) */
	bool present;    /* the field was read completely */
} lure_ole1_string;

typedef struct lure_ole1_header {
	uint32_t ole_version;       /* OLEVersion, as read */
	uint32_t format_id;         /* FormatID: LURE_OLE1_FORMAT_* */
	lure_ole1_string class_name;
	lure_ole1_string topic_name;
	lure_ole1_string item_name;
	/* EmbeddedObject */
	bool has_native_size;       /* NativeDataSize was read */
	uint32_t native_size;       /* NativeDataSize as declared */
	const uint8_t *native_data; /* borrowed; clamped to the data */
	size_t native_len;          /* bytes actually present (<= native_size) */
	/* LinkedObject */
	lure_ole1_string network_name;
	bool has_link_options;      /* Reserved and LinkUpdateOption were read */
	uint32_t reserved;
	uint32_t link_update_option;
	/* Where the parse stopped: the first byte after the last field read
	 * (the Presentation object, if any, starts here when complete). */
	size_t end;
	bool truncated;             /* the data ended inside a field */
	const char *problem;        /* static reason when not LURE_OK, else NULL */
} lure_ole1_header;

/* Parses an ObjectHeader and the EmbeddedObject or LinkedObject fields that
 * follow it from data[0..len) into *out (always fully initialised).
 * Returns LURE_OK when every field was read; LURE_E_TRUNCATED when the data
 * ended early (the fields read so far are set, and NativeData is clamped to
 * what is present); LURE_E_MALFORMED when FormatID is not 1 or 2 or a string
 * length is absurd (0 or above its bound for ClassName). out->problem says
 * why in both error cases. Never allocates. */
lure_error lure_ole1_parse(const uint8_t *data, size_t len, lure_ole1_header *out);

/* "linked", "embedded" or "invalid". */
const char *lure_ole1_format_name(uint32_t format_id);

/* True when s is a plausible ProgID: 1..255 printable ASCII characters. */
bool lure_ole1_class_is_printable(const lure_ole1_string *s);

#endif
