/*
 * main.c - the `lurescan` command: a table of subcommands.
 *
 * main() looks the first argument up in `commands` and hands over the rest;
 * adding a subcommand ("rules", "regress", "serve") is one function and one
 * table line.
 *
 * `scan` turns its inputs into a list of jobs first (walking directories
 * with -r, in sorted order), then scans them, in this thread or on a
 * GThreadPool with -j N. Each job renders its report into memory; this
 * thread prints the reports strictly in job order as they complete, so the
 * output is the same whatever -j is. Each job has its own lure_scan, its
 * own extractor and its own buffers: the workers share only the read-only
 * options.
 *
 * Inputs are read, never executed or followed: a regular file, standard
 * input, a FIFO or a character device named on the command line is read
 * into memory up to --max-input-size (not mapped: a mapped file truncated
 * under us would be SIGBUS). Nothing a document names is ever opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "cli/commands_rules.h"
#include "cli/options.h"
#include "rules/rules.h"
#include "core/text.h"
#include "report/report.h"

/* Exit statuses, as clamscan's. */
#define EXIT_CLEAN 0
#define EXIT_DETECTION 1
#define EXIT_ERROR 2

/* Directories nested deeper than this are not walked (a note says so). */
#define WALK_MAX_DEPTH 256
/* Read size for standard input and FIFOs. */
#define READ_CHUNK (64 * 1024)

/* ---- subcommand table ---- */

typedef struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
} command;

static int cmd_scan(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const command commands[] = {
	{"scan", "scan files, directories or standard input", cmd_scan},
	{"rules", "check or compile YARA rules (rules check|compile)", lure_cmd_rules},
	{"regress", "check rules and findings against a labelled sample set", lure_cmd_regress},
	{"help", "show help for a command", cmd_help},
	{"version", "print the version", cmd_version},
};

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	fputs("Usage: lurescan COMMAND [OPTION...] [ARG...]\n"
	      "\n"
	      "Triage Office documents (OLE2, OOXML, RTF) for malicious content.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(out, "  %-10s%s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Run 'lurescan help COMMAND' or 'lurescan COMMAND --help' for its options.\n"
	      "Exit status: 0 clean, 1 detection, 2 error. See lurescan(1).\n",
	      out);
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("lurescan %s\n", PACKAGE_VERSION);
	return EXIT_CLEAN;
}

static void print_scan_help(FILE *out)
{
	g_set_prgname("lurescan scan");
	char *help = lure_cli_scan_help();
	fputs(help, out);
	g_free(help);
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "scan") == 0) {
		print_scan_help(stdout);
		return EXIT_CLEAN;
	}
	if (find_command(argv[1]) != NULL) {
		print_usage(stdout);
		return EXIT_CLEAN;
	}
	char *shown = lure_display_escape_str(argv[1]);
	fprintf(stderr, "lurescan: unknown command '%s'\n", shown);
	g_free(shown);
	return EXIT_ERROR;
}

/* ---- scan: jobs ---- */

typedef struct job {
	char *path;         /* raw path to open; NULL for standard input */
	char *name;         /* the input as the user named it (raw) */
	lure_error pre_err; /* set when the input was refused before scanning */
	char *pre_msg;
	/* results, written by the worker, read by the printer once done */
	bool done;
	int status;         /* EXIT_CLEAN, EXIT_DETECTION or EXIT_ERROR */
	char *output;       /* the rendered report */
	size_t output_len;
	char *note;         /* a line for stderr, or NULL */
} job;

typedef struct scan_ctx {
	const lure_cli_opts *opts;
	lure_rules *rules;  /* compiled once, shared read-only by the workers */
	GPtrArray *jobs;    /* job*, in input order */
	bool color;
	bool progress;
	bool stdin_taken;
	GMutex lock;
	GCond cond;
	unsigned ncompleted;
} scan_ctx;

