/*
 * techniques/follina.yar - CVE-2022-30190 ("Follina", ms-msdt).
 *
 * Stage 1, an OOXML document: word/_rels/document.xml.rels has an external
 * oleObject relationship whose Target ends in "!" (http://host/x.html!),
 * which makes Word load the page through MSHTML; or the Target is an
 * ms-msdt: URL outright. Stage 2, the HTML page: it sets location.href to
 * an ms-msdt: URL running the PCWDiagnostic troubleshooter with
 * IT_BrowseForFile / IT_RebrowseForFile parameters.
 */

rule Technique_Follina_OleObject_Rels
{
    meta:
        description = "Relationships part with an external oleObject relationship whose target ends in '!' or uses ms-msdt: (CVE-2022-30190 Follina)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://doublepulsar.com/follina-a-microsoft-office-code-execution-vulnerability-1a47fce5629e"
        severity = "critical"
        attack = "T1203, T1221"
        cve = "CVE-2022-30190"

    strings:
        $oleobject = "/relationships/oleObject" nocase
        $external = /TargetMode=["']External["']/ nocase
        $bang = /Target=["'][a-z]{2,8}:[^"']{1,1024}!["']/ nocase
        $msdt = /Target=["']ms-msdt:/ nocase

    condition:
        artifact_kind == "rels" and $oleobject and $external and any of ($bang, $msdt)
}

rule Technique_Follina_MSDT_HTML
{
    meta:
        description = "Page or script that opens an ms-msdt: URL with the PCWDiagnostic troubleshooter (CVE-2022-30190 Follina second stage)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/chvancooten/follina.py"
        severity = "critical"
        attack = "T1203, T1218"
        cve = "CVE-2022-30190"

    strings:
        $msdt = "ms-msdt:" ascii wide nocase
        $pcw = "PCWDiagnostic" ascii wide nocase
        $browse1 = "IT_BrowseForFile" ascii wide nocase
        $browse2 = "IT_RebrowseForFile" ascii wide nocase

    condition:
        artifact_kind != "rels" and $msdt and $pcw and any of ($browse*)
}
