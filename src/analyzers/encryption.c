/*
 * encryption.c - encrypted Office documents: what we cannot look inside
 * must at least be said (ClamAV issue #1127: a password-protected docx
 * reported clean).
 *
 * The formats (MS-OFFCRYPTO and the binary formats it serves):
 *  - Encrypted OOXML: the package is encrypted whole and stored in a
 *    compound file, as the stream "EncryptedPackage", next to
 *    "EncryptionInfo", whose first four bytes are an EncryptionVersionInfo
 *    (2.3.4.1: u16 vMajor, u16 vMinor). Standard encryption (2.3.4.5) is
 *    vMajor 2, 3 or 4 with vMinor 2; extensible (2.3.4.7) is 3 or 4 with
 *    vMinor 3; agile (2.3.4.10) is 4.4.
 *  - Word 97-2003: the WordDocument stream starts with the FibBase (MS-DOC
 *    2.5.2): wIdent 0xA5EC at offset 0, nFib at 2, and at 0x0A sixteen bit
 *    fields among which fEncrypted (0x0100), fWhichTblStm (0x0200: the
 *    table stream is "1Table", else "0Table") and fObfuscated (0x8000: XOR
 *    obfuscation, MS-OFFCRYPTO 2.3.6). Otherwise the table stream starts
 *    with the encryption header, whose version says RC4 (1.1, 2.3.6.1) or
 *    RC4 CryptoAPI (2, 3 or 4 with minor 2, 2.3.5.1). Formats before Word
 *    97 (nFib < 0xC1) only knew XOR.
 *  - Excel 97-2003: the Workbook stream (Book for BIFF5) is a sequence of
 *    BIFF records (MS-XLS 2.1.4: u16 type, u16 size, data). The globals
 *    substream starts with BOF (0x0809) and, when the file is encrypted,
 *    FILEPASS (0x002F, 2.4.117) follows: wEncryptionType 0 = XOR, 1 = RC4,
 *    then the RC4 header's version as above. A BIFF5 FILEPASS is 4 bytes
 *    of XOR key and hash, with no type.
 *  - PowerPoint 97-2003: the persist object CryptSession10Container (MS-PPT
 *    2.3.7, record type 0x2F14, recVer 0xF) holds an RC4 CryptoAPI header;
 *    encrypted files usually add an "EncryptedSummary" stream. The other
 *    records are encrypted too, headers included, so instead of walking
 *    them we look for that container's header followed by a plausible
 *    version (best effort).
 *
 * How we use them. The analyser reads each of these streams (root streams
 * of a compound file only) while its bytes are alive and notes what it
 * found as props on the stream (encryption, encryption_version,
 * table_stream); its finish pass then reports one doc.encrypted (medium)
 * per compound file, choosing the strongest evidence, with details method,
 * stream and version.
 *
 * Evasions. None hide encryption from Office itself: a file Office can
 * decrypt must say so in these fields. Damage (short streams, absurd
 * record sizes) only ends our walk; the BIFF walk is bounded in records.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "encryption.h"

#define FIB_W_IDENT 0xA5ECu
#define FIB_OFF_FLAGS 0x0A
#define FIB_OFF_L_KEY 0x0E
#define FIB_BASE_SIZE 0x20
#define FIB_F_ENCRYPTED 0x0100u
#define FIB_F_WHICH_TBL_STM 0x0200u
#define FIB_F_OBFUSCATED 0x8000u
/* nFib of Word 97; earlier versions only had XOR obfuscation. */
#define FIB_NFIB_WORD97 0x00C1u

#define BIFF_BOF 0x0809u
#define BIFF_BOF_BIFF2 0x0009u
#define BIFF_BOF_BIFF3 0x0209u
#define BIFF_BOF_BIFF4 0x0409u
#define BIFF_EOF 0x000Au
#define BIFF_FILEPASS 0x002Fu
#define BIFF_ENCRYPTION_XOR 0x0000u
#define BIFF_ENCRYPTION_RC4 0x0001u
/* Records walked looking for FILEPASS (it follows BOF at once in files
 * Excel writes; the bound only guards against hostile streams). */
#define BIFF_MAX_RECORDS 4096u

#define PPT_CRYPT_SESSION_TYPE 0x2F14u
#define PPT_CRYPT_SESSION_VER 0x000Fu
#define PPT_RECORD_HEADER_SIZE 8

