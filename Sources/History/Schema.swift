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

    public static let migrations: [Migration] = [
        Migration(id: "v1-initial", sqlite: v1.map { SQLDialect.sqlite.render($0) }, postgres: v1.map { SQLDialect.postgres.render($0) }),
        Migration(id: "v2-uids-runs", sqlite: v2, postgres: v2),
    ]

    /// Column lists shared by both stores' queries.
    public static let findingColumns = "account_id, fingerprint, check_id, title, severity, status, region, resource, resource_type, message, remediation, muted_reason, resource_uid"
    public static let errorColumns = "account_id, kind, service, operation, region, resource, message"
    public static let accountColumns = "account_id, name, ou_path, state, finished_at, inventory, metrics"
    public static let scanColumns = "id, run_id, kind, target, parameters, started_at, finished_at, state, tool_version"

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
