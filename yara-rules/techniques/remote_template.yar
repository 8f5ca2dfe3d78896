/*
 * techniques/remote_template.yar - remote template injection (T1221).
 *
 * word/_rels/settings.xml.rels holds a relationship of type
 * .../relationships/attachedTemplate with TargetMode="External" whose Target
 * is http(s), a UNC path (\\host\share) or a file: URL naming a host
 * (file://host/..., file:////host/...); Word fetches the template (and its
 * macros, or an NTLM handshake) when the document opens. A file:/// URL
 * or a drive path is local: Office writes those for ordinary templates.
 * The rule looks at relationships parts only (artifact_kind "rels") and
 * wants the type and the remote target inside one <Relationship> element,
 * in either attribute order, quoted either way.
 */

rule Technique_Remote_Template_Injection
{
    meta:
        description = "OOXML relationships part with an external attachedTemplate relationship to an http(s), UNC or file://host target (remote template injection)"
        author = "lurescan"
        date = "2026-11-25"
        reference = "https://attack.mitre.org/techniques/T1221/"
        severity = "high"
        attack = "T1221"

    strings:
        $type_first = /attachedTemplate["'][^>]{0,512}Target=["'](https?:|\\\\|file:\/\/[^\/]|file:\/\/\/\/)/ nocase
        $target_first = /Target=["'](https?:|\\\\|file:\/\/[^\/]|file:\/\/\/\/)[^"']{1,1024}["'][^>]{0,512}\/attachedTemplate["']/ nocase
        $external = /TargetMode=["']External["']/ nocase

    condition:
        artifact_kind == "rels" and $external and any of ($type_first, $target_first)
}
