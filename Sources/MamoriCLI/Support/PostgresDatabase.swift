import History
import HistoryPostgres

/// The PostgreSQL history store for `--db postgres://…`.
enum PostgresDatabase {
    static func open(_ url: String) async throws -> any HistoryStore {
        try await PostgresHistoryStore(url: url)
    }
}
