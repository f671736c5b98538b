import Checks
import Foundation
import History
import Inventory
import MamoriCore
import Reports

/// Moves evaluations in and out of the history store.
public enum ScanHistory {
    /// One account's results, ready to store: findings, muted findings, errors, inventory counts
    /// and the account's posture metrics (combined into the estate's at the end).
    public static func result(account: AccountInventory, evaluation: Evaluation, metrics posture: PostureMetrics?, state: AccountState = .done,
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
    public static func counts(_ account: AccountInventory) -> [String: Int] {
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
    public static func evaluation(findings: [StoredFinding], errors: [StoredError], accounts: [AccountRecord]) -> Evaluation {
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
    public static func load(_ store: any HistoryStore, scan: Int64) async throws -> (Evaluation, [AccountRecord]) {
        let accounts = try await store.accounts(scan: scan)
        let evaluation = evaluation(findings: try await store.findings(scan: scan), errors: try await store.errors(scan: scan), accounts: accounts)
        return (evaluation, accounts)
    }

    /// The estate's metrics from its accounts' stored metrics.
    public static func metrics(_ accounts: [AccountRecord], measuredAt: Date) -> PostureMetrics? {
        let parts = accounts.compactMap { $0.metrics.flatMap { try? JSONDecoder.history.decode(PostureMetrics.self, from: $0) } }
        return PostureMetrics.combine(parts, measuredAt: measuredAt)
    }

    /// Earlier scans of the same target, oldest first, for the HTML trend chart.
    public static func trend(_ store: any HistoryStore, kind: ScanKind, target: String, before id: Int64?) async -> [ScanSummary] {
        guard let scans = try? await store.scans(limit: 200) else { return [] }
        return scans.filter { $0.kind == kind && $0.target == target && $0.id != id && $0.state != .running }
            .reversed()
            .map { scan in
                ScanSummary(date: scan.startedAt, failing: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, scan.failing[$0.rawValue] ?? 0) }))
            }
    }

    public static func state(_ evaluation: Evaluation, interrupted: Bool = false) -> ScanState {
        interrupted ? .interrupted : (evaluation.isPartial ? .partial : .complete)
    }

    /// A scan's stored estate-wide metrics (nil when none were stored or they cannot be read).
    public static func storedMetrics(_ store: any HistoryStore, scan: Int64) async throws -> PostureMetrics? {
        try await store.metrics(scan: scan).flatMap { try? decodeMetrics($0) }
    }

    /// Posture metrics as the history store keeps them (JSON, ISO 8601 dates).
    public static func decodeMetrics(_ data: Data) throws -> PostureMetrics {
        try JSONDecoder.history.decode(PostureMetrics.self, from: data)
    }

    public static func encodeMetrics(_ metrics: PostureMetrics) throws -> Data {
        try JSONEncoder.history.encode(metrics)
    }

    /// Stores a one-account scan (begin, the account's results, finish) and returns its id.
    public static func storeAccountScan(account: AccountInventory, inventory: Inventory, evaluation: Evaluation, metrics: PostureMetrics?,
                                        selection: CheckSelection = .all, toolVersion: String,
                                        in store: any HistoryStore) async throws(ScanEngineError) -> Int64 {
        do {
            let scan = try await store.beginScan(NewScan(kind: .account, target: account.accountId, parameters: "regions=\(account.regions.joined(separator: ","))" + selection.parameterText,
                                                         startedAt: inventory.collectedAt, toolVersion: toolVersion))
            try await store.record(result(account: account, evaluation: evaluation, metrics: metrics, at: inventory.collectedAt), scan: scan.id)
            try await store.finishScan(scan.id, state: state(evaluation), finishedAt: Date(),
                                       metrics: try? metrics.map { try JSONEncoder.history.encode($0) })
            return scan.id
        } catch {
            throw .cannotStoreScan(reason: "\(error)")
        }
    }

