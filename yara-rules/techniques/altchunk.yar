/*
 * techniques/altchunk.yar - altChunk imports of RTF (the CVE-2023-36884
 * lure's carrier).
 *
 * A relationship of type .../relationships/aFChunk makes Word import a part
 * of another format into the document; for RTF that part can carry OLE
 * objects that load as the document opens, while the OOXML shell looks
 * clean (no macro, no external relationship). Legitimate documents rarely
 * import RTF this way, so this is a hint (medium) on its own; the RTF's
 * objects are judged by the other rules.
 */

rule Technique_AltChunk_RTF_Import
{
    meta:
        description = "OOXML relationship of type aFChunk (altChunk import) whose target is an .rtf part"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://c-rex.net/samples/ooxml/e1/Part1/OOXML_P1_Fundamentals_Alternative_topic_ID0EC4AI.html"
        severity = "medium"
        attack = "T1566.001"
        cve = "CVE-2023-36884"

    strings:
        $type_first = /\/aFChunk["'][^>]{0,512}Target=["'][^"']{1,512}\.rtf["']/ nocase
        $target_first = /Target=["'][^"']{1,512}\.rtf["'][^>]{0,512}\/aFChunk["']/ nocase

    condition:
        artifact_kind == "rels" and any of them
}
