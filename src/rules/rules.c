/*
 * rules.c - the YARA engine of lurescan; see rules.h for the contract.
 *
 * How a rule set gets built. lure_rules_collect() turns the paths the user
 * gave into a list of files with namespaces; a compiled file (ours or
 * yr_rules_save's, by its magic) stands alone. Sources go through a
 * YR_COMPILER per set with the external variables declared first, one file
 * after the other; the
 * first file with an error stops the build (libyara refuses more input once
 * a file failed), and the message carries file:line from the compiler
 * callback. There are no rule includes of our own; a rule file's include
 * statements resolve relative to that file, as yara does it.
 *
 * Two sets. libyara loads every imported module on every scan, and the pe
 * module alone costs about half a millisecond per artifact (it builds its
 * whole object tree, hundreds of fields and constants, even for bytes that
 * are not a PE): more than the rest of a docx scan. So rule files that
 * import "pe" or "dotnet" are compiled into a second set that only runs on
 * artifacts that are PE files (an "MZ" header whose e_lfanew points at
 * "PE\0\0", the same test the pe module makes before it parses anything).
 * A rule meant for other artifacts belongs in a file that imports neither.
 * lure_rules_save() keeps the split: it writes a small container (magic
 * LURE_RULES_CONTAINER_MAGIC, then per set a kind, a length and the
 * yr_rules_save bytes); a plain yr_rules_save/yarac file ("YARA" magic) is
 * loaded as one set run on every artifact.
 *
 * How an artifact gets scanned. The driver calls our hook once per artifact
 * while its bytes are alive (scan.h). The hook borrows an idle YR_SCANNER
 * from the rule set's pool, sets the external variables, runs it over the
 * bytes, and gives it back. The match callback turns each matching rule
 * into a lure_yara_match plus a yara.match finding. Scans run with
 * SCAN_FLAGS_NO_TRYCATCH: every artifact is plain memory (the input's
 * mapping is read by the parsers first anyway), and libyara's SIGSEGV/SIGBUS
 * handler would otherwise turn a real memory fault in a module into a
 * silent "no match".
 *
 * Errors a scan can meet. ERROR_SCAN_TIMEOUT is the yara_timeout limit;
 * ERROR_INSUFFICIENT_MEMORY ends the input as any out-of-memory does; the
 * rest (too many regexp fibres, a VM stack overflow, too many matches of a
 * string) are libyara's own internal limits, reported as limit.exceeded
 * "yara_internal": the rules may have missed something on that artifact,
 * and the report says so.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <yara.h>
#include "core/text.h"
#include "rules/rules.h"

#ifndef LURE_SRCDIR_RULES
#define LURE_SRCDIR_RULES "yara-rules"
#endif
#ifndef LURE_INSTALLED_RULES
#define LURE_INSTALLED_RULES "/usr/local/share/lurescan/yara-rules"
#endif
#ifndef LURE_BUILDDIR
#define LURE_BUILDDIR "."
#endif

/* The first bytes of a compiled rules file (libyara's arena header). */
#define YARA_COMPILED_MAGIC "YARA"
/* Our compiled container: this magic, then entries of {u32 set kind, u64
 * length, that many bytes of yr_rules_save output}, little-endian. */
#define LURE_RULES_CONTAINER_MAGIC "LURESCAN-YARA-1\n"
#define LURE_RULES_CONTAINER_MAGIC_LEN 16u
/* A file that imports one of these modules runs on PE artifacts only. */
#define PE_ONLY_IMPORTS "^[ \\t]*import[ \\t]+\"(pe|dotnet)\""
/* PE/COFF: the DOS header's e_lfanew field and the PE signature. */
#define PE_E_LFANEW_OFFSET 0x3Cu
#define PE_SIGNATURE "PE\0\0"
/* Directories nested deeper than this under a rules path are refused. */
#define RULES_MAX_DIR_DEPTH 32u
/* The timer's baseline: compiled with the externals, never true. */
#define TIMER_BASELINE_RULE "rule lure_timing_baseline { condition: false }"

G_DEFINE_QUARK(lure-rules-error-quark, lure_rules_error)

/* The sets of a rule set, by the artifacts they run on. */
typedef enum set_kind {
	SET_EVERY = 0,    /* every artifact */
	SET_PE = 1,       /* PE artifacts only */
	SET__COUNT
} set_kind;

typedef struct rule_set {
	YR_RULES *yr;     /* NULL when the set is empty */
	size_t nrules;
	GPtrArray *idle;  /* YR_SCANNER*, not in use; guarded by lure_rules.lock */
} rule_set;

struct lure_rules {
	rule_set sets[SET__COUNT];
	bool compiled;
	GMutex lock;
};

/* ------------------------------------------------------------------ */
/* libyara's global state                                              */
/* ------------------------------------------------------------------ */

static GMutex yara_lock;
static unsigned yara_users;

bool lure_yara_acquire(GError **err)
{
	bool ok = true;

	g_mutex_lock(&yara_lock);
	if (yara_users == 0 && yr_initialize() != ERROR_SUCCESS) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES, "libyara failed to initialise");
		ok = false;
	} else {
		yara_users++;
	}
	g_mutex_unlock(&yara_lock);
	return ok;
}

void lure_yara_release(void)
{
	g_mutex_lock(&yara_lock);
	if (yara_users > 0 && --yara_users == 0)
		yr_finalize();
	g_mutex_unlock(&yara_lock);
}

/* ------------------------------------------------------------------ */
/* Finding the rule files                                              */
/* ------------------------------------------------------------------ */

static void rule_file_free(gpointer p)
{
	lure_rule_file *f = p;
	if (f == NULL)
		return;
	g_free(f->path);
	g_free(f->ns);
	g_free(f);
}

