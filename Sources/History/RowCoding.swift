import Foundation
import Inventory
import MamoriCore

/// A value bound into a statement; each store maps it to its driver's type.
public enum HistoryValue: Sendable, Hashable {
    case text(String)
    case real(Double)
    case integer(Int64)
    case null

    public static func optional(_ text: String?) -> HistoryValue { text.map(HistoryValue.text) ?? .null }
}

/// Reads one result row by column name; each store wraps its driver's row in one.
public struct RowValues {
    public let text: (String) -> String?
    public let real: (String) -> Double?
    public let integer: (String) -> Int64?

    public init(text: @escaping (String) -> String?, real: @escaping (String) -> Double?, integer: @escaping (String) -> Int64?) {
        self.text = text
        self.real = real
        self.integer = integer
    }

    func required(_ column: String) throws(HistoryError) -> String {
        guard let value = text(column) else { throw HistoryError(.query, "the history store has a row without \(column); is it a Mamori database?") }
        return value
    }

    func decoded<T>(_ column: String, _ make: (String) -> T?) throws(HistoryError) -> T {
        let raw = try required(column)
        guard let value = make(raw) else { throw HistoryError(.query, "the history store has an unknown \(column) '\(raw)' (written by a newer Mamori?)") }
        return value
    }
}

/// The one mapping between records and columns, used by both stores.
public enum RowCoding {
    public static func values(_ stored: StoredFinding, scan: Int64) -> [HistoryValue] {
        let f = stored.finding
        return [.integer(scan), .text(f.account), .text(stored.fingerprint), .text(f.check), .text(f.title), .text(f.severity.rawValue),
                .text(f.status.rawValue), .text(f.region), .text(f.resource), .text(f.resourceType), .text(f.message),
                .text(f.remediation), .optional(stored.mutedReason), .optional(stored.resourceUid)]
    }

    public static func values(_ stored: StoredError, scan: Int64) -> [HistoryValue] {
        let e = stored.error
        return [.integer(scan), .text(stored.account), .text(e.kind.rawValue), .text(e.service), .text(e.operation),
                .text(e.region), .optional(e.resource), .text(e.message)]
    }

    public static func values(_ account: AccountRecord, scan: Int64) -> [HistoryValue] {
        [.integer(scan), .text(account.accountId), .optional(account.name), .optional(account.ouPath), .text(account.state.rawValue),
         .real(account.finishedAt.timeIntervalSince1970), .text(json(account.inventory)),
         .optional(account.metrics.flatMap { String(data: $0, encoding: .utf8) })]
    }

    public static func finding(_ row: RowValues) throws(HistoryError) -> StoredFinding {
        let uid = row.text("resource_uid")
        let finding = Finding(check: try row.required("check_id"), title: try row.required("title"),
                              severity: try row.decoded("severity", Severity.init(rawValue:)),
                              status: try row.decoded("status", FindingStatus.init(rawValue:)),
                              account: try row.required("account_id"), region: try row.required("region"),
                              resource: try row.required("resource"), resourceType: try row.required("resource_type"),
                              message: try row.required("message"), remediation: try row.required("remediation"), resourceUid: uid)
        return StoredFinding(fingerprint: try row.required("fingerprint"), finding: finding, resourceUid: uid, mutedReason: row.text("muted_reason"))
    }

    public static func error(_ row: RowValues) throws(HistoryError) -> StoredError {
        StoredError(account: try row.required("account_id"), error: CollectionError(
            kind: try row.decoded("kind", CollectionError.Kind.init(rawValue:)), service: try row.required("service"),
            operation: try row.required("operation"), region: try row.required("region"), resource: row.text("resource"),
            message: try row.required("message")))
    }

    public static func account(_ row: RowValues) throws(HistoryError) -> AccountRecord {
        let inventory = (try? JSONDecoder().decode([String: Int].self, from: Data(try row.required("inventory").utf8))) ?? [:]
        return AccountRecord(accountId: try row.required("account_id"), name: row.text("name"), ouPath: row.text("ou_path"),
                             state: try row.decoded("state", AccountState.init(rawValue:)),
                             finishedAt: Date(timeIntervalSince1970: row.real("finished_at") ?? 0), inventory: inventory,
                             metrics: row.text("metrics").map { Data($0.utf8) })
    }

    /// A scan row; counts come from `countsQuery` and are filled in by `withCounts`.
    public static func scan(_ row: RowValues) throws(HistoryError) -> ScanRecord {
        guard let id = row.integer("id") else { throw HistoryError(.query, "the history store has a scan without an id") }
        return ScanRecord(id: id, runId: row.text("run_id"), kind: try row.decoded("kind", ScanKind.init(rawValue:)),
                          target: try row.required("target"), parameters: row.text("parameters") ?? "",
                          startedAt: Date(timeIntervalSince1970: row.real("started_at") ?? 0),
                          finishedAt: row.real("finished_at").map(Date.init(timeIntervalSince1970:)),
                          state: try row.decoded("state", ScanState.init(rawValue:)), toolVersion: try row.required("tool_version"))
    }

    /// Applies one `countsQuery` row (key, count) to a scan.
    public static func apply(count key: String, _ n: Int, to scan: inout ScanRecord) {
        switch key {
        case "muted": scan.muted = n
        case "errors": scan.errors = n
        case "accounts": scan.accounts = n
        case "pending": scan.pending = n
        default: if key.hasPrefix("f:") { scan.failing[String(key.dropFirst(2)), default: 0] += n }
        }
    }

    static func json(_ counts: [String: Int]) -> String {
        (try? StableJSON.encode(counts, .compact)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// `INSERT INTO table (columns) VALUES (?, ?, …)` or with `$1, $2, …` placeholders.
    public static func insert(_ table: String, _ columns: String, dollar: Bool) -> String {
        let count = columns.split(separator: ",").count
        let marks = (1...count).map { dollar ? "$\($0)" : "?" }.joined(separator: ", ")
        return "INSERT INTO \(table) (\(columns)) VALUES (\(marks))"
    }
}