const char *lure_encryption_method(uint16_t major, uint16_t minor, bool ooxml)
{
	bool cryptoapi_major = major >= 2 && major <= 4;

	if (ooxml) {
		if (major == 4 && minor == 4)
			return LURE_CRYPT_AGILE;
		if ((major == 3 || major == 4) && minor == 3)
			return LURE_CRYPT_EXTENSIBLE;
		if (cryptoapi_major && minor == 2)
			return LURE_CRYPT_STANDARD;
		return LURE_CRYPT_UNKNOWN;
	}
	if (major == 1 && minor == 1)
		return LURE_CRYPT_RC4;
	if (cryptoapi_major && minor == 2)
		return LURE_CRYPT_RC4_CRYPTOAPI;
	return LURE_CRYPT_UNKNOWN;
}

lure_error lure_encryption_parse_version(const uint8_t *data, size_t len, uint16_t *major,
					 uint16_t *minor)
{
	if (data == NULL || len < 4)
		return LURE_E_TRUNCATED;
	*major = lure_le16(data);
	*minor = lure_le16(data + 2);
	return LURE_OK;
}

lure_error lure_encryption_parse_fib(const uint8_t *data, size_t len, lure_fib_info *out)
{
	memset(out, 0, sizeof(*out));
	if (data == NULL || len < FIB_BASE_SIZE)
		return LURE_E_TRUNCATED;
	out->w_ident = lure_le16(data);
	if (out->w_ident != FIB_W_IDENT)
		return LURE_E_MALFORMED;
	out->n_fib = lure_le16(data + 2);
	out->flags = lure_le16(data + FIB_OFF_FLAGS);
	out->encrypted = (out->flags & FIB_F_ENCRYPTED) != 0;
	out->obfuscated = (out->flags & FIB_F_OBFUSCATED) != 0;
	out->table1 = (out->flags & FIB_F_WHICH_TBL_STM) != 0;
	out->l_key = lure_le32(data + FIB_OFF_L_KEY);
	return LURE_OK;
}

static bool is_bof(uint16_t type)
{
	return type == BIFF_BOF || type == BIFF_BOF_BIFF2 || type == BIFF_BOF_BIFF3 ||
	       type == BIFF_BOF_BIFF4;
}

/* The method a FILEPASS record body announces. */
static const char *filepass_method(const uint8_t *body, uint16_t size)
{
	if (size < 6)
		return LURE_CRYPT_XOR; /* BIFF5: key and hash only */
	uint16_t type = lure_le16(body);
	if (type == BIFF_ENCRYPTION_XOR)
		return LURE_CRYPT_XOR;
	if (type != BIFF_ENCRYPTION_RC4)
		return LURE_CRYPT_UNKNOWN;
	return lure_encryption_method(lure_le16(body + 2), lure_le16(body + 4), false);
}

lure_error lure_encryption_parse_biff(const uint8_t *data, size_t len, const char **method)
{
	lure_cursor c;
	*method = NULL;

	if (data == NULL)
		return LURE_E_TRUNCATED;
	lure_cursor_init(&c, data, len);
	for (unsigned i = 0; i < BIFF_MAX_RECORDS; i++) {
		uint16_t type, size;
		const uint8_t *body;
		if (lure_cursor_remaining(&c) == 0)
			return i == 0 ? LURE_E_TRUNCATED : LURE_OK;
		if (lure_cursor_u16le(&c, &type) != LURE_OK || lure_cursor_u16le(&c, &size) != LURE_OK ||
		    lure_cursor_bytes(&c, size, &body) != LURE_OK)
			return LURE_E_TRUNCATED;
		if (i == 0 && !is_bof(type))
			return LURE_E_MALFORMED;
		if (type == BIFF_FILEPASS) {
			*method = filepass_method(body, size);
			return LURE_OK;
		}
		if (type == BIFF_EOF)
			return LURE_OK;
	}
	return LURE_E_LIMIT;
}

