/*
 * ole2.c - OLE2 compound files ([MS-CFB]: Compound File Binary File Format).
 *
 * The format. A compound file is a small FAT file system inside one file.
 * The 512-byte header (MS-CFB 2.2) starts with the signature D0 CF 11 E0 A1
 * B1 1A E1 and gives the sector size (SectorShift 9, 512 bytes, in version 3;
 * 12, 4096 bytes, in version 4), the mini sector size (MiniSectorShift 6, 64
 * bytes), the number of FAT sectors, the first directory sector, the mini
 * stream cutoff (4096), the first mini FAT sector and the first DIFAT sector.
 * Sector n lives at offset (n + 1) << SectorShift. Sector numbers above
 * MAXREGSECT are special: DIFSECT, FATSECT, ENDOFCHAIN, FREESECT (2.1).
 *  - The FAT (2.3) is an array of next-sector numbers: a stream is a chain
 *    of sectors ending in ENDOFCHAIN. The FAT itself lives in sectors that
 *    the DIFAT (2.5) lists: 109 entries in the header, then a chain of DIFAT
 *    sectors, each with 127 (or 1023) entries and a next-DIFAT pointer.
 *  - Streams shorter than the cutoff live in the mini stream (2.4): a stream
 *    of 64-byte mini sectors whose chain starts at the root entry, allocated
 *    by the mini FAT, itself a chain in the FAT.
 *  - The directory (2.6) is a chain of 128-byte entries: a UTF-16 name of up
 *    to 31 characters, an object type (storage, stream, root storage), a
 *    red-black tree colour, left and right sibling and child ids, a CLSID,
 *    the start sector and the stream size. Entry 0 is the root storage
 *    ("Root Entry"). The children of a storage form a red-black tree (left,
 *    right sibling) hanging from its child id; names compare by length, then
 *    by uppercase UTF-16 code unit.
 *
 * How we walk it. libgsf's MS-OLE reader (gsf_infile_msole_new over a
 * gsf_input_memory that borrows the artifact's bytes: no copy, no file)
 * follows the DIFAT, FAT, mini FAT and directory and gives us a tree of
 * storages and streams. We walk that tree depth first, with a bound on the
 * storage nesting and on the entries visited, and turn every stream into a
 * child artifact named by its storage path joined with "/" ("ObjectPool/
 * _1234/\x01Ole"; the root storage is not named). Each stream is charged to
 * the scan before its buffer exists, then read in 64 KiB steps; a short read
 * is reported and the stream skipped. The root CLSID and each stream's
 * storage and storage CLSID become properties.
 *   libgsf reports damage only through g_log (domain "libgsf:msole", and
 * GLib criticals from its g_return_if_fail checks) and keeps going, so while
 * any parse runs, a log handler for those domains routes each message,
 * through a thread-local pointer, to a container.malformed finding on the
 * artifact being parsed (at most 20, then "... N more").
 *   libgsf 1.14.50 (Debian 12) trusts the file in ways that can crash or
 * stall the process, so a preflight reads the header, the DIFAT and the FAT
 * chains itself (bounded, with visited sets) before libgsf sees the file:
 *  - ole_make_bat() takes g_alloca(FAT entries / 8) for every chain it
 *    follows, and the mini FAT's "FAT" is as long as its chain times the
 *    entries per sector: a 270 KB file with a long mini FAT chain overflows
 *    the stack. We refuse chains whose bitmap would pass a stack budget.
 *  - ole_dirent_new() recurses once per directory entry along sibling links
 *    (~200 bytes a frame) and inserts each into its storage's sorted list
 *    (quadratic: 32,000 entries in one storage take 10 s): we replay its
 *    traversal and refuse trees too deep, too large or too slow to sort.
 *  - Entries parsed as siblings of the root are allocated and never freed,
 *    and the root's declared size (the mini stream's) sizes an array: we
 *    parse a copy whose root has no siblings and fits in the file.
 *  - Sector sizes other than 512 and 4096 (libgsf takes 64 B to 1 GiB) make
 *    all of the above worse and no Office version writes them: refused.
 *
 * Evasions, and what we do about them:
 *  - FAT loops (a chain that comes back on itself): libgsf stops at the
 *    first repeated sector and warns; the stream reads short; both are
 *    container.malformed, and the stream is skipped.
 *  - Sectors past the end of the file (start sector, chain links, FAT or
 *    DIFAT sectors): the reads fail or the preflight refuses; reported.
 *  - Directory cycles (an entry that is its own sibling or child, or an
 *    ancestor's): libgsf and our replay mark entries seen; our walk counts
 *    entries and bounds the nesting. Reported via libgsf's criticals.
 *  - Truncated files: the header, FAT or directory cannot be read (refused,
 *    reported) or streams read short (reported, skipped).
 *  - Huge declared stream sizes: libgsf drops an entry larger than the file;
 *    we check again, and the size limits are charged before any allocation.
 *  - Names with control bytes ("\x01Ole", "\x05SummaryInformation", and
 *    hostile ones with escape sequences or bidi overrides): passed raw; the
 *    core escapes them for display. A "/" inside a name is kept as is.
 *  - A mini stream cutoff other than 4096 (streams read from the wrong
 *    place), odd mini sectors, a partial last sector (truncation, or data
 *    appended after the compound file): container.malformed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include "core/cursor.h"
#include "core/handler.h"
#include "formats/ole2.h"

/* MS-CFB 2.2: the compound file header. */
static const uint8_t CFB_SIGNATURE[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
#define CFB_HEADER_SIZE 512u
#define CFB_HDR_BYTE_ORDER 0x1C
#define CFB_HDR_SECTOR_SHIFT 0x1E
#define CFB_HDR_MINI_SECTOR_SHIFT 0x20
#define CFB_HDR_NUM_FAT_SECTORS 0x2C
#define CFB_HDR_FIRST_DIR_SECTOR 0x30
#define CFB_HDR_MINI_STREAM_CUTOFF 0x38
#define CFB_HDR_FIRST_MINI_FAT_SECTOR 0x3C
#define CFB_HDR_NUM_MINI_FAT_SECTORS 0x40
#define CFB_HDR_FIRST_DIFAT_SECTOR 0x44
#define CFB_HDR_NUM_DIFAT_SECTORS 0x48
#define CFB_HDR_DIFAT 0x4C
#define CFB_HDR_DIFAT_ENTRIES 109u
#define CFB_BYTE_ORDER_LE 0xFFFEu
#define CFB_V3_SECTOR_SHIFT 9u
#define CFB_V4_SECTOR_SHIFT 12u
#define CFB_MINI_SECTOR_SHIFT 6u
#define CFB_MINI_STREAM_CUTOFF 4096u

/* MS-CFB 2.1: special sector numbers (FAT, DIFAT and directory values). */
#define CFB_DIFSECT 0xFFFFFFFCu
#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_FREESECT 0xFFFFFFFFu
#define CFB_FAT_ENTRY_SIZE 4u

/* MS-CFB 2.6.1: a directory entry. */
#define CFB_DIRENT_SIZE 128u
#define CFB_DIRENT_OBJECT_TYPE 0x42
#define CFB_DIRENT_LEFT_SIBLING 0x44
#define CFB_DIRENT_RIGHT_SIBLING 0x48
#define CFB_DIRENT_CHILD 0x4C
#define CFB_DIRENT_STREAM_SIZE 0x78
#define CFB_NOSTREAM 0xFFFFFFFFu
#define CFB_OBJ_STORAGE 1u
#define CFB_OBJ_STREAM 2u
#define CFB_OBJ_ROOT_STORAGE 5u

/* Our fixed bounds on CFB structure (OLE2_MAX_*) live in core/limits.h. */

/* ------------------------------------------------------------------------
 * CLSIDs
 */

void lure_ole2_clsid_format(const uint8_t raw[LURE_OLE2_CLSID_LEN],
			    char out[LURE_OLE2_CLSID_STR_SIZE])
{
	g_snprintf(out, LURE_OLE2_CLSID_STR_SIZE,
		   "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		   lure_le32(raw), (unsigned)lure_le16(raw + 4), (unsigned)lure_le16(raw + 6),
		   raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]);
}

