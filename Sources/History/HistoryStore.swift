import Foundation

/// The history store: every scan with its findings, errors and per-account checkpoints. SQLite
/// (`SQLiteHistoryStore`) and PostgreSQL (`HistoryPostgres`) implement it with the same schema.
public protocol HistoryStore: Sendable {
    /// Starts a scan, or joins the scan with the same `runId` when one exists (shards of one run).
    func beginScan(_ scan: NewScan) async throws(HistoryError) -> ScanRecord

    /// Stores one account's results, replacing any earlier results of that account in the scan.
    func record(_ result: AccountResult, scan: Int64) async throws(HistoryError)

    /// Marks a scan finished (or interrupted) and stores the estate-wide posture metrics (JSON).
    func finishScan(_ id: Int64, state: ScanState, finishedAt: Date, metrics: Data?) async throws(HistoryError)

    /// Scans, newest first.
    func scans(limit: Int?) async throws(HistoryError) -> [ScanRecord]

    func scan(_ id: Int64) async throws(HistoryError) -> ScanRecord?

    /// Every stored finding of a scan (failing, passing and muted).
    func findings(scan: Int64) async throws(HistoryError) -> [StoredFinding]

    func errors(scan: Int64) async throws(HistoryError) -> [StoredError]

    func accounts(scan: Int64) async throws(HistoryError) -> [AccountRecord]

    /// The posture metrics stored by `finishScan`, as JSON.
    func metrics(scan: Int64) async throws(HistoryError) -> Data?

    /// The newest scan that is `running` or `interrupted` for this target and parameters (`--resume`).
    func resumableScan(kind: ScanKind, target: String, parameters: String, runId: String?) async throws(HistoryError) -> ScanRecord?

    /// Stores one `mamori hunt --db` run and its alerts in one transaction; returns the run with its id.
    func recordHunt(_ hunt: NewHuntRun) async throws(HistoryError) -> HuntRunRecord

    /// Hunt runs, newest first: all, or those of one hunt key.
    func huntRuns(key: String?, limit: Int?) async throws(HistoryError) -> [HuntRunRecord]

    /// The stored alerts of these runs, by run id; without `eventIds` their event id lists are empty.
    func huntAlerts(runs: [Int64], eventIds: Bool) async throws(HistoryError) -> [Int64: [HuntAlertRecord]]

    /// Releases connections.
    func close() async
}

/// Why the history store failed, with what to do about it.
public struct HistoryError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case open, migration, query, notFound, unsupported
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
