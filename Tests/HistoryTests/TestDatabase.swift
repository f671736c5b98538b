import Foundation
import GRDB
@testable import History
@testable import HistoryPostgres

/// The two history-store backends the contract tests run against.
enum Backend: String, Sendable {
    case sqlite, postgres
}

/// The PostgreSQL server for tests: `scripts/setup-postgres.sh start` prints its URL and
/// scripts/test.sh exports it. Unset means no server, and the PostgreSQL suites are skipped.
enum PostgresTestServer {
    static let url: String? = {
        let url = ProcessInfo.processInfo.environment["MAMORI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if url == nil {
            FileHandle.standardError.write(Data("""
                HistoryTests: MAMORI_TEST_POSTGRES_URL is not set, so the PostgreSQL store tests are skipped. \
                Run scripts/setup-postgres.sh start and export the URL it prints (scripts/test.sh does both).\n
                """.utf8))
        }
        return url
    }()

    static var available: Bool { url != nil }
}

/// One empty database for one test. SQLite: a file in a fresh temporary directory. PostgreSQL: a
/// fresh schema (`?schema=`) in the test server's database, so tests run in parallel without
/// seeing each other's rows. `open` may be called again to reopen the same database.
struct TestDatabase: Sendable {
    let backend: Backend
    let directory: URL
    let schema: String

    init(_ backend: Backend) {
        self.backend = backend
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-history-\(token)")
        schema = "mamori_test_\(token.prefix(16))"
    }

    var sqlitePath: String { directory.appendingPathComponent("history.sqlite").path }

    var postgresURL: String {
        let base = PostgresTestServer.url ?? "postgres://unset@127.0.0.1/unset"
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    func open(upTo: String? = nil) async throws(HistoryError) -> any HistoryStore {
        switch backend {
        case .sqlite: return try SQLiteHistoryStore(path: sqlitePath, upTo: upTo)
        case .postgres: return try await PostgresHistoryStore(url: postgresURL, upTo: upTo)
        }
    }

    /// Runs raw SQL on the store's database (old-schema rows, a newer Mamori's bookkeeping).
    func execute(_ sql: String, on store: any HistoryStore) async throws {
        switch store {
        case let sqlite as SQLiteHistoryStore: try await sqlite.pool.write { db in try db.execute(sql: sql) }
        case let postgres as PostgresHistoryStore: try await postgres.execute(sql)
        default: throw HistoryError(.unsupported, "unknown store \(type(of: store))")
        }
    }

    /// Applied migration ids, in order.
    func appliedMigrations(_ store: any HistoryStore) async throws -> [String] {
        switch store {
        case let sqlite as SQLiteHistoryStore: try sqlite.appliedMigrations()
        case let postgres as PostgresHistoryStore: try await postgres.appliedMigrations()
        default: throw HistoryError(.unsupported, "unknown store \(type(of: store))")
        }
    }

    /// Records a schema step this Mamori does not know, as a newer Mamori would have.
    func addFutureMigration(_ id: String, on store: any HistoryStore) async throws {
        switch backend {
        case .sqlite: try await execute("INSERT INTO grdb_migrations (identifier) VALUES ('\(id)')", on: store)
        case .postgres: try await execute("INSERT INTO mamori_migrations (id, applied_at) VALUES ('\(id)', 4102444800)", on: store)
        }
    }

    func remove() async {
        switch backend {
        case .sqlite:
            try? FileManager.default.removeItem(at: directory)
        case .postgres:
            guard let location = try? PostgresLocation(url: postgresURL),
                  let store = try? await PostgresHistoryStore(location: location, upTo: nil, maximumConnections: 1, migrate: false) else { return }
            try? await store.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            await store.close()
        }
    }
}

/// Runs `body` with a store on a fresh database, then closes the store and removes the database.
func withStore(_ backend: Backend, _ body: (any HistoryStore, TestDatabase) async throws -> Void) async throws {
    let database = TestDatabase(backend)
    do {
        let store = try await database.open()
        do { try await body(store, database) } catch { await store.close(); throw error }
        await store.close()
    } catch {
        await database.remove()
        throw error
    }
    await database.remove()
}

/// Runs `body` with a fresh database (opened by the body, perhaps several times), then removes it.
func withDatabase(_ backend: Backend, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = TestDatabase(backend)
    do { try await body(database) } catch { await database.remove(); throw error }
    await database.remove()
}
