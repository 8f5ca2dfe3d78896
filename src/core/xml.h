/*
 * xml.h - hardened, streaming XML reading for every XML part.
 *
 * OOXML parts are hostile XML. We read them with libxml2's xmlTextReader over
 * memory, with the network off (XML_PARSE_NONET), no DTD loading, no entity
 * substitution, no XInclude, and caps on nodes and element depth. A DOCTYPE
 * (which Office never writes; it is how XXE and billion-laughs start) is an
 * xml.doctype finding. libxml2 would still expand internal entities inside
 * attribute values, so a part with a DOCTYPE is parsed from a copy in which
 * the declaration is blanked and every non-predefined entity reference is
 * overwritten: nothing can expand, and the rest of the part is still read. Parse errors
 * become container.malformed, once per part, and the events seen before the
 * error stand.
 */
#ifndef LURE_XML_H
#define LURE_XML_H

#include <libxml/xmlreader.h>
#include "scan.h"

typedef enum lure_xml_event {
	LURE_XML_START,   /* element start; attributes readable from the reader */
	LURE_XML_END,     /* element end (also sent for empty elements) */
	LURE_XML_TEXT,    /* text or CDATA inside an element */
} lure_xml_event;

/* Called per event. localname and ns (namespace URI or NULL) are the
 * element's; text is the node's value for LURE_XML_TEXT, else NULL. Return
 * LURE_OK to go on, anything else to stop the walk with that result. */
typedef lure_error (*lure_xml_cb)(void *user, lure_xml_event ev, const char *localname,
				  const char *ns, int depth, const char *text,
				  xmlTextReaderPtr reader);

/* Streams a->data through cb. Returns LURE_OK (also after a reported parse
 * error or limit), LURE_E_NOMEM, or what cb returned. */
lure_error lure_xml_walk(lure_scan *scan, lure_artifact *a, lure_xml_cb cb, void *user);

/* The value of attribute localname (namespace ns, or no namespace when
 * NULL) of the current element; xmlFree() it. NULL when absent. */
char *lure_xml_attr(xmlTextReaderPtr reader, const char *localname, const char *ns);

/* Local name of the document element of data, copied into out (at most
 * outlen bytes, NUL-terminated), by a cheap bounded scan that needs no
 * parser: skips the XML declaration, comments and processing instructions.
 * Returns false when data does not look like XML. */
bool lure_xml_sniff_root(const uint8_t *data, size_t len, char *out, size_t outlen);

#endif