static bool has_rule_ext(const char *name)
{
	return g_str_has_suffix(name, ".yar") || g_str_has_suffix(name, ".yara");
}

/* True when the file at path starts with a compiled-rules magic (ours or
 * libyara's). */
static bool starts_with_magic(const char *path)
{
	char head[LURE_RULES_CONTAINER_MAGIC_LEN];
	FILE *fp = g_fopen(path, "rb");
	size_t got;

	if (fp == NULL)
		return false;
	got = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	return (got >= 4 && memcmp(head, YARA_COMPILED_MAGIC, 4) == 0) ||
	       (got == sizeof(head) && memcmp(head, LURE_RULES_CONTAINER_MAGIC, sizeof(head)) == 0);
}

/* True when the rule source at path imports pe or dotnet. */
static bool imports_pe(const char *path)
{
	char *text = NULL;
	bool yes = false;

	if (g_file_get_contents(path, &text, NULL, NULL))
		yes = g_regex_match_simple(PE_ONLY_IMPORTS, text, G_REGEX_MULTILINE, 0);
	g_free(text);
	return yes;
}

static void add_rule_file(GPtrArray *out, const char *path, const char *ns)
{
	lure_rule_file *f = g_new0(lure_rule_file, 1);
	f->path = g_strdup(path);
	f->ns = g_strdup(ns);
	f->compiled = starts_with_magic(path);
	f->pe_only = !f->compiled && imports_pe(path);
	g_ptr_array_add(out, f);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The entries of dir except dot files, sorted; NULL with *err on failure. */
static GPtrArray *sorted_entries(const char *dir, GError **err)
{
	GDir *d = g_dir_open(dir, 0, err);
	const char *name;

	if (d == NULL)
		return NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		if (name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, compare_strings);
	return names;
}

/* Adds the rule files under dir (namespace prefix rel, "" at the top) to
 * out, in sorted order. Symlinked directories are not entered. */
static bool walk_dir(const char *dir, const char *rel, unsigned depth, GPtrArray *out,
		     GError **err)
{
	GStatBuf st;
	bool ok = true;

	if (depth > RULES_MAX_DIR_DEPTH) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_LIMIT,
			    "%s: directories nested deeper than %u", dir, RULES_MAX_DIR_DEPTH);
		return false;
	}
	GPtrArray *names = sorted_entries(dir, err);
	if (names == NULL)
		return false;
	for (guint i = 0; ok && i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		char *full = g_build_filename(dir, name, NULL);
		char *ns = *rel != '\0' ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);

		if (g_lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
			ok = walk_dir(full, ns, depth + 1, out, err);
		else if (has_rule_ext(name) && g_stat(full, &st) == 0 && S_ISREG(st.st_mode))
			add_rule_file(out, full, ns);
		g_free(full);
		g_free(ns);
	}
	g_ptr_array_unref(names);
	return ok;
}

/* Drops the files that another entry of files already names (the same
 * file reached twice, e.g. a directory given twice): libyara would reject
 * the second copy's rules as duplicates. The first stays. */
static void drop_repeats(GPtrArray *files)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	for (guint i = 0; i < files->len;) {
		lure_rule_file *f = g_ptr_array_index(files, i);
		char *real = realpath(f->path, NULL);
		if (real != NULL && !g_hash_table_add(seen, real)) {
			g_ptr_array_remove_index(files, i);
			continue;
		}
		i++;
	}
	g_hash_table_unref(seen);
}

GPtrArray *lure_rules_collect(const char *const *paths, size_t n, GError **err)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(rule_file_free);
	GStatBuf st;
	unsigned ncompiled = 0;

	for (size_t i = 0; i < n; i++) {
		if (g_stat(paths[i], &st) != 0) {
			int e = errno;
			g_set_error(err, LURE_RULES_ERROR, LURE_E_IO, "%s: %s", paths[i],
				    g_strerror(e));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!walk_dir(paths[i], "", 0, out, err))
				goto fail;
		} else {
			char *base = g_path_get_basename(paths[i]);
			add_rule_file(out, paths[i], base);
			g_free(base);
		}
	}
	drop_repeats(out);
	for (guint i = 0; i < out->len; i++)
		ncompiled += ((lure_rule_file *)g_ptr_array_index(out, i))->compiled;
	if (out->len == 0) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES, "no rule files (*.yar, *.yara) found");
		goto fail;
	}
	if (ncompiled > 0 && out->len > 1) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES,
			    "a compiled rules file cannot be combined with other rule files");
		goto fail;
	}
	return out;
fail:
	g_ptr_array_unref(out);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Compiling                                                           */
/* ------------------------------------------------------------------ */

/* Compile errors, each "file:line: message", one per line. */
typedef struct compile_log {
	GString *text;
	unsigned nerrors;
} compile_log;

static void on_compile_msg(int level, const char *file, int line, const YR_RULE *rule,
			   const char *msg, void *user)
{
	compile_log *log = user;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return;
	if (log->text->len > 0)
		g_string_append_c(log->text, '\n');
	g_string_append_printf(log->text, "%s:%d: %s", file != NULL ? file : "<string>", line, msg);
	log->nerrors++;
}

int lure_rules_define_externals(YR_COMPILER *c)
{
	static const char *const strings[] = {
		LURE_EXT_ARTIFACT_KIND, LURE_EXT_ARTIFACT_NAME, LURE_EXT_ARTIFACT_PATH,
		LURE_EXT_PARENT_KIND, LURE_EXT_ROOT_NAME, LURE_EXT_ARTIFACT_SHA256,
	};
	int rc;

	for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
		if ((rc = yr_compiler_define_string_variable(c, strings[i], "")) != ERROR_SUCCESS)
			return rc;
	return yr_compiler_define_integer_variable(c, LURE_EXT_ARTIFACT_DEPTH, 0);
}

