import Foundation
import History

/// Applies `HistorySchema.migrations` (the PostgreSQL DDL) in order, recording each in
/// `mamori_migrations`. Every step runs in its own transaction under a database-wide advisory
/// lock, so shard workers starting together migrate once and the others wait, then see it done.
enum PostgresMigrator {
    /// The advisory lock key (any fixed 64-bit number; "mamorimg" in ASCII).
    static let lockKey: Int64 = 0x6d61_6d6f_7269_6d67

    static func migrate(_ session: PostgresSession, upTo: String?) async throws(HistoryError) {
        let all = HistorySchema.migrations
        var wanted = all
        if let upTo {
            guard let last = all.firstIndex(where: { $0.id == upTo }) else {
                throw HistoryError(.migration, "unknown schema step '\(upTo)'; known: \(all.map(\.id).joined(separator: ", "))")
            }
            wanted = Array(all[...last])
        }
        let location = session.location
        let known = Set(all.map(\.id))
        // The first transaction creates the bookkeeping (and schema), and refuses a database a
        // newer Mamori has migrated before anything is changed.
        var applied: Set<String> = try await session.transaction(doing: "preparing the history schema") { s throws(HistoryError) in
            try await lock(s)
            // Only when missing: even CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the
            // database, which a role given just its own schema does not have.
            if let schema = location.schema,
               try await s.rows("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(schema)], doing: "looking for schema \(schema)").isEmpty {
                try await s.rows("CREATE SCHEMA \(schema)", doing: "creating schema \(schema)")
            }
            // Likewise only when missing, so a read-only role (a dashboard's) can open a migrated store.
            if try await !s.rows("SELECT 1 WHERE to_regclass('mamori_migrations') IS NULL", doing: "looking for the migrations table").isEmpty {
                try await s.rows("CREATE TABLE mamori_migrations (id TEXT PRIMARY KEY, applied_at DOUBLE PRECISION)",
                                 doing: "creating the migrations table")
            }
            return try await appliedIDs(s)
        }
        if let unknown = applied.sorted().first(where: { !known.contains($0) }) {
            throw HistoryError(.migration, "the history database \(location) has schema step '\(unknown)' from a newer Mamori; upgrade Mamori or use another --db")
        }
        for migration in wanted where !applied.contains(migration.id) {
            applied = try await session.transaction(doing: "migrating to \(migration.id)") { s throws(HistoryError) in
                try await lock(s)
                // Another worker may have applied it while this one waited for the lock.
                let now = try await appliedIDs(s)
                guard !now.contains(migration.id) else { return now }
                for statement in migration.postgres {
                    try await s.rows(statement, doing: "migrating the history schema to \(migration.id)")
                }
                try await s.rows("INSERT INTO mamori_migrations (id, applied_at) VALUES ($1, $2)",
                                 [.text(migration.id), .real(Date().timeIntervalSince1970)], doing: "recording \(migration.id)")
                return now.union([migration.id])
            }
        }
    }

    /// Applied migration ids, oldest first.
    static func applied(_ session: PostgresSession) async throws(HistoryError) -> [String] {
        try await session.rows("SELECT id FROM mamori_migrations ORDER BY applied_at, id", doing: "reading the applied schema steps")
            .compactMap { PostgresSession.values($0).text("id") }
    }

    static func appliedIDs(_ session: PostgresSession) async throws(HistoryError) -> Set<String> {
        Set(try await applied(session))
    }

    static func lock(_ session: PostgresSession) async throws(HistoryError) {
        try await session.rows("SELECT pg_advisory_xact_lock($1)", [.integer(lockKey)], doing: "waiting for the schema lock")
    }
}
