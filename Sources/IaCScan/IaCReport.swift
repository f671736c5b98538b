import Foundation
import MamoriCore

/// Output formats of `mamori iac`.
public enum IaCOutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif
}

extension IaCScanResult {
    /// The same result without findings below `minimum`.
    public func filtered(minimum: Severity) -> IaCScanResult {
        var copy = self
        copy.findings = findings.filter { $0.severity >= minimum }
        return copy
    }
}

/// Renders scan results for terminals, scripts and code-scanning UIs.
public enum IaCReport {
    /// Terminal text: one block per finding (`file:line:col  rule  severity`, message, fix), then
    /// parse errors and skipped files, then a one-line summary.
    /// File names, labels and values come from the scanned tree: each goes through `TerminalText`.
    public static func text(_ result: IaCScanResult) -> String {
        let safe = TerminalText.sanitize
        var out = ""
        for f in result.findings {
            out += "\(safe(f.file)):\(f.line):\(f.column)  \(safe(f.rule))  \(f.severity.rawValue.uppercased())  \(safe(f.resource))\n"
            out += "    \(safe(f.message))\n"
            out += "    fix: \(safe(f.fix))\n\n"
        }
        if !result.errors.isEmpty {
            out += "Files that could not be scanned (fix them, or the result is incomplete):\n"
            for e in result.errors { out += "  \(safe(e.display))\n" }
            out += "\n"
        }
        if !result.skipped.isEmpty {
            out += "Skipped:\n"
            for e in result.skipped { out += "  \(safe(e.display))\n" }
            out += "\n"
        }
        var counts: [String] = []
        for severity in Severity.allCases.reversed() {
            let n = result.findings.filter { $0.severity == severity }.count
            if n > 0 { counts.append("\(n) \(severity.rawValue)") }
        }
        let noun = result.findings.count == 1 ? "finding" : "findings"
        out += "\(result.findings.count) \(noun)"
        if !counts.isEmpty { out += " (\(counts.joined(separator: ", ")))" }
        out += " in \(result.filesScanned) scanned file\(result.filesScanned == 1 ? "" : "s")"
        if !result.suppressed.isEmpty { out += "; \(result.suppressed.count) suppressed by mamori:ignore" }
        if !result.errors.isEmpty { out += "; \(result.errors.count) file\(result.errors.count == 1 ? "" : "s") with errors" }
        out += ".\n"
        return out
    }

    /// Pretty JSON with sorted keys: `findings`, `errors`, `skipped`, `filesScanned`.
    public static func json(_ result: IaCScanResult) throws -> Data {
        try StableJSON.encode(result)
    }

    /// SARIF 2.1.0 with one rule entry per `IAC-AMI-*` rule and one result per finding.
    public static func sarif(_ result: IaCScanResult, toolVersion: String) throws -> Data {
        let rules = IaCRule.all.map { rule in
            SarifRule(id: rule.id, name: rule.title, shortDescription: rule.title, fullDescription: rule.description,
                      help: "Pin the AMI owner (owners / --owners / Owners) to your own account, \"amazon\", or the publisher's account ID, or read the AMI ID from an SSM public parameter.",
                      level: .error, severity: .high, tags: ["iac", "whoami"])
        }
        let results = result.findings.map { f in
            SarifResult(ruleId: f.rule, level: SarifLevel(f.severity), message: "\(f.message) Fix: \(f.fix)",
                        file: sarifURI(f.file), line: f.line, column: f.column,
                        fingerprint: "\(f.rule):\(sarifURI(f.file)):\(f.resource)")
        }
        let log = SarifLog(runs: [SarifRun(toolName: "mamori", version: toolVersion, rules: rules, results: results)])
        return try log.encoded()
    }

    /// SARIF viewers resolve relative URIs against the repository root; `./` adds nothing.
    static func sarifURI(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p
    }
}
