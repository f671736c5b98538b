import Foundation
import GRDB

/// The history store in one SQLite file (default `~/.mamori/mamori.sqlite`), through GRDB.
/// WAL mode, so `mamori serve` reads while a scan writes.
public final class SQLiteHistoryStore: HistoryStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating when missing) and migrates the database at `path`.
    /// - Parameter upTo: stop after this migration id (tests build older schemas with it).
    public init(path: String, upTo: String? = nil) throws(HistoryError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
            catch { throw HistoryError(.open, "cannot create \(directory) for the history database: \(error.localizedDescription)") }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        do { pool = try DatabasePool(path: path, configuration: configuration) }
        catch { throw HistoryError(.open, "cannot open the history database \(path): \(Self.describe(error))") }
        try migrate(upTo: upTo)
    }

    func migrate(upTo: String?) throws(HistoryError) {
        // Several processes may open a new store at once (parallel scans, shards on one machine):
        // one migrates while the others wait, then find the work done.
        let lock = try FileLock(path: path + ".lock")
        defer { lock.release() }
        var migrator = DatabaseMigrator()
        for migration in HistorySchema.migrations {
            migrator.registerMigration(migration.id) { db in
                for statement in migration.sqlite { try db.execute(sql: statement) }
            }
        }
        do {
            if let upTo { try migrator.migrate(pool, upTo: upTo) } else { try migrator.migrate(pool) }
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            let known = Set(HistorySchema.migrations.map(\.id))
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw HistoryError(.migration, "the history database \(path) has schema step '\(unknown)' from a newer Mamori; upgrade Mamori or use another --db")
            }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError(.migration, "cannot migrate the history database \(path): \(Self.describe(error))")
        }
    }

    /// Migration ids applied so far (tests check upgrades with it).
    public func appliedMigrations() throws(HistoryError) -> [String] {
        try access { db in
            try Row.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").compactMap { $0["identifier"] as String? }
        }
    }

    // MARK: - HistoryStore

    public func beginScan(_ scan: NewScan) async throws(HistoryError) -> ScanRecord {
        let id: Int64 = try await write { db in
            // Shards of one run start at about the same time, possibly in several processes: the
            // first insert wins and everyone reads the same row. Looking first keeps joiners from
            // using up AUTOINCREMENT ids on conflicting inserts.
            if let runId = scan.runId, let existing = try Int64.fetchOne(db, sql: "SELECT id FROM scans WHERE run_id = ?", arguments: [runId]) {
                return existing
            }
            try db.execute(sql: """
                INSERT INTO scans (run_id, kind, target, parameters, started_at, state, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id) DO NOTHING
                """, arguments: [scan.runId, scan.kind.rawValue, scan.target, scan.parameters,
                                 scan.startedAt.timeIntervalSince1970, ScanState.running.rawValue, scan.toolVersion])
            if let runId = scan.runId, let existing = try Int64.fetchOne(db, sql: "SELECT id FROM scans WHERE run_id = ?", arguments: [runId]) {
                return existing
            }
            return db.lastInsertedRowID
        }
        guard let record = try await self.scan(id) else { throw HistoryError(.query, "scan \(id) vanished right after it was created") }
        return record
    }

    public func record(_ result: AccountResult, scan: Int64) async throws(HistoryError) {
        let account = result.account.accountId
        try await write { db in
            try db.execute(sql: "DELETE FROM findings WHERE scan_id = ? AND account_id = ?", arguments: [scan, account])
            try db.execute(sql: "DELETE FROM scan_errors WHERE scan_id = ? AND account_id = ?", arguments: [scan, account])
            try db.execute(sql: "DELETE FROM scan_accounts WHERE scan_id = ? AND account_id = ?", arguments: [scan, account])
            try db.execute(sql: RowCoding.insert("scan_accounts", "scan_id, " + HistorySchema.accountColumns, dollar: false),
                           arguments: Self.arguments(RowCoding.values(result.account, scan: scan)))
            let findings = try db.cachedStatement(sql: RowCoding.insert("findings", "scan_id, " + HistorySchema.findingColumns, dollar: false))
            for finding in result.findings { try findings.execute(arguments: Self.arguments(RowCoding.values(finding, scan: scan))) }
            let errors = try db.cachedStatement(sql: RowCoding.insert("scan_errors", "scan_id, " + HistorySchema.errorColumns, dollar: false))
            for error in result.errors { try errors.execute(arguments: Self.arguments(RowCoding.values(error, scan: scan))) }
        }
    }

    public func finishScan(_ id: Int64, state: ScanState, finishedAt: Date, metrics: Data?) async throws(HistoryError) {
        try await write { db in
            try db.execute(sql: "UPDATE scans SET state = ?, finished_at = ?, metrics = COALESCE(?, metrics) WHERE id = ?",
                           arguments: [state.rawValue, finishedAt.timeIntervalSince1970, metrics.flatMap { String(data: $0, encoding: .utf8) }, id])
        }
    }

    public func scans(limit: Int?) async throws(HistoryError) -> [ScanRecord] {
        try await read { db in
            let sql = "SELECT \(HistorySchema.scanColumns) FROM scans ORDER BY id DESC" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
            var scans = try Row.fetchAll(db, sql: sql).map { row in try RowCoding.scan(Self.values(row)) }
            try Self.addCounts(db, to: &scans)
            return scans
        }
    }

    public func scan(_ id: Int64) async throws(HistoryError) -> ScanRecord? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(HistorySchema.scanColumns) FROM scans WHERE id = ?", arguments: [id]) else { return nil }
            var scans = [try RowCoding.scan(Self.values(row))]
            try Self.addCounts(db, to: &scans)
            return scans[0]
        }
    }

    public func findings(scan: Int64) async throws(HistoryError) -> [StoredFinding] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(HistorySchema.findingColumns) FROM findings WHERE scan_id = ? ORDER BY id", arguments: [scan])
                .map { row in try RowCoding.finding(Self.values(row)) }
        }
    }

    public func errors(scan: Int64) async throws(HistoryError) -> [StoredError] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(HistorySchema.errorColumns) FROM scan_errors WHERE scan_id = ? ORDER BY id", arguments: [scan])
                .map { row in try RowCoding.error(Self.values(row)) }
        }
    }

    public func accounts(scan: Int64) async throws(HistoryError) -> [AccountRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(HistorySchema.accountColumns) FROM scan_accounts WHERE scan_id = ? ORDER BY account_id", arguments: [scan])
                .map { row in try RowCoding.account(Self.values(row)) }
        }
    }

    public func metrics(scan: Int64) async throws(HistoryError) -> Data? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT metrics FROM scans WHERE id = ?", arguments: [scan]).map { Data($0.utf8) }
        }
    }

    public func resumableScan(kind: ScanKind, target: String, parameters: String, runId: String?) async throws(HistoryError) -> ScanRecord? {
        let id: Int64? = try await read { db in
            if let runId { return try Int64.fetchOne(db, sql: "SELECT id FROM scans WHERE run_id = ?", arguments: [runId]) }
            return try Int64.fetchOne(db, sql: """
                SELECT id FROM scans WHERE kind = ? AND target = ? AND parameters = ? AND state IN ('running', 'interrupted')
                ORDER BY id DESC LIMIT 1
                """, arguments: [kind.rawValue, target, parameters])
        }
        guard let id else { return nil }
        return try await scan(id)
    }

    public func recordHunt(_ hunt: NewHuntRun) async throws(HistoryError) -> HuntRunRecord {
        let id: Int64 = try await write { db in
            try db.execute(sql: RowCoding.insert("hunt_runs", HistorySchema.huntRunColumns, dollar: false),
                           arguments: Self.arguments(RowCoding.values(hunt.run)))
            let id = db.lastInsertedRowID
            let alerts = try db.cachedStatement(sql: RowCoding.insert("hunt_alerts", "run_id, " + HistorySchema.huntAlertColumns, dollar: false))
            for alert in hunt.alerts { try alerts.execute(arguments: Self.arguments(RowCoding.values(alert, run: id))) }
            return id
        }
        var run = hunt.run
        run.id = id
        run.alerts = hunt.alerts.count
        return run
    }

    public func huntRuns(key: String?, limit: Int?) async throws(HistoryError) -> [HuntRunRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: HistorySchema.huntRunsQuery(byKey: key != nil, dollar: false, limit: limit),
                             arguments: key.map { [$0] } ?? [])
                .map { row in try RowCoding.huntRun(Self.values(row)) }
        }
    }

    public func huntAlerts(runs: [Int64], eventIds: Bool) async throws(HistoryError) -> [Int64: [HuntAlertRecord]] {
        guard !runs.isEmpty else { return [:] }
        return try await read { db in
            var alerts: [Int64: [HuntAlertRecord]] = [:]
            for row in try Row.fetchAll(db, sql: HistorySchema.huntAlertsQuery(runs: runs, eventIds: eventIds)) {
                let values = Self.values(row)
                guard let run = values.integer("run_id") else { continue }
                alerts[run, default: []].append(try RowCoding.huntAlert(values))
            }
            return alerts
        }
    }

    public func close() async {
        try? pool.close()
    }

    // MARK: - Plumbing

    static func addCounts(_ db: Database, to scans: inout [ScanRecord]) throws {
        guard !scans.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: scans.enumerated().map { ($0.element.id, $0.offset) })
        for row in try Row.fetchAll(db, sql: HistorySchema.countsQuery(ids: scans.map(\.id))) {
            guard let scan: Int64 = row["scan_id"], let position = index[scan], let key: String = row["k"], let n: Int = row["n"] else { continue }
            RowCoding.apply(count: key, n, to: &scans[position])
        }
    }

    static func values(_ row: Row) -> RowValues {
        RowValues(text: { row[$0] }, real: { row[$0] }, integer: { row[$0] })
    }

    static func arguments(_ values: [HistoryValue]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .text(let text): text
            case .real(let real): real
            case .integer(let integer): integer
            case .null: nil
            }
        })
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(HistoryError) -> T {
        do { return try await pool.read(body) } catch { throw Self.wrap(error, path: path) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(HistoryError) -> T {
        do { return try await pool.write(body) } catch { throw Self.wrap(error, path: path) }
    }

    func access<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try pool.read(body) } catch { throw Self.wrap(error, path: path) }
    }

    static func wrap(_ error: any Error, path: String) -> HistoryError {
        if let error = error as? HistoryError { return error }
        return HistoryError(.query, "history database \(path): \(describe(error))")
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}
