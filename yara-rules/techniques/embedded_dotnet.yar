/*
 * techniques/embedded_dotnet.yar - .NET assemblies inside documents.
 *
 * Loaders increasingly ship as .NET assemblies dropped from document
 * objects or packages. A .NET PE (a CLI header whose metadata root has the
 * BSJB signature, as libyara's dotnet module checks) that is not the input
 * itself but something unpacked from it is worth a look on its own.
 */
import "dotnet"

rule Technique_Embedded_DotNet_Assembly
{
    meta:
        description = ".NET assembly unpacked from inside another file (a document object, package or archive member)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1204/002/"
        severity = "medium"
        attack = "T1204.002"

    condition:
        artifact_kind == "pe" and artifact_depth > 0 and dotnet.is_dotnet == 1
}
