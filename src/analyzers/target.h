/*
 * target.h - normalising the link targets that documents point at.
 *
 * Relationships, monikers, RTF templates, fields and hyperlinks all carry a
 * target written by the attacker. Before judging one we normalise it the way
 * Windows would resolve it: trim whitespace and control characters, decode
 * XML character references and percent-escapes (twice-encoded too, to a
 * bound), fold the scheme's case, and treat "\\host\share", "//host/share",
 * "file://host/share" and "file:////host/share" alike as UNC. Evasions this
 * defends against: "HtTp://", "%68ttp://", "&#x68;ttp://", "  \\host", mixed
 * slashes, "mhtml:http://...!x-usc:", "ms-msdt:", "file:///C:\..." (local,
 * harmless) versus "file://192.0.2.1/share" (remote).
 */
#ifndef LURE_TARGET_H
#define LURE_TARGET_H

#include <stdbool.h>

typedef struct lure_target {
	char *normalized; /* decoded and trimmed; UNC written \\host\path */
	char *scheme;     /* lower case: "http", "https", "unc", "file", "mhtml",
			   * "ms-msdt", "search-ms", ... ; "relative" for a
			   * relative path, "local" for a drive path (C:\...) */
	char *host;       /* host or IP for remote targets, lower case; NULL
			   * when none */
	bool remote;      /* http(s), ftp, unc, remote file://, or any other
			   * scheme with a host; false for local and relative */
	bool host_is_ip;  /* host is an IPv4 or IPv6 literal */
} lure_target;

/* Normalises raw (any bytes, NUL-terminated) into *out; never fails.
 * Release with lure_target_clear(). */
void lure_target_parse(const char *raw, lure_target *out);
void lure_target_clear(lure_target *t);
/* True for an IPv6 literal, dotted IPv4, or the numeric forms Windows also
 * resolves ("3221225994", "0xC0.0x00.0x02.0x01"). */
bool lure_target_host_is_ip(const char *host);

#endif
