/*
 * zip.c - ZIP archives (PKWARE APPNOTE.TXT 6.3.x) and the OPC packages that
 * Office builds on them (ECMA-376 Part 2, Annex C).
 *
 * The format. A ZIP is a run of entries, each a local file header
 * (APPNOTE 4.3.7, "PK\3\4": flags, compression method, CRC-32, compressed
 * and uncompressed sizes, the name, an extra field) followed by the entry's
 * data and, when flag bit 3 is set, a data descriptor (4.3.9) that carries
 * the CRC and sizes the header could not know when it was written. After the
 * entries comes the central directory (4.3.12, "PK\1\2"), one record per
 * entry with the same fields plus the offset of the entry's local header, and
 * last the end of central directory record (EOCD, 4.3.16, "PK\5\6") with the
 * entry count and the directory's size and offset, then a comment of up to
 * 65535 bytes. ZIP64 (4.3.14, 4.3.15, 4.5.3) replaces 16- and 32-bit fields
 * set to all ones with 64-bit values: a ZIP64 EOCD record, found through a
 * locator just before the EOCD, and a ZIP64 extra field (id 0x0001) in each
 * header. A reader finds the archive from its end: search back for the EOCD,
 * read the central directory, and reach each entry through its offset.
 *
 * OPC. An Office Open XML document is a ZIP whose entries are "parts":
 * "[Content_Types].xml" maps parts to content types, "_rels/.rels" and
 * "<folder>/_rels/<part>.rels" hold relationships, and the main part is
 * "word/document.xml", "xl/workbook.xml" or "ppt/presentation.xml" by
 * convention (the package relationship officeDocument says which). Office
 * reads the central directory, so that is the view we take too.
 *
 * How we walk. libzip opens the archive from memory (zip_source_buffer_create,
 * no copy) and gives us the central directory; we read every file entry with
 * zip_fopen_index/zip_fread in 64 KiB steps straight into a growable buffer
 * and charge the scan for each step before keeping it, so a bomb is refused
 * when it passes the artifact-size, total-size or ratio limit, never after
 * its bytes exist. Declared sizes are hints for the first allocation only.
 * We open without ZIP_CHECKCONS: it would read every local header once (cheap
 * in memory), but it also rejects archives that Office opens (duplicate names,
 * bytes after the EOCD, a directory not adjacent to its EOCD), and we would
 * lose the central directory view for the salvage one. Instead we make our
 * own checks and report what we find. When libzip cannot open the archive at
 * all (truncated, no EOCD, garbled directory), we report why and salvage: we
 * walk the local headers from the front with the bounded cursor, take stored
 * entries as they are and inflate deflated ones with zlib under the same
 * limits. The salvage view is what streaming readers (and repair tools) see.
 * A libzip cost we cannot interrupt: when the last 64 KiB hold several EOCD
 * candidates, it compares their directories by reading every local header
 * of each, inside zip_open, where our timeout cannot reach; the cost is
 * bounded by the input's size.
 *
 * What we record: each file entry (not directories) becomes a child named
 * by its raw stored name, with the sha256 and size of its inflated bytes; a
 * child whose bytes may be incomplete has the property "damaged". On the
 * archive: "entries" (file entries seen, extracted or not), "salvaged"
 * when the local headers were walked, and for a package (an entry named
 * "[Content_Types].xml") the kind "ooxml" and "ooxml_app" ("word", "excel"
 * or "powerpoint", from the main part's conventional name, else from the
 * first "word/", "xl/" or "ppt/" folder).
 *
 * Evasions, and what we do about them:
 *  - Decompression bombs, flat (one huge entry of zeros) or nested (zips in
 *    zips): the size, total and ratio limits, checked while inflating.
 *  - Overlapping entries (many central directory records pointing into one
 *    compressed "kernel", Fifield's non-recursive bomb): reported as
 *    container.malformed; the total limit stops the expansion.
 *  - Lying sizes: a declared size never sizes a buffer beyond a small cap,
 *    and a declared size above the artifact limit is refused up front (and
 *    reported, never silent).
 *  - Duplicate names (two "word/document.xml", or names equal but for case,
 *    which OPC treats as the same part): container.malformed, both kept, so
 *    whichever one a reader picks is scanned.
 *  - Truncated or garbled central directories, or none: salvage from the
 *    local headers, with container.malformed saying why.
 *  - Local headers that disagree with the central directory (what a streaming
 *    scanner sees is not what Office opens): container.malformed.
 *  - Data prepended to the archive (to dodge signature checks at offset 0):
 *    the probe still bids when the end of the file holds a valid EOCD, we hand
 *    libzip the archive from where it really starts, and report the prefix.
 *  - Encrypted entries: doc.encrypted; they cannot be inspected.
 *  - Path traversal names ("../../x", "C:\x", absolute paths) matter only when
 *    writing files; the extractor sanitises them. Names are kept as stored.
 */
#include <inttypes.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "core/text.h"

