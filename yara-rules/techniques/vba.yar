/*
 * techniques/vba.yar - VBA macros that download or run something.
 *
 * Until the VBA analyser hands module sources on as artifacts, the rule
 * reads the streams as stored. "Attribute VB_" opens every module and
 * survives MS-OVBA compression as literal bytes; Declare'd API names
 * (URLDownloadToFile) and COM ProgIDs (WScript.Shell, MSXML2.XMLHTTP,
 * ADODB.Stream) are kept in clear in the project's p-code and
 * identifier tables. A decompressed module (a .bas) matches the same way.
 */

rule Technique_VBA_Downloader
{
    meta:
        description = "VBA module that downloads a file or starts a program (URLDownloadToFile, WScript.Shell, Shell(), MSXML2.XMLHTTP with ADODB.Stream)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1059/005/"
        severity = "high"
        attack = "T1059.005, T1105"

    strings:
        $vba = "Attribute VB_" ascii
        $dl1 = "URLDownloadToFile" ascii nocase
        $dl2 = "MSXML2.XMLHTTP" ascii nocase
        $dl3 = "WinHttp.WinHttpRequest" ascii nocase
        $save = "ADODB.Stream" ascii nocase
        $run1 = "WScript.Shell" ascii nocase
        $run2 = /\bShell\s{0,8}\(/ ascii nocase
        $run3 = "ShellExecute" ascii nocase
        $obj = "CreateObject" ascii nocase

    condition:
        $vba and (
            $dl1 or
            (any of ($dl2, $dl3) and ($save or any of ($run*))) or
            ($obj and $run1)
        )
}