static void job_free(gpointer p)
{
	job *j = p;
	if (j == NULL)
		return;
	g_free(j->path);
	g_free(j->name);
	g_free(j->pre_msg);
	g_free(j->output);
	g_free(j->note);
	g_free(j);
}

static job *add_job(scan_ctx *c, const char *path, const char *name)
{
	job *j = g_new0(job, 1);
	j->path = path != NULL ? g_strdup(path) : NULL;
	j->name = g_strdup(name);
	g_ptr_array_add(c->jobs, j);
	return j;
}

static void add_refused(scan_ctx *c, const char *name, lure_error err, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* An input that cannot be scanned: it still gets a report (verdict
 * "error") in its place in the output. */
static void add_refused(scan_ctx *c, const char *name, lure_error err, const char *fmt, ...)
{
	va_list ap;
	job *j = add_job(c, NULL, name);
	va_start(ap, fmt);
	j->pre_msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	j->pre_err = err;
}

/* A note on stderr, outside any report (skipped files during a walk). */
static void note(const scan_ctx *c, const char *path, const char *what)
{
	if (c->opts->quiet)
		return;
	char *shown = lure_display_escape_str(path);
	fprintf(stderr, "lurescan: %s: %s\n", shown, what);
	g_free(shown);
}

static int compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(scan_ctx *c, const char *dir, unsigned depth);

/* Adds one directory entry found during a walk: regular files become jobs,
 * directories are walked, symlinks to regular files are scanned (the link
 * is the user's, not a document's), anything else is skipped with a note. */
static void walk_entry(scan_ctx *c, const char *path, unsigned depth)
{
	struct stat st;

	if (g_lstat(path, &st) != 0) {
		add_refused(c, path, LURE_E_IO, "%s", g_strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if (g_stat(path, &st) != 0)
			note(c, path, "skipped: dangling symbolic link");
		else if (S_ISREG(st.st_mode))
			add_job(c, path, path);
		else if (S_ISDIR(st.st_mode))
			note(c, path, "skipped: symbolic link to a directory (not followed)");
		else
			note(c, path, "skipped: symbolic link to a non-regular file");
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(c, path, depth + 1);
		return;
	}
	if (S_ISREG(st.st_mode))
		add_job(c, path, path);
	else
		note(c, path, "skipped: not a regular file");
}

/* Adds every regular file below dir, in byte order of names. */
static void walk_dir(scan_ctx *c, const char *dir, unsigned depth)
{
	GError *err = NULL;
	GDir *d;
	GPtrArray *names;
	const char *name;

	if (depth > WALK_MAX_DEPTH) {
		note(c, dir, "skipped: directories nested too deep");
		return;
	}
	d = g_dir_open(dir, 0, &err);
	if (d == NULL) {
		add_refused(c, dir, LURE_E_IO, "%s", err->message);
		g_error_free(err);
		return;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		walk_entry(c, path, depth);
		g_free(path);
	}
	g_ptr_array_free(names, TRUE);
}

/* Turns one command-line input into jobs. */
static void add_input(scan_ctx *c, const char *arg)
{
	struct stat st;

	if (strcmp(arg, "-") == 0) {
		if (c->stdin_taken)
			add_refused(c, arg, LURE_E_INVALID_ARG, "standard input was already read");
		else
			add_job(c, NULL, arg);
		c->stdin_taken = true;
		return;
	}
	if (g_stat(arg, &st) != 0) {
		add_refused(c, arg, LURE_E_IO, "%s", g_strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (c->opts->recursive)
			walk_dir(c, arg, 0);
		else
			add_refused(c, arg, LURE_E_INVALID_ARG,
				    "is a directory (use -r to scan the files below it)");
		return;
	}
	add_job(c, arg, arg);
}

/* ---- scan: reading an input ---- */

typedef struct input {
	const uint8_t *data;
	size_t len;
	GByteArray *buf;
} input;

static void input_release(input *in)
{
	if (in->buf != NULL)
		g_byte_array_free(in->buf, TRUE);
	memset(in, 0, sizeof *in);
}

/* Reads fd to its end, refusing more than max bytes. */
/* read(2) that retries on EINTR; on failure sets *msg and returns -1. */
static ssize_t read_retry(int fd, void *buf, size_t n, char **msg)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			*msg = g_strdup(g_strerror(errno));
		return r;
	}
}

/* Points in->data/len at what in->buf holds. */
static lure_error input_done(input *in)
{
	in->data = in->buf->data;
	in->len = in->buf->len;
	return LURE_OK;
}

static lure_error read_stream(int fd, uint64_t max, input *in, char **msg)
{
	uint8_t chunk[READ_CHUNK];

	in->buf = g_byte_array_new();
	for (;;) {
		ssize_t n = read_retry(fd, chunk, sizeof chunk, msg);
		if (n < 0)
			return LURE_E_IO;
		if (n == 0)
			break;
		if ((uint64_t)n > max || in->buf->len > max - (uint64_t)n) {
			*msg = g_strdup_printf("larger than the %" G_GUINT64_FORMAT
					       "-byte input limit (--max-input-size)", max);
			return LURE_E_LIMIT;
		}
		g_byte_array_append(in->buf, chunk, (guint)n);
	}
	return input_done(in);
}

/* Reads a regular file of size bytes (as fstat said) into memory. We read
 * rather than map: a mapped file that another process truncates while we
 * scan it (a mail queue, a spool) kills the scanner with SIGBUS, and a
 * gateway must not die for that. A file that shrinks is scanned as far as
 * it goes; one that grows, up to size. */
static lure_error read_regular(int fd, size_t size, input *in, char **msg)
{
	size_t got = 0;

	if (size > G_MAXUINT) { /* GByteArray's bound; above any sane input limit */
		*msg = g_strdup("too large to read");
		return LURE_E_LIMIT;
	}
	in->buf = g_byte_array_sized_new((guint)size);
	g_byte_array_set_size(in->buf, (guint)size);
	while (got < size) {
		ssize_t n = read_retry(fd, in->buf->data + got, size - got, msg);
		if (n < 0)
			return LURE_E_IO;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	g_byte_array_set_size(in->buf, (guint)got);
	return input_done(in);
}

/* Reads a regular file, a FIFO or a character device named path. */
static lure_error read_path(const char *path, uint64_t max, input *in, char **msg)
{
	struct stat st;
	lure_error err = LURE_OK;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		*msg = g_strdup(g_strerror(errno));
		return LURE_E_IO;
	}
	if (fstat(fd, &st) != 0) {
		*msg = g_strdup(g_strerror(errno));
		err = LURE_E_IO;
	} else if (S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > max) {
			*msg = g_strdup_printf("%jd bytes is larger than the %" G_GUINT64_FORMAT
					       "-byte input limit (--max-input-size)",
					       (intmax_t)st.st_size, max);
			err = LURE_E_LIMIT;
		} else if (st.st_size > 0) {
			err = read_regular(fd, (size_t)st.st_size, in, msg);
		}
	} else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		int flags = fcntl(fd, F_GETFL);
		if (flags >= 0)
			fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		err = read_stream(fd, max, in, msg);
	} else if (S_ISDIR(st.st_mode)) {
		*msg = g_strdup("is a directory");
		err = LURE_E_INVALID_ARG;
	} else {
		*msg = g_strdup("not a regular file");
		err = LURE_E_INVALID_ARG;
	}
	close(fd);
	return err;
}

