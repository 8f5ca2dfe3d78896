/*
 * replay_main.c - runs a libFuzzer harness over files, without libFuzzer.
 *
 * Linked with one tests/fuzz/fuzz_<name>.c, it calls LLVMFuzzerTestOneInput
 * once per file named on the command line (directories: every regular file
 * in them, sorted). `make check` builds one per harness with the ordinary
 * compiler and tests/fuzz/replay.sh runs it over the harness's seed corpus,
 * so every crash ever found (kept as a seed) is replayed on every check,
 * under ASan+UBSan in the sanitizer build.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds one file to the harness; returns 0, or 1 when it cannot be read. */
static int replay_file(const char *path)
{
	gchar *data = NULL;
	gsize len = 0;
	GError *err = NULL;

	if (!g_file_get_contents(path, &data, &len, &err)) {
		fprintf(stderr, "replay: %s: %s\n", path, err->message);
		g_error_free(err);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	g_free(data);
	return 0;
}

static int cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Feeds every regular file of dir, in name order; returns the failures. */
static int replay_dir(const char *dir, unsigned *count)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	int bad = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		g_ptr_array_free(names, TRUE);
		return 1;
	}
	while ((n = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_build_filename(dir, n, NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		const char *p = g_ptr_array_index(names, i);
		if (!g_file_test(p, G_FILE_TEST_IS_REGULAR))
			continue;
		bad += replay_file(p);
		(*count)++;
	}
	g_ptr_array_free(names, TRUE);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			bad += replay_dir(argv[i], &count);
		} else {
			bad += replay_file(argv[i]);
			count++;
		}
	}
	printf("replayed %u inputs, %d unreadable\n", count, bad);
	return bad == 0 ? 0 : 1;
}
