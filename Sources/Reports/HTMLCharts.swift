import Foundation
import MamoriCore

/// Inline SVG charts (no script, no library): severity breakdown and the trend over past scans.
/// The dashboard draws the same charts.
public enum HTMLCharts {
    public static let colors: [Severity: String] = [.critical: "#8b0000", .high: "#d9480f", .medium: "#e8a317", .low: "#1c7ed6", .info: "#868e96"]

    static func severity(_ failing: [Finding]) -> String {
        severity(counts: HTMLReport.counts(failing))
    }

    /// One bar per severity, most severe on top. Only numbers and fixed words go into the markup.
    public static func severity(counts: [Severity: Int]) -> String {
        let maximum = max(1, counts.values.max() ?? 0)
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"Failing findings by severity\" viewBox=\"0 0 420 150\" width=\"420\" height=\"150\">"
        for (row, severity) in Severity.allCases.reversed().enumerated() {
            let count = counts[severity] ?? 0
            let width = Int((Double(count) / Double(maximum) * 280).rounded())
            let y = 8 + row * 28
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(severity.rawValue)</text>"
            svg += "<rect x=\"70\" y=\"\(y)\" width=\"\(max(width, count > 0 ? 2 : 0))\" height=\"20\" fill=\"\(colors[severity] ?? "#888")\"></rect>"
            svg += "<text x=\"\(76 + width)\" y=\"\(y + 15)\">\(count)</text>"
        }
        return svg + "</svg>"
    }

    /// Total failing findings per scan, the current one last. The history comes from the caller
    /// (empty until Mamori keeps a scan history), so a first report shows a single point.
    static func trend(_ history: [ScanSummary], current: ScanSummary) -> String {
        let points = (history + [current]).sorted { $0.date < $1.date }
        let maximum = max(1, points.map(\.total).max() ?? 0)
        let width = 420.0, height = 150.0, left = 40.0, bottom = 20.0
        let step = points.count > 1 ? (width - left - 10) / Double(points.count - 1) : 0
        var coordinates: [(Double, Double, ScanSummary)] = []
        for (index, point) in points.enumerated() {
            let x = left + (points.count > 1 ? Double(index) * step : (width - left) / 2)
            let y = (height - bottom) - Double(point.total) / Double(maximum) * (height - bottom - 10)
            coordinates.append((x, y, point))
        }
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"Failing findings per scan\" viewBox=\"0 0 420 150\" width=\"420\" height=\"150\">"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(height - bottom))\" x2=\"\(Int(width))\" y2=\"\(Int(height - bottom))\" stroke=\"#999\"></line>"
        svg += "<text x=\"0\" y=\"14\">\(maximum)</text><text x=\"0\" y=\"\(Int(height - bottom))\">0</text>"
        if coordinates.count > 1 {
            let line = coordinates.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"#d9480f\" stroke-width=\"2\" points=\"\(line)\"></polyline>"
        }
        for (x, y, point) in coordinates {
            svg += "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"4\" fill=\"#d9480f\"><title>\(ReportText.iso(point.date)): \(point.total) failing</title></circle>"
        }
        svg += "</svg>"
        if history.isEmpty { svg += "<p class=\"hint\">No earlier scans recorded yet: the trend starts with this one.</p>" }
        return svg
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
