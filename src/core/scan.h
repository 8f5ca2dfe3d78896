/*
 * scan.h - the artifact tree, its findings, and the scan driver.
 *
 * Scanning one input builds a tree of artifacts. The root is the input; its
 * children are what the format handlers find inside it, nested as deep as the
 * document nests them (and the limits allow). The driver is a work list:
 *
 *   1. probe every registered handler on the artifact's bytes; the best bid
 *      wins and names the artifact's kind (content sniffing, never names);
 *   2. the winner walks the bytes and adds children and findings;
 *   3. the analysers that accept the artifact run on it;
 *   4. the hooks (YARA, extraction) see the artifact while its bytes live;
 *   5. the artifact's bytes are released and its children are queued.
 *
 * Handlers never print, never see YARA, sockets or file paths.
 *
 * Ownership: the scan owns every artifact, finding and relationship it
 * holds; lure_scan_free() releases them. Artifact bytes live until step 5.
 */
#ifndef LURE_SCAN_H
#define LURE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "error.h"
#include "indicators.h"
#include "limits.h"

typedef struct lure_kv {
	char *key;
	char *value;
} lure_kv;

typedef struct lure_artifact {
	unsigned id;          /* order of discovery; the root is 0 */
	int parent;           /* parent's id, -1 for the root */
	char *name;           /* display-safe: valid UTF-8, no control bytes */
	char *path;           /* names from the root joined with " > " */
	const char *kind;     /* static string: "ole2", "ooxml", "zip", ... */
	uint64_t size;
	char sha256[65];
	unsigned depth;       /* root = 0 */
	unsigned nchildren;
	const uint8_t *data;  /* valid until the artifact is done */
	size_t len;
	uint8_t *owned;       /* g_free()d when the artifact is done */
	GPtrArray *props;     /* lure_kv*: clsid, content_type, ... in order */
} lure_artifact;

typedef struct lure_finding {
	lure_indicator ind;
	const char *id;        /* from the catalogue */
	lure_severity severity;
	unsigned artifact;     /* id of the artifact it is on */
	char *message;
	GPtrArray *details;    /* lure_kv*, in insertion order */
} lure_finding;

/* One OPC relationship, as written in a .rels part. */
typedef struct lure_relationship {
	unsigned artifact;     /* the .rels artifact */
	char *source_part;     /* part the relationship belongs to ("" = package) */
	char *id;
	char *type;
	char *target;
	char *target_mode;     /* "Internal" when absent */
	/* The same two as written (no display escaping), for judging: a
	 * control byte after a Follina '!' must reach the normaliser as the
	 * byte, not as the text "\x0A". Never print these. */
	char *raw_target;
	char *raw_target_mode; /* "Internal" when absent */
} lure_relationship;

/* Kinds of indicator of compromise collected over a scan. */
typedef enum lure_ioc_type {
	LURE_IOC_URL = 0,
	LURE_IOC_IP,
	LURE_IOC_DOMAIN,
	LURE_IOC_UNC,
	LURE_IOC__COUNT
} lure_ioc_type;

/* One string match of a YARA rule, within its artifact's bytes. */
typedef struct lure_yara_string {
	char *id;           /* "$a" */
	uint64_t offset;
	uint32_t length;
} lure_yara_string;

/* A YARA rule that matched one artifact. */
typedef struct lure_yara_match {
	unsigned artifact;
	char *rule;
	char *ns;           /* namespace */
	GPtrArray *tags;    /* char* */
	GPtrArray *meta;    /* lure_kv*, values as text */
	GArray *strings;    /* lure_yara_string */
} lure_yara_match;

typedef enum lure_verdict {
	LURE_VERDICT_CLEAN = 0,
	LURE_VERDICT_SUSPICIOUS,
	LURE_VERDICT_MALICIOUS,
	LURE_VERDICT_ERROR,
} lure_verdict;

struct lure_scan;

/* Called once per artifact after its walk, while its bytes are valid. */
typedef void (*lure_artifact_hook)(struct lure_scan *scan, lure_artifact *a,
				   void *user);

typedef struct lure_scan {
	lure_limits limits;
	char *root_name;          /* display-safe */
	GPtrArray *artifacts;     /* lure_artifact*, index == id */
	GPtrArray *findings;      /* lure_finding* */
	GPtrArray *relationships; /* lure_relationship* */
	GPtrArray *yara_matches;  /* lure_yara_match* */
	GPtrArray *limits_hit;    /* char*, unique names */
	GPtrArray *errors;        /* char*, messages */
	GPtrArray *iocs[LURE_IOC__COUNT]; /* char*, unique, in discovery order */
	GHashTable *ioc_seen;     /* "type\x1fvalue" -> present */
	uint64_t total_bytes;     /* expanded bytes charged so far */
	gint64 start_us;
	gint64 deadline_us;
	gint64 elapsed_ms;
	bool timed_out;
	bool artifacts_full;      /* max_artifacts reached */
	lure_error fatal;         /* LURE_OK unless the scan could not go on */
	GQueue work;              /* lure_artifact* still to process */
	lure_artifact_hook hooks[4];
	void *hook_user[4];
	unsigned nhooks;
} lure_scan;

