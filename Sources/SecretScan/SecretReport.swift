import Foundation
import MamoriCore

/// Renders findings as a table, JSON or SARIF. Every format shows secrets redacted only.
public enum SecretReport {
    /// The JSON array documented in docs/secrets.md.
    public static func json(_ findings: [SecretFinding]) throws -> String {
        try StableJSON.text(findings)
    }

    /// SARIF 2.1.0 for code-scanning UIs; one rule per finding type.
    public static func sarif(_ findings: [SecretFinding], version: String) throws -> String {
        let rules = SecretFindingType.allCases.map { t in
            SarifRule(id: "mamori-secrets/\(t.rawValue)", name: t.title, shortDescription: "\(t.title) in plain text",
                      help: "Deactivate the key in IAM, check CloudTrail for its use, then remove it from the file and history "
                          + "(`mamori respond leaked-key`).", level: .error, severity: .critical, tags: ["secrets", "aws"])
        }
        let results = findings.map { f in
            SarifResult(ruleId: "mamori-secrets/\(f.type.rawValue)", level: f.confidence == .low ? .warning : .error,
                        message: message(f), file: f.file, line: f.line, column: f.column, fingerprint: f.fingerprint)
        }
        let log = SarifLog(runs: [SarifRun(toolName: "mamori secrets", version: version, rules: rules, results: results)])
        return String(decoding: try log.encoded(), as: UTF8.self) + "\n"
    }

    /// One-line description used by SARIF and the table.
    static func message(_ f: SecretFinding) -> String {
        var parts = [f.type.title]
        if let k = f.keyId { parts.append(k) }
        if let a = f.account { parts.append("account \(a)" + (f.accountOwner.map { " (\($0))" } ?? "")) }
        if let b = f.accountBelongsTo { parts.append(b) }
        if let s = f.secret { parts.append("secret \(s.redacted)") }
        if f.sessionToken != nil { parts.append("with session token") }
        if let c = f.canary { parts.append("CANARY (\(c.service)): do not use it, it alerts its owner") }
        if f.trusted { parts.append("trusted account") }
        if let g = f.git { parts.append("commit \(g.commit.prefix(12)) by \(g.author) on \(g.date)") }
        return parts.joined(separator: ", ")
    }

    /// A plain table for terminals.
    public static func table(_ findings: [SecretFinding]) -> String {
        guard !findings.isEmpty else { return "No AWS credentials found.\n" }
        let header = ["LOCATION", "TYPE", "KEY ID", "ACCOUNT", "SECRET", "CONFIDENCE", "NOTES"]
        let rows: [[String]] = findings.map { f in
            var notes: [String] = []
            if f.paired { notes.append("paired") }
            if f.sessionToken != nil { notes.append("session token \(f.sessionToken!.redacted)") }
            if let c = f.canary { notes.append("CANARY: \(c.service), do not use") }
            if f.trusted { notes.append("trusted account") }
            if let owner = f.accountOwner { notes.append("account of \(owner)") }
            if let b = f.accountBelongsTo { notes.append(b) }
            if let g = f.git { notes.append("commit \(g.commit.prefix(12)) \(g.author) \(g.date)") }
            if let v = f.verification {
                notes.append("verify: \(v.status)" + (v.arn.map { " \($0)" } ?? "") + (v.detail.map { " (\($0))" } ?? ""))
            }
            // File and archive member names, git authors and verification details come from
            // outside: every cell goes through TerminalText.
            return ["\(f.file):\(f.line):\(f.column)", f.type.rawValue, f.keyId ?? "-", f.account ?? "-",
                    f.secret?.redacted ?? "-", f.confidence.rawValue, notes.joined(separator: "; ")].map(TerminalText.sanitize)
        }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < header.count - 1 { widths[i] = max(widths[i], c.count) } }
        func render(_ r: [String]) -> String {
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([render(header)] + rows.map(render)).joined(separator: "\n") + "\n"
    }
}
