/*
 * scan.c - the artifact tree and the scan driver; see scan.h.
 *
 * The work list is depth-first: an artifact's children are processed before
 * its later siblings, so the bytes alive at any time are those of one chain
 * plus the pending siblings along it, not the whole tree.
 */
#include <stdarg.h>
#include <string.h>
#include <openssl/evp.h>
#include "handler.h"
#include "scan.h"
#include "text.h"

static void kv_free(gpointer p)
{
	lure_kv *kv = p;
	if (kv == NULL)
		return;
	g_free(kv->key);
	g_free(kv->value);
	g_free(kv);
}

static lure_kv *kv_new(const char *key, const char *value)
{
	lure_kv *kv = g_new0(lure_kv, 1);
	kv->key = g_strdup(key);
	kv->value = lure_display_escape_str(value);
	return kv;
}

static const char *kv_lookup(const GPtrArray *arr, const char *key)
{
	for (guint i = 0; arr != NULL && i < arr->len; i++) {
		const lure_kv *kv = g_ptr_array_index(arr, i);
		if (strcmp(kv->key, key) == 0)
			return kv->value;
	}
	return NULL;
}

static void artifact_release_bytes(lure_artifact *a)
{
	g_free(a->owned);
	a->owned = NULL;
	a->data = NULL;
	a->len = 0;
}

static void artifact_free(gpointer p)
{
	lure_artifact *a = p;
	if (a == NULL)
		return;
	artifact_release_bytes(a);
	g_free(a->name);
	g_free(a->path);
	if (a->props != NULL)
		g_ptr_array_free(a->props, TRUE);
	g_free(a);
}

static void finding_free(gpointer p)
{
	lure_finding *f = p;
	if (f == NULL)
		return;
	g_free(f->message);
	g_ptr_array_free(f->details, TRUE);
	g_free(f);
}

static void relationship_free(gpointer p)
{
	lure_relationship *r = p;
	if (r == NULL)
		return;
	g_free(r->source_part);
	g_free(r->id);
	g_free(r->type);
	g_free(r->target);
	g_free(r->target_mode);
	g_free(r->raw_target);
	g_free(r->raw_target_mode);
	g_free(r);
}

static void yara_match_free(gpointer p)
{
	lure_yara_match *m = p;
	if (m == NULL)
		return;
	g_free(m->rule);
	g_free(m->ns);
	g_ptr_array_free(m->tags, TRUE);
	g_ptr_array_free(m->meta, TRUE);
	for (guint i = 0; i < m->strings->len; i++)
		g_free(g_array_index(m->strings, lure_yara_string, i).id);
	g_array_free(m->strings, TRUE);
	g_free(m);
}

lure_scan *lure_scan_new(const lure_limits *limits, const char *root_name)
{
	lure_scan *scan = g_new0(lure_scan, 1);
	if (limits != NULL)
		scan->limits = *limits;
	else
		lure_limits_default(&scan->limits);
	scan->root_name = lure_display_escape_str(root_name != NULL ? root_name : "-");
	scan->artifacts = g_ptr_array_new_with_free_func(artifact_free);
	scan->findings = g_ptr_array_new_with_free_func(finding_free);
	scan->relationships = g_ptr_array_new_with_free_func(relationship_free);
	scan->yara_matches = g_ptr_array_new_with_free_func(yara_match_free);
	scan->limits_hit = g_ptr_array_new_with_free_func(g_free);
	scan->errors = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < LURE_IOC__COUNT; i++)
		scan->iocs[i] = g_ptr_array_new_with_free_func(g_free);
	scan->ioc_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_queue_init(&scan->work);
	return scan;
}

void lure_scan_free(lure_scan *scan)
{
	if (scan == NULL)
		return;
	g_queue_clear(&scan->work);
	g_ptr_array_free(scan->artifacts, TRUE);
	g_ptr_array_free(scan->findings, TRUE);
	g_ptr_array_free(scan->relationships, TRUE);
	g_ptr_array_free(scan->yara_matches, TRUE);
	g_ptr_array_free(scan->limits_hit, TRUE);
	g_ptr_array_free(scan->errors, TRUE);
	for (int i = 0; i < LURE_IOC__COUNT; i++)
		g_ptr_array_free(scan->iocs[i], TRUE);
	g_hash_table_destroy(scan->ioc_seen);
	g_free(scan->root_name);
	g_free(scan);
}