static void set_nomem(GError **err)
{
	g_set_error(err, LURE_RULES_ERROR, LURE_E_NOMEM, "out of memory");
}

/* Adds the rule file f to compiler c. Returns false with *err set (the
 * compiler's messages, or the I/O error). */
static bool compile_file(YR_COMPILER *c, compile_log *log, const lure_rule_file *f, GError **err)
{
	FILE *fp = g_fopen(f->path, "rb");
	if (fp == NULL) {
		int e = errno;
		g_set_error(err, LURE_RULES_ERROR, LURE_E_IO, "%s: %s", f->path, g_strerror(e));
		return false;
	}
	int nerr = yr_compiler_add_file(c, fp, f->ns, f->path);
	fclose(fp);
	if (nerr > 0) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES, "%s",
			    log->text->len > 0 ? log->text->str : "rules failed to compile");
		return false;
	}
	return true;
}

/* Compiles the source files files[0..n) (or, with files NULL, the source
 * text src) into *out. Returns false with *err set. */
static bool compile_set(lure_rule_file *const *files, size_t n, const char *src, YR_RULES **out,
			GError **err)
{
	YR_COMPILER *c = NULL;
	compile_log log = {g_string_new(NULL), 0};
	bool ok = false;

	*out = NULL;
	if (yr_compiler_create(&c) != ERROR_SUCCESS) {
		set_nomem(err);
		goto out;
	}
	yr_compiler_set_callback(c, on_compile_msg, &log);
	if (lure_rules_define_externals(c) != ERROR_SUCCESS) {
		set_nomem(err);
		goto out;
	}
	for (size_t i = 0; files != NULL && i < n; i++)
		if (!compile_file(c, &log, files[i], err))
			goto out;
	if (src != NULL && yr_compiler_add_string(c, src, NULL) > 0) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES, "%s", log.text->str);
		goto out;
	}
	if (yr_compiler_get_rules(c, out) != ERROR_SUCCESS) {
		set_nomem(err);
		goto out;
	}
	ok = true;
out:
	if (c != NULL)
		yr_compiler_destroy(c);
	g_string_free(log.text, TRUE);
	return ok;
}

/* Turns a libyara load result into *err; true on success. */
static bool load_result(int rc, const char *path, GError **err)
{
	switch (rc) {
	case ERROR_SUCCESS:
		return true;
	case ERROR_INSUFFICIENT_MEMORY:
		set_nomem(err);
		return false;
	case ERROR_UNSUPPORTED_FILE_VERSION:
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES,
			    "%s: compiled by another version of YARA; recompile it", path);
		return false;
	case ERROR_COULD_NOT_OPEN_FILE:
		g_set_error(err, LURE_RULES_ERROR, LURE_E_IO, "%s: cannot open", path);
		return false;
	default:
		g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES,
			    "%s: not a valid compiled rules file (libyara error %d)", path, rc);
		return false;
	}
}

/* A YR_STREAM reading [pos, end) of a buffer. */
typedef struct mem_stream {
	const uint8_t *data;
	size_t pos;
	size_t end;
} mem_stream;

static size_t mem_stream_read(void *ptr, size_t size, size_t count, void *user)
{
	mem_stream *m = user;
	size_t avail = m->end - m->pos, n = 0;

	if (size == 0)
		return 0;
	n = MIN(count, avail / size);
	memcpy(ptr, m->data + m->pos, n * size);
	m->pos += n * size;
	return n;
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Loads our container (data[0..len)) into sets. */
static bool load_container(const uint8_t *data, size_t len, const char *path,
			   rule_set sets[SET__COUNT], GError **err)
{
	size_t off = LURE_RULES_CONTAINER_MAGIC_LEN;

	while (off < len) {
		if (len - off < 12) {
			g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES,
				    "%s: truncated compiled rules container", path);
			return false;
		}
		uint32_t kind = (uint32_t)data[off] | (uint32_t)data[off + 1] << 8 |
				(uint32_t)data[off + 2] << 16 | (uint32_t)data[off + 3] << 24;
		uint64_t n = get_le64(data + off + 4);
		off += 12;
		if (kind >= SET__COUNT || sets[kind].yr != NULL || n > len - off) {
			g_set_error(err, LURE_RULES_ERROR, LURE_E_RULES,
				    "%s: corrupt compiled rules container", path);
			return false;
		}
		mem_stream m = {.data = data, .pos = off, .end = off + (size_t)n};
		YR_STREAM st = {.user_data = &m, .read = mem_stream_read};
		if (!load_result(yr_rules_load_stream(&st, &sets[kind].yr), path, err))
			return false;
		off += (size_t)n;
	}
	return true;
}

/* Loads a compiled file: our container, or plain yr_rules_save output as
 * the every-artifact set. */
static bool load_compiled(const char *path, rule_set sets[SET__COUNT], GError **err)
{
	GMappedFile *mf = g_mapped_file_new(path, FALSE, NULL);
	bool ok;

	if (mf == NULL) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_IO, "%s: cannot read", path);
		return false;
	}
	const uint8_t *d = (const uint8_t *)g_mapped_file_get_contents(mf);
	size_t len = g_mapped_file_get_length(mf);
	if (len >= LURE_RULES_CONTAINER_MAGIC_LEN &&
	    memcmp(d, LURE_RULES_CONTAINER_MAGIC, LURE_RULES_CONTAINER_MAGIC_LEN) == 0)
		ok = load_container(d, len, path, sets, err);
	else
		ok = load_result(yr_rules_load(path, &sets[SET_EVERY].yr), path, err);
	g_mapped_file_unref(mf);
	return ok;
}

static size_t count_rules(YR_RULES *yr)
{
	const YR_RULE *rule;
	size_t n = 0;
	yr_rules_foreach(yr, rule)
		n++;
	return n;
}

