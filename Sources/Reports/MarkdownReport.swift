import Foundation
import MamoriCore

/// `--format markdown`: a summary, the posture metrics and the findings grouped by severity and
/// check, for pull requests, tickets and wikis. Every value is escaped: names come from the account.
public enum MarkdownReport {
    public static func render(_ input: ReportInput) -> Data {
        var out = "# Mamori report\n\nCollected \(ReportText.iso(input.generatedAt)) · mamori \(escape(input.toolVersion))\n\n"
        let failing = input.evaluation.failures
        out += "| Severity | Failing |\n|---|---:|\n"
        for severity in Severity.allCases.reversed() {
            out += "| \(severity.rawValue) | \(failing.filter { $0.severity == severity }.count) |\n"
        }
        out += "\n\(failing.count) failing, \(input.evaluation.findings.count - failing.count) passed, \(input.evaluation.muted.count) muted.\n"
        if let metrics = input.metrics {
            out += "\n## Posture metrics\n\nCompared with \(escape(metrics.source)).\n\n"
            out += "| Metric | This estate | Population | Verdict |\n|---|---|---|---|\n"
            for metric in metrics.metrics {
                out += "| \(escape(metric.title)) | \(escape(MetricsReport.ours(metric.value))) | "
                out += "\(MetricsReport.number(metric.population.percent))% of \(escape(metric.population.of)) | \(metric.verdict.rawValue) |\n"
            }
        }
        if let framework = input.compliance {
            out += ComplianceSummary(framework: framework, evaluation: input.evaluation).markdown(escape)
        }
        out += "\n## Findings\n"
        if input.findings.isEmpty { out += "\nNo failing findings.\n" }
        for severity in Severity.allCases.reversed() {
            let group = input.findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            out += "\n### \(severity.rawValue.capitalized) (\(group.count))\n"
            let byCheck = Dictionary(grouping: group, by: \.check)
            for check in byCheck.keys.sorted() {
                let items = byCheck[check] ?? []
                out += "\n#### \(escape(items[0].title)) — `\(check)` (\(items.count))\n\n"
                out += "**Fix:** \(escape(items[0].remediation))\n\n"
                out += "| Status | Account | Region | Resource | Message |\n|---|---|---|---|---|\n"
                for finding in items {
                    let resource = ConsoleLinks.url(for: finding, accounts: input.partitions).map { "[\(escape(finding.resource))](\($0))" } ?? escape(finding.resource)
                    out += "| \(finding.status.rawValue) | \(escape(finding.account)) | \(escape(finding.region)) | \(resource) | \(escape(finding.message)) |\n"
                }
            }
        }
        if !input.evaluation.muted.isEmpty {
            out += "\n## Muted\n\n| Check | Resource | Reason |\n|---|---|---|\n"
            for muted in input.evaluation.muted {
                out += "| `\(muted.finding.check)` | \(escape(muted.finding.resource)) | \(escape(muted.reason)) |\n"
            }
        }
        if !input.evaluation.expiredMutes.isEmpty {
            out += "\n## Expired mutes\n\nThese rules are past their `expires:` date and no longer mute; renew or remove them.\n\n"
            for expired in input.evaluation.expiredMutes { out += "- \(escape(expired.text))\n" }
        }
        let errors = input.evaluation.errors.sorted { $0.key < $1.key }.flatMap { account, list in list.map { (account, $0) } }
        if !errors.isEmpty {
            out += "\n## Not read (partial scan)\n\n| Account | Region | Call | Kind | Message |\n|---|---|---|---|---|\n"
            for (account, error) in errors {
                out += "| \(escape(account)) | \(escape(error.region)) | \(escape(error.service + ":" + error.operation)) | \(error.kind.rawValue) | \(escape(error.message)) |\n"
            }
        }
        return Data(out.utf8)
    }

    /// Neutralises control characters (TerminalText), Markdown and inline HTML: the report is read
    /// on terminals as well as rendered.
    static func escape(_ text: String) -> String { TerminalText.markdown(text) }
}