lure_error lure_scan_add_hook(lure_scan *scan, lure_artifact_hook hook, void *user)
{
	if (scan->nhooks >= G_N_ELEMENTS(scan->hooks))
		return LURE_E_LIMIT;
	scan->hooks[scan->nhooks] = hook;
	scan->hook_user[scan->nhooks] = user;
	scan->nhooks++;
	return LURE_OK;
}

lure_artifact *lure_scan_root(const lure_scan *scan)
{
	return lure_scan_artifact(scan, 0);
}

lure_artifact *lure_scan_artifact(const lure_scan *scan, unsigned id)
{
	if (id >= scan->artifacts->len)
		return NULL;
	return g_ptr_array_index(scan->artifacts, id);
}

/* Every artifact is hashed, so this is on the hot path: OpenSSL's SHA-256
 * (SHA-NI or AVX2 where the CPU has them) was a third of a rule-less scan
 * with GChecksum's portable C. GChecksum stays the fallback if the EVP
 * call fails, so the hash never depends on it succeeding. */
void lure_sha256_hex(const uint8_t *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) == 1 && mdlen == 32) {
		for (unsigned i = 0; i < 32; i++) {
			out[2 * i] = hex[md[i] >> 4];
			out[2 * i + 1] = hex[md[i] & 0x0f];
		}
		out[64] = '\0';
		return;
	}
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	/* g_checksum_update takes gssize: feed huge buffers in slices. */
	while (len > 0) {
		size_t n = len > G_MAXSSIZE ? G_MAXSSIZE : len;
		g_checksum_update(ck, data, (gssize)n);
		data += n;
		len -= n;
	}
	g_strlcpy(out, g_checksum_get_string(ck), 65);
	g_checksum_free(ck);
}

static lure_artifact *artifact_new(lure_scan *scan, const lure_artifact *parent,
				   const char *raw_name, const uint8_t *data, size_t len)
{
	lure_artifact *a = g_new0(lure_artifact, 1);
	a->id = scan->artifacts->len;
	a->parent = parent != NULL ? (int)parent->id : -1;
	a->name = parent != NULL ? lure_display_escape_str(raw_name) : g_strdup(scan->root_name);
	a->path = parent != NULL ? g_strconcat(parent->path, " > ", a->name, NULL)
				 : g_strdup(a->name);
	a->depth = parent != NULL ? parent->depth + 1 : 0;
	a->kind = "data";
	a->data = data;
	a->len = len;
	a->size = len;
	a->props = g_ptr_array_new_with_free_func(kv_free);
	lure_sha256_hex(data, len, a->sha256);
	g_ptr_array_add(scan->artifacts, a);
	return a;
}

bool lure_scan_expired(lure_scan *scan)
{
	if (scan->timed_out)
		return true;
	if (scan->deadline_us == 0 || g_get_monotonic_time() < scan->deadline_us)
		return false;
	scan->timed_out = true;
	lure_scan_limit_hit(scan, lure_scan_root(scan), LURE_LIMIT_TIMEOUT,
			    "scan time limit of %u ms reached; the rest was not scanned",
			    scan->limits.timeout_ms);
	return true;
}

lure_error lure_scan_charge(lure_scan *scan, lure_artifact *parent, const char *name,
			    uint64_t delta, uint64_t child_size)
{
	char *shown;

	if (child_size > scan->limits.max_artifact_size) {
		shown = lure_display_escape_str(name);
		lure_finding *f = lure_scan_limit_hit(scan, parent, LURE_LIMIT_ARTIFACT_SIZE,
			"'%s' is larger than the %" G_GUINT64_FORMAT "-byte artifact limit; not unpacked",
			shown, scan->limits.max_artifact_size);
		lure_finding_detail(f, "artifact", "%s", shown);
		g_free(shown);
		return LURE_E_LIMIT;
	}
	if (delta > scan->limits.max_total_size ||
	    scan->total_bytes > scan->limits.max_total_size - delta) {
		shown = lure_display_escape_str(name);
		lure_finding *f = lure_scan_limit_hit(scan, parent, LURE_LIMIT_TOTAL_SIZE,
			"expanding '%s' would pass the %" G_GUINT64_FORMAT "-byte total limit; not unpacked",
			shown, scan->limits.max_total_size);
		lure_finding_detail(f, "artifact", "%s", shown);
		g_free(shown);
		return LURE_E_LIMIT;
	}
	scan->total_bytes += delta;
	return LURE_OK;
}

