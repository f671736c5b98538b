import Foundation
import MamoriCore

/// `--format csv`: RFC 4180 (CRLF, quoted when needed), one row per finding, safe to open in a
/// spreadsheet: cells that would start a formula are prefixed with a quote.
public enum CSVReport {
    public static let header = ["check", "title", "severity", "status", "account", "region", "resource", "resourceType", "message", "remediation"]

    public static func render(_ findings: [Finding]) -> Data {
        render(findings, reason: { _ in nil })
    }

    /// With muted findings shown (`--all`), a `mutedReason` column follows the ten.
    public static func render(_ input: ReportInput) -> Data {
        render(input.findings, reason: input.muteReason)
    }

    static func render(_ findings: [Finding], reason: (Finding) -> String?) -> Data {
        let withReasons = findings.contains { $0.status == .muted }
        var out = row(withReasons ? header + ["mutedReason"] : header)
        for finding in findings {
            var cells = [finding.check, finding.title, finding.severity.rawValue, finding.status.rawValue, finding.account,
                         finding.region, finding.resource, finding.resourceType, finding.message, finding.remediation]
            if withReasons { cells.append(reason(finding) ?? "") }
            out += row(cells)
        }
        return Data(out.utf8)
    }

    static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// Neutralises formulas (= + - @, and tab/CR that some spreadsheets strip first), then quotes.
    static func cell(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
