import Foundation
import History
import MamoriCore
import ScanEngine

extension DashboardPages {
    /// Scans shown on the list; older ones stay reachable by id.
    static let listedScans = 200
    /// Scans per trend chart.
    static let trendScans = 30
    /// Targets with a trend chart (most recently scanned first); one chart per target, because a
    /// line mixing an organisation with a single account would rise and fall for no reason.
    static let trendTargets = 4

    struct ScanListView {
        var hasScans: Bool
        var trends: [TrendView]
        var scans: [ScanRowView]
        var older: [OptionView]
        var newer: [OptionView]
        var canDiff: Bool
    }

    struct TrendView {
        var target: String
        var chart: String
    }

    struct ScanRowView {
        var id: Int64
        var started: String
        var duration: String
        var state: String
        var kind: String
        var target: String
        var accounts: Int
        var failing: SeverityCountsView
        var muted: Int
        var errors: Int
        /// `/diff?a=…&b=…` against the previous scan of the same target, when there is one.
        var diffLink: String?
    }

    /// `/`: every scan, newest first, and the failing-by-severity trend of the latest ones.
    func scanList() async throws(PageError) -> Page {
        let scans = try await read { () async throws(HistoryError) in try await store.scans(limit: Self.listedScans) }
        // The same "previous scan of the same target" as `mamori diff` and `--fail-on new`.
        let previous = ScanHistory.previousIds(in: scans)
        let rows = scans.map { scan in
            ScanRowView(id: scan.id, started: Formatting.timestamp(scan.startedAt),
                        duration: Formatting.duration(scan.startedAt, scan.finishedAt) ?? "running",
                        state: scan.state.rawValue, kind: scan.kind.rawValue, target: scan.target, accounts: scan.accounts,
                        failing: SeverityCountsView(Formatting.failing(scan)), muted: scan.muted, errors: scan.errors,
                        diffLink: previous[scan.id].map { "/diff?a=\($0)&b=\(scan.id)" })
        }
        var targets: [String] = []
        var byTarget: [String: [ScanRecord]] = [:]
        for scan in scans where scan.state != .running {
            let key = scan.kind.rawValue + " " + scan.target
            if byTarget[key] == nil { targets.append(key) }
            byTarget[key, default: []].append(scan)
        }
        let trends = targets.prefix(Self.trendTargets).map { target in
            let points = (byTarget[target] ?? []).prefix(Self.trendScans).reversed().map { scan in
                Charts.TrendPoint(scan: scan.id, date: scan.startedAt, failing: Formatting.failing(scan))
            }
            return TrendView(target: target, chart: Charts.trend(Array(points)))
        }
        func options(selected: Int64?) -> [OptionView] {
            scans.map { OptionView(value: String($0.id), label: "#\($0.id) \($0.target) \(Formatting.timestamp($0.startedAt))", selected: $0.id == selected) }
        }
        let view = ScanListView(hasScans: !scans.isEmpty, trends: trends, scans: rows,
                                older: options(selected: scans.count > 1 ? scans[1].id : nil),
                                newer: options(selected: scans.first?.id), canDiff: scans.count > 1)
        return Page(title: "Scans", template: "scans", view: view)
    }
}