    /// A scan by id, or an error naming `mamori history`.
    public static func scan(_ store: any HistoryStore, _ id: Int64) async throws -> ScanRecord {
        guard let scan = try await store.scan(id) else { throw ScanEngineError.noSuchScan(id) }
        return scan
    }

    // MARK: The previous scan of the same target: one rule for `diff`, `--fail-on new` and the dashboard.

    /// Whether `candidate` can be the "before" of `scan`: an earlier, finished scan of the same kind and target.
    public static func precedes(_ candidate: ScanRecord, _ scan: ScanRecord) -> Bool {
        candidate.id < scan.id && candidate.kind == scan.kind && candidate.target == scan.target && candidate.state != .running
    }

    /// The newest scan before `scan` among `scans` (any order) by ``precedes(_:_:)``.
    public static func previous(of scan: ScanRecord, in scans: [ScanRecord]) -> ScanRecord? {
        scans.filter { precedes($0, scan) }.max { $0.id < $1.id }
    }

    /// For every scan in the list, the id of its previous scan in the same list (one pass, for the scan list).
    public static func previousIds(in scans: [ScanRecord]) -> [Int64: Int64] {
        var latestFinished: [String: ScanRecord] = [:]
        var previous: [Int64: Int64] = [:]
        for scan in scans.sorted(by: { $0.id < $1.id }) {
            let key = scan.kind.rawValue + "|" + scan.target
            if let earlier = latestFinished[key], precedes(earlier, scan) { previous[scan.id] = earlier.id }
            if scan.state != .running { latestFinished[key] = scan }
        }
        return previous
    }

    /// The newest finished scan of the same target before `scan`, from the store.
    public static func previous(_ store: any HistoryStore, before scan: ScanRecord) async throws -> ScanRecord? {
        previous(of: scan, in: try await store.scans(limit: nil))
    }
}

/// When a run fails because of findings (`--fail-on`).
public enum FailOn: String, CaseIterable, Sendable {
    /// Only findings that were not in the previous scan of the same target.
    case new
    /// Never because of findings (errors still exit 2, partial scans 3).
    case none
    /// Any failing finding (what `scan` does by default).
    case any
}

/// `--fail-on new`: the stored scan compared with the previous scan of the same target.
public struct NewFindingsCheck: Sendable {
    public var current: ScanRecord
    /// Nil for the first scan of a target: then every finding is new.
    public var previous: ScanRecord?
    public var diff: ScanDiff?

    /// Compares scan `id` with its previous scan (the one ``ScanHistory/previous(_:before:)`` picks).
    public static func evaluate(_ store: any HistoryStore, scan id: Int64) async throws -> NewFindingsCheck {
        let current = try await ScanHistory.scan(store, id)
        guard let previous = try await ScanHistory.previous(store, before: current) else {
            return NewFindingsCheck(current: current, previous: nil, diff: nil)
        }
        return NewFindingsCheck(current: current, previous: previous, diff: try await ScanDiff.compare(store, from: previous.id, to: current.id))
    }

    /// The exit code: a report's 1 (failing findings) stays 1 only when some are new; errors (2)
    /// and partial scans (3) keep their code, a scan that could not read everything is never "clean".
    public func exitCode(reportCode code: Int32) -> Int32 {
        guard let diff else { return code }
        return code == 1 ? (diff.new.isEmpty ? 0 : 1) : code
    }
}

extension FailOn {
    /// The exit code for `.any` and `.none` (`.new` needs the stored comparison: ``NewFindingsCheck``).
    public func exitCode(reportCode code: Int32) -> Int32 {
        switch self {
        case .any, .new: code
        case .none: code == 1 ? 0 : code
        }
    }
}

extension JSONEncoder {
    /// Dates as ISO 8601, sorted keys: the JSON kept in the history store.
    static var history: JSONEncoder {
        StableJSON.encoder(.compact)
    }
}

extension JSONDecoder {
    static var history: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