bool lure_ole2_clsid_is_null(const uint8_t raw[LURE_OLE2_CLSID_LEN])
{
	for (size_t i = 0; i < LURE_OLE2_CLSID_LEN; i++)
		if (raw[i] != 0)
			return false;
	return true;
}

/* Sets prop key of a to the CLSID of storage when it is not CLSID_NULL. */
static void set_clsid_prop(lure_artifact *a, const char *key, const uint8_t clsid[16])
{
	char text[LURE_OLE2_CLSID_STR_SIZE];

	if (lure_ole2_clsid_is_null(clsid))
		return;
	lure_ole2_clsid_format(clsid, text);
	lure_artifact_set_prop(a, key, text);
}

/* ------------------------------------------------------------------------
 * libgsf's log messages become findings.
 */

typedef struct log_sink {
	lure_scan *scan;
	lure_artifact *a;
	unsigned reported;     /* findings made from messages */
	unsigned dropped;      /* messages past OLE2_MAX_LOG_FINDINGS */
	struct log_sink *outer;
} log_sink;

/* The artifact this thread is parsing, or NULL outside a parse. */
static _Thread_local log_sink *current_sink;

/* Domains libgsf's reader logs in: its own, GLib's checks under it, and the
 * default domain of files that set none (gsf-infile.c, gsf-input.c). */
static const char *const gsf_log_domains[] = {
	"libgsf:msole", "libgsf", "GLib-GObject", "GLib", NULL,
};

