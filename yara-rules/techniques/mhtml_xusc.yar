/*
 * techniques/mhtml_xusc.yar - CVE-2021-40444 (MSHTML ActiveX via OOXML).
 *
 * An external oleObject or attachedTemplate relationship whose Target is
 * "mhtml:http://host/x.html!x-usc:http://host/y.html": the mhtml: handler
 * plus the x-usc: moniker made Word fetch and render an attacker page that
 * then installed a CAB-packed ActiveX control.
 */

rule Technique_MHTML_XUSC_Target
{
    meta:
        description = "mhtml: URL with an !x-usc: part (CVE-2021-40444 MSHTML remote code execution through an OOXML relationship)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/Neo23x0/signature-base/blob/master/yara/expl_cve_2021_40444.yar"
        severity = "critical"
        attack = "T1203"
        cve = "CVE-2021-40444"

    strings:
        $target = /mhtml:[^"'<>\s]{1,1024}!x-usc:/ ascii wide nocase

    condition:
        $target
}