/* APPNOTE 4.3.7: local file header. */
#define ZIP_LFH_SIG "PK\x03\x04"
#define ZIP_LFH_LEN 30u
/* APPNOTE 4.3.9: data descriptor, with its optional signature. */
#define ZIP_DD_SIG "PK\x07\x08"
#define ZIP_DD_LEN 12u    /* crc-32, compressed size, uncompressed size */
#define ZIP64_DD_LEN 20u  /* crc-32 and two 8-byte sizes */
/* APPNOTE 4.3.12: central directory file header. */
#define ZIP_CDH_SIG "PK\x01\x02"
#define ZIP_CDH_LEN 46u
/* APPNOTE 4.3.16: end of central directory record. */
#define ZIP_EOCD_SIG "PK\x05\x06"
#define ZIP_EOCD_LEN 22u
#define ZIP_COMMENT_MAX 0xFFFFu
/* APPNOTE 4.3.14, 4.3.15: ZIP64 end of central directory record, locator. */
#define ZIP64_EOCD_SIG "PK\x06\x06"
#define ZIP64_EOCD_LEN 56u
#define ZIP64_LOCATOR_SIG "PK\x06\x07"
#define ZIP64_LOCATOR_LEN 20u
/* APPNOTE 8.5.4: markers a single-segment split archive may start with. */
#define ZIP_SPLIT_SIG "PK\x07\x08"
#define ZIP_SPLIT_SIG_PK00 "PK00"
/* APPNOTE 4.4.4: general purpose bit flags. */
#define ZIP_GPBF_ENCRYPTED 0x0001u
#define ZIP_GPBF_DATA_DESCRIPTOR 0x0008u
#define ZIP_GPBF_STRONG_ENCRYPTION 0x0040u
/* APPNOTE 4.4.5: compression methods. */
#define ZIP_METHOD_STORED 0u
#define ZIP_METHOD_DEFLATED 8u
#define ZIP_METHOD_AES 99u /* APPNOTE 4.4.5: AE-x encryption marker */
/* APPNOTE 4.5.3: ZIP64 extended information extra field. */
#define ZIP64_EXTRA_ID 0x0001u
#define ZIP64_MARK16 0xFFFFu
#define ZIP64_MARK32 0xFFFFFFFFu

/* ECMA-376 Part 2, 10.1.2.1: the content types stream's item name. */
#define OPC_CONTENT_TYPES "[Content_Types].xml"

/* Bid for an archive that does not start at offset 0 but whose EOCD and
 * central directory check out: more than a weak hint, less than a signature
 * at offset 0 (a PE with an appended archive stays a PE). */
#define ZIP_BID_EMBEDDED 50u

/* Inflate step: the unit in which the scan is charged. */
#define ZIP_CHUNK (64u * 1024u)
/* First allocation for an entry is its declared size, but never more. */
#define ZIP_HINT_MAX (8u * 1024u * 1024u)
/* A central directory that lists more than this many times the artifact
 * limit is not handed to libzip, which would allocate a record per entry. */
#define ZIP_CD_ENTRIES_FACTOR 8u

/* Where the archive is, as its end records tell. */
typedef struct zip_layout {
	size_t eocd;          /* offset of the EOCD record in the data */
	size_t cd_start;      /* offset of the central directory in the data */
	size_t prefix;        /* bytes before the archive's offset 0 */
	uint64_t nentries;
	uint64_t cd_size;
	uint64_t cd_offset;   /* as declared, relative to the archive's start */
	bool zip64;
} zip_layout;

/* The state of one walk. */
typedef struct zip_walk {
	lure_scan *scan;
	lure_artifact *a;
	GHashTable *names;        /* raw names seen (owned keys) */
	GHashTable *folded;       /* ASCII-lowercased names seen (owned keys) */
	char *case_dup;           /* first name equal to another but for case */
	unsigned entries;         /* file entries seen, extracted or not */
	bool has_content_types;
	const char *app;          /* "word", "excel", "powerpoint" or NULL */
	const char *app_guess;    /* from a folder name, when no main part */
	bool stop;                /* no more children: limit, timeout */
	lure_error fatal;         /* LURE_E_NOMEM */
} zip_walk;

/* A growing buffer for one entry's inflated bytes. */
typedef struct entry_buf {
	const char *name;     /* raw entry name */
	uint8_t *data;
	size_t len;
	size_t cap;
	uint64_t compressed;  /* bytes the entry takes in the archive, >= 1 */
} entry_buf;

static bool has_sig(const uint8_t *d, size_t n, size_t off, const char *sig)
{
	return lure_range_fits(n, off, 4) && memcmp(d + off, sig, 4) == 0;
}

/* ---- end records ---- */

/* Reads the ZIP64 EOCD record the locator at loc points to. The record sits
 * at its declared offset when nothing precedes the archive, else just before
 * the locator. Fills l; false when neither place holds one. */
static bool read_zip64_eocd(const uint8_t *d, size_t n, size_t loc, zip_layout *l)
{
	uint64_t declared = 0;
	size_t at;
	lure_cursor c;

	lure_cursor_init(&c, d, n);
	if (lure_cursor_seek(&c, loc + 8) != LURE_OK || lure_cursor_u64le(&c, &declared) != LURE_OK)
		return false;
	if (declared <= SIZE_MAX && declared <= loc && has_sig(d, n, (size_t)declared, ZIP64_EOCD_SIG))
		at = (size_t)declared;
	else if (loc >= ZIP64_EOCD_LEN && has_sig(d, n, loc - ZIP64_EOCD_LEN, ZIP64_EOCD_SIG))
		at = loc - ZIP64_EOCD_LEN;
	else
		return false;
	if (lure_cursor_seek(&c, at + 32) != LURE_OK || lure_cursor_u64le(&c, &l->nentries) != LURE_OK ||
	    lure_cursor_u64le(&c, &l->cd_size) != LURE_OK ||
	    lure_cursor_u64le(&c, &l->cd_offset) != LURE_OK)
		return false;
	l->zip64 = true;
	/* The directory ends where the ZIP64 record starts. */
	l->eocd = at;
	return true;
}

