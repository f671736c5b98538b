import History

/// The PostgreSQL history store (filled in when HistoryPostgres lands).
enum PostgresDatabase {
    static func open(_ url: String) async throws -> any HistoryStore {
        throw HistoryError(.unsupported, "PostgreSQL history stores are not available in this build")
    }
}
