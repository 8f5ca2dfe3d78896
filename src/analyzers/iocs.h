/*
 * iocs.h - collecting indicators of compromise (URLs, UNC paths, IP
 * addresses, domains) from link targets and from the text of artifacts, and
 * defanging them for display.
 *
 * The analyser itself is lure_analyzer_iocs (registered last, see
 * registry.c); these helpers let the other analysers (DDE fields, field
 * instructions) feed it as they go.
 */
#ifndef LURE_IOCS_H
#define LURE_IOCS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/scan.h"

/* Records the IOCs of one link target (raw, as written: it is normalised
 * with lure_target_parse): the whole URL or UNC path, and its host as an IP
 * address or a domain. Local and relative targets give nothing; a scheme
 * that wraps others (mhtml:, ms-msdt:, search-ms:) gives the URLs and UNC
 * paths found inside it. Never fails. */
void lure_iocs_add_target(lure_scan *scan, const char *raw);

/* Extracts http(s)/ftp URLs and UNC paths from text[0..len) (any bytes;
 * 8-bit, not UTF-16) and records them, skipping XML namespace declarations
 * and the schema hosts every Office part names (see iocs.c). Linear in len.
 * Never fails. */
void lure_iocs_scan_text(lure_scan *scan, const char *text, size_t len);

/* Returns a defanged copy of an IOC value for display (g_free): "http" and
 * "https" schemes become "hxxp"/"hxxps" ("ftp" becomes "fxp"), and the last
 * '.' of every host (URL, UNC path, bare domain or IPv4 address) becomes
 * "[.]": "http://192.0.2.1/x" gives "hxxp://192.0.2[.]1/x",
 * "\\192.0.2.10\share" gives "\\192.0.2[.]10\share". NULL gives NULL. */
char *lure_ioc_defang(const char *value);

#endif