/* Checks one EOCD candidate at e and locates its central directory. */
static bool try_eocd(const uint8_t *d, size_t n, size_t e, zip_layout *l)
{
	uint16_t count, comment_len;
	uint32_t cd_size, cd_offset;
	size_t cd_end;

	if (!lure_range_fits(n, e, ZIP_EOCD_LEN) || memcmp(d + e, ZIP_EOCD_SIG, 4) != 0)
		return false;
	count = lure_le16(d + e + 10);
	cd_size = lure_le32(d + e + 12);
	cd_offset = lure_le32(d + e + 16);
	comment_len = lure_le16(d + e + 20);
	if (!lure_range_fits(n, e + ZIP_EOCD_LEN, comment_len))
		return false;
	memset(l, 0, sizeof(*l));
	l->nentries = count;
	l->cd_size = cd_size;
	l->cd_offset = cd_offset;
	cd_end = e;
	if ((count == ZIP64_MARK16 || cd_size == ZIP64_MARK32 || cd_offset == ZIP64_MARK32) &&
	    e >= ZIP64_LOCATOR_LEN && has_sig(d, n, e - ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_SIG)) {
		if (!read_zip64_eocd(d, n, e - ZIP64_LOCATOR_LEN, l))
			return false;
		cd_end = l->eocd;
	}
	l->eocd = e;
	if (l->cd_size > cd_end)
		return false;
	/* Where the directory says it is, or else right before the end records:
	 * the difference is data prepended to the archive. */
	if (l->cd_offset <= cd_end - l->cd_size &&
	    (l->cd_size == 0 || has_sig(d, n, (size_t)l->cd_offset, ZIP_CDH_SIG))) {
		l->cd_start = (size_t)l->cd_offset;
		l->prefix = 0;
		return true;
	}
	l->cd_start = cd_end - (size_t)l->cd_size;
	if (l->cd_offset > l->cd_start || l->cd_size == 0 || !has_sig(d, n, l->cd_start, ZIP_CDH_SIG))
		return false;
	l->prefix = l->cd_start - (size_t)l->cd_offset;
	return true;
}

/* Finds the last EOCD in the final 64 KiB + 22 bytes whose central directory
 * checks out. Bounded: at most 65557 candidate offsets. */
static bool find_layout(const uint8_t *d, size_t n, zip_layout *l)
{
	size_t lowest;

	if (n < ZIP_EOCD_LEN)
		return false;
	lowest = n - ZIP_EOCD_LEN > ZIP_COMMENT_MAX ? n - ZIP_EOCD_LEN - ZIP_COMMENT_MAX : 0;
	for (size_t e = n - ZIP_EOCD_LEN + 1; e-- > lowest;) {
		if (d[e] == 'P' && try_eocd(d, n, e, l))
			return true;
	}
	return false;
}

static bool starts_like_zip(const uint8_t *d, size_t n)
{
	if (has_sig(d, n, 0, ZIP_LFH_SIG) || has_sig(d, n, 0, ZIP_EOCD_SIG))
		return true;
	return (has_sig(d, n, 0, ZIP_SPLIT_SIG) || has_sig(d, n, 0, ZIP_SPLIT_SIG_PK00)) &&
	       has_sig(d, n, 4, ZIP_LFH_SIG);
}

static unsigned probe(const uint8_t *d, size_t n)
{
	zip_layout l;

	if (starts_like_zip(d, n))
		return LURE_BID_CERTAIN;
	if (find_layout(d, n, &l) && l.nentries > 0)
		return ZIP_BID_EMBEDDED;
	return 0;
}

/* ---- entries ---- */

static void note_malformed_entry(zip_walk *w, const char *name, const char *what,
				 const char *why)
{
	char *shown = lure_display_escape_str(name);
	lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
					   "entry '%s' %s%s%s", shown, what,
					   why != NULL ? ": " : "", why != NULL ? why : "");
	lure_finding_detail(f, "entry", "%s", name);
	if (why != NULL)
		lure_finding_detail(f, "error", "%s", why);
	g_free(shown);
}

/* Records a file entry's name: counts it, reports duplicates, and notes the
 * names that make the archive an OPC package. Returns false (and stops the
 * walk) once more entries were seen than the artifact limit allows: entries
 * that are not extracted (encrypted, refused) still cost a finding and a
 * name each. */
static bool note_name(zip_walk *w, const char *name)
{
	char *folded;
	bool exact;

	if (w->entries >= w->scan->limits.max_artifacts) {
		if (!w->scan->artifacts_full)
			lure_scan_limit_hit(w->scan, w->a, LURE_LIMIT_ARTIFACTS,
					    "more than %u entries; the rest were not read",
					    w->scan->limits.max_artifacts);
		w->scan->artifacts_full = true;
		w->stop = true;
		return false;
	}
	folded = g_ascii_strdown(name, -1);
	exact = g_hash_table_contains(w->names, name);
	w->entries++;
	if (exact)
		note_malformed_entry(w, name, "appears more than once; every copy is scanned",
				     NULL);
	else
		g_hash_table_add(w->names, g_strdup(name));
	if (g_hash_table_contains(w->folded, folded)) {
		if (w->case_dup == NULL && !exact)
			w->case_dup = g_strdup(name);
		g_free(folded);
	} else {
		g_hash_table_add(w->folded, folded);
	}
	/* OPC part names compare case-insensitively (ECMA-376 Part 2, 9.1.1). */
	if (g_ascii_strcasecmp(name, OPC_CONTENT_TYPES) == 0)
		w->has_content_types = true;
	else if (g_ascii_strcasecmp(name, "word/document.xml") == 0)
		w->app = "word";
	else if (g_ascii_strcasecmp(name, "xl/workbook.xml") == 0 ||
		 g_ascii_strcasecmp(name, "xl/workbook.bin") == 0)
		w->app = "excel";
	else if (g_ascii_strcasecmp(name, "ppt/presentation.xml") == 0)
		w->app = "powerpoint";
	else if (w->app_guess == NULL && g_ascii_strncasecmp(name, "word/", 5) == 0)
		w->app_guess = "word";
	else if (w->app_guess == NULL && g_ascii_strncasecmp(name, "xl/", 3) == 0)
		w->app_guess = "excel";
	else if (w->app_guess == NULL && g_ascii_strncasecmp(name, "ppt/", 4) == 0)
		w->app_guess = "powerpoint";
	return true;
}