lure_error lure_scan_add_child(lure_scan *scan, lure_artifact *parent, const char *name,
			       uint8_t *data, size_t len, lure_artifact **out)
{
	if (out != NULL)
		*out = NULL;
	if (scan->timed_out || lure_scan_expired(scan)) {
		g_free(data);
		return LURE_E_TIMEOUT;
	}
	if (scan->artifacts->len >= scan->limits.max_artifacts) {
		g_free(data);
		if (!scan->artifacts_full) {
			scan->artifacts_full = true;
			lure_scan_limit_hit(scan, parent, LURE_LIMIT_ARTIFACTS,
					    "more than %u artifacts; the rest were not extracted",
					    scan->limits.max_artifacts);
		}
		return LURE_E_LIMIT;
	}
	lure_artifact *a = artifact_new(scan, parent, name, data, len);
	a->owned = data;
	parent->nchildren++;
	if (out != NULL)
		*out = a;
	return LURE_OK;
}

static lure_finding *finding_vnew(lure_scan *scan, const lure_artifact *a, lure_indicator ind,
				  const char *fmt, va_list ap) G_GNUC_PRINTF(4, 0);

static lure_finding *finding_vnew(lure_scan *scan, const lure_artifact *a, lure_indicator ind,
				  const char *fmt, va_list ap)
{
	const lure_indicator_info *info = lure_indicator_get(ind);
	lure_finding *f = g_new0(lure_finding, 1);
	char *msg = g_strdup_vprintf(fmt, ap);

	f->ind = ind;
	f->id = info->id;
	f->severity = info->severity;
	f->artifact = a != NULL ? a->id : 0;
	f->message = lure_display_escape_str(msg);
	f->details = g_ptr_array_new_with_free_func(kv_free);
	g_free(msg);
	g_ptr_array_add(scan->findings, f);
	return f;
}

lure_finding *lure_finding_add(lure_scan *scan, const lure_artifact *a, lure_indicator ind,
			       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lure_finding *f = finding_vnew(scan, a, ind, fmt, ap);
	va_end(ap);
	return f;
}

void lure_finding_set_severity(lure_finding *f, lure_severity sev)
{
	f->severity = sev;
}

void lure_finding_detail(lure_finding *f, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *value = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(f->details, kv_new(key, value));
	g_free(value);
}

const char *lure_finding_get_detail(const lure_finding *f, const char *key)
{
	return kv_lookup(f->details, key);
}

lure_finding *lure_scan_limit_hit(lure_scan *scan, const lure_artifact *a, const char *limit,
				  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lure_finding *f = finding_vnew(scan, a, LURE_IND_LIMIT_EXCEEDED, fmt, ap);
	va_end(ap);
	lure_finding_detail(f, "limit", "%s", limit);

	for (guint i = 0; i < scan->limits_hit->len; i++)
		if (strcmp(g_ptr_array_index(scan->limits_hit, i), limit) == 0)
			return f;
	g_ptr_array_add(scan->limits_hit, g_strdup(limit));
	return f;
}

void lure_scan_set_error(lure_scan *scan, lure_error err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	scan->fatal = err != LURE_OK ? err : LURE_E_IO;
	g_ptr_array_add(scan->errors, lure_display_escape_str(msg));
	g_free(msg);
}

void lure_artifact_set_prop(lure_artifact *a, const char *key, const char *value)
{
	for (guint i = 0; i < a->props->len; i++) {
		lure_kv *kv = g_ptr_array_index(a->props, i);
		if (strcmp(kv->key, key) == 0) {
			g_free(kv->value);
			kv->value = lure_display_escape_str(value);
			return;
		}
	}
	g_ptr_array_add(a->props, kv_new(key, value));
}

