/// What a file is, decided from its name (and, for extension-less scripts, its first line).
public enum IaCFileKind: Sendable, Equatable {
    case terraform, terraformJSON, variableValues, packerHCL, otherHCL, hclJSON, jsonCandidate
    case shell, makefile, dockerfile, yaml
    case code(CodeLanguage)

    /// Directories never worth scanning: VCS data, dependency trees, caches and generated output.
    public static let skippedDirectories: Set<String> = [
        ".git", ".hg", ".svn", "node_modules", ".terraform", ".terragrunt-cache", "vendor", ".venv", "venv",
        "__pycache__", ".tox", ".mypy_cache", "site-packages", "cdk.out", ".serverless", "bower_components",
    ]

    /// The kind for a file name, or nil when the scanner has no rule for it.
    public static func classify(name: String) -> IaCFileKind? {
        let lower = name.lowercased()
        func ends(_ suffixes: String...) -> Bool { suffixes.contains { lower.hasSuffix($0) } }
        if ends(".tf") { return .terraform }
        if ends(".tf.json") { return .terraformJSON }
        if lower == "terraform.tfvars" || ends(".auto.tfvars", ".auto.pkrvars.hcl") { return .variableValues }
        if ends(".pkr.hcl") { return .packerHCL }
        if ends(".pkrvars.hcl", ".tfvars") { return nil }  // only auto-loaded value files are known to apply
        if ends(".hcl") { return .otherHCL }
        if ends(".pkr.json") { return .hclJSON }
        if ends(".json") { return .jsonCandidate }
        if ends(".sh", ".bash", ".zsh", ".ksh", ".envrc") || lower == "jenkinsfile" { return .shell }
        if lower == "makefile" || lower == "gnumakefile" || ends(".mk", ".make") { return .makefile }
        if lower.hasPrefix("dockerfile") || lower.hasPrefix("containerfile") || ends(".dockerfile") { return .dockerfile }
        if ends(".yml", ".yaml") { return .yaml }
        if ends(".py") { return .code(.python) }
        if ends(".d.ts") { return nil }
        if ends(".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts") { return .code(.typeScript) }
        if ends(".go") { return .code(.go) }
        if ends(".cs") { return .code(.csharp) }
        return nil
    }

    /// Extension-less executables: `#!/bin/sh`, `#!/usr/bin/env bash`, ...
    static func isShellShebang(_ firstLine: Substring) -> Bool {
        guard firstLine.hasPrefix("#!") else { return false }
        return ["sh", "bash", "zsh", "ksh", "dash"].contains { firstLine.hasSuffix("/" + $0) || firstLine.hasSuffix(" " + $0) }
    }

    var isHCLFamily: Bool {
        switch self {
        case .terraform, .terraformJSON, .variableValues, .packerHCL, .otherHCL, .hclJSON, .jsonCandidate: return true
        default: return false
        }
    }
}
