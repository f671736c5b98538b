/// The history schema, one list of migrations per database. Both stores keep the same tables and
/// columns; only the DDL dialect differs (integer keys, real numbers). Times are seconds since 1970
/// (REAL / DOUBLE PRECISION), JSON is text. Migrations are append-only: never edit a shipped one.
public enum HistorySchema {
    /// A named step from one schema version to the next.
    public struct Migration: Sendable {
        public var id: String
        public var sqlite: [String]
        public var postgres: [String]
    }

    /// The first schema, written once: `{serial}`, `{ref}` and `{real}` become each database's types.
    static let v1: [String] = [
        """
        CREATE TABLE scans (
          id {serial},
          kind TEXT NOT NULL,
          target TEXT NOT NULL,
          parameters TEXT NOT NULL DEFAULT '',
          started_at {real} NOT NULL,
          finished_at {real},
          state TEXT NOT NULL,
          tool_version TEXT NOT NULL,
          metrics TEXT)
        """,
        """
        CREATE TABLE scan_accounts (
          scan_id {ref} NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
          account_id TEXT NOT NULL,
          name TEXT,
          ou_path TEXT,
          state TEXT NOT NULL,
          finished_at {real} NOT NULL,
          inventory TEXT NOT NULL DEFAULT '{}',
          PRIMARY KEY (scan_id, account_id))
        """,
        """
        CREATE TABLE findings (
          id {serial},
          scan_id {ref} NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
          account_id TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          check_id TEXT NOT NULL,
          title TEXT NOT NULL,
          severity TEXT NOT NULL,
          status TEXT NOT NULL,
          region TEXT NOT NULL,
          resource TEXT NOT NULL,
          resource_type TEXT NOT NULL,
          message TEXT NOT NULL,
          remediation TEXT NOT NULL,
          muted_reason TEXT)
        """,
        "CREATE INDEX findings_by_scan ON findings(scan_id, account_id)",
        """
        CREATE TABLE scan_errors (
          id {serial},
          scan_id {ref} NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
          account_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          service TEXT NOT NULL,
          operation TEXT NOT NULL,
          region TEXT NOT NULL,
          resource TEXT,
          message TEXT NOT NULL)
        """,
        "CREATE INDEX errors_by_scan ON scan_errors(scan_id, account_id)",
    ]

    /// Renames and moves (resource unique ids), shared runs of sharded scans, per-account metrics:
    /// the same statements in both dialects.
    static let v2: [String] = [
        "ALTER TABLE findings ADD COLUMN resource_uid TEXT",
        "ALTER TABLE scans ADD COLUMN run_id TEXT",
        "CREATE UNIQUE INDEX scans_by_run ON scans(run_id)",
        "ALTER TABLE scan_accounts ADD COLUMN metrics TEXT",
    ]

    /// `mamori hunt --db`: one row per run (a shard of a hunt; shards share `hunt_key`) and its
    /// alerts. Lists (accounts, regions, …, event ids) are JSON arrays; `first_seen`/`last_seen`
    /// are ISO 8601 UTC text, which sorts in time order.
    static let v3: [String] = [
        """
        CREATE TABLE hunt_runs (
          id {serial},
          hunt_key TEXT NOT NULL,
          shard_index BIGINT NOT NULL,
          shard_count BIGINT NOT NULL,
          started_at {real} NOT NULL,
          finished_at {real} NOT NULL,
          sources TEXT NOT NULL,
          since {real},
          until {real},
          parameters TEXT NOT NULL DEFAULT '',
          events_read BIGINT NOT NULL,
          files BIGINT NOT NULL,
          unread TEXT NOT NULL,
          exit_status BIGINT NOT NULL,
          tool_version TEXT NOT NULL)
        """,
        "CREATE INDEX hunt_runs_by_key ON hunt_runs(hunt_key, id)",
        """
        CREATE TABLE hunt_alerts (
          id {serial},
          run_id {ref} NOT NULL REFERENCES hunt_runs(id) ON DELETE CASCADE,
          rule_id TEXT NOT NULL,
          title TEXT NOT NULL,
          level TEXT NOT NULL,
          actor TEXT NOT NULL,
          actor_type TEXT NOT NULL,
          account TEXT NOT NULL,
          accounts TEXT NOT NULL,
          first_seen TEXT NOT NULL,
          last_seen TEXT NOT NULL,
          count BIGINT NOT NULL,
          regions TEXT NOT NULL,
          source_ips TEXT NOT NULL,
          user_agents TEXT NOT NULL,
          event_names TEXT NOT NULL,
          event_ids TEXT NOT NULL,
          event_ids_truncated BIGINT NOT NULL)
        """,
        "CREATE INDEX hunt_alerts_by_run ON hunt_alerts(run_id)",
    ]