/* ---- scan: one job ---- */

static int status_of(const lure_scan *scan, lure_verdict fail_on)
{
	lure_verdict v = lure_scan_verdict(scan);
	if (v == LURE_VERDICT_ERROR)
		return EXIT_ERROR;
	return v >= fail_on ? EXIT_DETECTION : EXIT_CLEAN;
}

/* Loads the job's bytes; on failure records the error on the scan. */
static bool load_job(const job *j, lure_scan *scan, input *in)
{
	char *msg = NULL;
	lure_error err;

	if (j->pre_msg != NULL) {
		lure_scan_set_error(scan, j->pre_err, "%s", j->pre_msg);
		return false;
	}
	if (j->path == NULL)
		err = read_stream(STDIN_FILENO, scan->limits.max_input_size, in, &msg);
	else
		err = read_path(j->path, scan->limits.max_input_size, in, &msg);
	if (err == LURE_OK)
		return true;
	if (err == LURE_E_LIMIT)
		g_ptr_array_add(scan->limits_hit, g_strdup(LURE_LIMIT_INPUT_SIZE));
	lure_scan_set_error(scan, err, "%s", msg);
	g_free(msg);
	input_release(in);
	return false;
}

/* Opens the extraction directory for the input's bytes, or says why not. */
static lure_extractor *start_extraction(const scan_ctx *c, lure_scan *scan, const input *in,
					char **extract_dir, GString *notes)
{
	char sha[65];
	lure_error err = LURE_OK;

	lure_sha256_hex(in->data != NULL ? in->data : (const uint8_t *)"", in->len, sha);
	lure_extractor *ex = lure_extractor_new(c->opts->extract_dir, sha, &err);
	if (ex == NULL) {
		char *shown = lure_display_escape_str(c->opts->extract_dir);
		char *msg = g_strdup_printf("extraction to %s failed: %s%s%s", shown,
					    lure_strerror(err), errno != 0 ? ": " : "",
					    errno != 0 ? g_strerror(errno) : "");
		g_ptr_array_add(scan->errors, msg);
		g_string_append_printf(notes, "%s; ", msg);
		g_free(shown);
		return NULL;
	}
	if (lure_scan_add_hook(scan, lure_extract_hook, ex) != LURE_OK) {
		char *msg = g_strdup("extraction failed: no room for the extraction hook");
		g_ptr_array_add(scan->errors, msg);
		g_string_append_printf(notes, "%s; ", msg);
		lure_extractor_finish(ex, NULL, NULL);
		return NULL;
	}
	*extract_dir = g_strdup(lure_extractor_dir(ex));
	return ex;
}

