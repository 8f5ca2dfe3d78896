/*
 * extract.c - writing every artifact of a scan to disk, safely.
 *
 * Layout: DIR/<input sha256>/<id>-<sanitised name>, plus manifest.json. The
 * root artifact (the input itself) is written too, as 0-<last component of
 * the input's name>, so the directory holds the whole tree and the manifest
 * has no special case.
 *
 * The names come from hostile documents ("../../x", "/etc/x", "\x01Ole",
 * 300-byte names, names of files we are about to write). Defences, each
 * enough on its own for the one before it failing:
 *
 *   1. lure_extract_sanitise() keeps [A-Za-z0-9._-] only, so a name has no
 *      '/' and cannot be "." or ".."; the "<id>-" prefix makes every name
 *      unique and start with a digit;
 *   2. DIR/<sha256> is created fresh with mkdirat() (never reused: a second
 *      extraction of the same input gets DIR/<sha256>.1, .2, ...), opened
 *      once with O_DIRECTORY|O_NOFOLLOW, and checked to be a directory we
 *      own; every file is created relative to that descriptor;
 *   3. files are opened with O_CREAT|O_EXCL|O_NOFOLLOW: a planted file or
 *      symlink with the same name makes the write fail, it is never
 *      followed or overwritten; the mode is forced to 0600.
 *
 * DIR itself is the user's choice: it is created with its parents when
 * missing, and a symlink there is followed, as for any path the user types.
 *
 * A failed write is recorded (per artifact in the manifest, first failure
 * for the caller) and extraction goes on with the other artifacts.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "core/text.h"
#include "report/report.h"

/* DIR/<sha256>.1 ... DIR/<sha256>.999 are tried when DIR/<sha256> exists. */
#define EXTRACT_MAX_SUFFIX 999
#define EXTRACT_MANIFEST "manifest.json"
/* Largest single write(); some systems refuse more than INT_MAX. */
#define EXTRACT_WRITE_CHUNK (1u << 30)

struct lure_extractor {
	int dirfd;             /* DIR/<sha256>[.N], O_DIRECTORY|O_NOFOLLOW */
	char *path;            /* the same as a path, for messages */
	char sha256[65];
	GPtrArray *files;      /* char* by artifact id: the file written, or NULL */
	GPtrArray *errors;     /* char* by artifact id: why it was not, or NULL */
	lure_error first_err;
	char *first_msg;
};

char *lure_extract_sanitise(const char *name)
{
	GString *out = g_string_sized_new(LURE_EXTRACT_NAME_MAX + 1);

	for (const char *p = name != NULL ? name : ""; *p != '\0' && out->len < LURE_EXTRACT_NAME_MAX;
	     p++) {
		char c = *p;
		bool keep = g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
		if (!keep)
			c = '_';
		if (c == '.' && (out->len == 0 || out->str[out->len - 1] == '.'))
			continue; /* no leading dot, no ".." */
		g_string_append_c(out, c);
	}
	if (out->len == 0)
		g_string_append_c(out, '_');
	return g_string_free(out, FALSE);
}

static bool is_sha256_hex(const char *s)
{
	if (s == NULL || strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!g_ascii_isxdigit(s[i]))
			return false;
	return true;
}

/* Creates a fresh DIR/<sha256>[.N] under parent_fd; returns its name
 * (g_free) or NULL with errno set (EEXIST when every suffix is taken). */
static char *make_fresh_dir(int parent_fd, const char *sha256)
{
	for (unsigned n = 0; n <= EXTRACT_MAX_SUFFIX; n++) {
		char *name = n == 0 ? g_strdup(sha256) : g_strdup_printf("%s.%u", sha256, n);
		if (mkdirat(parent_fd, name, 0700) == 0)
			return name;
		int saved = errno;
		g_free(name);
		if (saved != EEXIST) {
			errno = saved;
			return NULL;
		}
	}
	errno = EEXIST;
	return NULL;
}

/* Opens DIR/<name> without following a symlink and checks it is a
 * directory owned by us (not one swapped in after mkdirat). */
