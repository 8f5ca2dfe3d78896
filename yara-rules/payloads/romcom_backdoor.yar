/*
 * payloads/romcom_backdoor.yar - the RomCom backdoor DLL by its PE traits.
 *
 * Facts (research notes §2): 2022 builds export startFile and startInet and
 * carry the module names comDll.dll (ASCII) and combase32.dll (UTF-16LE);
 * the payload linked to the July 2023 NATO campaign holds its C2 URL
 * http://finformservice.com:80/api/v1.5/subscription?token= as a literal
 * UTF-16LE string. The C2 host itself is in romcom/hosts.yar; here we key on
 * the URL's path and query, which is the payload's own (so a build pointing
 * elsewhere still hits).
 */
import "pe"

rule RomCom_Backdoor_StartFile_StartInet
{
    meta:
        description = "RomCom backdoor DLL: exports startFile and startInet, and names comDll.dll (ASCII) or combase32.dll (UTF-16LE)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1218.011"

    strings:
        $comdll = "comDll.dll" ascii
        $combase = "combase32.dll" wide

    condition:
        uint16(0) == 0x5a4d and
        pe.exports("startFile") and pe.exports("startInet") and
        any of ($comdll, $combase)
}

rule RomCom_ComDll_Combase32_Strings
{
    meta:
        description = "PE naming both comDll.dll (ASCII) and combase32.dll (UTF-16LE), module names of RomCom backdoor builds"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "high"

    strings:
        $comdll = "comDll.dll" ascii
        $combase = "combase32.dll" wide

    condition:
        uint16(0) == 0x5a4d and pe.is_pe and $comdll and $combase
}

rule RomCom_Payload_C2_Path_Wide
{
    meta:
        description = "PE holding the UTF-16LE C2 URL path :80/api/v1.5/subscription?token= of the July 2023 RomCom UWC/NATO payload"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/roadwy/DefenderYara"
        severity = "critical"
        attack = "T1071.001"

    strings:
        $path = ":80/api/v1.5/subscription?token=" wide

    condition:
        uint16(0) == 0x5a4d and pe.is_pe and $path
}
