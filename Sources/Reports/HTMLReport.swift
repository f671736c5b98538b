import Foundation
import Checks
import MamoriCore

/// `--format html`: one self-contained page (inline CSS, JS and SVG; nothing fetched at view time).
/// Summary, charts, metrics and errors are rendered here, escaped; the findings travel as one JSON
/// block that the page's script filters and paginates, so 50,000 findings never become 50,000 DOM rows.
public enum HTMLReport {
    /// Rows the page renders at a time.
    public static let pageSize = 100

    public static func render(_ input: ReportInput) throws -> Data {
        let failing = input.evaluation.failures
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>Mamori report \(escape(ReportText.iso(input.generatedAt)))</title>\n<style>\(HTMLAssets.css)</style>\n</head>\n<body>\n"
        html += "<header><h1>Mamori report</h1><p>Collected \(escape(ReportText.iso(input.generatedAt))) · mamori \(escape(input.toolVersion)) · "
        html += "\(failing.count) failing, \(input.evaluation.findings.count - failing.count) passed, \(input.evaluation.muted.count) muted</p></header>\n"
        html += "<section class=\"charts\">\n<div><h2>Failing findings by severity</h2>\n\(HTMLCharts.severity(failing))</div>\n"
        html += "<div><h2>Trend over past scans</h2>\n\(HTMLCharts.trend(input.history, current: ScanSummary(date: input.generatedAt, failing: counts(failing))))</div>\n</section>\n"
        if let metrics = input.metrics { html += metricsSection(metrics) }
        if let framework = input.compliance {
            html += ComplianceSummary(framework: framework, evaluation: input.evaluation).html(escape)
        }
        html += rollupSection(input.evaluation)
        html += errorsSection(input)
        html += """
            <section id="findings"><h2>Findings</h2>
            <form class="filters" onsubmit="return false">
            <input id="q" type="search" placeholder="Search resource, message, check…" aria-label="Search">
            <select id="f-severity" aria-label="Severity"><option value="">All severities</option></select>
            <select id="f-status" aria-label="Status"><option value="">All statuses</option></select>
            <select id="f-check" aria-label="Check"><option value="">All checks</option></select>
            <select id="f-account" aria-label="Account"><option value="">All accounts</option></select>
            <select id="f-region" aria-label="Region"><option value="">All regions</option></select>
            </form>
            <p id="count" aria-live="polite"></p>
            <table class="findings"><thead><tr><th>Severity</th><th>Status</th><th>Account</th><th>Region</th><th>Resource</th><th>Message</th></tr></thead>
            <tbody id="rows"></tbody></table>
            <nav class="pager"><button id="prev" type="button">Previous</button> <span id="page"></span> <button id="next" type="button">Next</button></nav>
            <noscript><p>The findings list needs JavaScript; the same data is in findings.csv / findings.sarif.</p></noscript>
            </section>

            """
        html += "<script type=\"application/json\" id=\"mamori-data\">\(try HTMLData.encode(input))</script>\n"
        html += "<script>const PAGE_SIZE = \(pageSize);\n\(HTMLAssets.script)</script>\n</body>\n</html>\n"
        return Data(html.utf8)
    }

    static func counts(_ findings: [Finding]) -> [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        return counts
    }

    /// Per account and per OU, for organisation scans (nothing for a single account).
    static func rollupSection(_ evaluation: Evaluation) -> String {
        guard !evaluation.accounts.isEmpty else { return "" }
        let rollup = AccountRollup(evaluation)
        func rows(_ list: [AccountRollup.Row], first: (AccountRollup.Row) -> String) -> String {
            list.map { row in
                "<tr><td>\(first(row))</td><td>\(row.failing)</td><td>\(row.worst.map { escape($0.rawValue) } ?? "")</td><td>\(row.unread)</td></tr>\n"
            }.joined()
        }
        var html = "<section id=\"rollup\"><h2>Per account</h2>\n<table><thead><tr><th>Account</th><th>Failing</th><th>Worst</th><th>Parts not read</th></tr></thead><tbody>\n"
        html += rows(rollup.accounts) { "\(escape($0.key)) \(escape($0.label)) <span class=\"hint\">\(escape($0.ouPath))</span>" }
        html += "</tbody></table>\n"
        if !rollup.ous.isEmpty {
            html += "<h2>Per OU</h2>\n<table><thead><tr><th>OU (accounts in it and below)</th><th>Failing</th><th>Worst</th><th>Parts not read</th></tr></thead><tbody>\n"
            html += rows(rollup.ous) { "\(escape($0.key)) <span class=\"hint\">\(escape($0.label))</span>" }
            html += "</tbody></table>\n"
        }
        return html + "</section>\n"
    }

    static func metricsSection(_ metrics: PostureMetrics) -> String {
        var html = "<section id=\"metrics\"><h2>Posture metrics</h2>\n<p>This estate (\(metrics.accounts) account(s), counted as one organisation) against \(escape(metrics.source)).</p>\n"
        html += "<table class=\"metrics\"><thead><tr><th>Metric</th><th>This estate</th><th>Population</th><th>Verdict</th></tr></thead><tbody>\n"
        for metric in metrics.metrics {
            let verdict = metric.verdict.rawValue
            html += "<tr><td>\(escape(metric.title))\(metric.note.map { "<br><small>\(escape($0))</small>" } ?? "")</td>"
            html += "<td>\(escape(MetricsReport.ours(metric.value)))</td>"
            html += "<td>\(escape(MetricsReport.number(metric.population.percent)))% of \(escape(metric.population.of))</td>"
            html += "<td class=\"verdict \(verdict.replacingOccurrences(of: " ", with: "-"))\">\(escape(verdict))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    static func errorsSection(_ input: ReportInput) -> String {
        let errors = input.evaluation.errors.sorted { $0.key < $1.key }.flatMap { account, list in list.map { (account, $0) } }
        guard !errors.isEmpty else { return "" }
        var html = "<section id=\"errors\"><h2>Not read: partial scan (\(errors.count))</h2>\n<p>Findings may be missing for these parts.</p>\n"
        html += "<table><thead><tr><th>Account</th><th>Region</th><th>Call</th><th>Kind</th><th>Resource</th><th>Message</th></tr></thead><tbody>\n"
        for (account, error) in errors {
            html += "<tr><td>\(escape(account))</td><td>\(escape(error.region))</td><td>\(escape(error.service + ":" + error.operation))</td>"
            html += "<td>\(escape(error.kind.rawValue))</td><td>\(escape(error.resource ?? ""))</td><td>\(escape(error.message))</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// HTML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