static int open_own_dir(int parent_fd, const char *name)
{
	struct stat st;
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

lure_extractor *lure_extractor_new(const char *dir, const char *input_sha256, lure_error *err)
{
	lure_extractor *ex = NULL;
	char *sub = NULL;
	int parent_fd = -1, saved = 0;
	lure_error e = LURE_OK;

	if (dir == NULL || *dir == '\0' || !is_sha256_hex(input_sha256)) {
		e = LURE_E_INVALID_ARG;
		goto out;
	}
	if (g_mkdir_with_parents(dir, 0700) != 0 ||
	    (parent_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = LURE_E_IO;
		goto out;
	}
	sub = make_fresh_dir(parent_fd, input_sha256);
	if (sub == NULL) {
		e = errno == EEXIST ? LURE_E_EXISTS : LURE_E_IO;
		goto out;
	}
	ex = g_new0(lure_extractor, 1);
	ex->dirfd = open_own_dir(parent_fd, sub);
	if (ex->dirfd < 0) {
		saved = errno;
		g_free(ex);
		ex = NULL;
		errno = saved;
		e = LURE_E_UNSAFE_PATH;
		goto out;
	}
	ex->path = g_build_filename(dir, sub, NULL);
	g_strlcpy(ex->sha256, input_sha256, sizeof ex->sha256);
	ex->files = g_ptr_array_new_with_free_func(g_free);
	ex->errors = g_ptr_array_new_with_free_func(g_free);
out:
	saved = errno;
	if (parent_fd >= 0)
		close(parent_fd);
	g_free(sub);
	errno = saved;
	if (err != NULL)
		*err = e;
	return ex;
}

const char *lure_extractor_dir(const lure_extractor *ex)
{
	return ex != NULL ? ex->path : NULL;
}

/* Stores value at index id of arr (which grows with NULLs), taking it. */
static void slot_set(GPtrArray *arr, unsigned id, char *value)
{
	if (id >= arr->len)
		g_ptr_array_set_size(arr, (gint)id + 1);
	g_free(arr->pdata[id]);
	arr->pdata[id] = value;
}

static void record_error(lure_extractor *ex, const lure_artifact *a, lure_error err,
			 const char *what, int errnum)
{
	char *msg = g_strdup_printf("%s: %s: %s", ex->path, what,
				    errnum != 0 ? g_strerror(errnum) : lure_strerror(err));
	if (ex->first_err == LURE_OK) {
		ex->first_err = err;
		ex->first_msg = lure_display_escape_str(msg);
	}
	if (a != NULL)
		slot_set(ex->errors, a->id, lure_display_escape_str(msg));
	g_free(msg);
}

/* Writes data[0..len) to fd, riding out EINTR and short writes. Returns 0
 * or an errno value. */
static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len > 0) {
		size_t n = len > EXTRACT_WRITE_CHUNK ? EXTRACT_WRITE_CHUNK : len;
		ssize_t w = write(fd, data, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Creates name in the extraction directory and writes data to it. Returns
 * 0 or an errno value; a partly written file is removed. */
static int write_file(lure_extractor *ex, const char *name, const uint8_t *data, size_t len)
{
	int fd = openat(ex->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			0600);
	if (fd < 0)
		return errno;
	int rc = fchmod(fd, 0600) != 0 ? errno : 0; /* whatever the umask did */
	if (rc == 0)
		rc = write_all(fd, data, len);
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc != 0)
		unlinkat(ex->dirfd, name, 0);
	return rc;
}

void lure_extract_hook(lure_scan *scan, lure_artifact *a, void *extractor)
{
	lure_extractor *ex = extractor;
	(void)scan;

	if (ex == NULL || a == NULL)
		return;
	if (a->data == NULL && a->len > 0) {
		record_error(ex, a, LURE_E_INVALID_ARG, "artifact bytes are gone", 0);
		return;
	}
	/* The root's name is the input path as typed: keep its last component. */
	char *base = a->parent < 0 ? g_path_get_basename(a->name) : g_strdup(a->name);
	char *clean = lure_extract_sanitise(base);
	char *file = g_strdup_printf("%u-%s", a->id, clean);
	g_free(clean);
	g_free(base);

	int rc = write_file(ex, file, a->data != NULL ? a->data : (const uint8_t *)"", a->len);
	if (rc != 0) {
		char *what = g_strdup_printf("cannot write %s", file);
		record_error(ex, a, rc == EEXIST || rc == ELOOP ? LURE_E_EXISTS : LURE_E_IO, what, rc);
		g_free(what);
		g_free(file);
		return;
	}
	slot_set(ex->files, a->id, file);
}

static const char *slot_get(const GPtrArray *arr, unsigned id)
{
	return id < arr->len ? arr->pdata[id] : NULL;
}

static void member_str(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value == NULL) {
		json_builder_add_null_value(b);
	} else {
		char *safe = lure_display_escape_str(value);
		json_builder_add_string_value(b, safe);
		g_free(safe);
	}
}

static char *manifest_text(const lure_extractor *ex, const lure_scan *scan)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	member_str(b, "input", scan->root_name);
	member_str(b, "sha256", ex->sha256);
	json_builder_set_member_name(b, "artifacts");
	json_builder_begin_array(b);
	for (guint i = 0; i < scan->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, a->id);
		json_builder_set_member_name(b, "parent");
		if (a->parent < 0)
			json_builder_add_null_value(b);
		else
			json_builder_add_int_value(b, a->parent);
		member_str(b, "path", a->path);
		member_str(b, "kind", a->kind != NULL ? a->kind : "data");
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, a->size > G_MAXINT64 ? G_MAXINT64 : (gint64)a->size);
		member_str(b, "sha256", a->sha256);
		member_str(b, "file", slot_get(ex->files, a->id));
		if (slot_get(ex->errors, a->id) != NULL)
			member_str(b, "error", slot_get(ex->errors, a->id));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);

	JsonNode *root = json_builder_get_root(b);
	char *text = lure_report_json_text(root, true, NULL);
	json_node_unref(root);
	g_object_unref(b);
	return text;
}

lure_error lure_extractor_finish(lure_extractor *ex, const lure_scan *scan, char **errmsg)
{
	if (errmsg != NULL)
		*errmsg = NULL;
	if (ex == NULL)
		return LURE_OK;
	if (scan != NULL) {
		char *text = manifest_text(ex, scan);
		char *line = g_strconcat(text, "\n", NULL);
		int rc = write_file(ex, EXTRACT_MANIFEST, (const uint8_t *)line, strlen(line));
		if (rc != 0)
			record_error(ex, NULL, LURE_E_IO, "cannot write " EXTRACT_MANIFEST, rc);
		g_free(line);
		g_free(text);
	}
	lure_error err = ex->first_err;
	if (errmsg != NULL)
		*errmsg = g_steal_pointer(&ex->first_msg);
	close(ex->dirfd);
	g_ptr_array_free(ex->files, TRUE);
	g_ptr_array_free(ex->errors, TRUE);
	g_free(ex->first_msg);
	g_free(ex->path);
	g_free(ex);
	return err;
}