static void gsf_log_handler(const gchar *domain, GLogLevelFlags level,
			    const gchar *message, gpointer user)
{
	log_sink *sink = current_sink;

	if (sink == NULL) {
		/* Another thread's message while some thread parses. */
		g_log_default_handler(domain, level, message, user);
		return;
	}
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
		      G_LOG_LEVEL_MESSAGE)) == 0)
		return;
	if (sink->reported >= OLE2_MAX_LOG_FINDINGS) {
		sink->dropped++;
		return;
	}
	sink->reported++;
	char *flat = g_strdup(message != NULL ? message : "");
	g_strdelimit(flat, "\r\n\t", ' ');
	lure_finding *f = lure_finding_add(sink->scan, sink->a, LURE_IND_CONTAINER_MALFORMED,
					   "libgsf: %s", g_strstrip(flat));
	lure_finding_detail(f, "source", "%s", domain != NULL ? domain : "");
	g_free(flat);
}

/* Registers libgsf's types once per process. GType registration in
 * libgsf is not thread-safe, so this must happen before two threads parse
 * at once; g_once makes the first caller do it. */
static void global_init(void)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		gsf_init();
		g_once_init_leave(&done, 1);
	}
}

/* Our handlers are installed while at least one parse runs in the process,
 * so that outside parses the application's own default handler sees these
 * domains as before. */
static GMutex log_lock;
static unsigned log_parses;
static guint log_handler_ids[G_N_ELEMENTS(gsf_log_domains)];

static void sink_push(log_sink *sink, lure_scan *scan, lure_artifact *a)
{
	memset(sink, 0, sizeof(*sink));
	sink->scan = scan;
	sink->a = a;
	sink->outer = current_sink;
	current_sink = sink;
	g_mutex_lock(&log_lock);
	if (log_parses++ == 0)
		for (size_t i = 0; i < G_N_ELEMENTS(gsf_log_domains); i++)
			log_handler_ids[i] = g_log_set_handler(gsf_log_domains[i],
				G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
				gsf_log_handler, NULL);
	g_mutex_unlock(&log_lock);
}

static void sink_pop(log_sink *sink)
{
	g_mutex_lock(&log_lock);
	if (--log_parses == 0)
		for (size_t i = 0; i < G_N_ELEMENTS(gsf_log_domains); i++)
			g_log_remove_handler(gsf_log_domains[i], log_handler_ids[i]);
	g_mutex_unlock(&log_lock);
	current_sink = sink->outer;
	if (sink->dropped > 0)
		lure_finding_add(sink->scan, sink->a, LURE_IND_CONTAINER_MALFORMED,
				 "libgsf: ... %u more messages", sink->dropped);
}

static void malformed(lure_scan *scan, const lure_artifact *a, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void malformed(lure_scan *scan, const lure_artifact *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED, "%s", msg);
	g_free(msg);
}

/* ------------------------------------------------------------------------
 * Preflight: our own bounded reading of the header, DIFAT, FAT and
 * directory, which decides whether libgsf may parse the file and measures
 * the work libgsf will do. It replays libgsf's reading (ole_init_info,
 * ole_make_bat, ole_dirent_new) closely enough to bound it.
 */

typedef enum preflight_verdict {
	PF_PARSE,       /* hand the bytes to libgsf as they are */
	PF_PARSE_COPY,  /* hand libgsf a patched copy */
	PF_REFUSE,      /* do not parse; findings recorded */
} preflight_verdict;

typedef struct cfb_view {
	const uint8_t *data;
	size_t len;
	uint32_t sector_size;
	unsigned sector_shift;
	uint32_t per_sector;       /* FAT entries per sector */
	uint64_t sector0;          /* file offset of sector 0 */
	uint64_t max_block;        /* sectors libgsf may seek to */
	uint32_t num_fat_sectors;  /* header: csectFat */
	uint32_t *fat_sectors;     /* sector of each FAT sector, FREESECT = none */
	uint32_t fat_listed;       /* FAT sectors the DIFAT gave */
	uint32_t fat_len;          /* FAT entries: num_fat_sectors * per_sector */
	uint32_t *dir_chain;       /* directory sectors, in order */
	uint32_t dir_len;
	bool root_siblings;        /* entry 0 has siblings: patch them out */
	bool root_size;            /* entry 0's size passes the file: clamp it */
	uint64_t root_off;         /* file offset of entry 0 */
} cfb_view;

/* True when libgsf can read all of sector s (ole_get_block). */
static bool sector_readable(const cfb_view *v, uint32_t s)
{
	if (s >= v->max_block)
		return false;
	uint64_t off = v->sector0 + ((uint64_t)s << v->sector_shift);
	return off <= v->len && v->sector_size <= v->len - off;
}

static const uint8_t *sector_at(const cfb_view *v, uint32_t s)
{
	return v->data + v->sector0 + ((uint64_t)s << v->sector_shift);
}

/* FAT[i] as libgsf assembled it: unlisted FAT sectors read as zeros. */
static uint32_t fat_next(const cfb_view *v, uint32_t i)
{
	uint32_t k = i / v->per_sector;

	if (k >= v->fat_listed)
		return 0;
	if (v->fat_sectors[k] == CFB_FREESECT)
		return CFB_FREESECT;
	return lure_le32(sector_at(v, v->fat_sectors[k]) + (size_t)(i % v->per_sector) * 4);
}

