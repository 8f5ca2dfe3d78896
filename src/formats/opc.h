/*
 * opc.h - Open Packaging Conventions helpers (ECMA-376 Part 2) for the code
 * that follows relationships between parts.
 *
 * Part names here are ZIP item names: no leading "/", percent-encoding kept
 * as stored. Both helpers are pure string functions; they never touch the
 * scan.
 */
#ifndef LURE_OPC_H
#define LURE_OPC_H

/* The source part of the relationships part rels_name (ECMA-376 Part 2,
 * 9.3.3): "word/_rels/document.xml.rels" gives "word/document.xml",
 * "_rels/.rels" gives "" (the package itself). A leading "/" is ignored, the
 * "_rels" folder and ".rels" extension match case-insensitively. Returns a
 * g_malloc'd string, or NULL when rels_name is not the name of a
 * relationships part. */
char *lure_opc_source_part(const char *rels_name);

/* Resolves the Target of an internal relationship against its source part
 * (ECMA-376 Part 2, 9.3 and RFC 3986 5.2): a relative target is taken from
 * the source part's folder, a target starting with "/" from the package
 * root; "." and ".." segments are removed (".." never climbs above the root),
 * empty segments are dropped, "\" is read as "/" (in both names), and a
 * "#fragment" or "?query" is cut off. Percent-encoding is left as is. source_part is "" for
 * the package. Returns a g_malloc'd part name without a leading "/" ("" for
 * the root), or NULL when target is NULL or not a part reference: an
 * absolute URI (it has a scheme, e.g. "http:", "file:", "C:") or a
 * network-path reference ("//host/..."). */
char *lure_opc_resolve_target(const char *source_part, const char *target);

#endif