static void note_encrypted(zip_walk *w, const char *name, const char *scheme)
{
	char *shown = lure_display_escape_str(name);
	lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_DOC_ENCRYPTED,
					   "entry '%s' is encrypted (%s); not inspected", shown,
					   scheme);
	lure_finding_detail(f, "method", "zip");
	lure_finding_detail(f, "entry", "%s", name);
	lure_finding_detail(f, "scheme", "%s", scheme);
	g_free(shown);
}

static void note_unsupported(zip_walk *w, const char *name, unsigned method)
{
	char *shown = lure_display_escape_str(name);
	lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
					   "entry '%s' uses unsupported compression method %u; "
					   "not inspected", shown, method);
	lure_finding_detail(f, "entry", "%s", name);
	lure_finding_detail(f, "compression_method", "%u", method);
	g_free(shown);
}

static void buf_init(entry_buf *b, const char *name, uint64_t compressed)
{
	memset(b, 0, sizeof(*b));
	b->name = name;
	b->compressed = compressed > 0 ? compressed : 1;
}

/* Makes room for at least one more byte, first to about the declared size
 * (hint, capped), then geometrically, but never past the artifact-size
 * limit or the scan's remaining total budget (each plus one chunk). */
static lure_error buf_room(const lure_scan *scan, entry_buf *b, uint64_t hint)
{
	uint64_t want, budget, ceiling;
	uint8_t *p;

	if (b->len < b->cap)
		return LURE_OK;
	if (b->cap == 0)
		want = (hint < ZIP_HINT_MAX ? hint : ZIP_HINT_MAX) + 1;
	else
		want = (uint64_t)b->cap + (b->cap > ZIP_CHUNK ? b->cap : ZIP_CHUNK);
	if (want < ZIP_CHUNK)
		want = ZIP_CHUNK;
	ceiling = scan->limits.max_artifact_size < UINT64_MAX - ZIP_CHUNK
		? scan->limits.max_artifact_size + ZIP_CHUNK : UINT64_MAX;
	budget = scan->total_bytes < scan->limits.max_total_size
		? scan->limits.max_total_size - scan->total_bytes : 0;
	if (ceiling > (uint64_t)b->len + budget + ZIP_CHUNK)
		ceiling = (uint64_t)b->len + budget + ZIP_CHUNK;
	if (want > ceiling)
		want = ceiling;
	if (want > SIZE_MAX)
		want = SIZE_MAX;
	if (want <= b->len)
		want = (uint64_t)b->len + 1;
	p = g_try_realloc(b->data, (size_t)want);
	if (p == NULL)
		return LURE_E_NOMEM;
	b->data = p;
	b->cap = (size_t)want;
	return LURE_OK;
}

/* Keeps n more bytes just written at b->data + b->len: charges the scan
 * first, then checks the ratio. LURE_E_LIMIT (reported) drops the entry. */
static lure_error buf_commit(zip_walk *w, entry_buf *b, size_t n)
{
	lure_scan *scan = w->scan;
	uint64_t size = (uint64_t)b->len + n;

	if (lure_scan_charge(scan, w->a, b->name, n, size) != LURE_OK)
		return LURE_E_LIMIT;
	b->len += n;
	/* size > compressed * max_ratio, without the product's overflow. */
	if (scan->limits.max_ratio > 0 && size > scan->limits.ratio_floor &&
	    (size - 1) / b->compressed >= scan->limits.max_ratio) {
		char *shown = lure_display_escape_str(b->name);
		lure_finding *f = lure_scan_limit_hit(scan, w->a, LURE_LIMIT_RATIO,
			"'%s' inflates more than %u:1 (%" PRIu64 " bytes from %" PRIu64
			"); not unpacked", shown, scan->limits.max_ratio, size, b->compressed);
		lure_finding_detail(f, "artifact", "%s", shown);
		lure_finding_detail(f, "compressed_size", "%" PRIu64, b->compressed);
		lure_finding_detail(f, "inflated_size", "%" PRIu64, size);
		lure_finding_detail(f, "ratio", "%" PRIu64, size / b->compressed);
		g_free(shown);
		return LURE_E_LIMIT;
	}
	if (lure_scan_expired(scan))
		return LURE_E_TIMEOUT;
	return LURE_OK;
}

/* Hands a finished entry over as a child (the buffer goes with it). damage,
 * when not NULL, says why the bytes may be incomplete. */
static void emit_child(zip_walk *w, entry_buf *b, const char *damage)
{
	lure_artifact *child = NULL;
	lure_error err;

	if (b->cap > b->len + 4096) {
		uint8_t *p = g_try_realloc(b->data, b->len > 0 ? b->len : 1);
		if (p != NULL)
			b->data = p;
	}
	err = lure_scan_add_child(w->scan, w->a, b->name, b->data, b->len, &child);
	b->data = NULL;
	b->len = b->cap = 0;
	if (err != LURE_OK) {
		w->stop = true;
		return;
	}
	if (damage != NULL)
		lure_artifact_set_prop(child, "damaged", damage);
}

