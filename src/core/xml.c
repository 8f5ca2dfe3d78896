/* xml.c - hardened XML reading; see xml.h. */
#include <string.h>
#include <libxml/parser.h>
#include "xml.h"

/* Parser options: never touch the network, never load or validate a DTD,
 * never substitute entities, no XInclude; be quiet (errors are collected). */
#define LURE_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
			  XML_PARSE_NOXINCNODE | XML_PARSE_NOCDATA)

static void silent_error(void *arg, const char *msg, xmlParserSeverities sev,
			 xmlTextReaderLocatorPtr loc)
{
	(void)msg;
	(void)sev;
	(void)loc;
	(*(int *)arg)++;
}

/* Offset of "<!DOCTYPE" (any case) in data, or len when there is none. */
static size_t find_doctype(const uint8_t *data, size_t len)
{
	static const char tag[] = "<!DOCTYPE";
	size_t n = sizeof(tag) - 1;
	for (size_t i = 0; i + n <= len; i++)
		if (data[i] == '<' && g_ascii_strncasecmp((const char *)data + i, tag, n) == 0)
			return i;
	return len;
}

/* Blanks every DOCTYPE declaration of buf (internal subset included) with
 * spaces. libxml2 expands internal entities inside attribute values even
 * without XML_PARSE_NOENT; with the declarations gone, a reference to one
 * is an undefined entity, a well-formedness error, and nothing expands. */
static void blank_doctypes(uint8_t *buf, size_t len)
{
	size_t i = find_doctype(buf, len);
	while (i < len) {
		int bracket = 0;
		size_t j = i;
		for (; j < len; j++) {
			if (buf[j] == '[')
				bracket++;
			else if (buf[j] == ']' && bracket > 0)
				bracket--;
			else if (buf[j] == '>' && bracket == 0)
				break;
		}
		size_t end = j < len ? j + 1 : len;
		memset(buf + i, ' ', end - i);
		i = end + find_doctype(buf + end, len - end);
	}
}

/* Replaces every reference to a general entity other than the five
 * predefined ones ("&name;") with '_' of the same length. With the DOCTYPE
 * gone such references would be fatal to the reader and hide the rest of
 * the part; this way the part is read and no entity ever expands. */
static void blank_entity_references(uint8_t *buf, size_t len)
{
	static const char *const predefined[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '&' || i + 1 >= len || buf[i + 1] == '#')
			continue;
		size_t j = i + 1;
		while (j < len && j - i <= 64 && buf[j] != ';' &&
		       (g_ascii_isalnum(buf[j]) || buf[j] == '_' || buf[j] == '-' ||
			buf[j] == '.' || buf[j] == ':' || buf[j] >= 0x80))
			j++;
		if (j >= len || buf[j] != ';' || j == i + 1)
			continue;
		bool keep = false;
		for (size_t k = 0; k < G_N_ELEMENTS(predefined); k++)
			if (j - i == strlen(predefined[k]) &&
			    memcmp(buf + i + 1, predefined[k], j - i) == 0)
				keep = true;
		if (!keep)
			memset(buf + i, '_', j - i + 1);
		i = j;
	}
}

/* libxml2 2.9 must be initialised once, before threads use it (-j, the
 * daemon): its global tables are not built lazily in a thread-safe way. */
static gpointer init_libxml2(gpointer unused)
{
	(void)unused;
	xmlInitParser();
	return NULL;
}

lure_error lure_xml_walk(lure_scan *scan, lure_artifact *a, lure_xml_cb cb, void *user)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, init_libxml2, NULL);

	xmlTextReaderPtr r;
	lure_error err = LURE_OK;
	unsigned nodes = 0;
	int errors = 0, rc;

	if (a->len > INT_MAX) {
		lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED, "XML part too large to parse");
		return LURE_OK;
	}
	const uint8_t *bytes = a->data;
	uint8_t *copy = NULL;
	if (find_doctype(a->data, a->len) < a->len) {
		lure_finding_add(scan, a, LURE_IND_XML_DOCTYPE,
				 "XML part declares a DOCTYPE; it was removed before parsing, "
				 "so no entity is expanded");
		copy = g_memdup2(a->data, a->len);
		blank_doctypes(copy, a->len);
		blank_entity_references(copy, a->len);
		bytes = copy;
	}
	r = xmlReaderForMemory((const char *)bytes, (int)a->len, NULL, NULL, LURE_XML_OPTIONS);
	if (r == NULL) {
		g_free(copy);
		return LURE_E_NOMEM;
	}
	xmlTextReaderSetErrorHandler(r, silent_error, &errors);

	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r);
		const char *local = (const char *)xmlTextReaderConstLocalName(r);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);

		if (++nodes > scan->limits.xml_max_nodes) {
			lure_scan_limit_hit(scan, a, LURE_LIMIT_XML_NODES,
					    "more than %u XML nodes; the rest of the part was not read",
					    scan->limits.xml_max_nodes);
			break;
		}
		if (depth >= 0 && (unsigned)depth > scan->limits.xml_max_depth) {
			lure_scan_limit_hit(scan, a, LURE_LIMIT_XML_DEPTH,
					    "XML elements nested deeper than %u; the rest was not read",
					    scan->limits.xml_max_depth);
			break;
		}
		if ((nodes & 1023) == 0 && lure_scan_expired(scan))
			break;
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			err = cb(user, LURE_XML_START, local, ns, depth, NULL, r);
			if (err == LURE_OK && xmlTextReaderIsEmptyElement(r))
				err = cb(user, LURE_XML_END, local, ns, depth, NULL, r);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			err = cb(user, LURE_XML_END, local, ns, depth, NULL, r);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			err = cb(user, LURE_XML_TEXT, local, ns, depth,
				 (const char *)xmlTextReaderConstValue(r), r);
			break;
		default:
			break;
		}
		if (err != LURE_OK)
			break;
	}
	if (err == LURE_OK && (rc < 0 || errors > 0))
		lure_finding_add(scan, a, LURE_IND_CONTAINER_MALFORMED,
				 "XML part is not well-formed; read as far as it parses");
	xmlFreeTextReader(r);
	g_free(copy);
	return err;
}