static void render(const scan_ctx *c, job *j, const lure_scan *scan, const char *extract_dir)
{
	lure_report_opts ro = {
		.file = j->name,
		.defang = c->opts->defang,
		.color = c->color,
		.quiet = c->opts->quiet,
		.extract_dir = extract_dir,
	};
	FILE *mem = open_memstream(&j->output, &j->output_len);

	if (mem == NULL) {
		j->status = EXIT_ERROR;
		j->note = g_strdup("lurescan: out of memory");
		return;
	}
	if (c->opts->json)
		lure_report_json_write(scan, &ro, mem);
	else
		lure_report_text_write(scan, &ro, mem);
	if (fclose(mem) != 0) {
		j->status = EXIT_ERROR;
		g_free(j->note);
		j->note = g_strdup("lurescan: out of memory");
	}
}

/* Loads, extracts (with --extract) and scans the job's input. Returns false
 * when the extraction the user asked for failed; notes collects messages
 * for stderr, *extract_dir the directory written to. */
static bool scan_input(const scan_ctx *c, const job *j, lure_scan *scan, char **extract_dir,
		       GString *notes)
{
	input in = {0};
	lure_extractor *ex = NULL;
	bool ok = true;
	char *msg = NULL;

	if (!load_job(j, scan, &in))
		return true;
	if (c->opts->extract_dir != NULL) {
		errno = 0;
		ex = start_extraction(c, scan, &in, extract_dir, notes);
		ok = ex != NULL;
	}
	if (c->rules != NULL)
		lure_rules_attach(c->rules, scan);
	lure_scan_run(scan, in.data != NULL ? in.data : (const uint8_t *)"", in.len);
	if (lure_extractor_finish(ex, scan, &msg) != LURE_OK) {
		ok = false;
		g_string_append_printf(notes, "extraction: %s; ", msg);
		g_ptr_array_add(scan->errors, g_strdup_printf("extraction: %s", msg));
	}
	g_free(msg);
	input_release(&in);
	return ok;
}