/* Adds one DIFAT entry: a FAT sector, checked as libgsf checks it (readable,
 * and every entry a sector the FAT describes or a special value). */
static bool difat_add(lure_scan *scan, lure_artifact *a, cfb_view *v, uint32_t s)
{
	if (s != CFB_FREESECT) {
		if (!sector_readable(v, s)) {
			malformed(scan, a, "FAT sector %" PRIu32 " is past the end of the file", s);
			return false;
		}
		const uint8_t *p = sector_at(v, s);
		for (uint32_t i = 0; i < v->per_sector; i++) {
			uint32_t next = lure_le32(p + (size_t)i * 4);
			if (next >= v->fat_len && next < CFB_DIFSECT) {
				malformed(scan, a, "FAT sector %" PRIu32 " links to sector 0x%08"
					  PRIX32 ", past the %" PRIu32 " sectors the FAT describes",
					  s, next, v->fat_len);
				return false;
			}
		}
	}
	v->fat_sectors[v->fat_listed++] = s;
	return true;
}

/* Reads the DIFAT (MS-CFB 2.5): 109 entries in the header, then a chain of
 * DIFAT sectors of per_sector - 1 entries and a next pointer each. Fails
 * (reported) where libgsf would fail. */
static bool read_difat(lure_scan *scan, lure_artifact *a, cfb_view *v)
{
	const uint8_t *h = v->data;
	uint32_t left = v->num_fat_sectors;
	uint32_t take = MIN(left, CFB_HDR_DIFAT_ENTRIES);
	uint32_t next = lure_le32(h + CFB_HDR_FIRST_DIFAT_SECTOR);
	uint32_t ndifat = lure_le32(h + CFB_HDR_NUM_DIFAT_SECTORS);
	const uint32_t per = v->per_sector - 1;

	v->fat_sectors = g_new(uint32_t, v->num_fat_sectors > 0 ? v->num_fat_sectors : 1);
	for (uint32_t i = 0; i < take; i++)
		if (!difat_add(scan, a, v, lure_le32(h + CFB_HDR_DIFAT + i * 4)))
			return false;
	left -= take;
	/* Each DIFAT sector but the last consumes per entries of left, so a
	 * loop in the DIFAT chain ends when left runs out. */
	while (ndifat-- > 0) {
		if (!sector_readable(v, next)) {
			malformed(scan, a, "DIFAT sector %" PRIu32 " is past the end of the file", next);
			return false;
		}
		const uint8_t *p = sector_at(v, next);
		if (ndifat == 0) {
			if (left > per) {
				malformed(scan, a, "the DIFAT lists fewer FAT sectors than the "
					  "header's %" PRIu32, v->num_fat_sectors);
				return false;
			}
			take = left;
		} else {
			if (left < per) {
				malformed(scan, a, "the header declares more DIFAT sectors than "
					  "its %" PRIu32 " FAT sectors need", v->num_fat_sectors);
				return false;
			}
			take = per;
			left -= per;
			next = lure_le32(p + (size_t)per * 4);
		}
		for (uint32_t i = 0; i < take; i++)
			if (!difat_add(scan, a, v, lure_le32(p + (size_t)i * 4)))
				return false;
	}
	return true;
}

/* Length of the FAT chain from start as libgsf's ole_make_bat follows it:
 * until a value past the FAT or a sector seen before. When out is not NULL,
 * stores up to max sectors there. */
static uint32_t chain_length(const cfb_view *v, uint32_t start, uint32_t *out, uint32_t max)
{
	uint8_t *seen = g_malloc0(v->fat_len / 8 + 1);
	uint32_t n = 0;

	for (uint32_t s = start; s < v->fat_len; s = fat_next(v, s)) {
		if (seen[s / 8] & (1u << (s % 8)))
			break;
		seen[s / 8] |= (uint8_t)(1u << (s % 8));
		if (out != NULL && n < max)
			out[n] = s;
		n++;
	}
	g_free(seen);
	return n;
}

/* Checks the header fields libgsf trusts; returns false (reported) when
 * libgsf must not parse the file. */
