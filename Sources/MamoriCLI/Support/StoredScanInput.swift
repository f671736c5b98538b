import Foundation
import History
import Reports
import ScanEngine

/// Report input from a stored scan: its findings and errors as stored (config mutes applied at
/// scan time), the metrics combined from its accounts, and the trend of earlier scans.
enum StoredScanInput {
    static func load(_ history: HistoryOptions, scan id: Int64, all: Bool) async throws -> ReportInput {
        let store = try await history.open()
        let scan = try await HistoryDatabase.scan(store, id)
        let (evaluation, accounts) = try await ScanHistory.load(store, scan: id)
        let stored = try await ScanHistory.storedMetrics(store, scan: id)
        let trend = await ScanHistory.trend(store, kind: scan.kind, target: scan.target, before: id).filter { $0.date < scan.startedAt }
        await store.close()
        if scan.pending > 0 { Console.error("scan \(id) is not finished: \(scan.pending) account(s) still pending") }
        return ReportInput(evaluation: evaluation, findings: ReportInput.shown(evaluation, all: all), generatedAt: scan.startedAt,
                           toolVersion: MamoriVersion.string, metrics: stored ?? ScanHistory.metrics(accounts, measuredAt: scan.startedAt),
                           history: trend, accountNames: evaluation.accounts.mapValues(\.name))
    }
}
