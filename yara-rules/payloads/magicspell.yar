/*
 * payloads/magicspell.yar - MagicSpell, the loader CERT-UA says the July
 * 2023 campaign delivered alongside RomCom.
 *
 * What is public: the name only. No string, mutex, PDB path, export or hash
 * attributed to MagicSpell has been published (research notes §2, "Gap").
 * We do not invent family traits. What can honestly be keyed on is how the
 * final stage was delivered in this chain: the last HTML hops load
 * ex001.zip/file001.vbs from the SMB share, and file001.vbs, run from the
 * Internet Explorer cache, fetches the payload. A hit says "this artifact
 * drives the chain's final delivery step", not "this is MagicSpell".
 */

rule MagicSpell_Delivery_Stage_VBS_Reference
{
    meta:
        description = "References the chain's final delivery step (ex001.zip and file001.vbs), which fetched the MagicSpell/RomCom payload in July 2023; keys on delivery, as no MagicSpell-specific trait is public"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://www.scworld.com/brief/attacks-targeted-at-nato-summit-leveraging-microsoft-zero-day"
        severity = "high"
        attack = "T1105, T1059.005"
        cve = "CVE-2023-36884"

    strings:
        $zip = "ex001.zip" ascii wide nocase
        $vbs = "file001.vbs" ascii wide nocase

    condition:
        $zip and $vbs
}