const char *lure_artifact_get_prop(const lure_artifact *a, const char *key)
{
	return kv_lookup(a->props, key);
}

lure_relationship *lure_scan_add_relationship(lure_scan *scan, const lure_artifact *a,
					      const char *source_part, const char *id,
					      const char *type, const char *target,
					      const char *target_mode)
{
	lure_relationship *r = g_new0(lure_relationship, 1);
	r->artifact = a->id;
	r->source_part = lure_display_escape_str(source_part);
	r->id = lure_display_escape_str(id);
	r->type = lure_display_escape_str(type);
	r->target = lure_display_escape_str(target);
	r->target_mode = lure_display_escape_str(target_mode != NULL ? target_mode : "Internal");
	r->raw_target = g_strdup(target != NULL ? target : "");
	r->raw_target_mode = g_strdup(target_mode != NULL ? target_mode : "Internal");
	g_ptr_array_add(scan->relationships, r);
	return r;
}

lure_yara_match *lure_scan_add_yara_match(lure_scan *scan, const lure_artifact *a,
					  const char *rule, const char *ns)
{
	lure_yara_match *m = g_new0(lure_yara_match, 1);
	m->artifact = a != NULL ? a->id : 0;
	m->rule = lure_display_escape_str(rule);
	m->ns = lure_display_escape_str(ns);
	m->tags = g_ptr_array_new_with_free_func(g_free);
	m->meta = g_ptr_array_new_with_free_func(kv_free);
	m->strings = g_array_new(FALSE, TRUE, sizeof(lure_yara_string));
	g_ptr_array_add(scan->yara_matches, m);
	return m;
}

void lure_yara_match_meta(lure_yara_match *m, const char *key, const char *value)
{
	g_ptr_array_add(m->meta, kv_new(key, value));
}

bool lure_scan_add_ioc(lure_scan *scan, lure_ioc_type type, const char *value)
{
	if ((unsigned)type >= LURE_IOC__COUNT || value == NULL || *value == '\0')
		return false;
	char *shown = lure_display_escape_str(value);
	char *key = g_strdup_printf("%d\x1f%s", (int)type, shown);
	if (!g_hash_table_add(scan->ioc_seen, key)) {
		g_free(shown);
		return false;
	}
	g_ptr_array_add(scan->iocs[type], shown);
	return true;
}

const char *lure_ioc_type_name(lure_ioc_type type)
{
	static const char *const names[LURE_IOC__COUNT] = {"urls", "ips", "domains", "unc_paths"};
	return (unsigned)type < LURE_IOC__COUNT ? names[type] : "urls";
}

bool lure_relationship_is_external(const lure_relationship *r)
{
	const char *m = r->raw_target_mode;
	while (g_ascii_isspace(*m))
		m++;
	size_t n = strlen(m);
	while (n > 0 && g_ascii_isspace(m[n - 1]))
		n--;
	return n == 8 && g_ascii_strncasecmp(m, "External", 8) == 0;
}

