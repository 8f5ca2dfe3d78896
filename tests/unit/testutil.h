/*
 * testutil.h - helpers shared by the cmocka unit tests.
 * Include after <cmocka.h>'s prerequisites (stdarg, stddef, setjmp, stdint).
 */
#ifndef LURE_TESTUTIL_H
#define LURE_TESTUTIL_H

#include <string.h>
#include <glib.h>
#include "core/scan.h"

/* Scans len bytes of data (copied) with the given limits (NULL: defaults)
 * and returns the finished scan; lure_scan_free() it. */
static inline lure_scan *tu_scan(const void *data, size_t len, const lure_limits *limits)
{
	lure_scan *s = lure_scan_new(limits, "input");
	uint8_t *copy = g_memdup2(data, len);
	lure_scan_run(s, copy, len);
	g_free(copy);
	return s;
}

/* Number of findings with this id (any artifact). */
static inline unsigned tu_count_findings(const lure_scan *s, const char *id)
{
	unsigned n = 0;
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) == 0)
			n++;
	}
	return n;
}

/* First finding with this id whose details[key] == value (key NULL: any). */
static inline const lure_finding *tu_find_finding(const lure_scan *s, const char *id,
						  const char *key, const char *value)
{
	for (guint i = 0; i < s->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(s->findings, i);
		if (strcmp(f->id, id) != 0)
			continue;
		if (key == NULL)
			return f;
		const char *v = lure_finding_get_detail(f, key);
		if (v != NULL && strcmp(v, value) == 0)
			return f;
	}
	return NULL;
}

/* First artifact named name (display form), or NULL. */
static inline const lure_artifact *tu_find_artifact(const lure_scan *s, const char *name)
{
	for (guint i = 0; i < s->artifacts->len; i++) {
		const lure_artifact *a = g_ptr_array_index(s->artifacts, i);
		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

#endif
