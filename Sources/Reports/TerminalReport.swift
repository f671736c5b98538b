import Checks
import Foundation
import Inventory
import MamoriCore

/// The default human report: a table of findings, muted findings with their reasons, and what
/// could not be read. Every value from the account (names, messages, mute reasons, error text)
/// goes through `TerminalText`: only the severity colours are ours to send as escape codes.
public struct TerminalReport: Sendable {
    public var color: Bool
    public var width: Int

    public init(color: Bool, width: Int = 120) {
        self.color = color
        self.width = max(60, width)
    }

    public func render(_ evaluation: Evaluation, findings: [Finding]) -> String {
        let safe = TerminalText.sanitize
        var out = ""
        if findings.isEmpty {
            out += "No failing findings.\n"
        } else {
            let rows = findings.map { [label($0), safe($0.check), safe($0.region), shorten(safe($0.resource), 48), safe($0.message)] }
            out += table(header: ["SEVERITY", "CHECK", "REGION", "RESOURCE", "MESSAGE"], rows: rows)
        }
        let failing = evaluation.failures
        let counts = Severity.allCases.reversed().compactMap { severity -> String? in
            let count = failing.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)"
        }
        out += "\n\(failing.count) failing finding(s)\(counts.isEmpty ? "" : ": " + counts.joined(separator: ", "))"
        out += "; \(evaluation.findings.count - failing.count) passed; \(evaluation.muted.count) muted.\n"
        if !evaluation.accounts.isEmpty {
            let rollup = AccountRollup(evaluation)
            func line(_ row: AccountRollup.Row, name: String) -> String {
                let worst = row.worst.map { ", worst \($0.rawValue)" } ?? ""
                return "  \(name): \(row.failing) failing\(worst)" + (row.unread > 0 ? "; \(row.unread) part(s) not read\n" : "\n")
            }
            out += "\nPer account:\n"
            for row in rollup.accounts {
                out += line(row, name: "\(safe(row.key)) \(evaluation.accounts[row.key].map { "\(safe($0.name)) [\(safe($0.ouPath))]" } ?? "")")
            }
            if !rollup.ous.isEmpty {
                out += "\nPer OU (accounts in it and below):\n"
                for row in rollup.ous { out += line(row, name: "\(safe(row.key)) (\(safe(row.label)))") }
            }
        }
        if !evaluation.muted.isEmpty {
            out += "\nMuted:\n"
            for muted in evaluation.muted {
                out += "  \(safe(muted.finding.check)) \(safe(muted.finding.resource)): \(safe(muted.reason))\n"
            }
        }
        if !evaluation.expiredMutes.isEmpty {
            out += "\nExpired mutes (no longer muting; renew or remove them in mamori.yml):\n"
            for expired in evaluation.expiredMutes { out += "  \(safe(expired.text))\n" }
        }
        let errors = evaluation.errors.sorted { $0.key < $1.key }.flatMap { account, list in list.map { (account, $0) } }
        if !errors.isEmpty {
            out += "\nPartial scan: \(errors.count) part(s) could not be read:\n"
            for (account, error) in errors {
                let resource = error.resource.map { " \(safe($0))" } ?? ""
                out += "  [\(error.kind.rawValue)] \(safe(account)) \(safe(error.region)) \(safe(error.service)):\(safe(error.operation))\(resource): \(safe(error.message))\n"
            }
        }
        return out
    }

    func label(_ finding: Finding) -> String {
        let text = finding.status == .fail ? finding.severity.rawValue : finding.status.rawValue
        guard color else { return text }
        let code = switch (finding.status, finding.severity) {
        case (.pass, _): "32"
        case (.muted, _): "2"
        case (_, .critical): "1;31"
        case (_, .high): "31"
        case (_, .medium): "33"
        case (_, .low): "36"
        case (_, .info): "37"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    func shorten(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : "…" + text.suffix(limit - 1)
    }

    /// Column widths from the content; the last column takes what is left and wraps.
    func table(header: [String], rows: [[String]]) -> String {
        let visible: (String) -> Int = { text in
            text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated().dropLast() { widths[i] = max(widths[i], visible(cell)) } }
        let fixed = widths.dropLast().reduce(0, +) + 2 * (widths.count - 1)
        let last = max(30, width - fixed)
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated().dropLast() {
                parts.append(cell + String(repeating: " ", count: widths[i] - visible(cell)))
            }
            let wrapped = wrap(cells.last ?? "", last)
            let indent = String(repeating: " ", count: fixed)
            return parts.joined(separator: "  ") + "  " + wrapped.joined(separator: "\n" + indent) + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + word.count + 1 > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
