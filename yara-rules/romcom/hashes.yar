/*
 * romcom/hashes.yar - published hashes of the July 2023 lure files.
 *
 * Hashes are over the whole artifact, so they hit the lure wherever it
 * turns up: as the input, or unpacked from a mail archive or a ZIP. SHA-256
 * rules compare lurescan's external artifact_sha256, which the scanner has
 * already computed, so no artifact is hashed twice. The published MD5s of
 * the lure and of afchunk.rtf (d2278748..., 3ca154da...) name the same files
 * as the SHA-256 rules below, so they have no rule of their own: it would
 * only make the hash module MD5 every ZIP and RTF again. The carved objects
 * have only MD5s, computed behind a cheap CFB magic check (libyara evaluates
 * `and` left to right). The files are live malware: no sample can exist.
 */
import "hash"

rule RomCom_NATO_Lure_Overview_UWC_Docx
{
    meta:
        description = "Overview_of_UWCs_UkraineInNATO_campaign.docx, lure of the July 2023 RomCom UWC/NATO campaign"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1566.001"
        cve = "CVE-2023-36884"
        hash = "a61b2eafcf39715031357df6b01e85e0d1ea2e8ee1dfec241b114e18f7a1163f"
        no_sample = "hash of live malware"

    condition:
        uint32(0) == 0x04034b50 and
        artifact_sha256 == "a61b2eafcf39715031357df6b01e85e0d1ea2e8ee1dfec241b114e18f7a1163f"
}

rule RomCom_NATO_Lure_Letter_Vilnius_Docx
{
    meta:
        description = "Letter_NATO_Summit_Vilnius_2023_ENG(1).docx, lure of the July 2023 RomCom UWC/NATO campaign"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1566.001"
        cve = "CVE-2023-36884"
        hash = "3a3138c5add59d2172ad33bc6761f2f82ba344f3d03a2269c623f22c1a35df97"
        no_sample = "hash of live malware"

    condition:
        uint32(0) == 0x04034b50 and
        artifact_sha256 == "3a3138c5add59d2172ad33bc6761f2f82ba344f3d03a2269c623f22c1a35df97"
}

rule RomCom_NATO_AfChunk_RTF
{
    meta:
        description = "afchunk.rtf, the RTF part the July 2023 RomCom lure imports through altChunk"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1203"
        cve = "CVE-2023-36884"
        hash = "e7cfeb023c3160a7366f209a16a6f6ea5a0bc9a3ddc16c6cba758114dfe6b539"
        no_sample = "hash of live malware"

    condition:
        uint32(0) == 0x74725c7b and
        artifact_sha256 == "e7cfeb023c3160a7366f209a16a6f6ea5a0bc9a3ddc16c6cba758114dfe6b539"
}

rule RomCom_NATO_File001_URL
{
    meta:
        description = "The file001.url internet shortcut served over SMB in the July 2023 RomCom chain"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        cve = "CVE-2023-36884"
        hash = "07377209fe68a98e9bca310d9749daa4eb79558e9fc419cf0b02a9e37679038d"
        no_sample = "hash of live malware"

    condition:
        filesize < 64KB and
        artifact_sha256 == "07377209fe68a98e9bca310d9749daa4eb79558e9fc419cf0b02a9e37679038d"
}

rule RomCom_NATO_Carved_Objects_MD5
{
    meta:
        description = "MD5 of the compound files carved from afchunk.rtf's two OLE objects (OLE2Link, Msxml2.SAXXMLReader.5.0); single public source, unconfirmed"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://bazaar.abuse.ch/sample/a61b2eafcf39715031357df6b01e85e0d1ea2e8ee1dfec241b114e18f7a1163f/"
        severity = "high"
        cve = "CVE-2023-36884"
        hash = "c66977e283ff702652263788a0d20b81, ed315c3b36a83206dfd1bba013b91575"
        confidence = "single source"
        no_sample = "hash of live malware"

    condition:
        uint32(0) == 0xe011cfd0 and
        (hash.md5(0, filesize) == "c66977e283ff702652263788a0d20b81" or
         hash.md5(0, filesize) == "ed315c3b36a83206dfd1bba013b91575")
}
