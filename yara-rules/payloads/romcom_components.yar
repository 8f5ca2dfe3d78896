/*
 * payloads/romcom_components.yar - RomCom loaders, droppers and workers
 * (2022-2023 builds) by their export shapes, resources and strings.
 *
 * Facts (research notes §2, from vendor rules described there, written
 * again here from the facts):
 *   - worker: a DLL whose only export is Main, with the API names
 *     UpdateProcThreadAttribute, WriteFile, GetAdaptersAddresses,
 *     SetHandleInformation, PeekNamedPipe and zlib's "inflate x.y.z
 *     Copyright" banner;
 *   - dropper: a DLL whose only export is Main, with the UTF-16LE registry
 *     roots \REGISTRY\MACHINE\SOFTWARE\Classes and \REGISTRY\USER, a resource
 *     of type "BINARY", and "POST"; droppers carry their payload as a BINARY
 *     resource that starts with "MZ", next to the string ".dll\0Main";
 *   - STEALDEAL stealer: an x64 DLL whose only export is "stub", naming
 *     stealDll.dll;
 *   - proxy loaders: every export forwarded, at least two of them to
 *     <dll>.DllCanUnloadNow / .DllGetClassObject; or the PSFactoryBuffer
 *     proxy shape (DllCanUnloadNow, DllGetClassObject, DllRegisterServer,
 *     DllUnregisterServer, GetProxyDllInfo) with an export forwarded to a
 *     "...Dll..." name.
 * The persistence key (PSFactoryBuffer COM hijack) is in
 * romcom_persistence.yar, which imports no module so it sees every
 * artifact, not only PE files.
 * pe.resources[i].type_string holds a resource type's name as stored, in
 * UTF-16LE, hence "B\x00I\x00...".
 */
import "pe"

rule RomCom_Worker_Main_Export
{
    meta:
        description = "RomCom worker DLL: single export Main, with UpdateProcThreadAttribute, GetAdaptersAddresses, SetHandleInformation, PeekNamedPipe, WriteFile and a zlib inflate banner"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/CAPESandbox/community/blob/master/data/yara/CAPE/RomCom.yar"
        severity = "high"

    strings:
        $api1 = "UpdateProcThreadAttribute" ascii
        $api2 = "GetAdaptersAddresses" ascii
        $api3 = "SetHandleInformation" ascii
        $api4 = "PeekNamedPipe" ascii
        $api5 = "WriteFile" ascii
        $zlib = /inflate [0-9]\.[0-9]{1,2}(\.[0-9]{1,2})? Copyright/ ascii

    condition:
        uint16(0) == 0x5a4d and
        pe.number_of_exports == 1 and pe.exports("Main") and
        all of ($api*) and $zlib
}

rule RomCom_Dropper_Main_Export
{
    meta:
        description = "RomCom dropper DLL: single export Main, UTF-16LE \\REGISTRY\\MACHINE\\SOFTWARE\\Classes and \\REGISTRY\\USER, POST, and a BINARY resource"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/CAPESandbox/community/blob/master/data/yara/CAPE/RomCom.yar"
        severity = "high"
        attack = "T1546.015"

    strings:
        $hklm = "\\REGISTRY\\MACHINE\\SOFTWARE\\Classes" wide
        $hkcu = "\\REGISTRY\\USER" wide
        $post = "POST" ascii fullword

    condition:
        uint16(0) == 0x5a4d and
        pe.number_of_exports == 1 and pe.exports("Main") and
        all of them and
        for any i in (0 .. pe.number_of_resources - 1) : (
            pe.resources[i].type_string == "B\x00I\x00N\x00A\x00R\x00Y\x00"
        )
}

rule RomCom_Dropper_BINARY_MZ_Resource
{
    meta:
        description = "RomCom dropper: a BINARY resource that starts with MZ (the embedded payload) and the string .dll\\0Main"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://www.trendmicro.com/en_us/research/23/e/void-rabisu-s-use-of-romcom-backdoor-shows-a-growing-shift-in-th.html"
        severity = "high"
        attack = "T1027.009"

    strings:
        $dllmain = ".dll\x00Main\x00" ascii

    condition:
        uint16(0) == 0x5a4d and $dllmain and
        for any i in (0 .. pe.number_of_resources - 1) : (
            pe.resources[i].type_string == "B\x00I\x00N\x00A\x00R\x00Y\x00" and
            pe.resources[i].length > 64 and
            uint16(pe.resources[i].offset) == 0x5a4d
        )
}

rule RomCom_STEALDEAL_Stub_Export
{
    meta:
        description = "RomCom STEALDEAL stealer: x64 DLL whose single export is stub, naming stealDll.dll"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://www.trendmicro.com/en_us/research/23/e/void-rabisu-s-use-of-romcom-backdoor-shows-a-growing-shift-in-th.html"
        severity = "high"
        attack = "T1555"

    strings:
        $name = "stealDll.dll" ascii wide

    condition:
        uint16(0) == 0x5a4d and pe.is_64bit() and
        pe.number_of_exports == 1 and pe.exports("stub") and $name
}

rule RomCom_Proxy_Loader_Forwarded_COM_Exports
{
    meta:
        description = "RomCom proxy loader DLL: every export forwarded to another module, at least two of them to DllCanUnloadNow / DllGetClassObject"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://www.trendmicro.com/en_us/research/23/e/void-rabisu-s-use-of-romcom-backdoor-shows-a-growing-shift-in-th.html"
        severity = "high"
        attack = "T1574.001"

    condition:
        uint16(0) == 0x5a4d and pe.number_of_exports >= 2 and
        for all i in (0 .. pe.number_of_exports - 1) : (
            defined pe.export_details[i].forward_name
        ) and
        for 2 i in (0 .. pe.number_of_exports - 1) : (
            pe.export_details[i].forward_name matches /\.Dll(CanUnloadNow|GetClassObject)$/
        )
}

rule RomCom_Proxy_Loader_GetProxyDllInfo
{
    meta:
        description = "RomCom loader with the COM proxy DLL export set (DllCanUnloadNow, DllGetClassObject, DllRegisterServer, DllUnregisterServer, GetProxyDllInfo) and an export forwarded to a ...Dll... name"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://github.com/CAPESandbox/community/blob/master/data/yara/CAPE/RomCom.yar"
        severity = "high"
        attack = "T1574.001"

    condition:
        uint16(0) == 0x5a4d and
        pe.exports("DllCanUnloadNow") and pe.exports("DllGetClassObject") and
        pe.exports("DllRegisterServer") and pe.exports("DllUnregisterServer") and
        pe.exports("GetProxyDllInfo") and
        for any i in (0 .. pe.number_of_exports - 1) : (
            pe.export_details[i].forward_name matches /Dll/
        )
}
