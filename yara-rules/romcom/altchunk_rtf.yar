/*
 * romcom/altchunk_rtf.yar - the RTF part of the July 2023 UWC/NATO lure.
 *
 * The lure DOCX is clean on its own: no macro, no external relationship.
 * Its body imports an RTF part ("afchunk.rtf") through altChunk (relationship
 * type .../aFChunk), and that RTF holds two OLE objects marked \objautlink
 * (Office no longer instantiates \objemb COM objects from RTF, autolinked
 * ones still load): class OLE2Link (a link to a file001.url over SMB) and
 * class Msxml2.SAXXMLReader.5.0 (a URL moniker to start.xml over HTTP).
 *
 * Scope: the RTF as an artifact of its own (artifact_kind "rtf") whose
 * parent is an OOXML package, so a standalone RTF with the same objects is
 * left to techniques/ole_link.yar. The class names are matched in the hex
 * text of \objdata, where Word writes them near the start of the object
 * (before any line break); the decoded objects are covered by the ole1
 * rules in techniques/.
 */

rule RomCom_AltChunk_RTF_Autolinked_Objects
{
    meta:
        description = "RTF part of an OOXML package (altChunk import) with autolinked OLE objects of class OLE2Link or Msxml2.SAXXMLReader.5.0, the structure of the July 2023 RomCom UWC/NATO lure (afchunk.rtf)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/delivr-to/detections/blob/main/sublime-rules/threatintel/attachment_cve_2023_36884.yml"
        severity = "critical"
        attack = "T1566.001, T1203"
        cve = "CVE-2023-36884"

    strings:
        $objautlink = "\\objautlink" nocase
        $objdata = "\\objdata" nocase
        // OLE1 class names as they appear in the \objdata hex text
        $class_ole2link = "4f4c45324c696e6b" nocase
        $class_saxreader = "4d73786d6c322e534158584d4c5265616465722e352e30" nocase

    condition:
        artifact_kind == "rtf" and
        (parent_kind == "ooxml" or parent_kind == "zip") and
        $objautlink and $objdata and any of ($class_*)
}