/* Compiles the source files into the set each belongs to. */
static bool compile_sets(GPtrArray *files, rule_set sets[SET__COUNT], GError **err)
{
	for (int k = 0; k < SET__COUNT; k++) {
		GPtrArray *part = g_ptr_array_new();
		for (guint i = 0; i < files->len; i++) {
			lure_rule_file *f = g_ptr_array_index(files, i);
			if (f->pe_only == (k == SET_PE))
				g_ptr_array_add(part, f);
		}
		bool ok = part->len == 0 ||
			  compile_set((lure_rule_file *const *)part->pdata, part->len, NULL,
				      &sets[k].yr, err);
		g_ptr_array_unref(part);
		if (!ok)
			return false;
	}
	return true;
}

static void sets_clear(rule_set sets[SET__COUNT])
{
	for (int k = 0; k < SET__COUNT; k++) {
		for (guint i = 0; sets[k].idle != NULL && i < sets[k].idle->len; i++)
			yr_scanner_destroy(g_ptr_array_index(sets[k].idle, i));
		if (sets[k].idle != NULL)
			g_ptr_array_free(sets[k].idle, TRUE);
		if (sets[k].yr != NULL)
			yr_rules_destroy(sets[k].yr);
		sets[k].yr = NULL;
		sets[k].idle = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Compiled-rules cache                                                */
/* ------------------------------------------------------------------ */

/* Compiling the bundled rules takes 20-70 ms; loading them compiled takes
 * under a millisecond. A gateway that calls lurescan once per attachment
 * pays the compile every time, so source rules are cached compiled, keyed
 * by a SHA-256 over our version, libyara's version, and every rule file's
 * namespace, set and bytes: any edit gives a new key. The cache lives in
 * $LURESCAN_CACHE_DIR, else $XDG_CACHE_HOME/lurescan (~/.cache/lurescan),
 * in a directory we own that no one else can write; anything else, or
 * LURESCAN_NO_RULES_CACHE set, and the rules are simply compiled. */
#define RULES_CACHE_TAG "lurescan-rules-cache-1"

/* The cache directory, created 0700 if needed; NULL when caching is off
 * or the directory is not safely ours. g_free. */
static char *cache_dir(void)
{
	const char *env = g_getenv("LURESCAN_CACHE_DIR");
	char *dir;
	GStatBuf st;

	if (g_getenv("LURESCAN_NO_RULES_CACHE") != NULL)
		return NULL;
	dir = env != NULL && *env != '\0' ? g_strdup(env)
					  : g_build_filename(g_get_user_cache_dir(), "lurescan", NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0 || g_lstat(dir, &st) != 0 ||
	    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		g_free(dir);
		return NULL;
	}
	return dir;
}

/* The cache file for the source files, or NULL when they cannot all be
 * read or caching is off. g_free. */
static char *cache_path(GPtrArray *files)
{
	char *dir = cache_dir();
	if (dir == NULL)
		return NULL;
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char *path = NULL;

	g_checksum_update(ck, (const guchar *)RULES_CACHE_TAG "\0" PACKAGE_VERSION "\0" YR_VERSION,
			  -1);
	for (guint i = 0; i < files->len; i++) {
		const lure_rule_file *f = g_ptr_array_index(files, i);
		gchar *text = NULL;
		gsize len = 0;
		if (!g_file_get_contents(f->path, &text, &len, NULL))
			goto out;
		g_checksum_update(ck, (const guchar *)f->ns, (gssize)strlen(f->ns) + 1);
		g_checksum_update(ck, (const guchar *)(f->pe_only ? "P" : "E"), 1);
		g_checksum_update(ck, (const guchar *)&len, sizeof len);
		g_checksum_update(ck, (const guchar *)text, (gssize)len);
		g_free(text);
	}
	char *name = g_strdup_printf("rules-%s.lyc", g_checksum_get_string(ck));
	path = g_build_filename(dir, name, NULL);
	g_free(name);
out:
	g_checksum_free(ck);
	g_free(dir);
	return path;
}

/* Cache files kept; past this the least recently written go, so edited
 * rule sets do not pile up. */
#define RULES_CACHE_KEEP 8u

typedef struct cache_entry {
	char *path;
	gint64 mtime;
} cache_entry;

static gint newest_first(gconstpointer a, gconstpointer b)
{
	const cache_entry *x = a, *y = b;
	return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : 0;
}

/* Removes all but the RULES_CACHE_KEEP newest cache files of dir. */
static void cache_prune(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	GArray *all = g_array_new(FALSE, FALSE, sizeof(cache_entry));
	const char *n;

	while (d != NULL && (n = g_dir_read_name(d)) != NULL) {
		GStatBuf st;
		if (!g_str_has_prefix(n, "rules-") || !g_str_has_suffix(n, ".lyc"))
			continue;
		cache_entry e = {g_build_filename(dir, n, NULL), 0};
		if (g_lstat(e.path, &st) == 0 && S_ISREG(st.st_mode)) {
			e.mtime = (gint64)st.st_mtime;
			g_array_append_val(all, e);
		} else {
			g_free(e.path);
		}
	}
	if (d != NULL)
		g_dir_close(d);
	g_array_sort(all, newest_first);
	for (guint i = 0; i < all->len; i++) {
		cache_entry *e = &g_array_index(all, cache_entry, i);
		if (i >= RULES_CACHE_KEEP)
			g_unlink(e->path);
		g_free(e->path);
	}
	g_array_free(all, TRUE);
}

/* Loads source files through the cache: a hit loads the compiled file, a
 * miss compiles and (best effort) stores the result. */
static bool compile_sets_cached(GPtrArray *files, rule_set sets[SET__COUNT], GError **err)
{
	char *path = cache_path(files);
	bool ok;

	if (path != NULL && g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
	    load_compiled(path, sets, NULL)) {
		g_free(path);
		return true;
	}
	sets_clear(sets);
	ok = compile_sets(files, sets, err);
	if (ok && path != NULL) {
		lure_rules tmp = {0};
		memcpy(tmp.sets, sets, sizeof tmp.sets);
		if (lure_rules_save(&tmp, path, NULL)) { /* a failed store only costs speed */
			char *dir = g_path_get_dirname(path);
			cache_prune(dir);
			g_free(dir);
		}
	}
	g_free(path);
	return ok;
}

lure_rules *lure_rules_load(const char *const *paths, size_t n, GError **err)
{
	GPtrArray *files;
	rule_set sets[SET__COUNT] = {{0}};
	bool ok;

	if (!lure_yara_acquire(err))
		return NULL;
	files = lure_rules_collect(paths, n, err);
	if (files == NULL) {
		lure_yara_release();
		return NULL;
	}
	lure_rule_file *first = g_ptr_array_index(files, 0);
	bool compiled = first->compiled;
	if (compiled)
		ok = load_compiled(first->path, sets, err);
	else
		ok = compile_sets_cached(files, sets, err);
	g_ptr_array_unref(files);
	if (!ok) {
		sets_clear(sets);
		lure_yara_release();
		return NULL;
	}
	lure_rules *r = g_new0(lure_rules, 1);
	for (int k = 0; k < SET__COUNT; k++) {
		r->sets[k] = sets[k];
		r->sets[k].nrules = sets[k].yr != NULL ? count_rules(sets[k].yr) : 0;
		r->sets[k].idle = g_ptr_array_new();
	}
	r->compiled = compiled;
	g_mutex_init(&r->lock);
	return r;
}

void lure_rules_free(lure_rules *r)
{
	if (r == NULL)
		return;
	sets_clear(r->sets);
	g_mutex_clear(&r->lock);
	g_free(r);
	lure_yara_release();
}

size_t lure_rules_count(const lure_rules *r)
{
	if (r == NULL)
		return 0;
	return r->sets[SET_EVERY].nrules + r->sets[SET_PE].nrules;
}

bool lure_rules_is_compiled(const lure_rules *r)
{
	return r != NULL && r->compiled;
}

static void rule_ref_free(gpointer p)
{
	lure_rule_ref *ref = p;
	if (ref == NULL)
		return;
	g_free(ref->ns);
	g_free(ref->name);
	g_free(ref);
}

GPtrArray *lure_rules_list(const lure_rules *r)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(rule_ref_free);
	const YR_RULE *rule;

	for (int k = 0; k < SET__COUNT; k++) {
		if (r->sets[k].yr == NULL)
			continue;
		yr_rules_foreach(r->sets[k].yr, rule) {
			lure_rule_ref *ref = g_new0(lure_rule_ref, 1);
			ref->ns = g_strdup(rule->ns->name);
			ref->name = g_strdup(rule->identifier);
			g_ptr_array_add(out, ref);
		}
	}
	return out;
}

static size_t stream_to_bytes(const void *ptr, size_t size, size_t count, void *user)
{
	if (size != 0 && count > G_MAXUINT / size)
		return 0;
	g_byte_array_append(user, ptr, (guint)(size * count));
	return count;
}

static void put_le(GByteArray *b, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)(v >> (8 * i));
		g_byte_array_append(b, &byte, 1);
	}
}

