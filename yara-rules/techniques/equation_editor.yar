/*
 * techniques/equation_editor.yar - Equation Editor objects (CVE-2017-11882,
 * CVE-2018-0802).
 *
 * EQNEDT32.EXE is gone from patched Office, but lures keep embedding
 * Equation.3 objects for unpatched hosts. The object shows as the OLE1
 * class name "Equation.3" (in RTF \objdata hex, or decoded), or as the
 * class CLSID {0002CE02-0000-0000-C000-000000000046} of a compound file
 * (bytes 02 CE 02 00 ...). Its "Equation Native" stream starts with a
 * 28-byte (0x1C) EQNOLEFILEHDR and then the MTEF header: version 3,
 * platform 1, product 1, product version 3 (03 01 01 03). An object with
 * that class but no valid MTEF record (zeroed data) is still an Equation
 * object, but not a parseable equation: the second rule wants the MTEF.
 */

rule Technique_Equation_Editor_Object
{
    meta:
        description = "Equation Editor object (class Equation.3 or CLSID 0002CE02-0000-0000-C000-000000000046), the target of CVE-2017-11882 / CVE-2018-0802"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/decalage2/oletools/blob/master/oletools/common/clsid.py"
        severity = "high"
        attack = "T1203"
        cve = "CVE-2017-11882, CVE-2018-0802"

    strings:
        $ole1_class = { 0B 00 00 00 45 71 75 61 74 69 6F 6E 2E 33 00 }
        $rtf_class = "4571756174696f6e2e33" nocase
        $clsid = { 02 CE 02 00 00 00 00 00 C0 00 00 00 00 00 00 46 }
        $rtf_clsid = "02ce020000000000c000000000000046" nocase

    condition:
        (artifact_kind == "ole1" and $ole1_class at 8) or
        (artifact_kind == "rtf" and any of ($rtf_class, $rtf_clsid)) or
        (artifact_kind == "ole2" and $clsid)
}

rule Technique_Equation_Native_MTEF
{
    meta:
        description = "Equation Native stream with an EQNOLEFILEHDR and an MTEF v3 record: an equation Equation Editor will parse (CVE-2017-11882 / CVE-2018-0802 input)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/Neo23x0/signature-base/blob/master/yara/exploit_cve_2017_11882.yar"
        severity = "high"
        attack = "T1203"
        cve = "CVE-2017-11882, CVE-2018-0802"

    condition:
        artifact_name endswith "Equation Native" and filesize > 0x20 and
        uint16(0) == 0x001c and uint32be(0x1c) == 0x03010103
}
