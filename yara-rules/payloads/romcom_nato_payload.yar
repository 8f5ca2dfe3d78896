/*
 * payloads/romcom_nato_payload.yar - the PE linked to the July 2023 NATO
 * campaign (sample 1a7bb878...), by its import and resource profile, and
 * the published import hashes of RomCom components.
 *
 * Profile (research notes §2): imports GetPhysicallyInstalledSystemMemory,
 * NetUserGetInfo, LookupAccountNameW, ChangeServiceConfig2W,
 * GetStartupInfoW and InitializeCriticalSectionAndSpinCount among more than
 * 100 imported functions; exactly 3 resources, one of them an RT_ICON whose
 * bytes have an entropy above 7.9 bits per byte (an icon that is really
 * packed or encrypted data).
 */
import "pe"
import "math"

rule RomCom_NATO_Payload_Import_Profile
{
    meta:
        description = "PE with the import and resource profile of the July 2023 RomCom NATO payload: system-survey imports, >100 imported functions, 3 resources, one high-entropy RT_ICON"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/RustyNoob-619/100-Days-of-YARA-2024/blob/main/Day32.yar"
        severity = "high"
        attack = "T1082, T1033"

    condition:
        uint16(0) == 0x5a4d and
        pe.imports("kernel32.dll", "GetPhysicallyInstalledSystemMemory") and
        pe.imports("kernel32.dll", "GetStartupInfoW") and
        pe.imports("kernel32.dll", "InitializeCriticalSectionAndSpinCount") and
        pe.imports("netapi32.dll", "NetUserGetInfo") and
        pe.imports("advapi32.dll", "LookupAccountNameW") and
        pe.imports("advapi32.dll", "ChangeServiceConfig2W") and
        pe.number_of_imported_functions > 100 and
        pe.number_of_resources == 3 and
        for any i in (0 .. pe.number_of_resources - 1) : (
            pe.resources[i].type == pe.RESOURCE_TYPE_ICON and
            math.entropy(pe.resources[i].offset, pe.resources[i].length) > 7.9
        )
}

rule RomCom_NATO_Payload_SHA256
{
    meta:
        description = "The PE linked to the July 2023 RomCom NATO campaign (import hash 48b74a60...)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/RustyNoob-619/100-Days-of-YARA-2024/blob/main/Day32.yar"
        severity = "critical"
        hash = "1a7bb878c826fe0ca9a0677ed072ee9a57a228a09ee02b3c5bd00f54f354930f"
        no_sample = "hash of live malware"

    condition:
        uint16(0) == 0x5a4d and
        artifact_sha256 == "1a7bb878c826fe0ca9a0677ed072ee9a57a228a09ee02b3c5bd00f54f354930f"
}

rule RomCom_Published_Imphash
{
    meta:
        description = "PE whose import hash is one published for RomCom: the July 2023 NATO payload or an unprotected ROMCOM 3.0 component"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://www.trendmicro.com/en_us/research/23/e/void-rabisu-s-use-of-romcom-backdoor-shows-a-growing-shift-in-th.html"
        severity = "high"
        imphash = "48b74a60787e54387294ac125b7ed128, e505937470c5553c9280302686ce4f26, 55fa054cb4633efda89c942ce5be30ee, 55be9467bec03197155115e801a15149"
        no_sample = "an import hash cannot be met by an inert file without the malware's exact import list"

    condition:
        uint16(0) == 0x5a4d and (
            pe.imphash() == "48b74a60787e54387294ac125b7ed128" or
            pe.imphash() == "e505937470c5553c9280302686ce4f26" or
            pe.imphash() == "55fa054cb4633efda89c942ce5be30ee" or
            pe.imphash() == "55be9467bec03197155115e801a15149"
        )
}