lure_artifact *lure_scan_find_child(const lure_scan *scan, int parent_id, const char *name)
{
	for (guint i = 0; i < scan->artifacts->len; i++) {
		lure_artifact *a = g_ptr_array_index(scan->artifacts, i);
		if (a->parent == parent_id && strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

const lure_handler *lure_handler_pick(const uint8_t *data, size_t len)
{
	const lure_handler *best = NULL;
	unsigned best_bid = 0;

	for (size_t i = 0; lure_handlers[i] != NULL; i++) {
		unsigned bid = lure_handlers[i]->probe(data, len);
		if (bid > best_bid) {
			best_bid = bid;
			best = lure_handlers[i];
		}
	}
	return best;
}

/* Walks one artifact; returns LURE_E_NOMEM only when the scan must stop. */
static lure_error process_artifact(lure_scan *scan, lure_artifact *a)
{
	const lure_handler *h = lure_handler_pick(a->data, a->len);
	lure_error err = LURE_OK;

	if (h != NULL)
		a->kind = h->kind;
	if (h != NULL && h->walk != NULL) {
		if (a->depth >= scan->limits.max_depth) {
			lure_scan_limit_hit(scan, a, LURE_LIMIT_DEPTH,
					    "nesting depth %u reached; this %s is not unpacked",
					    a->depth, a->kind);
		} else {
			err = h->walk(scan, a);
			if (err == LURE_E_NOMEM)
				return err;
			if (err != LURE_OK && err != LURE_E_LIMIT && err != LURE_E_TIMEOUT)
				lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
						 "%s: %s", h->name, lure_strerror(err));
		}
	}
	for (size_t i = 0; lure_analyzers[i] != NULL; i++) {
		if (scan->timed_out)
			break;
		if (lure_analyzers[i]->accepts == NULL || lure_analyzers[i]->run == NULL ||
		    !lure_analyzers[i]->accepts(scan, a))
			continue;
		err = lure_analyzers[i]->run(scan, a);
		if (err == LURE_E_NOMEM)
			return err;
	}
	for (unsigned i = 0; i < scan->nhooks; i++)
		scan->hooks[i](scan, a, scan->hook_user[i]);
	return LURE_OK;
}

lure_error lure_scan_run(lure_scan *scan, const uint8_t *data, size_t len)
{
	lure_error err = LURE_OK;

	scan->start_us = g_get_monotonic_time();
	scan->deadline_us = scan->limits.timeout_ms > 0
		? scan->start_us + (gint64)scan->limits.timeout_ms * 1000 : 0;

	lure_artifact *root = artifact_new(scan, NULL, scan->root_name, data, len);
	g_queue_push_head(&scan->work, root);

	while (!g_queue_is_empty(&scan->work)) {
		lure_artifact *a = g_queue_pop_head(&scan->work);
		unsigned first_child = scan->artifacts->len;

		if (!scan->timed_out && !lure_scan_expired(scan))
			err = process_artifact(scan, a);
		artifact_release_bytes(a);
		if (err != LURE_OK) {
			lure_scan_set_error(scan, err, "%s: %s", a->path, lure_strerror(err));
			break;
		}
		/* Depth first, children in discovery order. */
		for (unsigned id = scan->artifacts->len; id > first_child; id--)
			g_queue_push_head(&scan->work, g_ptr_array_index(scan->artifacts, id - 1));
	}
	/* Whatever is left (timeout, fatal error) still has bytes to drop. */
	while (!g_queue_is_empty(&scan->work))
		artifact_release_bytes(g_queue_pop_head(&scan->work));
	root->data = NULL; /* borrowed */
	/* Judgements over the whole tree; they run even after a timeout, on
	 * what was built, since they touch no bytes. */
	for (size_t i = 0; err == LURE_OK && lure_analyzers[i] != NULL; i++) {
		if (lure_analyzers[i]->finish == NULL)
			continue;
		if (lure_analyzers[i]->finish(scan) == LURE_E_NOMEM) {
			err = LURE_E_NOMEM;
			lure_scan_set_error(scan, err, "%s: %s", lure_analyzers[i]->name,
					    lure_strerror(err));
		}
	}
	scan->elapsed_ms = (g_get_monotonic_time() - scan->start_us) / 1000;
	return err;
}

lure_verdict lure_scan_verdict(const lure_scan *scan)
{
	lure_severity worst = LURE_SEV_INFO;

	if (scan->fatal != LURE_OK)
		return LURE_VERDICT_ERROR;
	for (guint i = 0; i < scan->findings->len; i++) {
		const lure_finding *f = g_ptr_array_index(scan->findings, i);
		if (f->severity > worst)
			worst = f->severity;
	}
	if (worst >= LURE_SEV_HIGH)
		return LURE_VERDICT_MALICIOUS;
	if (worst == LURE_SEV_MEDIUM)
		return LURE_VERDICT_SUSPICIOUS;
	return LURE_VERDICT_CLEAN;
}

const char *lure_verdict_name(lure_verdict v)
{
	switch (v) {
	case LURE_VERDICT_CLEAN: return "clean";
	case LURE_VERDICT_SUSPICIOUS: return "suspicious";
	case LURE_VERDICT_MALICIOUS: return "malicious";
	case LURE_VERDICT_ERROR: return "error";
	}
	return "error";
}
