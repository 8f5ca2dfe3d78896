/*
 * techniques/motw_search_ms.yar - search-ms: / search: URIs that open a
 * remote location (Mark-of-the-Web bypass; CVE-2023-36884 used one).
 *
 * A search-ms: (or search:) query with crumb=location:\\host\share makes
 * Explorer show a remote share's files as a local search; lures use it to
 * get a ZIP extracted without the mark of the web, or to make a remote
 * executable look local.
 */

rule Technique_SearchMS_Remote_Location
{
    meta:
        description = "search-ms: or search: URI whose crumb points at a remote UNC location (MotW bypass / remote file lure)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1553/005/"
        severity = "high"
        attack = "T1553.005, T1204.001"
        cve = "CVE-2023-36884"

    strings:
        $uri = /search(-ms)?:[^"'<>\s]{0,256}crumb=location:(\\\\|%5c%5c|\/\/)/ ascii wide nocase

    condition:
        $uri
}
