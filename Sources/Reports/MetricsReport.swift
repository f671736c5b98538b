import Foundation

/// `mamori report metrics`: the posture metrics as a table or JSON.
public enum MetricsReport {
    public static func json(_ metrics: PostureMetrics) throws -> Data {
        try ReportText.json(metrics)
    }

    /// A plain-text table: our value, the population figure, the verdict.
    public static func table(_ metrics: PostureMetrics) -> String {
        let rows = metrics.metrics.map { metric in
            [metric.title, ours(metric.value), "\(number(metric.population.percent))% of \(metric.population.of)", metric.verdict.rawValue]
        }
        let header = ["METRIC", "THIS ESTATE", "POPULATION (600+ orgs)", "VERDICT"]
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ") + "\n"
        }
        var out = line(header) + rows.map(line).joined()
        let notes = metrics.metrics.compactMap { metric in metric.note.map { "  \(metric.id): \($0)" } }
        out += "\nMeasured at \(ReportText.iso(metrics.measuredAt)) over \(metrics.accounts) account(s); the estate counts as one organisation.\n"
        out += "Population: \(metrics.source).\n"
        if !notes.isEmpty { out += "Notes:\n" + notes.joined(separator: "\n") + "\n" }
        return out
    }

    /// "3/12 (25%)", "yes"/"no" for organisation-level rows, "n/a" without a denominator.
    public static func ours(_ value: MetricValue) -> String {
        guard let percent = value.percent else { return "n/a (none \(value.of.hasPrefix("organisation") ? "read" : "scanned"))" }
        if value.total == 1, value.of.hasPrefix("organisation") { return value.count == 1 ? "yes" : "no" }
        return "\(value.count)/\(value.total) (\(number(percent))%)"
    }

    /// A percentage without a needless ".0".
    public static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
