import Checks
import Foundation
import History
import Inventory
import MamoriCore
import Reports

/// Moves evaluations in and out of the history store.
enum ScanHistory {
    /// One account's results, ready to store: findings, muted findings, errors, inventory counts
    /// and the account's posture metrics (combined into the estate's at the end).
    static func result(account: AccountInventory, evaluation: Evaluation, metrics posture: PostureMetrics?, state: AccountState = .done,
                       at date: Date) -> AccountResult {
        let id = account.accountId
        let metrics = try? posture.map { try JSONEncoder.history.encode($0) }
        let record = AccountRecord(accountId: id, name: account.accountName, ouPath: account.ouPath, state: state, finishedAt: date,
                                   inventory: counts(account), metrics: metrics)
        return AccountResult(account: record,
                             findings: evaluation.findings.filter { $0.account == id }.map { StoredFinding(finding: $0) }
                                 + evaluation.muted.filter { $0.finding.account == id }.map { StoredFinding(finding: $0.finding, mutedReason: $0.reason) },
                             errors: (evaluation.errors[id] ?? []).map { StoredError(account: id, error: $0) })
    }

    /// What the inventory held, by kind: shown by `mamori history` and the dashboard.
    static func counts(_ account: AccountInventory) -> [String: Int] {
        var counts: [String: Int] = ["regions": account.regions.count]
        if let iam = account.iam {
            counts["users"] = iam.users.count
            counts["roles"] = iam.roles.count
        }
        if let s3 = account.s3 { counts["buckets"] = s3.buckets.count }
        for region in account.regional {
            counts["instances", default: 0] += region.instances?.count ?? 0
            counts["launch_templates", default: 0] += region.launchTemplates?.count ?? 0
            counts["topics", default: 0] += region.topics?.count ?? 0
            counts["queues", default: 0] += region.queues?.count ?? 0
        }
        return counts
    }

    /// The evaluation a stored scan represents (what `scan` printed, or would have).
    static func evaluation(findings: [StoredFinding], errors: [StoredError], accounts: [AccountRecord]) -> Evaluation {
        var evaluation = Evaluation()
        evaluation.findings = findings.filter { $0.mutedReason == nil }.map(\.finding).sorted(by: Evaluator.order)
        evaluation.muted = findings.compactMap { stored in stored.mutedReason.map { MutedFinding(finding: stored.finding, reason: $0) } }
        for error in errors { evaluation.errors[error.account, default: []].append(error.error) }
        for account in accounts {
            if account.state == .pending {
                evaluation.errors[account.accountId, default: []].append(CollectionError(
                    kind: .failed, service: "organizations", operation: "scan", region: "global",
                    message: "not scanned yet: its shard is still running, or the scan was interrupted (run it again with --resume)"))
            }
            if let name = account.name { evaluation.accounts[account.accountId] = AccountLabel(name: name, ouPath: account.ouPath ?? "") }
            if evaluation.errors[account.accountId] == nil { evaluation.errors[account.accountId] = [] }
        }
        return evaluation
    }

    /// Reads a whole stored scan back.
    static func load(_ store: any HistoryStore, scan: Int64) async throws -> (Evaluation, [AccountRecord]) {
        let accounts = try await store.accounts(scan: scan)
        let evaluation = evaluation(findings: try await store.findings(scan: scan), errors: try await store.errors(scan: scan), accounts: accounts)
        return (evaluation, accounts)
    }

    /// The estate's metrics from its accounts' stored metrics.
    static func metrics(_ accounts: [AccountRecord], measuredAt: Date) -> PostureMetrics? {
        let parts = accounts.compactMap { $0.metrics.flatMap { try? JSONDecoder.history.decode(PostureMetrics.self, from: $0) } }
        return PostureMetrics.combine(parts, measuredAt: measuredAt)
    }

    /// Earlier scans of the same target, oldest first, for the HTML trend chart.
    static func trend(_ store: any HistoryStore, kind: ScanKind, target: String, before id: Int64?) async -> [ScanSummary] {
        guard let scans = try? await store.scans(limit: 200) else { return [] }
        return scans.filter { $0.kind == kind && $0.target == target && $0.id != id && $0.state != .running }
            .reversed()
            .map { scan in
                ScanSummary(date: scan.startedAt, failing: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, scan.failing[$0.rawValue] ?? 0) }))
            }
    }

    static func state(_ evaluation: Evaluation, interrupted: Bool = false) -> ScanState {
        interrupted ? .interrupted : (evaluation.isPartial ? .partial : .complete)
    }
}

extension JSONEncoder {
    /// Dates as ISO 8601, sorted keys: the JSON kept in the history store.
    static var history: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var history: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
