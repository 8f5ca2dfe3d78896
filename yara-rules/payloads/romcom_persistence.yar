/*
 * payloads/romcom_persistence.yar - RomCom's COM-hijack persistence.
 *
 * RomCom registers its loader as the in-process server of the
 * PSFactoryBuffer class {C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6} under
 * HKCU/HKLM\Software\Classes\CLSID\{...}\InProcServer32, whose real server
 * is %windir%\System32\ActXPrxy.dll (BlackBerry's Sigma rule). The CLSID
 * next to InProcServer32 in a dropper, a script or a .reg file inside a
 * document is that key being written. This file imports no module, so it
 * runs on every artifact (see rules.h: files importing pe run on PE files
 * only).
 */

rule RomCom_PSFactoryBuffer_COM_Hijack
{
    meta:
        description = "Names the PSFactoryBuffer CLSID {C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6} with InProcServer32, the COM hijack RomCom uses for persistence"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/SigmaHQ/sigma/blob/master/rules/windows/registry/registry_set/registry_set_persistence_comhijack_psfactorybuffer.yml"
        severity = "high"
        attack = "T1546.015"

    strings:
        $clsid = "C90250F3-4D7D-4991-9B69-A5C5BC1C2AE6" ascii wide nocase
        $server = "InProcServer32" ascii wide nocase

    condition:
        $clsid and $server
}