/* Ends an entry whose reading stopped with err. */
static void entry_failed(zip_walk *w, entry_buf *b, lure_error err)
{
	g_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	if (err == LURE_E_NOMEM)
		w->fatal = err;
	if (err == LURE_E_NOMEM || err == LURE_E_TIMEOUT)
		w->stop = true;
}

/* ---- the central directory, through libzip ---- */

static void read_libzip_entry(zip_walk *w, zip_t *za, zip_uint64_t index)
{
	lure_scan *scan = w->scan;
	zip_stat_t st;
	zip_file_t *zf;
	entry_buf b;
	const char *name;
	char *fallback = NULL;
	uint64_t hint = 0, compressed = w->a->len;
	lure_error err = LURE_OK;

	zip_stat_init(&st);
	if (zip_stat_index(za, index, ZIP_FL_ENC_RAW, &st) != 0) {
		lure_finding *f = lure_finding_add(scan, w->a, LURE_IND_CONTAINER_MALFORMED,
			"central directory entry %" PRIu64 " cannot be read: %s", (uint64_t)index,
			zip_strerror(za));
		lure_finding_detail(f, "error", "%s", zip_strerror(za));
		return;
	}
	name = (st.valid & ZIP_STAT_NAME) && st.name != NULL ? st.name : "";
	if (name[0] == '\0')
		name = fallback = g_strdup_printf("entry[%" PRIu64 "]", (uint64_t)index);
	/* A directory: a name ending in '/' and nothing in it. */
	if (name[strlen(name) - 1] == '/' && (st.valid & ZIP_STAT_SIZE) && st.size == 0)
		goto out;
	if (!note_name(w, name))
		goto out;
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		note_encrypted(w, name, st.encryption_method == ZIP_EM_TRAD_PKWARE
				 ? "traditional PKWARE" : st.encryption_method == ZIP_EM_UNKNOWN
				 ? "strong encryption" : "AES");
		goto out;
	}
	if ((st.valid & ZIP_STAT_COMP_METHOD) &&
	    !zip_compression_method_supported(st.comp_method, 0)) {
		note_unsupported(w, name, st.comp_method);
		goto out;
	}
	if (st.valid & ZIP_STAT_SIZE) {
		if (st.size > scan->limits.max_artifact_size) {
			lure_scan_charge(scan, w->a, name, st.size, st.size);
			goto out;
		}
		hint = st.size;
	}
	if ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size < compressed)
		compressed = st.comp_size;

	zf = zip_fopen_index(za, index, 0);
	if (zf == NULL) {
		note_malformed_entry(w, name, "cannot be opened", zip_strerror(za));
		goto out;
	}
	buf_init(&b, name, compressed);
	for (;;) {
		zip_int64_t got;

		err = buf_room(scan, &b, hint);
		if (err != LURE_OK)
			break;
		got = zip_fread(zf, b.data + b.len, MIN(b.cap - b.len, (size_t)ZIP_CHUNK));
		if (got < 0) {
			/* What was read stands: a reader that ignores the
			 * damage (Word's repair) sees at least this much. */
			note_malformed_entry(w, name, "cannot be read to its end",
					     zip_file_strerror(zf));
			zip_fclose(zf);
			emit_child(w, &b, "read error");
			goto out;
		}
		if (got == 0)
			break;
		err = buf_commit(w, &b, (size_t)got);
		if (err != LURE_OK)
			break;
	}
	zip_fclose(zf);
	if (err != LURE_OK)
		entry_failed(w, &b, err);
	else
		emit_child(w, &b, NULL);
out:
	g_free(fallback);
}

/* Reads the central directory ourselves (bounded by the layout) to find what
 * libzip does not report: entries whose data overlap, and local headers that
 * name another entry than the directory does. One finding of each kind. */
typedef struct cd_span {
	uint64_t start;     /* local header offset, in the data */
	uint64_t end;       /* end of the entry's data */
	const uint8_t *name; /* in the central directory, not NUL-terminated */
	uint16_t name_len;
} cd_span;

static int cmp_span(const void *x, const void *y)
{
	const cd_span *p = x, *q = y;
	return p->start < q->start ? -1 : p->start > q->start ? 1 : 0;
}

/* Pulls the 64-bit values out of a ZIP64 extra field for those of the three
 * 32-bit fields that are all ones, in APPNOTE 4.5.3's order. */
static void zip64_extra(const uint8_t *x, size_t xlen, uint64_t *usize, uint64_t *csize,
			uint64_t *offset)
{
	lure_cursor c;
	uint16_t id, len;

	lure_cursor_init(&c, x, xlen);
	while (lure_cursor_u16le(&c, &id) == LURE_OK && lure_cursor_u16le(&c, &len) == LURE_OK) {
		const uint8_t *body;
		if (lure_cursor_bytes(&c, len, &body) != LURE_OK)
			return;
		if (id != ZIP64_EXTRA_ID)
			continue;
		lure_cursor b;
		lure_cursor_init(&b, body, len);
		if (usize != NULL && *usize == ZIP64_MARK32 && lure_cursor_u64le(&b, usize) != LURE_OK)
			return;
		if (csize != NULL && *csize == ZIP64_MARK32 && lure_cursor_u64le(&b, csize) != LURE_OK)
			return;
		if (offset != NULL && *offset == ZIP64_MARK32)
			(void)lure_cursor_u64le(&b, offset);
		return;
	}
}

