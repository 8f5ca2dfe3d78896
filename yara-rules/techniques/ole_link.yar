/*
 * techniques/ole_link.yar - linked OLE objects that reach out (OLE2Link,
 * URL and file monikers; CVE-2017-0199 and the CVE-2023-36884 chain).
 *
 * An OLE link object stores its source as a moniker (MS-OLEDS
 * MONIKERSTREAM): a CLSID, then the moniker's data. The URL moniker
 * {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B} is followed by a 32-bit length and
 * the URL in UTF-16LE; the file moniker {00000303-0000-0000-C000-
 * 000000000046} by a 16-bit anti-moniker count, a 32-bit length and the
 * ANSI path. The CLSIDs are written here as their on-disk bytes (the first
 * three fields little-endian).
 *
 * Levels: in an RTF the object is \objdata hex text (rule on "rtf"); once
 * decoded it is an OLE1 object ("ole1": ObjectHeader, OLEVersion 0x0501,
 * FormatID, length-prefixed ClassName at offset 8) whose native data is
 * often a compound file whose "\x01Ole" stream holds the moniker ("data").
 * The moniker rule takes the stream, or the OLE1 object when its native
 * data is not a compound file (which would be unpacked and matched in its
 * stream instead), so one link gives one match, not one per level.
 */

rule Technique_OLE_Link_Remote_Moniker
{
    meta:
        description = "OLE link moniker (URL moniker to http(s), or file moniker to a UNC path): the object fetches a remote resource when it updates (CVE-2017-0199 class, RomCom 2023 chain)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-oleds/1fa40441-eb40-42f2-a310-3eee8d563053"
        severity = "high"
        attack = "T1203, T1187"
        cve = "CVE-2017-0199"

    strings:
        // URL moniker CLSID, 32-bit length, then "http" in UTF-16LE (any case)
        $url_moniker = { E0 C9 EA 79 F9 BA CE 11 8C 82 00 AA 00 4B A9 0B
                         [4] (68 | 48) 00 (74 | 54) 00 (74 | 54) 00 (70 | 50) 00 }
        // file moniker CLSID, anti count, 32-bit length, then "\\" (UNC)
        $file_moniker = { 03 03 00 00 00 00 00 00 C0 00 00 00 00 00 00 46
                          [6] 5C 5C }
        $cfb = { D0 CF 11 E0 A1 B1 1A E1 }

    condition:
        (artifact_kind == "data" or (artifact_kind == "ole1" and not $cfb)) and
        any of ($url_moniker, $file_moniker)
}

rule Technique_RTF_OLE2Link_Autolink
{
    meta:
        description = "RTF with an autolinked or auto-updating OLE object of class OLE2Link (CVE-2017-0199 class link object; updates without a prompt)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/decalage2/oletools/issues/673"
        severity = "high"
        attack = "T1203"
        cve = "CVE-2017-0199"

    strings:
        $objautlink = "\\objautlink" nocase
        $objupdate = "\\objupdate" nocase
        $objdata = "\\objdata" nocase
        $class = "4f4c45324c696e6b" nocase

    condition:
        artifact_kind == "rtf" and $objdata and $class and any of ($objautlink, $objupdate)
}

rule Technique_OLE1_OLE2Link_Object
{
    meta:
        description = "OLE1 object (from RTF \\objdata or an Ole10Native stream) of class OLE2Link, a link object that loads its source from a moniker"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-oleds/3c695db0-943f-48a0-b134-939af3b3a4ca"
        severity = "medium"
        attack = "T1203"
        cve = "CVE-2017-0199"

    strings:
        // ClassName: length 9, "OLE2Link\0"
        $class = { 09 00 00 00 4F 4C 45 32 4C 69 6E 6B 00 }

    condition:
        artifact_kind == "ole1" and uint16(0) == 0x0501 and $class at 8
}