static bool read_header(lure_scan *scan, lure_artifact *a, cfb_view *v)
{
	const uint8_t *h = a->data;

	v->data = a->data;
	v->len = a->len;
	if (a->len < CFB_HEADER_SIZE) {
		malformed(scan, a, "compound file header truncated: %zu of %u bytes", a->len,
			  CFB_HEADER_SIZE);
		return false;
	}
	v->sector_shift = lure_le16(h + CFB_HDR_SECTOR_SHIFT);
	unsigned mini_shift = lure_le16(h + CFB_HDR_MINI_SECTOR_SHIFT);
	uint32_t cutoff = lure_le32(h + CFB_HDR_MINI_STREAM_CUTOFF);
	uint32_t num_mini_fat = lure_le32(h + CFB_HDR_NUM_MINI_FAT_SECTORS);

	if (v->sector_shift != CFB_V3_SECTOR_SHIFT && v->sector_shift != CFB_V4_SECTOR_SHIFT) {
		malformed(scan, a, "sector shift %u is neither 9 nor 12; not parsed",
			  v->sector_shift);
		return false;
	}
	v->sector_size = 1u << v->sector_shift;
	v->per_sector = v->sector_size / CFB_FAT_ENTRY_SIZE;
	v->sector0 = MAX(CFB_HEADER_SIZE, v->sector_size);
	if (a->len < v->sector_size) {
		malformed(scan, a, "file of %zu bytes is shorter than one %" PRIu32 "-byte sector",
			  a->len, v->sector_size);
		return false;
	}
	if (mini_shift > v->sector_shift) {
		malformed(scan, a, "mini sector shift %u is larger than the sector shift %u",
			  mini_shift, v->sector_shift);
		return false;
	}
	/* libgsf's own count: sectors after a 512-byte header. */
	v->max_block = ((uint64_t)a->len - CFB_HEADER_SIZE + v->sector_size - 1) >> v->sector_shift;
	v->num_fat_sectors = lure_le32(h + CFB_HDR_NUM_FAT_SECTORS);
	if (v->num_fat_sectors >= v->max_block || num_mini_fat >= v->max_block) {
		malformed(scan, a, "header declares %" PRIu32 " FAT and %" PRIu32 " mini FAT "
			  "sectors; the file holds %" PRIu64 " sectors", v->num_fat_sectors,
			  num_mini_fat, v->max_block);
		return false;
	}
	/* libgsf puts a bitmap of the FAT on the stack for every chain. */
	uint64_t fat_len = (uint64_t)v->num_fat_sectors * v->per_sector;
	if (fat_len / 8 + 1 > OLE2_GSF_STACK_BUDGET) {
		malformed(scan, a, "the FAT would describe %" PRIu64 " sectors, far more than "
			  "the file holds; not parsed", fat_len);
		return false;
	}
	v->fat_len = (uint32_t)fat_len;

	/* Oddities libgsf copes with, but that Office would not write. */
	if (lure_le16(h + CFB_HDR_BYTE_ORDER) != CFB_BYTE_ORDER_LE)
		malformed(scan, a, "byte order mark is 0x%04X, not 0xFFFE",
			  (unsigned)lure_le16(h + CFB_HDR_BYTE_ORDER));
	if (mini_shift != CFB_MINI_SECTOR_SHIFT)
		malformed(scan, a, "mini sector shift is %u, not 6", mini_shift);
	if (cutoff != CFB_MINI_STREAM_CUTOFF)
		malformed(scan, a, "mini stream cutoff is %" PRIu32 ", not 4096; small streams "
			  "may be read from the wrong place", cutoff);
	if ((a->len - v->sector0) % v->sector_size != 0)
		malformed(scan, a, "file ends %zu bytes into a sector (truncated, or data "
			  "appended)", (size_t)((a->len - v->sector0) % v->sector_size));
	return true;
}

/* Checks that the chains libgsf will follow fit the stack budget of its
 * used-sector bitmaps, and reads the directory chain. */
static bool check_chains(lure_scan *scan, lure_artifact *a, cfb_view *v)
{
	const uint8_t *h = v->data;
	uint32_t mini_fat_start = lure_le32(h + CFB_HDR_FIRST_MINI_FAT_SECTOR);

	/* libgsf makes the mini FAT's own FAT from its chain: per_sector
	 * entries for each sector of the chain. */
	uint64_t mini_len = (uint64_t)chain_length(v, mini_fat_start, NULL, 0) * v->per_sector;
	if (mini_len / 8 + 1 > OLE2_GSF_STACK_BUDGET) {
		malformed(scan, a, "the mini FAT chain describes %" PRIu64 " mini sectors "
			  "(header: %" PRIu32 " mini FAT sectors); not parsed", mini_len,
			  lure_le32(h + CFB_HDR_NUM_MINI_FAT_SECTORS));
		return false;
	}
	uint32_t dir_start = lure_le32(h + CFB_HDR_FIRST_DIR_SECTOR);
	uint32_t max_dir = OLE2_MAX_DIR_SLOTS / (v->sector_size / CFB_DIRENT_SIZE);
	v->dir_len = chain_length(v, dir_start, NULL, 0);
	if (v->dir_len > max_dir) {
		malformed(scan, a, "the directory chain has %" PRIu32 " sectors; not parsed",
			  v->dir_len);
		return false;
	}
	v->dir_chain = g_new(uint32_t, v->dir_len > 0 ? v->dir_len : 1);
	chain_length(v, dir_start, v->dir_chain, v->dir_len);
	return true;
}

/* One pending call of libgsf's ole_dirent_new(entry, parent). */
typedef struct dirent_call {
	uint32_t entry;
	uint32_t depth;
	uint32_t parent;   /* the storage's entry, CFB_NOSTREAM for none */
} dirent_call;