/* Scans one job and renders its report; runs on any thread. */
static void run_job(const scan_ctx *c, job *j)
{
	/* The root is named by the file's base name, so artifact paths read
	 * "lure.docx > word/afchunk.rtf > ..."; the JSON "file" keeps j->name. */
	char *base = strcmp(j->name, "-") == 0 ? g_strdup("-") : g_path_get_basename(j->name);
	lure_scan *scan = lure_scan_new(&c->opts->limits, base);
	char *extract_dir = NULL;
	g_free(base);
	GString *notes = g_string_new(NULL);
	bool extracted = scan_input(c, j, scan, &extract_dir, notes);
	bool failed = lure_scan_verdict(scan) == LURE_VERDICT_ERROR;

	j->status = extracted ? status_of(scan, c->opts->fail_on) : EXIT_ERROR;
	for (guint i = 0; failed && i < scan->errors->len; i++)
		g_string_append_printf(notes, "%s; ", (const char *)g_ptr_array_index(scan->errors, i));
	if (notes->len > 0) {
		char *shown = lure_display_escape_str(j->name);
		g_string_truncate(notes, notes->len - 2);
		j->note = g_strdup_printf("lurescan: %s: %s", shown, notes->str);
		g_free(shown);
	}
	render(c, j, scan, extract_dir);
	g_string_free(notes, TRUE);
	g_free(extract_dir);
	lure_scan_free(scan);
}

static void pool_worker(gpointer data, gpointer user)
{
	scan_ctx *c = user;
	job *j = data;

	run_job(c, j);
	g_mutex_lock(&c->lock);
	j->done = true;
	c->ncompleted++;
	g_cond_signal(&c->cond);
	g_mutex_unlock(&c->lock);
}

/* ---- scan: output ---- */

static void progress_clear(const scan_ctx *c)
{
	if (c->progress)
		fputs("\r\033[K", stderr);
}

static void progress_show(const scan_ctx *c, unsigned completed)
{
	if (!c->progress)
		return;
	fprintf(stderr, "\r\033[Kscanned %u/%u", completed, c->jobs->len);
	fflush(stderr);
}

/* Prints job i's report and notes; returns its status. */
static int emit(const scan_ctx *c, job *j, guint i)
{
	progress_clear(c);
	if (j->note != NULL)
		fprintf(stderr, "%s\n", j->note);
	if (i > 0 && !c->opts->json && !c->opts->quiet)
		fputc('\n', stdout);
	if (j->output != NULL)
		fwrite(j->output, 1, j->output_len, stdout);
	fflush(stdout);
	g_free(j->output);
	j->output = NULL;
	return j->status;
}

static int run_serial(scan_ctx *c)
{
	int worst = EXIT_CLEAN;
	for (guint i = 0; i < c->jobs->len; i++) {
		job *j = g_ptr_array_index(c->jobs, i);
		progress_show(c, i);
		run_job(c, j);
		int st = emit(c, j, i);
		worst = MAX(worst, st);
	}
	return worst;
}

static int run_parallel(scan_ctx *c)
{
	GError *err = NULL;
	int worst = EXIT_CLEAN;
	GThreadPool *pool = g_thread_pool_new(pool_worker, c, (gint)c->opts->jobs, FALSE, &err);

	if (pool == NULL) {
		fprintf(stderr, "lurescan: cannot start worker threads: %s\n", err->message);
		g_error_free(err);
		return run_serial(c);
	}
	for (guint i = 0; i < c->jobs->len; i++)
		g_thread_pool_push(pool, g_ptr_array_index(c->jobs, i), NULL);

	g_mutex_lock(&c->lock);
	for (guint next = 0; next < c->jobs->len;) {
		job *j = g_ptr_array_index(c->jobs, next);
		if (!j->done) {
			progress_show(c, c->ncompleted);
			g_cond_wait(&c->cond, &c->lock);
			continue;
		}
		g_mutex_unlock(&c->lock);
		int st = emit(c, j, next);
		worst = MAX(worst, st);
		g_mutex_lock(&c->lock);
		next++;
	}
	g_mutex_unlock(&c->lock);
	g_thread_pool_free(pool, FALSE, TRUE);
	return worst;
}