/* Appends one container entry: kind, length, the set's bytes. */
static bool put_set(GByteArray *buf, uint32_t kind, YR_RULES *yr)
{
	GByteArray *one = g_byte_array_new();
	YR_STREAM stream = {.user_data = one, .write = stream_to_bytes};
	bool ok = yr_rules_save_stream(yr, &stream) == ERROR_SUCCESS;

	if (ok) {
		put_le(buf, kind, 4);
		put_le(buf, one->len, 8);
		g_byte_array_append(buf, one->data, one->len);
	}
	g_byte_array_unref(one);
	return ok;
}

bool lure_rules_save(const lure_rules *r, const char *path, GError **err)
{
	GByteArray *buf = g_byte_array_new();
	bool ok = false;

	g_byte_array_append(buf, (const guint8 *)LURE_RULES_CONTAINER_MAGIC,
			    LURE_RULES_CONTAINER_MAGIC_LEN);
	for (int k = 0; k < SET__COUNT; k++) {
		if (r->sets[k].yr != NULL && !put_set(buf, (uint32_t)k, r->sets[k].yr)) {
			g_set_error(err, LURE_RULES_ERROR, LURE_E_IO,
				    "%s: could not serialise the rules", path);
			goto out;
		}
	}
	GError *io = NULL;
	if (!g_file_set_contents(path, (const char *)buf->data, (gssize)buf->len, &io)) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_IO, "%s", io->message);
		g_error_free(io);
		goto out;
	}
	ok = true;
out:
	g_byte_array_unref(buf);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Default rules directory                                             */
/* ------------------------------------------------------------------ */

/* True when this process's executable lives under the build directory. */
static bool running_from_build_dir(void)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	bool yes = false;

	if (exe != NULL) {
		size_t n = strlen(LURE_BUILDDIR);
		yes = strncmp(exe, LURE_BUILDDIR, n) == 0 && exe[n] == '/';
	}
	g_free(exe);
	return yes;
}

const char *lure_rules_default_dir(void)
{
	static const char *dir;

	if (g_once_init_enter(&dir)) {
		const char *d = LURE_INSTALLED_RULES;
		if (g_file_test(LURE_SRCDIR_RULES, G_FILE_TEST_IS_DIR) &&
		    (running_from_build_dir() || !g_file_test(d, G_FILE_TEST_IS_DIR)))
			d = LURE_SRCDIR_RULES;
		g_once_init_leave(&dir, d);
	}
	return dir;
}