/* Creates a scan with a copy of *limits (defaults when NULL) for an input
 * called root_name (raw bytes; escaped for display). Free with
 * lure_scan_free(). */
lure_scan *lure_scan_new(const lure_limits *limits, const char *root_name);
void lure_scan_free(lure_scan *scan);

/* Registers a hook; at most 4. Returns LURE_E_LIMIT when full. */
lure_error lure_scan_add_hook(lure_scan *scan, lure_artifact_hook hook, void *user);

/* Scans data (borrowed for the duration of the call) as the root artifact.
 * Returns LURE_OK when the tree was built, however damaged the input; a
 * non-OK result (out of memory) means the scan could not go on and the
 * verdict is "error". */
lure_error lure_scan_run(lure_scan *scan, const uint8_t *data, size_t len);

/* Records that the input could not be scanned at all (unreadable). */
void lure_scan_set_error(lure_scan *scan, lure_error err, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

lure_verdict lure_scan_verdict(const lure_scan *scan);
const char *lure_verdict_name(lure_verdict v);
/* The root artifact, or NULL before lure_scan_run(). */
lure_artifact *lure_scan_root(const lure_scan *scan);
lure_artifact *lure_scan_artifact(const lure_scan *scan, unsigned id);

/* ---- for handlers and analysers ---- */

/* Charges delta more expanded bytes for a child named name of parent whose
 * size will then be child_size. Checks the artifact-size and total-size
 * limits before the bytes exist; when one would be passed it records
 * limit.exceeded on parent and returns LURE_E_LIMIT. */
lure_error lure_scan_charge(lure_scan *scan, lure_artifact *parent, const char *name,
			    uint64_t delta, uint64_t child_size);

/* Adds a child of parent named name (raw bytes, NUL-terminated) holding
 * data[0..len), which it takes over (g_free()d later, also on failure).
 * The bytes must already be charged. On success *out (may be NULL) points at
 * the child. Returns LURE_E_LIMIT when the artifact limit is reached (the
 * finding is recorded once), LURE_E_TIMEOUT when time is up. */
lure_error lure_scan_add_child(lure_scan *scan, lure_artifact *parent, const char *name,
			       uint8_t *data, size_t len, lure_artifact **out);

/* Adds a finding of indicator ind on artifact a, with the catalogue's
 * default severity. Returns the finding, owned by the scan. */
lure_finding *lure_finding_add(lure_scan *scan, const lure_artifact *a, lure_indicator ind,
			       const char *fmt, ...) G_GNUC_PRINTF(4, 5);
void lure_finding_set_severity(lure_finding *f, lure_severity sev);
/* Adds details[key] = value (value escaped for display). */
void lure_finding_detail(lure_finding *f, const char *key, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
/* The value of details[key], or NULL. */
const char *lure_finding_get_detail(const lure_finding *f, const char *key);

/* Records limit.exceeded (details.limit = limit) on a and adds limit to
 * limits_hit. Returns the finding. */
lure_finding *lure_scan_limit_hit(lure_scan *scan, const lure_artifact *a, const char *limit,
				  const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* True once the scan's time is up; the first call past the deadline
 * records the timeout finding on the root. */
bool lure_scan_expired(lure_scan *scan);

/* Sets a property of an artifact (both strings copied; value escaped). */
void lure_artifact_set_prop(lure_artifact *a, const char *key, const char *value);
/* The value of a property, or NULL. */
const char *lure_artifact_get_prop(const lure_artifact *a, const char *key);

/* Records an OPC relationship read from the .rels artifact a. Returns it. */
lure_relationship *lure_scan_add_relationship(lure_scan *scan, const lure_artifact *a,
					      const char *source_part, const char *id,
					      const char *type, const char *target,
					      const char *target_mode);

/* Adds an empty YARA match of rule/ns on artifact a; the caller fills
 * tags, meta and strings (owned by the scan). */
lure_yara_match *lure_scan_add_yara_match(lure_scan *scan, const lure_artifact *a,
					  const char *rule, const char *ns);
/* Adds meta key=value (escaped) to a match. */
void lure_yara_match_meta(lure_yara_match *m, const char *key, const char *value);

/* Records an IOC value (copied, display-escaped) once per scan. Returns
 * true when it was new. */
bool lure_scan_add_ioc(lure_scan *scan, lure_ioc_type type, const char *value);
/* "urls", "ips", "domains", "unc_paths". */
const char *lure_ioc_type_name(lure_ioc_type type);

/* True when r's TargetMode is "External" (any case, surrounding
 * whitespace ignored, as Office reads it). */
bool lure_relationship_is_external(const lure_relationship *r);

/* Finds the artifact whose name is exactly name among the children of
 * parent_id, or NULL. */
lure_artifact *lure_scan_find_child(const lure_scan *scan, int parent_id, const char *name);

/* Writes the SHA-256 of data[0..len) as 64 lowercase hex digits and a NUL
 * to out: how an artifact's sha256 is made, and the name of an input's
 * extraction directory. data may be NULL only when len is 0. Never fails. */
void lure_sha256_hex(const uint8_t *data, size_t len, char out[65]);

#endif
