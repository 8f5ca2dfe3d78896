/*
 * techniques/dde.yar - DDE / DDEAUTO fields (T1559.002).
 *
 * A field whose code starts with DDEAUTO (or DDE) asks Word to start a
 * program and talk to it. In WordprocessingML the code is in <w:instrText>
 * (between fldChar begin/end) or in <w:fldSimple w:instr="...">; in RTF in
 * {\*\fldinst ...}; in a Word 97 binary stream it follows the field-begin
 * character 0x13. The rules see the code only when it is in one piece:
 * lures split it over several runs to dodge exactly this, which the dde
 * analyser (src/analyzers/dde.c) handles by joining the runs.
 */

rule Technique_DDE_Field_OOXML
{
    meta:
        description = "WordprocessingML field code DDE or DDEAUTO in w:instrText or w:fldSimple (DDE command execution)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1559/002/"
        severity = "high"
        attack = "T1559.002"

    strings:
        $instr = /<w:instrText[^>]{0,128}>\s{0,32}DDE(AUTO)?\b/ nocase
        $simple = /<w:fldSimple[^>]{0,256}w:instr=["']\s{0,32}DDE(AUTO)?\b/ nocase

    condition:
        artifact_kind == "xml" and any of them
}

rule Technique_DDE_Field_RTF
{
    meta:
        description = "RTF field instruction (\\fldinst) starting with DDE or DDEAUTO (DDE command execution)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1559/002/"
        severity = "high"
        attack = "T1559.002"

    strings:
        $fldinst = /\\fldinst[^}]{0,64}\bDDE(AUTO)?\b/ nocase

    condition:
        artifact_kind == "rtf" and $fldinst
}

rule Technique_DDE_Field_Binary
{
    meta:
        description = "Word binary stream with a field that starts with DDE or DDEAUTO right after the field-begin mark 0x13 (DDE command execution)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1559/002/"
        severity = "high"
        attack = "T1559.002"

    strings:
        $ddeauto = { 13 [0-2] 44 44 45 41 55 54 4F }
        $dde = { 13 [0-2] 44 44 45 20 }

    condition:
        artifact_kind == "data" and any of them
}