/* ------------------------------------------------------------------ */
/* Scanning                                                            */
/* ------------------------------------------------------------------ */

static YR_SCANNER *scanner_take(lure_rules *r, rule_set *set)
{
	YR_SCANNER *s = NULL;

	g_mutex_lock(&r->lock);
	if (set->idle->len > 0)
		s = g_ptr_array_steal_index_fast(set->idle, set->idle->len - 1);
	g_mutex_unlock(&r->lock);
	if (s == NULL && yr_scanner_create(set->yr, &s) != ERROR_SUCCESS)
		return NULL;
	return s;
}

static void scanner_give(lure_rules *r, rule_set *set, YR_SCANNER *s)
{
	g_mutex_lock(&r->lock);
	g_ptr_array_add(set->idle, s);
	g_mutex_unlock(&r->lock);
}

/* True when data is a PE file as the pe module sees one: "MZ", and an
 * e_lfanew that points at "PE\0\0" inside the data. */
static bool is_pe(const uint8_t *d, size_t n)
{
	if (n < PE_E_LFANEW_OFFSET + 4 || d[0] != 'M' || d[1] != 'Z')
		return false;
	const uint8_t *p = d + PE_E_LFANEW_OFFSET;
	uint32_t lfanew = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			  (uint32_t)p[3] << 24;
	return lfanew <= n && n - lfanew >= 4 && memcmp(d + lfanew, PE_SIGNATURE, 4) == 0;
}

/* A libyara call setting an external is fine when it worked or when the
 * set does not declare the variable (a compiled file made elsewhere). */
static bool external_ok(int rc)
{
	return rc != ERROR_INSUFFICIENT_MEMORY;
}

/* Sets the external variables of s for artifact a. Returns false only when
 * memory ran out. */
static bool set_externals(YR_SCANNER *s, const lure_scan *scan, const lure_artifact *a)
{
	const lure_artifact *parent =
		a->parent >= 0 ? lure_scan_artifact(scan, (unsigned)a->parent) : NULL;
	const char *kind = a->kind != NULL ? a->kind : "";
	const char *pkind = parent != NULL && parent->kind != NULL ? parent->kind : "";

	return external_ok(yr_scanner_define_string_variable(s, LURE_EXT_ARTIFACT_KIND, kind)) &&
	       external_ok(yr_scanner_define_string_variable(s, LURE_EXT_ARTIFACT_NAME,
							     a->name != NULL ? a->name : "")) &&
	       external_ok(yr_scanner_define_string_variable(s, LURE_EXT_ARTIFACT_PATH,
							     a->path != NULL ? a->path : "")) &&
	       external_ok(yr_scanner_define_integer_variable(s, LURE_EXT_ARTIFACT_DEPTH,
							      (int64_t)a->depth)) &&
	       external_ok(yr_scanner_define_string_variable(s, LURE_EXT_PARENT_KIND, pkind)) &&
	       external_ok(yr_scanner_define_string_variable(s, LURE_EXT_ARTIFACT_SHA256,
							     a->sha256)) &&
	       external_ok(yr_scanner_define_string_variable(s, LURE_EXT_ROOT_NAME,
							     scan->root_name != NULL
								     ? scan->root_name : ""));
}

/* libyara's timeout for one artifact: limits.yara_timeout_s (0 = none),
 * never past the scan's own deadline. At least 1 second. */
static int artifact_timeout(const lure_scan *scan)
{
	uint64_t t = scan->limits.yara_timeout_s;

	if (scan->deadline_us > 0) {
		gint64 left_us = scan->deadline_us - g_get_monotonic_time();
		uint64_t left_s = left_us > 0 ? ((uint64_t)left_us + 999999u) / 1000000u : 1u;
		if (t == 0 || left_s < t)
			t = left_s;
	}
	return t > INT_MAX ? INT_MAX : (int)t;
}

/* The value of a string meta of rule, or NULL. */
static const char *meta_string(const YR_RULE *rule, const char *key)
{
	const YR_META *meta;
	yr_rule_metas_foreach(rule, meta)
		if (meta->type == META_TYPE_STRING && strcmp(meta->identifier, key) == 0)
			return meta->string;
	return NULL;
}

static char *meta_text(const YR_META *meta)
{
	switch (meta->type) {
	case META_TYPE_INTEGER:
		return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)meta->integer);
	case META_TYPE_BOOLEAN:
		return g_strdup(meta->integer ? "true" : "false");
	default:
		return g_strdup(meta->string != NULL ? meta->string : "");
	}
}

typedef struct match_ctx {
	lure_scan *scan;
	const lure_artifact *a;
	bool too_many_noted;
} match_ctx;

/* Copies at most LURE_RULES_MAX_STRINGS string matches of rule into m.
 * libyara 4.2 hands out YR_MATCH records from its notebook allocator
 * without aligning them, so each is copied out with memcpy before use
 * (yr_string_matches_foreach would read them in place: undefined
 * behaviour that UBSan reports). */
static void record_strings(lure_yara_match *m, YR_SCAN_CONTEXT *ctx, const YR_RULE *rule)
{
	const YR_STRING *s;

	yr_rule_strings_foreach(rule, s) {
		unsigned taken = 0;
		const YR_MATCH *next = ctx->matches[s->idx].head;
		while (next != NULL && taken < LURE_RULES_MAX_HITS_PER_STRING &&
		       m->strings->len < LURE_RULES_MAX_STRINGS) {
			YR_MATCH hit;
			memcpy(&hit, next, sizeof(hit));
			next = hit.next;
			if (hit.is_private)
				continue;
			lure_yara_string ys = {
				.id = lure_display_escape_str(s->identifier),
				.offset = (uint64_t)(hit.base + hit.offset),
				.length = (uint32_t)hit.match_length,
			};
			g_array_append_val(m->strings, ys);
			taken++;
		}
		if (m->strings->len >= LURE_RULES_MAX_STRINGS)
			break;
	}
}

