/*
 * techniques/package.yar - OLE Package objects that carry a script or an
 * executable (T1204.002).
 *
 * The Packager object's native data (the "\x01Ole10Native" stream, or the
 * native data of an OLE1 object of class "Package" in RTF) starts with a
 * 32-bit size, the marker 0x0002, then the NUL-terminated label, the source
 * path, and later the temporary path, before the file's bytes. A double
 * click on the icon runs the file, so a script or executable name there is
 * the payload's. The names sit in the first few hundred bytes; the search
 * stops at 2 KiB so a name inside the payload's own bytes does not count.
 */

rule Technique_OLE_Package_Script_Or_Executable
{
    meta:
        description = "OLE Package (Ole10Native) object whose embedded file name is a script or an executable (.js .vbs .exe .hta .bat .ps1 .lnk ...)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1204/002/"
        severity = "high"
        attack = "T1204.002, T1566.001"

    strings:
        $e01 = ".js\x00" nocase
        $e02 = ".jse\x00" nocase
        $e03 = ".vbs\x00" nocase
        $e04 = ".vbe\x00" nocase
        $e05 = ".wsf\x00" nocase
        $e06 = ".hta\x00" nocase
        $e07 = ".exe\x00" nocase
        $e08 = ".scr\x00" nocase
        $e09 = ".bat\x00" nocase
        $e10 = ".cmd\x00" nocase
        $e11 = ".ps1\x00" nocase
        $e12 = ".lnk\x00" nocase
        $e13 = ".pif\x00" nocase
        $e14 = ".cpl\x00" nocase
        $e15 = ".dll\x00" nocase
        $e16 = ".msi\x00" nocase
        $e17 = ".jar\x00" nocase
        $e18 = ".chm\x00" nocase
        $e19 = ".url\x00" nocase
        // OLE1 ClassName "Package\0" (length 8)
        $package = { 08 00 00 00 50 61 63 6B 61 67 65 00 }

    condition:
        (
            (artifact_name endswith "\\x01Ole10Native" and uint16(4) == 0x0002) or
            (artifact_kind == "ole1" and $package at 8)
        ) and
        for any of ($e*) : ( $ in (0 .. 2048) )
}
