/*
 * romcom/hosts.yar - published infrastructure of the RomCom campaigns.
 *
 * These are real indicators (re-fanged from the research notes, which keep
 * them defanged). They are only ever matched here, never contacted. The
 * sample set carries documentation addresses only, so no sample can hit
 * these rules: each says so in `no_sample`, and the unit tests check them
 * on in-memory buffers instead.
 *
 * IPs and domains are `fullword`, so 174.50.94.156 or
 * xfinformservice.com do not match; UTF-16LE too, as monikers and the
 * payload store URLs wide.
 */

rule RomCom_NATO_Stage_Hosts
{
    meta:
        description = "SMB (104.234.239.26) or HTTP (74.50.94.156) stage host of the July 2023 RomCom UWC/NATO chain"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1105"
        cve = "CVE-2023-36884"
        no_sample = "real infrastructure: the sample set holds documentation addresses only"

    strings:
        $smb = "104.234.239.26" ascii wide fullword
        $http = "74.50.94.156" ascii wide fullword

    condition:
        any of them
}

rule RomCom_NATO_C2_Hosts
{
    meta:
        description = "C2 of the July 2023 RomCom UWC/NATO payload: finformservice.com or 65.21.27.250"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/blackberry/threat-research-and-intelligence"
        severity = "critical"
        attack = "T1071.001"
        no_sample = "real infrastructure: the sample set holds documentation addresses only"

    strings:
        $domain = "finformservice.com" ascii wide nocase fullword
        $ip = "65.21.27.250" ascii wide fullword

    condition:
        any of them
}

rule RomCom_UWC_Lookalike_Domain
{
    meta:
        description = "ukrainianworldcongress.info, the look-alike of the Ukrainian World Congress site that served the July 2023 RomCom lures"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://ukrainianworldcongress.org/source-of-cyberattack-on-uwc-identified"
        severity = "high"
        attack = "T1583.001"
        no_sample = "real infrastructure: the sample set holds documentation addresses only"

    strings:
        $domain = "ukrainianworldcongress.info" ascii wide nocase fullword

    condition:
        $domain
}

rule RomCom_Lite_2023_Domains
{
    meta:
        description = "Look-alike and C2 domains of the later RomCom 4.0 (ROMCOMLITE/PEAPOD) campaign, Aug-Oct 2023"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://blogs.infoblox.com/threat-intelligence/dns-early-detection-romcom"
        severity = "high"
        attack = "T1583.001, T1071.001"
        no_sample = "real infrastructure: the sample set holds documentation addresses only"

    strings:
        $d1 = "wplsummit.com" ascii wide nocase fullword
        $d2 = "mctelemetryzone.com" ascii wide nocase fullword
        $d3 = "redditanalytics.pm" ascii wide nocase fullword
        $d4 = "netstaticsinformation.com" ascii wide nocase fullword

    condition:
        any of them
}