/* The directory entry's bytes when libgsf can read them, else NULL. */
static const uint8_t *dirent_at(const cfb_view *v, uint32_t entry)
{
	uint32_t per = v->sector_size / CFB_DIRENT_SIZE;
	uint32_t block = entry / per;

	if (block >= v->dir_len || !sector_readable(v, v->dir_chain[block]))
		return NULL;
	return sector_at(v, v->dir_chain[block]) + (size_t)(entry % per) * CFB_DIRENT_SIZE;
}

static void push_call(GArray *stack, uint32_t entry, uint32_t depth, uint32_t parent)
{
	dirent_call c = {.entry = entry, .depth = depth, .parent = parent};
	if (entry != CFB_NOSTREAM)
		g_array_append_val(stack, c);
}

/* The root entry (2.6.2): it has no siblings, and its stream, the mini
 * stream, fits in the file. libgsf leaks what it parses as the root's
 * siblings, and sizes an array by the mini stream's declared size, so both
 * are patched in the copy we hand it (the reads they allow fail anyway). */
static void check_root(lure_scan *scan, lure_artifact *a, cfb_view *v, const uint8_t *d,
		       uint32_t *left, uint32_t *right)
{
	v->root_off = (uint64_t)(d - v->data);
	if (*left != CFB_NOSTREAM || *right != CFB_NOSTREAM) {
		malformed(scan, a, "the root entry has siblings (must be NOSTREAM); "
			  "they are ignored");
		v->root_siblings = true;
		*left = *right = CFB_NOSTREAM;
	}
	uint32_t size = lure_le32(d + CFB_DIRENT_STREAM_SIZE);
	if (size > v->len) {
		malformed(scan, a, "the root entry declares a %" PRIu32 "-byte mini stream, "
			  "more than the file holds", size);
		v->root_size = true;
	}
}

/* Counts one more entry of storage parent; false (reported) once the
 * sorted inserts of all storages would pass OLE2_MAX_SORT_STEPS. */
static bool count_sibling(lure_scan *scan, lure_artifact *a, GHashTable *siblings,
			  uint32_t parent, uint64_t *steps)
{
	if (parent == CFB_NOSTREAM)
		return true;
	gpointer key = GUINT_TO_POINTER(parent);
	guint k = GPOINTER_TO_UINT(g_hash_table_lookup(siblings, key)) + 1;
	g_hash_table_insert(siblings, key, GUINT_TO_POINTER(k));
	*steps += k;
	if (*steps <= OLE2_MAX_SORT_STEPS)
		return true;
	lure_scan_limit_hit(scan, a, OLE2_LIMIT_SIBLINGS,
			    "storages hold too many entries to sort (%u in one); not parsed", k);
	return false;
}

/* Replays libgsf's recursive directory reader (ole_dirent_new) with a work
 * list and a visited set: counts the entries it will build, the steps of
 * its sorted inserts and the depth its recursion will reach. The root's
 * siblings are left out: we patch them away (libgsf would leak them). */
static bool replay_directory(lure_scan *scan, lure_artifact *a, cfb_view *v)
{
	uint64_t slots = (uint64_t)v->dir_len * (v->sector_size / CFB_DIRENT_SIZE);
	uint8_t *seen = g_malloc0(slots / 8 + 1);
	GArray *stack = g_array_new(FALSE, FALSE, sizeof(dirent_call));
	GHashTable *siblings = g_hash_table_new(g_direct_hash, g_direct_equal);
	uint32_t built = 0;
	uint64_t steps = 0;
	bool ok = true;

	push_call(stack, 0, 1, CFB_NOSTREAM);
	while (stack->len > 0) {
		dirent_call c = g_array_index(stack, dirent_call, stack->len - 1);
		g_array_set_size(stack, stack->len - 1);
		if (c.entry >= slots || (seen[c.entry / 8] & (1u << (c.entry % 8))))
			continue;
		seen[c.entry / 8] |= (uint8_t)(1u << (c.entry % 8));
		const uint8_t *d = dirent_at(v, c.entry);
		if (d == NULL)
			continue;
		unsigned type = d[CFB_DIRENT_OBJECT_TYPE];
		if (type != CFB_OBJ_STORAGE && type != CFB_OBJ_STREAM && type != CFB_OBJ_ROOT_STORAGE)
			continue;
		if (c.parent == CFB_NOSTREAM)
			type = CFB_OBJ_ROOT_STORAGE;
		if (type == CFB_OBJ_STREAM && lure_le32(d + CFB_DIRENT_STREAM_SIZE) > v->len)
			continue;
		if (++built > OLE2_MAX_ENTRIES) {
			lure_scan_limit_hit(scan, a, OLE2_LIMIT_ENTRIES,
					    "more than %u directory entries; not parsed",
					    OLE2_MAX_ENTRIES);
			ok = false;
			break;
		}
		if (!count_sibling(scan, a, siblings, c.parent, &steps)) {
			ok = false;
			break;
		}
		if (c.depth > OLE2_MAX_GSF_RECURSION) {
			lure_scan_limit_hit(scan, a, OLE2_LIMIT_GSF_RECURSION,
					    "directory tree deeper than %u links; not parsed",
					    OLE2_MAX_GSF_RECURSION);
			ok = false;
			break;
		}
		uint32_t left = lure_le32(d + CFB_DIRENT_LEFT_SIBLING);
		uint32_t right = lure_le32(d + CFB_DIRENT_RIGHT_SIBLING);
		if (c.entry == 0 && c.parent == CFB_NOSTREAM)
			check_root(scan, a, v, d, &left, &right);
		/* libgsf recurses left, then right, then child: push in reverse. */
		if (type != CFB_OBJ_STREAM)
			push_call(stack, lure_le32(d + CFB_DIRENT_CHILD), c.depth + 1, c.entry);
		push_call(stack, right, c.depth + 1, c.parent);
		push_call(stack, left, c.depth + 1, c.parent);
	}
	g_hash_table_destroy(siblings);
	g_array_free(stack, TRUE);
	g_free(seen);
	return ok;
}

