import ArgumentParser
import Foundation
import History
import ScanEngine

/// Where scans are stored: `--db`, else `$MAMORI_DB`, else `~/.mamori/mamori.sqlite`.
struct HistoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("History store: a SQLite file, or postgres://user@host:5432/db for a shared PostgreSQL (default ~/.mamori/mamori.sqlite, or $MAMORI_DB).",
                               valueName: "path-or-url"))
    var db: String?

    /// The store's location as given, with `~` expanded.
    var location: String {
        let raw = db ?? ProcessInfo.processInfo.environment["MAMORI_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.mamori/mamori.sqlite"
        return HistoryDatabase.isPostgres(raw) ? raw : (raw as NSString).expandingTildeInPath
    }

    /// Whether a store was named (`--db` or `$MAMORI_DB`): commands that store only on request
    /// (`hunt`) use it; `scan` always stores.
    var named: Bool {
        db != nil || ProcessInfo.processInfo.environment["MAMORI_DB"].map { !$0.isEmpty } == true
    }

    func open() async throws -> any HistoryStore {
        try await HistoryDatabase.open(location)
    }
}

/// Opens a history store from a path or URL.
enum HistoryDatabase {
    static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    static func open(_ location: String) async throws -> any HistoryStore {
        do {
            if isPostgres(location) { return try await PostgresDatabase.open(location) }
            return try SQLiteHistoryStore(path: location)
        } catch let error as HistoryError {
            throw CLIError(error.description)
        }
    }

    /// A scan by id, or a clear error.
    static func scan(_ store: any HistoryStore, _ id: Int64) async throws -> ScanRecord {
        try await ScanHistory.scan(store, id)
    }

    /// The newest stored scan, or a clear error ending with what to do (`hint`).
    static func latest(_ store: any HistoryStore, hint: String) async throws -> ScanRecord {
        guard let newest = try await store.scans(limit: 1).first else { throw CLIError("no scans stored yet: \(hint)") }
        return newest
    }

    /// The newest finished scan of the same target before `scan`, for diffs and `--fail-on new`.
    static func previous(_ store: any HistoryStore, before scan: ScanRecord) async throws -> ScanRecord? {
        try await ScanHistory.previous(store, before: scan)
    }
}
