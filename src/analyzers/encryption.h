/*
 * encryption.h - recognising encrypted Office documents (MS-OFFCRYPTO) in
 * compound files: encrypted OOXML (EncryptionInfo + EncryptedPackage),
 * Word (the FIB's fEncrypted), Excel (BIFF FILEPASS) and PowerPoint
 * (CryptSession10Container, EncryptedSummary).
 *
 * The parsers only read memory; they are exported for the tests and the
 * fuzzer. The analyser (lure_analyzer_encryption) reports doc.encrypted
 * once per compound file, with details.method.
 */
#ifndef LURE_ENCRYPTION_H
#define LURE_ENCRYPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

/* details.method values. */
#define LURE_CRYPT_STANDARD "standard"           /* ECMA-376 standard (AES) */
#define LURE_CRYPT_AGILE "agile"                 /* ECMA-376 agile */
#define LURE_CRYPT_EXTENSIBLE "extensible"       /* ECMA-376 extensible */
#define LURE_CRYPT_RC4 "rc4"                     /* Office binary RC4 */
#define LURE_CRYPT_RC4_CRYPTOAPI "rc4_cryptoapi" /* RC4 CryptoAPI */
#define LURE_CRYPT_XOR "xor"                     /* XOR obfuscation */
#define LURE_CRYPT_UNKNOWN "unknown"

/* An EncryptionVersionInfo (MS-OFFCRYPTO 2.3.4.1) as the method it
 * announces. ooxml: in an EncryptionInfo stream (ECMA-376 methods), else in
 * a binary document's encryption header (RC4 methods). Never NULL. */
const char *lure_encryption_method(uint16_t major, uint16_t minor, bool ooxml);

/* Reads the EncryptionVersionInfo at the start of data[0..len) into *major
 * and *minor. Returns LURE_E_TRUNCATED when shorter than 4 bytes. */
lure_error lure_encryption_parse_version(const uint8_t *data, size_t len, uint16_t *major,
					 uint16_t *minor);

/* The FibBase of a WordDocument stream (MS-DOC 2.5.2). */
typedef struct lure_fib_info {
	uint16_t w_ident;   /* 0xA5EC */
	uint16_t n_fib;     /* file format version */
	uint16_t flags;     /* the bit fields at offset 0x0A */
	bool encrypted;     /* fEncrypted */
	bool obfuscated;    /* fObfuscated: XOR rather than RC4 */
	bool table1;        /* fWhichTblStm: "1Table", else "0Table" */
	uint32_t l_key;     /* lKey: size of the encryption header when encrypted */
} lure_fib_info;

/* Parses the FibBase from data[0..len). Returns LURE_E_TRUNCATED when it is
 * cut off, LURE_E_MALFORMED when wIdent is not 0xA5EC (not Word binary). */
lure_error lure_encryption_parse_fib(const uint8_t *data, size_t len, lure_fib_info *out);

/* Walks the BIFF records of the first substream of a Workbook/Book stream
 * (MS-XLS 2.1.4, bounded) for FILEPASS. *method is set to the method when
 * found, NULL otherwise. Returns LURE_E_MALFORMED when the stream does not
 * start with a BOF record, LURE_E_TRUNCATED when a record runs past the
 * end before FILEPASS or EOF, LURE_E_LIMIT when the bound is reached. */
lure_error lure_encryption_parse_biff(const uint8_t *data, size_t len, const char **method);

/* Looks for a CryptSession10Container (MS-PPT 2.3.7) in a "PowerPoint
 * Document" stream: its record header followed by a plausible RC4
 * CryptoAPI version. Returns true when found. */
bool lure_encryption_find_ppt_crypt(const uint8_t *data, size_t len);

#endif
