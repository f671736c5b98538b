import Foundation
import MamoriCore

/// Every finding format, with the file name it gets under `--output-dir`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json, sarif, ocsf, asff, csv, markdown, html

    public var fileName: String {
        switch self {
        case .table: "findings.txt"
        case .json: "findings.json"
        case .sarif: "findings.sarif"
        case .ocsf: "findings.ocsf.json"
        case .asff: "findings.asff.json"
        case .csv: "findings.csv"
        case .markdown: "findings.md"
        case .html: "report.html"
        }
    }

    /// Renders one format. `table` is the terminal report (colour off unless asked).
    public func render(_ input: ReportInput, color: Bool = false, width: Int = 140) throws -> Data {
        switch self {
        case .table: Data(TerminalReport(color: color, width: width).render(input.evaluation, findings: input.findings).utf8)
        case .json: try JSONReport.render(input)
        case .sarif: try SarifReport.render(input)
        case .ocsf: try OCSFReport.render(input)
        case .asff: try ASFFReport.render(input)
        case .csv: CSVReport.render(input)
        case .markdown: MarkdownReport.render(input)
        case .html: try HTMLReport.render(input)
        }
    }
}