/* The yara.match finding of rule on the artifact. */
static void add_match_finding(match_ctx *mc, const YR_RULE *rule)
{
	const char *desc = meta_string(rule, "description");
	const char *sev_name = meta_string(rule, "severity");
	int sev = sev_name != NULL ? lure_severity_parse(sev_name) : -1;
	lure_finding *f = lure_finding_add(mc->scan, mc->a, LURE_IND_YARA_MATCH, "YARA rule %s: %s",
					   rule->identifier,
					   desc != NULL ? desc : "(no description)");
	const char *extra[] = {"attack", "cve"};

	lure_finding_set_severity(f, sev >= 0 ? (lure_severity)sev : LURE_SEV_MEDIUM);
	lure_finding_detail(f, "rule", "%s", rule->identifier);
	lure_finding_detail(f, "namespace", "%s", rule->ns->name);
	if (desc != NULL)
		lure_finding_detail(f, "description", "%s", desc);
	for (size_t i = 0; i < G_N_ELEMENTS(extra); i++) {
		const char *v = meta_string(rule, extra[i]);
		if (v != NULL)
			lure_finding_detail(f, extra[i], "%s", v);
	}
}

static void record_match(match_ctx *mc, YR_SCAN_CONTEXT *ctx, const YR_RULE *rule)
{
	lure_yara_match *m = lure_scan_add_yara_match(mc->scan, mc->a, rule->identifier,
						      rule->ns->name);
	const char *tag;
	const YR_META *meta;

	yr_rule_tags_foreach(rule, tag)
		g_ptr_array_add(m->tags, lure_display_escape_str(tag));
	yr_rule_metas_foreach(rule, meta) {
		char *v = meta_text(meta);
		lure_yara_match_meta(m, meta->identifier, v);
		g_free(v);
	}
	record_strings(m, ctx, rule);
	add_match_finding(mc, rule);
}

static int on_scan_msg(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	match_ctx *mc = user;

	if (message == CALLBACK_MSG_RULE_MATCHING) {
		record_match(mc, ctx, data);
	} else if (message == CALLBACK_MSG_TOO_MANY_MATCHES && !mc->too_many_noted) {
		const YR_STRING *s = data;
		mc->too_many_noted = true;
		lure_scan_limit_hit(mc->scan, mc->a, LURE_LIMIT_YARA_INTERNAL,
				    "YARA string %s matched too often; later matches were dropped",
				    s->identifier);
	}
	return CALLBACK_CONTINUE;
}

/* Turns a failed yr_scanner_scan_mem() into a finding or an error. */
static void report_scan_error(lure_scan *scan, const lure_artifact *a, int rc, int timeout)
{
	lure_finding *f;

	switch (rc) {
	case ERROR_SUCCESS:
		return;
	case ERROR_SCAN_TIMEOUT:
		f = lure_scan_limit_hit(scan, a, LURE_LIMIT_YARA_TIMEOUT,
					"YARA stopped after %d s on this artifact; rules may have missed it",
					timeout);
		lure_finding_detail(f, "seconds", "%d", timeout);
		return;
	case ERROR_INSUFFICIENT_MEMORY:
		lure_scan_set_error(scan, LURE_E_NOMEM, "%s: YARA: out of memory", a->path);
		return;
	default:
		f = lure_scan_limit_hit(scan, a, LURE_LIMIT_YARA_INTERNAL,
					"YARA stopped on this artifact (libyara error %d); "
					"rules may have missed it", rc);
		lure_finding_detail(f, "yara_error", "%d", rc);
		return;
	}
}

/* Runs s over a's bytes with the externals set; returns libyara's code. */
static int scan_artifact(YR_SCANNER *s, lure_scan *scan, const lure_artifact *a,
			 YR_CALLBACK_FUNC cb, void *user, int timeout)
{
	if (!set_externals(s, scan, a))
		return ERROR_INSUFFICIENT_MEMORY;
	yr_scanner_set_callback(s, cb, user);
	yr_scanner_set_timeout(s, timeout);
	yr_scanner_set_flags(s, SCAN_FLAGS_REPORT_RULES_MATCHING | SCAN_FLAGS_NO_TRYCATCH);
	return yr_scanner_scan_mem(s, a->data, a->len);
}

/* Runs one set over a; false when the scan must not go on (no memory or
 * a timeout, already reported). */
static bool run_set(lure_rules *r, rule_set *set, lure_scan *scan, const lure_artifact *a,
		    match_ctx *mc)
{
	YR_SCANNER *s = scanner_take(r, set);
	if (s == NULL) {
		lure_scan_set_error(scan, LURE_E_NOMEM, "%s: YARA: out of memory", a->path);
		return false;
	}
	int timeout = artifact_timeout(scan);
	int rc = scan_artifact(s, scan, a, on_scan_msg, mc, timeout);
	scanner_give(r, set, s);
	report_scan_error(scan, a, rc, timeout);
	return rc == ERROR_SUCCESS;
}

static void yara_hook(lure_scan *scan, lure_artifact *a, void *user)
{
	lure_rules *r = user;
	match_ctx mc = {.scan = scan, .a = a};

	if (a->data == NULL || a->len == 0 || lure_scan_expired(scan))
		return;
	if (r->sets[SET_EVERY].yr != NULL && !run_set(r, &r->sets[SET_EVERY], scan, a, &mc))
		return;
	if (r->sets[SET_PE].yr != NULL && is_pe(a->data, a->len))
		run_set(r, &r->sets[SET_PE], scan, a, &mc);
}