    public static let migrations: [Migration] = [
        Migration(id: "v1-initial", sqlite: v1.map { SQLDialect.sqlite.render($0) }, postgres: v1.map { SQLDialect.postgres.render($0) }),
        Migration(id: "v2-uids-runs", sqlite: v2, postgres: v2),
        Migration(id: "v3-hunts", sqlite: v3.map { SQLDialect.sqlite.render($0) }, postgres: v3.map { SQLDialect.postgres.render($0) }),
    ]

    /// Column lists shared by both stores' queries.
    public static let findingColumns = "account_id, fingerprint, check_id, title, severity, status, region, resource, resource_type, message, remediation, muted_reason, resource_uid"
    public static let errorColumns = "account_id, kind, service, operation, region, resource, message"
    public static let accountColumns = "account_id, name, ou_path, state, finished_at, inventory, metrics"
    public static let scanColumns = "id, run_id, kind, target, parameters, started_at, finished_at, state, tool_version"
    public static let huntRunColumns = "hunt_key, shard_index, shard_count, started_at, finished_at, sources, since, until, parameters, events_read, files, unread, exit_status, tool_version"
    public static let huntAlertColumns = "rule_id, title, level, actor, actor_type, account, accounts, first_seen, last_seen, count, regions, source_ips, user_agents, event_names, event_ids, event_ids_truncated"

    /// Hunt runs (all, or one hunt key's: `$1`/`?`), newest first, with their alert counts.
    public static func huntRunsQuery(byKey: Bool, dollar: Bool, limit: Int?) -> String {
        "SELECT id, \(huntRunColumns), (SELECT COUNT(*) FROM hunt_alerts a WHERE a.run_id = hunt_runs.id) AS alert_count FROM hunt_runs"
            + (byKey ? " WHERE hunt_key = \(dollar ? "$1" : "?")" : "") + " ORDER BY id DESC" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
    }

    /// The alerts of some runs (integer ids only), in the order stored. Without `eventIds` the
    /// (largest) column reads as an empty list: lists of hunts need only who and what.
    public static func huntAlertsQuery(runs: [Int64], eventIds: Bool) -> String {
        let columns = eventIds ? huntAlertColumns : huntAlertColumns.replacingOccurrences(of: "event_ids,", with: "'[]' AS event_ids,")
        return "SELECT run_id, \(columns) FROM hunt_alerts WHERE run_id IN (\(runs.map(String.init).joined(separator: ","))) ORDER BY id"
    }

    /// Per-scan counts for `scans()`: failing not-muted findings by severity, muted, errors,
    /// accounts, pending accounts; rows `(scan_id, k, n)`. `ids` is a list of scan ids (integers
    /// only): each branch filters by it so the indexes are used, not the whole history.
    public static func countsQuery(ids: [Int64]) -> String {
        let list = ids.map(String.init).joined(separator: ",")
        return """
            SELECT scan_id, 'f:' || severity AS k, COUNT(*) AS n FROM findings WHERE scan_id IN (\(list)) AND status = 'fail' AND muted_reason IS NULL GROUP BY scan_id, severity
            UNION ALL SELECT scan_id, 'muted', COUNT(*) FROM findings WHERE scan_id IN (\(list)) AND muted_reason IS NOT NULL GROUP BY scan_id
            UNION ALL SELECT scan_id, 'errors', COUNT(*) FROM scan_errors WHERE scan_id IN (\(list)) GROUP BY scan_id
            UNION ALL SELECT scan_id, 'accounts', COUNT(*) FROM scan_accounts WHERE scan_id IN (\(list)) AND state <> 'pending' GROUP BY scan_id
            UNION ALL SELECT scan_id, 'pending', COUNT(*) FROM scan_accounts WHERE scan_id IN (\(list)) AND state = 'pending' GROUP BY scan_id
            """
    }
}

/// The two SQL dialects of the history store.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// Replaces the type placeholders of a shared statement.
    func render(_ statement: String) -> String {
        let types: [(String, String)] = switch self {
        case .sqlite: [("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT"), ("{ref}", "INTEGER"), ("{real}", "REAL")]
        case .postgres: [("{serial}", "BIGSERIAL PRIMARY KEY"), ("{ref}", "BIGINT"), ("{real}", "DOUBLE PRECISION")]
        }
        return types.reduce(statement) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }
}