static void check_central_directory(zip_walk *w, const zip_layout *l)
{
	const uint8_t *d = w->a->data;
	size_t n = w->a->len;
	size_t cd_end;
	GArray *spans;
	lure_cursor c;
	bool mismatch_reported = false;

	if (!lure_range_fits(n, l->cd_start, l->cd_size))
		return;
	cd_end = l->cd_start + (size_t)l->cd_size;
	spans = g_array_new(FALSE, FALSE, sizeof(cd_span));
	lure_cursor_init(&c, d, cd_end);
	lure_cursor_seek(&c, l->cd_start);
	for (size_t i = 0; i < l->nentries; i++) {
		const uint8_t *h, *name, *extra, *lh;
		uint64_t csize, usize, lho, at;
		uint16_t nlen, xlen, clen, lnlen, lxlen;

		if (lure_cursor_bytes(&c, ZIP_CDH_LEN, &h) != LURE_OK || memcmp(h, ZIP_CDH_SIG, 4) != 0)
			break;
		csize = lure_le32(h + 20);
		usize = lure_le32(h + 24);
		nlen = lure_le16(h + 28);
		xlen = lure_le16(h + 30);
		clen = lure_le16(h + 32);
		lho = lure_le32(h + 42);
		if (lure_cursor_bytes(&c, nlen, &name) != LURE_OK ||
		    lure_cursor_bytes(&c, xlen, &extra) != LURE_OK ||
		    lure_cursor_skip(&c, clen) != LURE_OK)
			break;
		zip64_extra(extra, xlen, &usize, &csize, &lho);
		if (lho > SIZE_MAX - l->prefix)
			continue;
		at = lho + l->prefix;
		if (!lure_range_fits(n, (size_t)at, ZIP_LFH_LEN) || memcmp(d + at, ZIP_LFH_SIG, 4) != 0)
			continue; /* libzip reports the entries it cannot open */
		lh = d + at;
		lnlen = lure_le16(lh + 26);
		lxlen = lure_le16(lh + 28);
		if (!mismatch_reported && lure_range_fits(n, (size_t)at + ZIP_LFH_LEN, lnlen) &&
		    (lnlen != nlen || memcmp(lh + ZIP_LFH_LEN, name, nlen) != 0)) {
			char *cd_name = g_strndup((const char *)name, nlen);
			char *local = g_strndup((const char *)lh + ZIP_LFH_LEN, lnlen);
			char *shown = lure_display_escape_str(cd_name);
			char *shown_local = lure_display_escape_str(local);
			lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
				"central directory entry '%s' points at a local header named '%s'",
				shown, shown_local);
			lure_finding_detail(f, "entry", "%s", cd_name);
			lure_finding_detail(f, "local_name", "%s", local);
			mismatch_reported = true;
			g_free(cd_name);
			g_free(local);
			g_free(shown);
			g_free(shown_local);
		}
		cd_span s = {.start = at, .name = name, .name_len = nlen};
		s.end = at + ZIP_LFH_LEN + lnlen + lxlen;
		s.end = csize > UINT64_MAX - s.end ? UINT64_MAX : s.end + csize;
		g_array_append_val(spans, s);
	}
	g_array_sort(spans, cmp_span);
	for (guint i = 1; i < spans->len; i++) {
		const cd_span *p = &g_array_index(spans, cd_span, i - 1);
		const cd_span *q = &g_array_index(spans, cd_span, i);
		if (q->start < p->end) {
			char *first = g_strndup((const char *)p->name, p->name_len);
			char *second = g_strndup((const char *)q->name, q->name_len);
			char *shown1 = lure_display_escape_str(first);
			char *shown2 = lure_display_escape_str(second);
			lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
				"entries '%s' and '%s' overlap in the archive (the "
				"overlapping-entry bomb technique)", shown1, shown2);
			lure_finding_detail(f, "entry", "%s", first);
			lure_finding_detail(f, "overlapping_entry", "%s", second);
			lure_finding_detail(f, "offset", "%" PRIu64, q->start - l->prefix);
			g_free(first);
			g_free(second);
			g_free(shown1);
			g_free(shown2);
			break;
		}
	}
	g_array_free(spans, TRUE);
}

/* Walks the archive through libzip. Returns false when libzip could not open
 * it (reported) and the caller should salvage. */
