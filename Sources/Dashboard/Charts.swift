import Foundation
import MamoriCore
import Reports

/// Inline SVG charts (no script, nothing fetched: the CSP allows neither). Same palette and bar
/// layout as the static HTML report's charts, drawn from counts because the dashboard has them
/// per scan without loading findings. Only numbers and fixed words go into the markup.
enum Charts {
    static let colors = HTMLCharts.colors

    /// One bar per severity, most severe on top (the static report's chart).
    static func severity(_ counts: [Severity: Int]) -> String { HTMLCharts.severity(counts: counts) }

    /// A point of the trend: one scan's failing counts.
    struct TrendPoint: Sendable, Hashable {
        var scan: Int64
        var date: Date
        var failing: [Severity: Int]
    }

    /// Failing findings per severity across scans, oldest left: one line per severity that ever
    /// had a finding, a dot per scan with its counts as a tooltip.
    static func trend(_ points: [TrendPoint]) -> String {
        let width = 640.0, height = 200.0, left = 44.0, right = 110.0, top = 10.0, bottom = 24.0
        let maximum = max(1, points.flatMap { $0.failing.values }.max() ?? 0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ index: Int) -> Double {
            points.count > 1 ? left + Double(index) * plotWidth / Double(points.count - 1) : left + plotWidth / 2
        }
        func y(_ count: Int) -> Double { top + plotHeight - Double(count) / Double(maximum) * plotHeight }
        var svg = "<svg class=\"chart trend\" role=\"img\" aria-label=\"Failing findings by severity per scan\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(format(y(0)))\" x2=\"\(Int(width - right))\" y2=\"\(format(y(0)))\" stroke=\"#999\"></line>"
        svg += "<text x=\"0\" y=\"\(format(y(maximum) + 4))\">\(maximum)</text><text x=\"0\" y=\"\(format(y(0) + 4))\">0</text>"
        for (index, point) in points.enumerated() where points.count <= 12 || index == 0 || index == points.count - 1 {
            svg += "<text class=\"tick\" x=\"\(format(x(index)))\" y=\"\(Int(height - 6))\" text-anchor=\"middle\">#\(point.scan)</text>"
        }
        var legendRow = 0
        for severity in Severity.allCases.reversed() where points.contains(where: { ($0.failing[severity] ?? 0) > 0 }) {
            let color = colors[severity] ?? "#888"
            let coordinates = points.enumerated().map { "\(format(x($0.offset))),\(format(y($0.element.failing[severity] ?? 0)))" }
            if points.count > 1 {
                svg += "<polyline class=\"line-\(severity.rawValue)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"></polyline>"
            }
            for (index, point) in points.enumerated() {
                let count = point.failing[severity] ?? 0
                svg += "<circle cx=\"\(format(x(index)))\" cy=\"\(format(y(count)))\" r=\"3\" fill=\"\(color)\"><title>scan #\(point.scan), \(iso(point.date)): \(count) \(severity.rawValue)</title></circle>"
            }
            let legendY = Int(top) + 8 + legendRow * 18
            svg += "<rect x=\"\(Int(width - right + 14))\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"\(color)\"></rect>"
            svg += "<text x=\"\(Int(width - right + 30))\" y=\"\(legendY)\">\(severity.rawValue)</text>"
            legendRow += 1
        }
        if legendRow == 0 { svg += "<text x=\"\(Int(left + 10))\" y=\"\(Int(top + plotHeight / 2))\">No failing findings in these scans.</text>" }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func iso(_ date: Date) -> String { Formatting.timestamp(date) }
}
