import Foundation
import History
import Reports
import ScanEngine

extension DashboardPages {
    struct MetricsView {
        var scanId: Int64
        var target: String
        var hasMetrics: Bool
        var combined: Bool
        var accounts: Int
        var measuredAt: String
        var source: String
        var rows: [MetricRowView]
        var worse: Int
    }

    struct MetricRowView {
        var id: String
        var title: String
        var note: String?
        var ours: String
        var population: String
        var verdict: String
        var verdictClass: String
    }

    /// `/scans/{id}/metrics`: the estate's posture metrics next to the population's. Uses the
    /// estate-wide metrics stored when the scan finished, or combines the accounts' metrics for a
    /// scan that never finished.
    func metrics(_ id: Int64) async throws(PageError) -> Page {
        let scan = try await self.scan(id)
        let stored = try await read { () async throws(HistoryError) in try await store.metrics(scan: id) }
        var metrics: PostureMetrics?
        var combined = false
        if let stored {
            do { metrics = try ScanHistory.decodeMetrics(stored) }
            catch { throw PageError(.internalError, "Scan #\(id)'s stored posture metrics cannot be read (\(error)); was it written by a newer Mamori?") }
        } else {
            let accounts = try await read { () async throws(HistoryError) in try await store.accounts(scan: id) }
            metrics = ScanHistory.metrics(accounts, measuredAt: scan.finishedAt ?? scan.startedAt)
            combined = metrics != nil
        }
        let rows = (metrics?.metrics ?? []).map { metric in
            MetricRowView(id: metric.id, title: metric.title, note: metric.note, ours: MetricsReport.ours(metric.value),
                          population: "\(MetricsReport.number(metric.population.percent))% of \(metric.population.of)",
                          verdict: metric.verdict.rawValue, verdictClass: metric.verdict.rawValue.replacingOccurrences(of: " ", with: "-"))
        }
        let view = MetricsView(scanId: id, target: scan.target, hasMetrics: metrics != nil, combined: combined,
                               accounts: metrics?.accounts ?? 0, measuredAt: metrics.map { Formatting.timestamp($0.measuredAt) } ?? "",
                               source: metrics?.source ?? "", rows: rows, worse: rows.filter { $0.verdict == MetricVerdict.worse.rawValue }.count)
        return Page(title: "Posture metrics of scan #\(id)", template: "metrics", view: view)
    }
}