char *lure_xml_attr(xmlTextReaderPtr reader, const char *localname, const char *ns)
{
	if (ns == NULL)
		return (char *)xmlTextReaderGetAttribute(reader, (const xmlChar *)localname);
	return (char *)xmlTextReaderGetAttributeNs(reader, (const xmlChar *)localname,
						   (const xmlChar *)ns);
}

/* Skips "<?...?>", "<!--...-->" and whitespace; returns the offset of the
 * first other '<', or len. Bounded by len. */
static size_t skip_prolog(const uint8_t *d, size_t len)
{
	size_t i = 0;
	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	while (i < len) {
		if (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n') {
			i++;
			continue;
		}
		if (d[i] != '<' || i + 1 >= len)
			return len;
		if (d[i + 1] == '?') {
			const uint8_t *e = memmem(d + i + 2, len - i - 2, "?>", 2);
			if (e == NULL)
				return len;
			i = (size_t)(e - d) + 2;
		} else if (len - i >= 4 && memcmp(d + i, "<!--", 4) == 0) {
			const uint8_t *e = memmem(d + i + 4, len - i - 4, "-->", 3);
			if (e == NULL)
				return len;
			i = (size_t)(e - d) + 3;
		} else if (d[i + 1] == '!') {
			/* DOCTYPE: skip to its end, bracketed internal subset included */
			int bracket = 0;
			size_t j = i + 2;
			for (; j < len; j++) {
				if (d[j] == '[')
					bracket++;
				else if (d[j] == ']' && bracket > 0)
					bracket--;
				else if (d[j] == '>' && bracket == 0)
					break;
			}
			if (j >= len)
				return len;
			i = j + 1;
		} else {
			return i;
		}
	}
	return len;
}

/* For UTF-16 XML (BOM, or "<?" encoded), narrows the first bytes to 8-bit
 * into buf: ASCII characters kept, others '?'. Returns the count, or 0 when
 * data is not UTF-16. Markup names are ASCII in every part we sniff. */
static size_t narrow_utf16(const uint8_t *d, size_t len, uint8_t *buf, size_t cap)
{
	int lo;
	size_t i = 0, n = 0;
	if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
		lo = 0;
		i = 2;
	} else if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
		lo = 1;
		i = 2;
	} else if (len >= 4 && d[0] == '<' && d[1] == 0 && d[2] != 0 && d[3] == 0) {
		lo = 0;
	} else if (len >= 4 && d[0] == 0 && d[1] == '<' && d[2] == 0 && d[3] != 0) {
		lo = 1;
	} else {
		return 0;
	}
	for (; i + 1 < len && n < cap; i += 2) {
		uint8_t c = d[i + lo], hi = d[i + 1 - lo];
		buf[n++] = hi == 0 && c < 0x80 ? c : '?';
	}
	return n;
}

bool lure_xml_sniff_root(const uint8_t *data, size_t len, char *out, size_t outlen)
{
	uint8_t narrow[4096];
	size_t nlen = narrow_utf16(data, len, narrow, sizeof(narrow));
	if (nlen > 0) {
		data = narrow;
		len = nlen;
	}
	/* Only look at the head: a root element comes early in real parts. */
	size_t head = len < 4096 ? len : 4096;
	size_t i = skip_prolog(data, head), n = 0;

	if (outlen == 0 || i >= head || data[i] != '<')
		return false;
	i++;
	/* Drop a namespace prefix: keep what follows the last ':' */
	size_t start = i;
	while (i < head && (g_ascii_isalnum(data[i]) || data[i] == '_' || data[i] == '-' ||
			    data[i] == '.' || data[i] == ':')) {
		if (data[i] == ':')
			start = i + 1;
		i++;
	}
	if (i == start || i >= head)
		return false;
	if (!(data[i] == ' ' || data[i] == '>' || data[i] == '/' || data[i] == '\t' ||
	      data[i] == '\r' || data[i] == '\n'))
		return false;
	n = i - start;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, data + start, n);
	out[n] = '\0';
	return true;
}
