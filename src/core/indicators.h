/*
 * indicators.h - the catalogue of finding ids, in one place.
 *
 * A finding id is a fixed string from this table, never built at run time.
 * doc/indicators.md documents each one; a unit test checks that every id
 * here appears there. Add an entry at the end of the enum and the table.
 */
#ifndef LURE_INDICATORS_H
#define LURE_INDICATORS_H

typedef enum lure_severity {
	LURE_SEV_INFO = 0,
	LURE_SEV_LOW,
	LURE_SEV_MEDIUM,
	LURE_SEV_HIGH,
	LURE_SEV_CRITICAL,
} lure_severity;

typedef enum lure_indicator {
	LURE_IND_CONTAINER_MALFORMED = 0,
	LURE_IND_LIMIT_EXCEEDED,
	LURE_IND_CONTAINER_UNREADABLE,
	LURE_IND_XML_DOCTYPE,
	LURE_IND_OOXML_EXTERNAL_RELATIONSHIP,
	LURE_IND_OOXML_REMOTE_TEMPLATE,
	LURE_IND_OOXML_ALTCHUNK,
	LURE_IND_OOXML_MHTML_TARGET,
	LURE_IND_OOXML_MSDT_TARGET,
	LURE_IND_RTF_OBJECT,
	LURE_IND_RTF_OBJUPDATE,
	LURE_IND_RTF_TEMPLATE,
	LURE_IND_OLE_LINK_MONIKER,
	LURE_IND_OLE_EQUATION_EDITOR,
	LURE_IND_OLE_PACKAGE,
	LURE_IND_OLE_CLASS,
	LURE_IND_VBA_PRESENT,
	LURE_IND_VBA_AUTOEXEC,
	LURE_IND_VBA_SUSPICIOUS,
	LURE_IND_VBA_AUTOEXEC_WITH_ACTION,
	LURE_IND_DDE_FIELD,
	LURE_IND_DOC_ENCRYPTED,
	LURE_IND_PE_EMBEDDED,
	LURE_IND_YARA_MATCH,
	LURE_IND_FIELD_REMOTE_INCLUDE,
	LURE_IND__COUNT
} lure_indicator;

typedef struct lure_indicator_info {
	const char *id;            /* stable string, e.g. "ooxml.remote_template" */
	lure_severity severity;    /* default severity */
	const char *cve;           /* NULL when none */
	const char *attack;        /* ATT&CK technique or NULL */
	const char *summary;       /* one line */
} lure_indicator_info;

/* The table entry for ind; never NULL for a valid value. */
const lure_indicator_info *lure_indicator_get(lure_indicator ind);
/* "info", "low", "medium", "high" or "critical". */
const char *lure_severity_name(lure_severity sev);
/* Parses a severity name; returns -1 when unknown. */
int lure_severity_parse(const char *name);

#endif