static bool walk_libzip(zip_walk *w, const zip_layout *l, bool have_layout)
{
	lure_artifact *a = w->a;
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *za;
	size_t skip = have_layout ? l->prefix : 0;
	zip_int64_t count;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(a->data + skip, a->len - skip, 0, &zerr);
	if (src == NULL) {
		zip_error_fini(&zerr);
		w->fatal = LURE_E_NOMEM;
		return true;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	if (za == NULL) {
		lure_finding *f = lure_finding_add(w->scan, a, LURE_IND_CONTAINER_MALFORMED,
			"ZIP central directory cannot be read (%s); salvaged from the local "
			"file headers", zip_error_strerror(&zerr));
		lure_finding_detail(f, "error", "%s", zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		return false;
	}
	zip_error_fini(&zerr);
	count = zip_get_num_entries(za, 0);
	if (count <= 0 && has_sig(a->data, a->len, skip, ZIP_LFH_SIG)) {
		lure_finding_add(w->scan, a, LURE_IND_CONTAINER_MALFORMED,
				 "ZIP central directory lists no entries but the archive holds "
				 "local file headers; salvaged from them");
		zip_discard(za);
		return false;
	}
	if (have_layout)
		check_central_directory(w, l);
	for (zip_int64_t i = 0; i < count && !w->stop; i++)
		read_libzip_entry(w, za, (zip_uint64_t)i);
	zip_discard(za);
	return true;
}

/* ---- salvage: the local headers, front to back ---- */

/* Offset of the first of ZIP's record signatures at or after from, or n. */
static size_t next_record(const uint8_t *d, size_t n, size_t from, bool any)
{
	while (from + 4 <= n) {
		const uint8_t *p = memmem(d + from, n - from, "PK", 2);
		if (p == NULL)
			return n;
		size_t at = (size_t)(p - d);
		if (has_sig(d, n, at, ZIP_LFH_SIG) ||
		    (any && (has_sig(d, n, at, ZIP_CDH_SIG) || has_sig(d, n, at, ZIP_DD_SIG) ||
			     has_sig(d, n, at, ZIP_EOCD_SIG))))
			return at;
		from = at + 1;
	}
	return n;
}

/* Inflates raw deflate data in[0..inlen) into b, charging as it goes. When
 * the entry's compressed size is unknown (!sized), the ratio is taken over
 * the bytes consumed so far. Sets *used to the compressed bytes consumed and
 * *why to what went wrong (NULL when the stream ended properly). */
static lure_error inflate_entry(zip_walk *w, entry_buf *b, const uint8_t *in, size_t inlen,
				uint64_t hint, bool sized, size_t *used, const char **why)
{
	z_stream zs;
	lure_error err = LURE_OK;
	size_t left = inlen;
	int rc;

	memset(&zs, 0, sizeof(zs));
	*used = 0;
	*why = NULL;
	if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
		return LURE_E_NOMEM;
	zs.next_in = (Bytef *)(uintptr_t)in;
	for (;;) {
		if (zs.avail_in == 0 && left > 0) {
			zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
			left -= zs.avail_in;
		}
		err = buf_room(w->scan, b, hint);
		if (err != LURE_OK)
			break;
		size_t room = MIN(b->cap - b->len, (size_t)ZIP_CHUNK);
		zs.next_out = b->data + b->len;
		zs.avail_out = (uInt)room;
		rc = inflate(&zs, Z_NO_FLUSH);
		size_t made = room - zs.avail_out;
		if (!sized) {
			size_t consumed = inlen - left - zs.avail_in;
			b->compressed = consumed > 0 ? consumed : 1;
		}
		if (made > 0) {
			err = buf_commit(w, b, made);
			if (err != LURE_OK)
				break;
		} else if (lure_scan_expired(w->scan)) {
			err = LURE_E_TIMEOUT;
			break;
		}
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_BUF_ERROR && zs.avail_in == 0 && left == 0) {
			*why = "compressed data ends early";
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			*why = rc == Z_MEM_ERROR ? "out of memory" : "invalid deflate data";
			if (rc == Z_MEM_ERROR)
				err = LURE_E_NOMEM;
			break;
		}
	}
	*used = inlen - left - zs.avail_in;
	inflateEnd(&zs);
	return err;
}

/* Salvages one entry whose local header is at off; returns the offset where
 * the next record may start (always > off), or n to stop. */
static size_t salvage_entry(zip_walk *w, size_t off)
{
	const uint8_t *d = w->a->data, *name, *extra;
	size_t n = w->a->len, data_at, avail, used = 0, next;
	uint16_t flags, method, nlen, xlen;
	uint64_t csize, usize;
	bool sized;
	char *raw_name;
	lure_cursor c;

	lure_cursor_init(&c, d, n);
	if (lure_cursor_seek(&c, off + 6) != LURE_OK || lure_cursor_u16le(&c, &flags) != LURE_OK ||
	    lure_cursor_u16le(&c, &method) != LURE_OK || lure_cursor_skip(&c, 8) != LURE_OK)
		return n;
	uint32_t c32, u32;
	if (lure_cursor_u32le(&c, &c32) != LURE_OK || lure_cursor_u32le(&c, &u32) != LURE_OK ||
	    lure_cursor_u16le(&c, &nlen) != LURE_OK || lure_cursor_u16le(&c, &xlen) != LURE_OK ||
	    lure_cursor_bytes(&c, nlen, &name) != LURE_OK ||
	    lure_cursor_bytes(&c, xlen, &extra) != LURE_OK)
		return n;
	csize = c32;
	usize = u32;
	zip64_extra(extra, xlen, &usize, &csize, NULL);
	data_at = c.off;
	avail = n - data_at;
	/* With a data descriptor the header's sizes may be zero. */
	sized = !(flags & ZIP_GPBF_DATA_DESCRIPTOR) || csize != 0;
	raw_name = nlen > 0 ? g_strndup((const char *)name, nlen)
			    : g_strdup_printf("entry@%zu", off);
	if (strlen(raw_name) == 0) {
		g_free(raw_name);
		raw_name = g_strdup_printf("entry@%zu", off);
	}

	if (raw_name[strlen(raw_name) - 1] == '/' && usize == 0 && (!sized || csize <= 2)) {
		used = sized ? (size_t)csize : 0; /* a directory */
	} else if (!note_name(w, raw_name)) {
		used = 0;
	} else if (flags & ZIP_GPBF_ENCRYPTED) {
		note_encrypted(w, raw_name, method == ZIP_METHOD_AES ? "AES"
				 : (flags & ZIP_GPBF_STRONG_ENCRYPTION) ? "strong encryption"
				 : "traditional PKWARE");
		used = sized ? (size_t)MIN(csize, avail) : next_record(d, n, data_at, true) - data_at;
	} else if (method == ZIP_METHOD_STORED) {
		size_t take = sized ? (size_t)MIN(csize, avail) : next_record(d, n, data_at, true) - data_at;
		entry_buf b;
		buf_init(&b, raw_name, take);
		if (lure_scan_charge(w->scan, w->a, raw_name, take, take) == LURE_OK) {
			b.data = take > 0 ? g_try_malloc(take) : NULL;
			if (take > 0 && b.data == NULL) {
				w->fatal = LURE_E_NOMEM;
				w->stop = true;
			} else {
				if (take > 0)
					memcpy(b.data, d + data_at, take);
				b.len = b.cap = take;
				if (sized && csize > avail)
					note_malformed_entry(w, raw_name, "is cut short", NULL);
				emit_child(w, &b, sized && csize > avail ? "truncated" : NULL);
			}
		}
		used = take;
	} else if (method == ZIP_METHOD_DEFLATED) {
		const char *why = NULL;
		entry_buf b;
		size_t inlen = sized ? (size_t)MIN(csize, avail) : avail;
		lure_error err;

		if (usize > w->scan->limits.max_artifact_size && usize != ZIP64_MARK32) {
			lure_scan_charge(w->scan, w->a, raw_name, usize, usize);
			used = sized ? inlen : next_record(d, n, data_at, true) - data_at;
		} else {
			buf_init(&b, raw_name, inlen);
			err = inflate_entry(w, &b, d + data_at, inlen, sized ? usize : 0, sized,
					    &used, &why);
			if (err != LURE_OK) {
				entry_failed(w, &b, err);
				if (!sized)
					used = next_record(d, n, data_at + used, true) - data_at;
			} else {
				if (why != NULL)
					note_malformed_entry(w, raw_name, "cannot be inflated to its end", why);
				emit_child(w, &b, why);
			}
			if (sized)
				used = inlen;
		}
	} else {
		note_unsupported(w, raw_name, method);
		used = sized ? (size_t)MIN(csize, avail) : next_record(d, n, data_at, true) - data_at;
	}
	g_free(raw_name);

	next = data_at + used;
	if (flags & ZIP_GPBF_DATA_DESCRIPTOR) {
		/* 4.3.9: an optional signature, the CRC and two sizes of 4 or 8
		 * bytes; take the length after which a record starts. */
		size_t base = has_sig(d, n, next, ZIP_DD_SIG) ? next + 4 : next;
		if (has_sig(d, n, base + ZIP_DD_LEN, ZIP_LFH_SIG) ||
		    has_sig(d, n, base + ZIP_DD_LEN, ZIP_CDH_SIG))
			next = base + ZIP_DD_LEN;
		else if (has_sig(d, n, base + ZIP64_DD_LEN, ZIP_LFH_SIG) ||
			 has_sig(d, n, base + ZIP64_DD_LEN, ZIP_CDH_SIG))
			next = base + ZIP64_DD_LEN;
	}
	return next > off ? next : off + 1;
}

static void salvage(zip_walk *w)
{
	const uint8_t *d = w->a->data;
	size_t n = w->a->len;
	size_t off = next_record(d, n, 0, false);

	lure_artifact_set_prop(w->a, "salvaged", "true");
	while (off < n && !w->stop) {
		off = salvage_entry(w, off);
		if (off >= n || w->stop)
			break;
		/* The central directory (or its end) closes the entries. */
		if (has_sig(d, n, off, ZIP_CDH_SIG) || has_sig(d, n, off, ZIP_EOCD_SIG))
			break;
		if (!has_sig(d, n, off, ZIP_LFH_SIG))
			off = next_record(d, n, off, false);
	}
}

/* ---- the walk ---- */

static lure_error walk(lure_scan *scan, lure_artifact *a)
{
	zip_walk w = {.scan = scan, .a = a};
	zip_layout l;
	bool have_layout = find_layout(a->data, a->len, &l);
	char count[24];

	w.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w.folded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (!starts_like_zip(a->data, a->len)) {
		size_t before = have_layout && l.prefix > 0 ? l.prefix
			: next_record(a->data, a->len, 0, false);
		lure_finding *f = lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
			"%zu bytes of other data precede the ZIP archive", before);
		lure_finding_detail(f, "offset", "%zu", before);
	}
	if (have_layout && l.nentries > (uint64_t)scan->limits.max_artifacts * ZIP_CD_ENTRIES_FACTOR) {
		lure_scan_limit_hit(scan, a, LURE_LIMIT_ARTIFACTS,
			"the central directory lists %" PRIu64 " entries; only the first local "
			"headers are read", l.nentries);
		salvage(&w);
	} else if (!walk_libzip(&w, &l, have_layout) && w.fatal == LURE_OK) {
		salvage(&w);
	}

	if (w.has_content_types) {
		a->kind = "ooxml";
		if (w.app != NULL || w.app_guess != NULL)
			lure_artifact_set_prop(a, "ooxml_app", w.app != NULL ? w.app : w.app_guess);
		if (w.case_dup != NULL)
			note_malformed_entry(&w, w.case_dup,
					     "differs from another part name only in case (one "
					     "part for OPC)", NULL);
	}
	g_snprintf(count, sizeof(count), "%u", w.entries);
	lure_artifact_set_prop(a, "entries", count);
	g_free(w.case_dup);
	g_hash_table_destroy(w.names);
	g_hash_table_destroy(w.folded);
	return w.fatal;
}

const lure_handler lure_handler_zip = {
	.name = "zip",
	.kind = "zip",
	.probe = probe,
	.walk = walk,
};