lure_error lure_rules_attach(lure_rules *r, lure_scan *scan)
{
	if (r == NULL || scan == NULL)
		return LURE_E_INVALID_ARG;
	return lure_scan_add_hook(scan, yara_hook, r);
}

/* ------------------------------------------------------------------ */
/* Per-file timing                                                     */
/* ------------------------------------------------------------------ */

typedef struct timed_set {
	YR_RULES *yr;
	YR_SCANNER *scanner;
	lure_rules_timing t;
	char *ns;
	bool pe_only;   /* runs on PE artifacts only, as in lure_rules */
} timed_set;

struct lure_rules_timer {
	timed_set base;      /* the never-true baseline */
	GPtrArray *sets;     /* timed_set*, one per rule file */
	bool yara_ref;
};

static void timed_set_clear(timed_set *ts)
{
	if (ts->scanner != NULL)
		yr_scanner_destroy(ts->scanner);
	if (ts->yr != NULL)
		yr_rules_destroy(ts->yr);
	g_free(ts->ns);
}

static void timed_set_free(gpointer p)
{
	timed_set *ts = p;
	if (ts == NULL)
		return;
	timed_set_clear(ts);
	g_free(ts);
}

static bool timed_set_init(timed_set *ts, lure_rule_file *f, GError **err)
{
	bool ok = f != NULL ? compile_set(&f, 1, NULL, &ts->yr, err)
			    : compile_set(NULL, 0, TIMER_BASELINE_RULE, &ts->yr, err);
	if (!ok)
		return false;
	if (yr_scanner_create(ts->yr, &ts->scanner) != ERROR_SUCCESS) {
		set_nomem(err);
		return false;
	}
	ts->ns = g_strdup(f != NULL ? f->ns : "(baseline)");
	ts->pe_only = f != NULL && f->pe_only;
	ts->t.ns = ts->ns;
	ts->t.nrules = (unsigned)count_rules(ts->yr);
	return true;
}

void lure_rules_timer_free(lure_rules_timer *t)
{
	if (t == NULL)
		return;
	timed_set_clear(&t->base);
	if (t->sets != NULL)
		g_ptr_array_unref(t->sets);
	if (t->yara_ref)
		lure_yara_release();
	g_free(t);
}

lure_rules_timer *lure_rules_timer_new(const char *const *paths, size_t n, GError **err)
{
	lure_rules_timer *t = g_new0(lure_rules_timer, 1);
	GPtrArray *files = NULL;

	if (!lure_yara_acquire(err))
		goto fail;
	t->yara_ref = true;
	t->sets = g_ptr_array_new_with_free_func(timed_set_free);
	files = lure_rules_collect(paths, n, err);
	if (files == NULL)
		goto fail;
	if (((lure_rule_file *)g_ptr_array_index(files, 0))->compiled) {
		g_set_error(err, LURE_RULES_ERROR, LURE_E_UNSUPPORTED,
			    "per-file timing needs rule sources, not a compiled file");
		goto fail;
	}
	if (!timed_set_init(&t->base, NULL, err))
		goto fail;
	for (guint i = 0; i < files->len; i++) {
		timed_set *ts = g_new0(timed_set, 1);
		g_ptr_array_add(t->sets, ts);
		if (!timed_set_init(ts, g_ptr_array_index(files, i), err))
			goto fail;
	}
	g_ptr_array_unref(files);
	return t;
fail:
	if (files != NULL)
		g_ptr_array_unref(files);
	lure_rules_timer_free(t);
	return NULL;
}

static int ignore_msg(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	(void)ctx;
	(void)message;
	(void)data;
	(void)user;
	return CALLBACK_CONTINUE;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Nanoseconds one scan of a with set ts takes. */
static uint64_t time_scan(timed_set *ts, lure_scan *scan, const lure_artifact *a, int timeout)
{
	uint64_t t0 = now_ns();
	scan_artifact(ts->scanner, scan, a, ignore_msg, NULL, timeout);
	return now_ns() - t0;
}

static void timer_hook(lure_scan *scan, lure_artifact *a, void *user)
{
	lure_rules_timer *t = user;

	if (a->data == NULL || a->len == 0 || scan->timed_out)
		return;
	int timeout = artifact_timeout(scan);
	bool pe = is_pe(a->data, a->len);
	/* The baseline is the cheaper of two runs, to damp noise. */
	uint64_t base = time_scan(&t->base, scan, a, timeout);
	uint64_t again = time_scan(&t->base, scan, a, timeout);
	if (again < base)
		base = again;
	for (guint i = 0; i < t->sets->len; i++) {
		timed_set *ts = g_ptr_array_index(t->sets, i);
		if (ts->pe_only && !pe)
			continue;
		uint64_t dt = time_scan(ts, scan, a, timeout);
		ts->t.ns_total += dt > base ? dt - base : 0;
		ts->t.artifacts++;
	}
}

lure_error lure_rules_timer_attach(lure_rules_timer *t, lure_scan *scan)
{
	if (t == NULL || scan == NULL)
		return LURE_E_INVALID_ARG;
	return lure_scan_add_hook(scan, timer_hook, t);
}

static gint compare_timing(gconstpointer a, gconstpointer b)
{
	const lure_rules_timing *x = *(const lure_rules_timing *const *)a;
	const lure_rules_timing *y = *(const lure_rules_timing *const *)b;
	if (x->ns_total != y->ns_total)
		return x->ns_total < y->ns_total ? 1 : -1;
	return strcmp(x->ns, y->ns);
}

GPtrArray *lure_rules_timer_results(const lure_rules_timer *t)
{
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; i < t->sets->len; i++)
		g_ptr_array_add(out, &((timed_set *)g_ptr_array_index(t->sets, i))->t);
	g_ptr_array_sort(out, compare_timing);
	return out;
}