bool lure_encryption_find_ppt_crypt(const uint8_t *data, size_t len)
{
	static const uint8_t header[4] = {
		PPT_CRYPT_SESSION_VER & 0xFF, PPT_CRYPT_SESSION_VER >> 8,
		PPT_CRYPT_SESSION_TYPE & 0xFF, PPT_CRYPT_SESSION_TYPE >> 8,
	};
	if (data == NULL || len < PPT_RECORD_HEADER_SIZE + 4)
		return false;
	size_t last = len - (PPT_RECORD_HEADER_SIZE + 4); /* last place a header fits */
	for (size_t off = 0; off <= last; off++) {
		const uint8_t *p = memchr(data + off, header[0], last - off + 1);
		if (p == NULL)
			return false;
		off = (size_t)(p - data);
		if (memcmp(p, header, sizeof(header)) != 0)
			continue;
		uint16_t major = lure_le16(p + PPT_RECORD_HEADER_SIZE);
		uint16_t minor = lure_le16(p + PPT_RECORD_HEADER_SIZE + 2);
		if (strcmp(lure_encryption_method(major, minor, false), LURE_CRYPT_UNKNOWN) != 0)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------
 * The analyser.
 */

#define S_ENCRYPTION_INFO "EncryptionInfo"
#define S_ENCRYPTED_PACKAGE "EncryptedPackage"
#define S_WORD_DOCUMENT "WordDocument"
#define S_TABLE0 "0Table"
#define S_TABLE1 "1Table"
#define S_WORKBOOK "Workbook"
#define S_BOOK "Book"
#define S_PPT_DOCUMENT "PowerPoint Document"
#define S_ENCRYPTED_SUMMARY "EncryptedSummary"

#define PROP_METHOD "encryption"
#define PROP_VERSION "encryption_version"
#define PROP_TABLE "table_stream"

static bool is_ole2(const lure_artifact *a)
{
	return a != NULL && a->kind != NULL && strcmp(a->kind, "ole2") == 0;
}

static bool name_is(const lure_artifact *a, const char *name)
{
	return strcmp(a->name, name) == 0;
}

static bool accepts(const lure_scan *scan, const lure_artifact *a)
{
	if (a->parent < 0)
		return false;
	if (!name_is(a, S_ENCRYPTION_INFO) && !name_is(a, S_WORD_DOCUMENT) &&
	    !name_is(a, S_TABLE0) && !name_is(a, S_TABLE1) && !name_is(a, S_WORKBOOK) &&
	    !name_is(a, S_BOOK) && !name_is(a, S_PPT_DOCUMENT))
		return false;
	return is_ole2(lure_scan_artifact(scan, (unsigned)a->parent));
}

static void set_version_prop(lure_artifact *a, uint16_t major, uint16_t minor)
{
	char v[16];
	g_snprintf(v, sizeof(v), "%u.%u", major, minor);
	lure_artifact_set_prop(a, PROP_VERSION, v);
}

static void look_at_word(lure_artifact *a)
{
	lure_fib_info fib;
	if (lure_encryption_parse_fib(a->data, a->len, &fib) != LURE_OK || !fib.encrypted)
		return;
	bool xor = fib.obfuscated || fib.n_fib < FIB_NFIB_WORD97;
	lure_artifact_set_prop(a, PROP_METHOD, xor ? LURE_CRYPT_XOR : LURE_CRYPT_RC4);
	lure_artifact_set_prop(a, PROP_TABLE, fib.table1 ? S_TABLE1 : S_TABLE0);
}

/* A table stream: its version is kept only when it is one an encryption
 * header can have, for the finish pass to refine Word's method. */
static void look_at_table(lure_artifact *a)
{
	uint16_t major, minor;
	if (lure_encryption_parse_version(a->data, a->len, &major, &minor) != LURE_OK)
		return;
	if (strcmp(lure_encryption_method(major, minor, false), LURE_CRYPT_UNKNOWN) != 0)
		set_version_prop(a, major, minor);
}

static lure_error run(lure_scan *scan, lure_artifact *a)
{
	uint16_t major, minor;
	const char *method = NULL;
	(void)scan;

	if (name_is(a, S_ENCRYPTION_INFO)) {
		if (lure_encryption_parse_version(a->data, a->len, &major, &minor) == LURE_OK) {
			set_version_prop(a, major, minor);
			method = lure_encryption_method(major, minor, true);
		}
		lure_artifact_set_prop(a, PROP_METHOD, method != NULL ? method : LURE_CRYPT_UNKNOWN);
	} else if (name_is(a, S_WORD_DOCUMENT)) {
		look_at_word(a);
	} else if (name_is(a, S_TABLE0) || name_is(a, S_TABLE1)) {
		look_at_table(a);
	} else if (name_is(a, S_WORKBOOK) || name_is(a, S_BOOK)) {
		lure_encryption_parse_biff(a->data, a->len, &method);
		if (method != NULL)
			lure_artifact_set_prop(a, PROP_METHOD, method);
	} else if (name_is(a, S_PPT_DOCUMENT)) {
		if (lure_encryption_find_ppt_crypt(a->data, a->len))
			lure_artifact_set_prop(a, PROP_METHOD, LURE_CRYPT_RC4_CRYPTOAPI);
	}
	return LURE_OK;
}

/* The root streams of one compound file that matter here. */
typedef struct crypt_container {
	lure_artifact *a;
	const lure_artifact *info, *package, *word, *table0, *table1, *workbook, *ppt, *summary;
} crypt_container;

static void note_stream(crypt_container *c, const lure_artifact *s)
{
	const struct {
		const char *name;
		const lure_artifact **slot;
	} slots[] = {
		{S_ENCRYPTION_INFO, &c->info}, {S_ENCRYPTED_PACKAGE, &c->package},
		{S_WORD_DOCUMENT, &c->word},   {S_TABLE0, &c->table0},
		{S_TABLE1, &c->table1},        {S_WORKBOOK, &c->workbook},
		{S_BOOK, &c->workbook},        {S_PPT_DOCUMENT, &c->ppt},
		{S_ENCRYPTED_SUMMARY, &c->summary},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(slots); i++)
		if (*slots[i].slot == NULL && name_is(s, slots[i].name))
			*slots[i].slot = s;
}

static void report(lure_scan *scan, const crypt_container *c, const char *method,
		   const char *stream, const char *version)
{
	lure_finding *f = lure_finding_add(scan, c->a, LURE_IND_DOC_ENCRYPTED,
					   "encrypted document (%s); its content cannot be inspected",
					   method);
	lure_finding_detail(f, "method", "%s", method);
	lure_finding_detail(f, "stream", "%s", stream);
	if (version != NULL)
		lure_finding_detail(f, "version", "%s", version);
}

/* Word's method, refined by the table stream's encryption header. */
static void report_word(lure_scan *scan, const crypt_container *c, const char *method)
{
	const char *table_name = lure_artifact_get_prop(c->word, PROP_TABLE);
	const lure_artifact *table =
		table_name != NULL && strcmp(table_name, S_TABLE1) == 0 ? c->table1 : c->table0;
	const char *version = table != NULL ? lure_artifact_get_prop(table, PROP_VERSION) : NULL;
	unsigned major, minor;

	if (strcmp(method, LURE_CRYPT_RC4) == 0 && version != NULL &&
	    sscanf(version, "%u.%u", &major, &minor) == 2)
		method = lure_encryption_method((uint16_t)major, (uint16_t)minor, false);
	if (strcmp(method, LURE_CRYPT_UNKNOWN) == 0)
		method = LURE_CRYPT_RC4;
	report(scan, c, method, S_WORD_DOCUMENT,
	       strcmp(method, LURE_CRYPT_XOR) != 0 ? version : NULL);
}

/* One doc.encrypted per compound file, from the strongest evidence. */
static void judge(lure_scan *scan, const crypt_container *c)
{
	const char *m;

	if (c->info != NULL || c->package != NULL) {
		m = c->info != NULL ? lure_artifact_get_prop(c->info, PROP_METHOD) : NULL;
		report(scan, c, m != NULL ? m : LURE_CRYPT_UNKNOWN,
		       c->info != NULL ? S_ENCRYPTION_INFO : S_ENCRYPTED_PACKAGE,
		       c->info != NULL ? lure_artifact_get_prop(c->info, PROP_VERSION) : NULL);
	} else if (c->word != NULL && (m = lure_artifact_get_prop(c->word, PROP_METHOD)) != NULL) {
		report_word(scan, c, m);
	} else if (c->workbook != NULL &&
		   (m = lure_artifact_get_prop(c->workbook, PROP_METHOD)) != NULL) {
		report(scan, c, m, c->workbook->name, NULL);
	} else if (c->ppt != NULL && (m = lure_artifact_get_prop(c->ppt, PROP_METHOD)) != NULL) {
		report(scan, c, m, S_PPT_DOCUMENT, NULL);
	} else if (c->summary != NULL) {
		report(scan, c, LURE_CRYPT_RC4_CRYPTOAPI, S_ENCRYPTED_SUMMARY, NULL);
	}
}

static lure_error finish(lure_scan *scan)
{
	GHashTable *by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *order = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < scan->artifacts->len; i++) {
		lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		if (is_ole2(a)) {
			crypt_container *c = g_new0(crypt_container, 1);
			c->a = a;
			g_hash_table_insert(by_id, GUINT_TO_POINTER(a->id), c);
			g_ptr_array_add(order, c);
		} else if (a->parent >= 0) {
			crypt_container *c = g_hash_table_lookup(by_id, GUINT_TO_POINTER((unsigned)a->parent));
			if (c != NULL)
				note_stream(c, a);
		}
	}
	for (guint i = 0; i < order->len; i++)
		judge(scan, g_ptr_array_index(order, i));
	g_ptr_array_free(order, TRUE);
	g_hash_table_destroy(by_id);
	return LURE_OK;
}

const lure_analyzer lure_analyzer_encryption = {
	.name = "encryption",
	.accepts = accepts,
	.run = run,
	.finish = finish,
};
