/* indicators.c - the finding catalogue; doc/indicators.md mirrors it. */
#include <string.h>
#include "indicators.h"

static const lure_indicator_info catalogue[LURE_IND__COUNT] = {
	[LURE_IND_CONTAINER_MALFORMED] = {"container.malformed", LURE_SEV_MEDIUM, NULL, NULL,
		"a container breaks its format's rules; what could be read was scanned"},
	[LURE_IND_LIMIT_EXCEEDED] = {"limit.exceeded", LURE_SEV_MEDIUM, NULL, NULL,
		"a scan limit was reached; details.limit names it"},
	[LURE_IND_CONTAINER_UNREADABLE] = {"container.unreadable", LURE_SEV_MEDIUM, NULL, NULL,
		"a container has the signature of its format but cannot be opened at all"},
	[LURE_IND_XML_DOCTYPE] = {"xml.doctype", LURE_SEV_MEDIUM, NULL, NULL,
		"an XML part carries a DOCTYPE or entity declarations, which Office never writes"},
	[LURE_IND_OOXML_EXTERNAL_RELATIONSHIP] = {"ooxml.external_relationship", LURE_SEV_INFO, NULL, NULL,
		"a relationship with TargetMode=External"},
	[LURE_IND_OOXML_REMOTE_TEMPLATE] = {"ooxml.remote_template", LURE_SEV_HIGH, NULL, "T1221",
		"attachedTemplate pointing at a remote location"},
	[LURE_IND_OOXML_ALTCHUNK] = {"ooxml.altchunk", LURE_SEV_MEDIUM, "CVE-2023-36884", NULL,
		"an altChunk imports another document (RTF, HTML, MHT) into the body"},
	[LURE_IND_OOXML_MHTML_TARGET] = {"ooxml.mhtml_target", LURE_SEV_HIGH, "CVE-2021-40444", "T1203",
		"an external relationship with an mhtml: target"},
	[LURE_IND_OOXML_MSDT_TARGET] = {"ooxml.msdt_target", LURE_SEV_CRITICAL, "CVE-2022-30190", "T1203",
		"an external oleObject whose target ends in '!' or uses ms-msdt:"},
	[LURE_IND_RTF_OBJECT] = {"rtf.object", LURE_SEV_LOW, NULL, NULL,
		"an RTF \\object group"},
	[LURE_IND_RTF_OBJUPDATE] = {"rtf.objupdate", LURE_SEV_MEDIUM, NULL, NULL,
		"an RTF object that updates itself on open"},
	[LURE_IND_RTF_TEMPLATE] = {"rtf.template", LURE_SEV_HIGH, NULL, "T1221",
		"an RTF {\\*\\template} pointing at a remote location"},
	[LURE_IND_OLE_LINK_MONIKER] = {"ole.link_moniker", LURE_SEV_MEDIUM, "CVE-2017-0199", "T1203",
		"an OLE link moniker with a target"},
	[LURE_IND_OLE_EQUATION_EDITOR] = {"ole.equation_editor", LURE_SEV_HIGH, "CVE-2017-11882", "T1203",
		"an Equation Editor 3.0 object"},
	[LURE_IND_OLE_PACKAGE] = {"ole.package", LURE_SEV_MEDIUM, NULL, "T1204.002",
		"an OLE Package (Ole10Native) carrying a file"},
	[LURE_IND_OLE_CLASS] = {"ole.class", LURE_SEV_INFO, NULL, NULL,
		"the COM class of an OLE storage or object"},
	[LURE_IND_VBA_PRESENT] = {"vba.present", LURE_SEV_LOW, NULL, "T1137",
		"a VBA project"},
	[LURE_IND_VBA_AUTOEXEC] = {"vba.autoexec", LURE_SEV_MEDIUM, NULL, "T1137",
		"a VBA procedure that runs on open or close"},
	[LURE_IND_VBA_SUSPICIOUS] = {"vba.suspicious", LURE_SEV_MEDIUM, NULL, "T1059.005",
		"a VBA keyword used by downloaders and droppers"},
	[LURE_IND_VBA_AUTOEXEC_WITH_ACTION] = {"vba.autoexec_with_action", LURE_SEV_HIGH, NULL, "T1059.005",
		"auto-exec VBA together with a write or execute call"},
	[LURE_IND_DDE_FIELD] = {"dde.field", LURE_SEV_HIGH, NULL, "T1559.002",
		"a DDE or DDEAUTO field"},
	[LURE_IND_DOC_ENCRYPTED] = {"doc.encrypted", LURE_SEV_MEDIUM, NULL, "T1027",
		"the document is encrypted; its content cannot be inspected"},
	[LURE_IND_PE_EMBEDDED] = {"pe.embedded", LURE_SEV_HIGH, NULL, "T1027.009",
		"an embedded Windows executable"},
	[LURE_IND_YARA_MATCH] = {"yara.match", LURE_SEV_MEDIUM, NULL, NULL,
		"a YARA rule matched; severity from the rule's meta"},
	[LURE_IND_FIELD_REMOTE_INCLUDE] = {"field.remote_include", LURE_SEV_LOW, NULL, "T1187",
		"an INCLUDEPICTURE, INCLUDETEXT, IMPORT or LINK field that loads from a remote location"},
};

const lure_indicator_info *lure_indicator_get(lure_indicator ind)
{
	if ((unsigned)ind >= LURE_IND__COUNT)
		return &catalogue[LURE_IND_CONTAINER_MALFORMED];
	return &catalogue[ind];
}

static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};

const char *lure_severity_name(lure_severity sev)
{
	if ((unsigned)sev > LURE_SEV_CRITICAL)
		return "info";
	return severity_names[sev];
}

int lure_severity_parse(const char *name)
{
	for (int i = 0; i <= LURE_SEV_CRITICAL; i++)
		if (name != NULL && strcmp(name, severity_names[i]) == 0)
			return i;
	return -1;
}