/* Decides whether libgsf may parse a, and how. Findings are recorded. */
static preflight_verdict preflight(lure_scan *scan, lure_artifact *a, cfb_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!read_header(scan, a, v) || !read_difat(scan, a, v) || !check_chains(scan, a, v) ||
	    !replay_directory(scan, a, v))
		return PF_REFUSE;
	if (v->root_siblings || v->root_size)
		return PF_PARSE_COPY;
	return PF_PARSE;
}

static void cfb_view_clear(cfb_view *v)
{
	g_free(v->fat_sectors);
	g_free(v->dir_chain);
	memset(v, 0, sizeof(*v));
}

/* A copy of a's bytes with the root entry fixed as check_root says (g_free). */
static uint8_t *patched_copy(const lure_artifact *a, const cfb_view *v)
{
	uint8_t *copy = g_memdup2(a->data, a->len);
	uint8_t *root = copy + v->root_off;

	if (v->root_siblings)
		memset(root + CFB_DIRENT_LEFT_SIBLING, 0xFF, 8); /* left, right: NOSTREAM */
	if (v->root_size) {
		uint32_t len = (uint32_t)MIN(a->len, (size_t)UINT32_MAX);
		for (int i = 0; i < 4; i++)
			root[CFB_DIRENT_STREAM_SIZE + i] = (uint8_t)(len >> (8 * i));
	}
	return copy;
}

/* ------------------------------------------------------------------------
 * Walking libgsf's tree.
 */

typedef struct ole2_walk {
	lure_scan *scan;
	lure_artifact *a;         /* the compound file */
	unsigned entries;         /* directory entries visited */
	bool depth_reported;
	bool stop;                /* artifact limit, time out or out of memory */
	lure_error err;
} ole2_walk;

static char *join_path(const char *storage, const char *name)
{
	if (storage[0] == '\0')
		return g_strdup(name);
	return g_strconcat(storage, "/", name, NULL);
}

/* Reads size bytes of stream in into a new buffer (g_free), or NULL after a
 * short read (*got says how far it came) or when out of memory (*nomem). */
static uint8_t *read_stream(GsfInput *in, size_t size, size_t *got, bool *nomem)
{
	uint8_t *buf = g_try_malloc(size > 0 ? size : 1);

	*got = 0;
	*nomem = buf == NULL;
	if (buf == NULL)
		return NULL;
	while (*got < size) {
		size_t n = MIN(OLE2_READ_CHUNK, size - *got);
		if (gsf_input_read(in, n, buf + *got) == NULL) {
			g_free(buf);
			return NULL;
		}
		*got += n;
	}
	return buf;
}

/* Makes stream in, at path in storage (whose CLSID is clsid), a child of
 * the compound file. */
static void extract_stream(ole2_walk *w, GsfInput *in, const char *path,
			   const char *storage, const uint8_t clsid[16])
{
	gsf_off_t declared = gsf_input_size(in);
	size_t got = 0;
	bool nomem = false;

	if (declared < 0 || (uint64_t)declared > w->a->len) {
		lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
			"stream '%s' declares %" G_GINT64_FORMAT " bytes, more than the file holds",
			path, (gint64)declared);
		lure_finding_detail(f, "stream", "%s", path);
		return;
	}
	size_t size = (size_t)declared;
	if (lure_scan_charge(w->scan, w->a, path, size, size) != LURE_OK)
		return;
	uint8_t *buf = read_stream(in, size, &got, &nomem);
	if (nomem) {
		w->err = LURE_E_NOMEM;
		w->stop = true;
		return;
	}
	if (buf == NULL) {
		lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
			"stream '%s' is truncated: %zu of %zu bytes readable; skipped",
			path, got, size);
		lure_finding_detail(f, "stream", "%s", path);
		return;
	}
	lure_artifact *child = NULL;
	lure_error err = lure_scan_add_child(w->scan, w->a, path, buf, size, &child);
	if (err != LURE_OK) {
		w->stop = true;
		return;
	}
	if (storage[0] != '\0')
		lure_artifact_set_prop(child, "storage", storage);
	set_clsid_prop(child, "storage_clsid", clsid);
}

