import Foundation
import History
import PostgresNIO

/// The history store on a shared PostgreSQL server (`--db postgres://…`): the same schema and the
/// same behaviour as `SQLiteHistoryStore`, for teams and for the workers of a sharded scan.
///
/// Safe to use from many tasks and many processes at once: shards of one run join a single scan
/// row (`INSERT … ON CONFLICT (run_id) DO NOTHING`), and each account's results replace the
/// earlier ones in one transaction.
public final class PostgresHistoryStore: HistoryStore {
    /// Where the store is, without the password.
    public let location: PostgresLocation
    let pool: ConnectionPool
    let logger: Logger

    /// Connects, checks the server and migrates the schema.
    /// - Parameters:
    ///   - url: `postgres://user:password@host:port/database?sslmode=…&schema=…` (see `PostgresLocation`).
    ///   - upTo: stop after this migration id (tests build older schemas with it).
    ///   - maximumConnections: connections kept open at most (concurrent `record` calls share them).
    public convenience init(url: String, upTo: String? = nil, maximumConnections: Int = 4) async throws(HistoryError) {
        try await self.init(location: try PostgresLocation(url: url), upTo: upTo, maximumConnections: maximumConnections, migrate: true)
    }

    /// `migrate: false` only connects (tests clean up databases a newer Mamori "migrated" with it).
    init(location: PostgresLocation, upTo: String?, maximumConnections: Int, migrate: Bool) async throws(HistoryError) {
        self.location = location
        // PostgresNIO logs through swift-log; the CLI's output must stay clean, and errors reach
        // the caller as HistoryError anyway.
        var logger = Logger(label: "mamori.history.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let configuration = try PostgresHistoryStore.configuration(location)
        pool = ConnectionPool(configuration: configuration, location: location, logger: logger, maximum: maximumConnections)
        guard migrate else { return }
        do {
            // Connecting here, not lazily, makes a wrong URL or password fail at once, with a reason.
            try await withSession { session throws(HistoryError) in try await PostgresMigrator.migrate(session, upTo: upTo) }
        } catch {
            await pool.close()
            throw error
        }
    }

    static func configuration(_ location: PostgresLocation) throws(HistoryError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        do {
            var settings = TLSConfiguration.makeClientConfiguration()
            switch location.sslMode {
            case .disable: tls = .disable
            case .prefer:
                settings.certificateVerification = .none
                tls = .prefer(try NIOSSLContext(configuration: settings))
            case .require:
                settings.certificateVerification = .none
                tls = .require(try NIOSSLContext(configuration: settings))
            case .verifyCA:
                settings.certificateVerification = .noHostnameVerification
                tls = .require(try NIOSSLContext(configuration: settings))
            case .verifyFull:
                settings.certificateVerification = .fullVerification
                tls = .require(try NIOSSLContext(configuration: settings))
            }
        } catch {
            throw HistoryError(.open, "cannot set up TLS for \(location) (sslmode=\(location.sslMode.rawValue)): \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        var startup = [("application_name", location.applicationName)]
        // A startup parameter is a session setting: every pooled connection sees the same schema.
        if let schema = location.schema { startup.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = startup
        return configuration
    }

    /// Migration ids applied so far (tests check upgrades with it).
    public func appliedMigrations() async throws(HistoryError) -> [String] {
        try await withSession { session throws(HistoryError) in try await PostgresMigrator.applied(session) }
    }

    // MARK: - HistoryStore

    public func beginScan(_ scan: NewScan) async throws(HistoryError) -> ScanRecord {
        let values: [HistoryValue] = [.optional(scan.runId), .text(scan.kind.rawValue), .text(scan.target), .text(scan.parameters),
                                      .real(scan.startedAt.timeIntervalSince1970), .text(ScanState.running.rawValue), .text(scan.toolVersion)]
        let insert = """
            INSERT INTO scans (run_id, kind, target, parameters, started_at, state, tool_version)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id) DO NOTHING RETURNING id
            """
        let id: Int64 = try await withSession { s throws(HistoryError) in
            guard let runId = scan.runId else {
                guard let id = try await s.rows(insert, values, doing: "starting a scan").first.flatMap({ PostgresSession.values($0).integer("id") }) else {
                    throw HistoryError(.query, "starting a scan in \(location) returned no scan id")
                }
                return id
            }
            // Shard workers race here. Taking turns on a per-run lock makes the first one create
            // the row and the others find it, as SQLite's single writer does: no sequence numbers
            // burnt by losing inserts, so a run's scan id is the next one. The unique index on
            // run_id (ON CONFLICT) still guarantees one row should anything bypass the lock.
            return try await s.transaction(doing: "starting run \(runId)") { t throws(HistoryError) in
                try await t.rows("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text("mamori-run:\(runId)")], doing: "starting run \(runId)")
                let find = "SELECT id FROM scans WHERE run_id = $1"
                if let id = try await t.rows(find, [.text(runId)], doing: "joining run \(runId)").first.flatMap({ PostgresSession.values($0).integer("id") }) {
                    return id
                }
                if let id = try await t.rows(insert, values, doing: "starting run \(runId)").first.flatMap({ PostgresSession.values($0).integer("id") }) {
                    return id
                }
                guard let id = try await t.rows(find, [.text(runId)], doing: "joining run \(runId)").first.flatMap({ PostgresSession.values($0).integer("id") }) else {
                    throw HistoryError(.query, "starting run \(runId) in \(location) returned no scan id")
                }
                return id
            }
        }
        guard let record = try await self.scan(id) else { throw HistoryError(.query, "scan \(id) vanished right after it was created") }
        return record
    }

    public func record(_ result: AccountResult, scan: Int64) async throws(HistoryError) {
        let account = result.account.accountId
        let action = "storing account \(account) of scan \(scan)"
        try await withSession { s throws(HistoryError) in
            try await s.transaction(doing: action) { t throws(HistoryError) in
                // Two writers of the same account (a retried shard) take turns instead of
                // colliding on the account's primary key; the later one's rows win, as in SQLite.
                try await t.rows("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text("mamori:\(scan):\(account)")], doing: action)
                // One round trip for the three deletes (a remote server is milliseconds away).
                try await t.rows("""
                    WITH f AS (DELETE FROM findings WHERE scan_id = $1 AND account_id = $2),
                         e AS (DELETE FROM scan_errors WHERE scan_id = $1 AND account_id = $2)
                    DELETE FROM scan_accounts WHERE scan_id = $1 AND account_id = $2
                    """, [.integer(scan), .text(account)], doing: action)
                try await t.insert("scan_accounts", "scan_id, " + HistorySchema.accountColumns,
                                   [RowCoding.values(result.account, scan: scan)], doing: action)
                try await t.insert("findings", "scan_id, " + HistorySchema.findingColumns,
                                   result.findings.map { RowCoding.values($0, scan: scan) }, doing: action)
                try await t.insert("scan_errors", "scan_id, " + HistorySchema.errorColumns,
                                   result.errors.map { RowCoding.values($0, scan: scan) }, doing: action)
            }
        }
    }

    public func finishScan(_ id: Int64, state: ScanState, finishedAt: Date, metrics: Data?) async throws(HistoryError) {
        try await withSession { s throws(HistoryError) in
            _ = try await s.rows("UPDATE scans SET state = $1, finished_at = $2, metrics = COALESCE($3::text, metrics) WHERE id = $4",
                             [.text(state.rawValue), .real(finishedAt.timeIntervalSince1970),
                              .optional(metrics.flatMap { String(data: $0, encoding: .utf8) }), .integer(id)],
                             doing: "finishing scan \(id)")
        }
    }

    public func scans(limit: Int?) async throws(HistoryError) -> [ScanRecord] {
        try await withSession { s throws(HistoryError) in
            let sql = "SELECT \(HistorySchema.scanColumns) FROM scans ORDER BY id DESC" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
            var scans: [ScanRecord] = []
            for row in try await s.rows(sql, doing: "listing scans") { scans.append(try RowCoding.scan(PostgresSession.values(row))) }
            try await Self.addCounts(s, to: &scans)
            return scans
        }
    }

    public func scan(_ id: Int64) async throws(HistoryError) -> ScanRecord? {
        try await withSession { s throws(HistoryError) in
            guard let row = try await s.rows("SELECT \(HistorySchema.scanColumns) FROM scans WHERE id = $1", [.integer(id)],
                                             doing: "reading scan \(id)").first else { return nil }
            var scans = [try RowCoding.scan(PostgresSession.values(row))]
            try await Self.addCounts(s, to: &scans)
            return scans[0]
        }
    }

    public func findings(scan: Int64) async throws(HistoryError) -> [StoredFinding] {
        try await withSession { s throws(HistoryError) in
            var findings: [StoredFinding] = []
            for row in try await s.rows("SELECT \(HistorySchema.findingColumns) FROM findings WHERE scan_id = $1 ORDER BY id",
                                        [.integer(scan)], doing: "reading the findings of scan \(scan)") {
                findings.append(try RowCoding.finding(PostgresSession.values(row)))
            }
            return findings
        }
    }

    public func errors(scan: Int64) async throws(HistoryError) -> [StoredError] {
        try await withSession { s throws(HistoryError) in
            var errors: [StoredError] = []
            for row in try await s.rows("SELECT \(HistorySchema.errorColumns) FROM scan_errors WHERE scan_id = $1 ORDER BY id",
                                        [.integer(scan)], doing: "reading the errors of scan \(scan)") {
                errors.append(try RowCoding.error(PostgresSession.values(row)))
            }
            return errors
        }
    }

    public func accounts(scan: Int64) async throws(HistoryError) -> [AccountRecord] {
        try await withSession { s throws(HistoryError) in
            var accounts: [AccountRecord] = []
            for row in try await s.rows("SELECT \(HistorySchema.accountColumns) FROM scan_accounts WHERE scan_id = $1 ORDER BY account_id",
                                        [.integer(scan)], doing: "reading the accounts of scan \(scan)") {
                accounts.append(try RowCoding.account(PostgresSession.values(row)))
            }
            return accounts
        }
    }

    public func metrics(scan: Int64) async throws(HistoryError) -> Data? {
        try await withSession { s throws(HistoryError) in
            try await s.rows("SELECT metrics FROM scans WHERE id = $1", [.integer(scan)], doing: "reading the metrics of scan \(scan)")
                .first.flatMap { PostgresSession.values($0).text("metrics") }.map { Data($0.utf8) }
        }
    }

    public func resumableScan(kind: ScanKind, target: String, parameters: String, runId: String?) async throws(HistoryError) -> ScanRecord? {
        let id: Int64? = try await withSession { s throws(HistoryError) in
            let rows: [PostgresRow]
            if let runId {
                rows = try await s.rows("SELECT id FROM scans WHERE run_id = $1", [.text(runId)], doing: "looking for run \(runId)")
            } else {
                rows = try await s.rows("""
                    SELECT id FROM scans WHERE kind = $1 AND target = $2 AND parameters = $3 AND state IN ('running', 'interrupted')
                    ORDER BY id DESC LIMIT 1
                    """, [.text(kind.rawValue), .text(target), .text(parameters)], doing: "looking for a scan to resume")
            }
            return rows.first.flatMap { PostgresSession.values($0).integer("id") }
        }
        guard let id else { return nil }
        return try await scan(id)
    }

    public func recordHunt(_ hunt: NewHuntRun) async throws(HistoryError) -> HuntRunRecord {
        let action = "storing hunt run \(hunt.run.huntKey) shard \(hunt.run.shard)"
        let id: Int64 = try await withSession { s throws(HistoryError) in
            try await s.transaction(doing: action) { t throws(HistoryError) in
                let insert = RowCoding.insert("hunt_runs", HistorySchema.huntRunColumns, dollar: true) + " RETURNING id"
                guard let id = try await t.rows(insert, RowCoding.values(hunt.run), doing: action).first
                    .flatMap({ PostgresSession.values($0).integer("id") }) else {
                    throw HistoryError(.query, "\(action) in \(location) returned no run id")
                }
                try await t.insert("hunt_alerts", "run_id, " + HistorySchema.huntAlertColumns,
                                   hunt.alerts.map { RowCoding.values($0, run: id) }, doing: action)
                return id
            }
        }
        var run = hunt.run
        run.id = id
        run.alerts = hunt.alerts.count
        return run
    }

    public func huntRuns(key: String?, limit: Int?) async throws(HistoryError) -> [HuntRunRecord] {
        try await withSession { s throws(HistoryError) in
            var runs: [HuntRunRecord] = []
            for row in try await s.rows(HistorySchema.huntRunsQuery(byKey: key != nil, dollar: true, limit: limit),
                                        key.map { [.text($0)] } ?? [], doing: "listing hunt runs") {
                runs.append(try RowCoding.huntRun(PostgresSession.values(row)))
            }
            return runs
        }
    }

    public func huntAlerts(runs: [Int64], eventIds: Bool) async throws(HistoryError) -> [Int64: [HuntAlertRecord]] {
        guard !runs.isEmpty else { return [:] }
        return try await withSession { s throws(HistoryError) in
            var alerts: [Int64: [HuntAlertRecord]] = [:]
            for row in try await s.rows(HistorySchema.huntAlertsQuery(runs: runs, eventIds: eventIds), doing: "reading hunt alerts") {
                let values = PostgresSession.values(row)
                guard let run = values.integer("run_id") else { continue }
                alerts[run, default: []].append(try RowCoding.huntAlert(values))
            }
            return alerts
        }
    }

    public func close() async {
        await pool.close()
    }

    // MARK: - Plumbing

    /// Runs `body` on a leased connection. A connection whose statement failed is closed rather
    /// than reused: it may sit in an aborted transaction or a half-read result.
    func withSession<T: Sendable>(_ body: (PostgresSession) async throws(HistoryError) -> T) async throws(HistoryError) -> T {
        let connection = try await pool.lease()
        let session = PostgresSession(connection: connection, location: location, logger: logger)
        do {
            let value = try await body(session)
            await pool.release(connection, reusable: true)
            return value
        } catch {
            await pool.release(connection, reusable: false)
            throw error
        }
    }

    /// Runs raw SQL (tests build old schemas and odd rows with it).
    func execute(_ sql: String) async throws(HistoryError) {
        try await withSession { s throws(HistoryError) in _ = try await s.rows(sql, doing: "running SQL") }
    }

    static func addCounts(_ s: PostgresSession, to scans: inout [ScanRecord]) async throws(HistoryError) {
        guard !scans.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: scans.enumerated().map { ($0.element.id, $0.offset) })
        for row in try await s.rows(HistorySchema.countsQuery(ids: scans.map(\.id)), doing: "counting findings") {
            let values = PostgresSession.values(row)
            guard let scan = values.integer("scan_id"), let position = index[scan], let key = values.text("k"),
                  let n = values.integer("n") else { continue }
            RowCoding.apply(count: key, Int(n), to: &scans[position])
        }
    }
}