static bool want_color(const lure_cli_opts *o)
{
	const char *term = getenv("TERM");
	return !o->no_color && !o->json && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL &&
	       (term == NULL || strcmp(term, "dumb") != 0);
}

/* Compiles the rules once for all inputs: those named by --rules, else the
 * bundled set when it exists, none with --no-rules. Returns false (after a
 * message naming file:line) when they do not compile. */
static bool load_rules(scan_ctx *c, const lure_cli_opts *opts)
{
	GError *err = NULL;
	const char *dflt = lure_rules_default_dir();

	if (opts->no_rules)
		return true;
	if (opts->rules != NULL)
		c->rules = lure_rules_load((const char *const *)opts->rules,
					   g_strv_length(opts->rules), &err);
	else if (g_file_test(dflt, G_FILE_TEST_IS_DIR))
		c->rules = lure_rules_load(&dflt, 1, &err);
	else
		return true;
	if (c->rules != NULL)
		return true;
	fprintf(stderr, "lurescan: rules: %s\n", err != NULL ? err->message : "failed to load");
	g_clear_error(&err);
	return false;
}

static int cmd_scan(int argc, char **argv)
{
	lure_cli_opts opts;
	GError *err = NULL;
	scan_ctx c = {0};
	int status;

	g_set_prgname("lurescan scan");
	lure_cli_opts_init(&opts);
	if (!lure_cli_parse_scan(argc, argv, &opts, &err)) {
		fprintf(stderr, "lurescan scan: %s\nTry 'lurescan scan --help'.\n", err->message);
		g_error_free(err);
		lure_cli_opts_clear(&opts);
		return EXIT_ERROR;
	}
	if (opts.help) {
		print_scan_help(stdout);
		lure_cli_opts_clear(&opts);
		return EXIT_CLEAN;
	}
	c.opts = &opts;
	if (!load_rules(&c, &opts)) {
		lure_cli_opts_clear(&opts);
		return EXIT_ERROR;
	}
	c.jobs = g_ptr_array_new_with_free_func(job_free);
	c.color = want_color(&opts);
	g_mutex_init(&c.lock);
	g_cond_init(&c.cond);
	for (char **in = opts.inputs; *in != NULL; in++)
		add_input(&c, *in);
	c.progress = !opts.quiet && c.jobs->len > 1 && isatty(STDERR_FILENO);

	if (opts.jobs > 1 && c.jobs->len > 1)
		status = run_parallel(&c);
	else
		status = run_serial(&c);
	progress_clear(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "lurescan: error writing the report: %s\n", g_strerror(errno));
		status = EXIT_ERROR;
	}

	g_ptr_array_free(c.jobs, TRUE);
	lure_rules_free(c.rules);
	g_mutex_clear(&c.lock);
	g_cond_clear(&c.cond);
	lure_cli_opts_clear(&opts);
	return status;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_ERROR;
	}
	const char *arg = argv[1];
	if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		print_usage(stdout);
		return EXIT_CLEAN;
	}
	const command *cmd = find_command(arg);
	if (cmd == NULL) {
		char *shown = lure_display_escape_str(arg);
		fprintf(stderr, "lurescan: unknown command '%s'\n\n", shown);
		g_free(shown);
		print_usage(stderr);
		return EXIT_ERROR;
	}
	return cmd->run(argc - 1, argv + 1);
}