static void walk_storage(ole2_walk *w, GsfInfile *storage, const char *path,
			 unsigned depth);

/* Visits entry i of storage (at path): a stream or a storage. */
static void walk_entry(ole2_walk *w, GsfInfile *storage, const char *path,
		       const uint8_t clsid[16], int i, unsigned depth)
{
	const char *name = gsf_infile_name_by_index(storage, i);
	char *child_path = join_path(path, name != NULL ? name : "");
	GsfInput *in = gsf_infile_child_by_index(storage, i);

	if (in == NULL) {
		lure_finding *f = lure_finding_add(w->scan, w->a, LURE_IND_CONTAINER_MALFORMED,
						   "entry '%s' cannot be opened; skipped", child_path);
		lure_finding_detail(f, "stream", "%s", child_path);
	} else if (GSF_IS_INFILE(in) && gsf_infile_num_children(GSF_INFILE(in)) >= 0) {
		walk_storage(w, GSF_INFILE(in), child_path, depth + 1);
	} else {
		extract_stream(w, in, child_path, path, clsid);
	}
	if (in != NULL)
		g_object_unref(in);
	g_free(child_path);
}

/* Walks the entries of storage, at path ("" for the root), depth deep. */
static void walk_storage(ole2_walk *w, GsfInfile *storage, const char *path, unsigned depth)
{
	uint8_t clsid[LURE_OLE2_CLSID_LEN] = {0};

	if (depth > OLE2_MAX_STORAGE_DEPTH) {
		if (!w->depth_reported)
			lure_scan_limit_hit(w->scan, w->a, OLE2_LIMIT_STORAGE_DEPTH,
					    "storages nested deeper than %u; '%s' not walked",
					    OLE2_MAX_STORAGE_DEPTH, path);
		w->depth_reported = true;
		return;
	}
	if (GSF_IS_INFILE_MSOLE(storage))
		gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(storage), clsid);
	int n = gsf_infile_num_children(storage);
	for (int i = 0; i < n && !w->stop; i++) {
		if (lure_scan_expired(w->scan)) {
			w->stop = true;
			break;
		}
		if (++w->entries > OLE2_MAX_ENTRIES) {
			lure_scan_limit_hit(w->scan, w->a, OLE2_LIMIT_ENTRIES,
					    "more than %u directory entries; the rest were not walked",
					    OLE2_MAX_ENTRIES);
			w->stop = true;
			break;
		}
		walk_entry(w, storage, path, clsid, i, depth);
	}
}

/* Opens bytes[0..len) with libgsf and walks it; libgsf's messages are
 * routed to findings on w->a meanwhile. */
static void parse_with_gsf(ole2_walk *w, const uint8_t *bytes, size_t len)
{
	GError *gerr = NULL;
	log_sink sink;

	sink_push(&sink, w->scan, w->a);
	GsfInput *src = gsf_input_memory_new(bytes, (gsf_off_t)len, FALSE);
	GsfInfile *ole = src != NULL ? gsf_infile_msole_new(src, &gerr) : NULL;
	if (ole == NULL) {
		malformed(w->scan, w->a, "libgsf cannot open the compound file: %s",
			  gerr != NULL ? gerr->message : "unknown error");
		g_clear_error(&gerr);
	} else {
		uint8_t clsid[LURE_OLE2_CLSID_LEN] = {0};
		if (gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(ole), clsid))
			set_clsid_prop(w->a, "root_clsid", clsid);
		walk_storage(w, ole, "", 0);
		g_object_unref(ole);
	}
	if (src != NULL)
		g_object_unref(src);
	sink_pop(&sink);
}

/* ------------------------------------------------------------------------
 * The handler.
 */

static unsigned probe(const uint8_t *d, size_t n)
{
	if (n < sizeof(CFB_SIGNATURE) || memcmp(d, CFB_SIGNATURE, sizeof(CFB_SIGNATURE)) != 0)
		return 0;
	return LURE_BID_CERTAIN;
}

static lure_error walk(lure_scan *scan, lure_artifact *a)
{
	ole2_walk w = {.scan = scan, .a = a, .err = LURE_OK};
	cfb_view v;
	uint8_t *copy = NULL;

	global_init();
	switch (preflight(scan, a, &v)) {
	case PF_REFUSE:
		break;
	case PF_PARSE_COPY:
		copy = patched_copy(a, &v);
		parse_with_gsf(&w, copy, a->len);
		break;
	case PF_PARSE:
		parse_with_gsf(&w, a->data, a->len);
		break;
	}
	g_free(copy);
	cfb_view_clear(&v);
	return w.err;
}

const lure_handler lure_handler_ole2 = {
	.name = "ole2",
	.kind = "ole2",
	.probe = probe,
	.walk = walk,
};
