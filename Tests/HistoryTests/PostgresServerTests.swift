import Foundation
import History
@testable import HistoryPostgres
import Testing

/// PostgreSQL-only behaviour against the test server: workers migrating at once, server-side
/// refusals turned into messages a user can act on, big accounts in batches.
@Suite("PostgreSQL store on a real server",
       .enabled(if: PostgresTestServer.available,
                "MAMORI_TEST_POSTGRES_URL is not set: no PostgreSQL server for the tests (run scripts/setup-postgres.sh start, or scripts/test.sh)"))
struct PostgresServerTests {
    /// The test server's URL with one part replaced.
    func url(user: String? = nil, database: String? = nil) throws -> String {
        let base = try #require(PostgresTestServer.url)
        var components = try #require(URLComponents(string: base))
        if let user { components.user = user }
        if let database { components.path = "/" + database }
        return try #require(components.string)
    }

    /// Six shard workers open a fresh schema at once: each migration runs once, nobody fails.
    @Test func concurrentMigrationsRunOnce() async throws {
        try await withDatabase(.postgres) { database in
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let store = try await PostgresHistoryStore(url: database.postgresURL, maximumConnections: 1)
                        let applied = try await store.appliedMigrations()
                        await store.close()
                        return applied
                    }
                }
                var all: [[String]] = []
                for try await applied in group { all.append(applied) }
                return all
            }
            #expect(applied == Array(repeating: ["v1-initial", "v2-uids-runs", "v3-hunts"], count: 6))
            let store = try await PostgresHistoryStore(url: database.postgresURL)
            #expect(try await store.appliedMigrations() == ["v1-initial", "v2-uids-runs", "v3-hunts"])
            await store.close()
        }
    }

    /// The test server has no TLS: `prefer` (the default) falls back to plain TCP, `require` refuses.
    @Test func sslModesAgainstAServerWithoutTLS() async throws {
        let base = try url().replacingOccurrences(of: "sslmode=disable", with: "")
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        try await withDatabase(.postgres) { database in
            let prefer = try await PostgresHistoryStore(url: base + separator + "sslmode=prefer&schema=\(database.schema)")
            #expect(try await prefer.appliedMigrations() == ["v1-initial", "v2-uids-runs", "v3-hunts"])
            await prefer.close()
        }
        let error = await #expect(throws: HistoryError.self) {
            _ = try await PostgresHistoryStore(url: base + separator + "sslmode=require")
        }
        #expect(error?.kind == .open)
        #expect(error?.description.hasPrefix("PostgreSQL at 127.0.0.1:") == true)
        #expect(error?.description.hasSuffix("does not offer TLS but the --db URL asks for sslmode=require; enable TLS on the server, or use sslmode=disable on a trusted network") == true)
    }

    /// Workers joining a run take turns on a lock instead of racing inserts, so joins burn no
    /// sequence numbers: after eight workers start one run, the next scan is scan 2.
    @Test func runJoinsLeaveNoGapsInScanIds() async throws {
        try await withStore(.postgres) { store, _ in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.beginScan(Sample.newScan(runId: "no-gaps", kind: .org, target: "org:111122223333")).id }
                }
                var ids: Set<Int64> = []
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(ids == [1])
            #expect(try await store.beginScan(Sample.newScan()).id == 2)
        }
    }

    /// A role that owns only its schema (no CREATE on the database, PostgreSQL's default for
    /// non-owners) can use it; in a schema it does not own it gets the permission message.
    @Test func roleWithOnlyItsOwnSchema() async throws {
        let role = "mamori_role_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await PostgresHistoryStore(location: try PostgresLocation(url: try url()), upTo: nil, maximumConnections: 1, migrate: false)
        try await admin.execute("CREATE ROLE \(role) LOGIN")
        try await admin.execute("CREATE SCHEMA \(role) AUTHORIZATION \(role)")
        do {
            let base = try url(user: role)
            let store = try await PostgresHistoryStore(url: base + "&schema=\(role)")
            let scan = try await store.beginScan(Sample.newScan())
            #expect(scan.id == 1)
            await store.close()
            let error = await #expect(throws: HistoryError.self) {
                _ = try await PostgresHistoryStore(url: base + "&schema=\(role)_other")
            }
            #expect(error?.description.contains("user '\(role)' may not do this at 127.0.0.1:") == true)
            #expect(error?.description.contains("permission denied for database") == true)
        } catch {
            Issue.record(error)
        }
        try await admin.execute("DROP SCHEMA \(role) CASCADE")
        try await admin.execute("DROP ROLE \(role)")
        await admin.close()
    }

    /// A role that may only read (USAGE on the schema, SELECT on the tables) opens a migrated
    /// store and lists its scans: opening writes nothing when there is nothing to migrate.
    @Test func readOnlyRoleOpensAMigratedStore() async throws {
        let role = "mamori_reader_\(UInt32.random(in: 0...UInt32.max))"
        try await withStore(.postgres) { store, database in
            _ = try await store.beginScan(Sample.newScan())
            let admin = try await PostgresHistoryStore(location: try PostgresLocation(url: try url()), upTo: nil, maximumConnections: 1, migrate: false)
            try await admin.execute("CREATE ROLE \(role) LOGIN")
            try await admin.execute("GRANT USAGE ON SCHEMA \(database.schema) TO \(role)")
            try await admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA \(database.schema) TO \(role)")
            do {
                let reader = try await PostgresHistoryStore(url: try url(user: role) + "&schema=\(database.schema)")
                #expect(try await reader.scans(limit: nil).map(\.id) == [1])
                await reader.close()
            } catch {
                Issue.record(error)
            }
            try await admin.execute("DROP OWNED BY \(role)")
            try await admin.execute("DROP ROLE \(role)")
            await admin.close()
        }
    }

    @Test func missingDatabaseIsNamed() async throws {
        let error = await #expect(throws: HistoryError.self) {
            _ = try await PostgresHistoryStore(url: try url(database: "no_such_history"))
        }
        #expect(error?.kind == .open)
        #expect(error?.description.hasPrefix("database 'no_such_history' does not exist at 127.0.0.1:") == true)
        #expect(error?.description.contains("createdb -h 127.0.0.1") == true)
    }

    @Test func unknownRoleIsRefusedWithTheReason() async throws {
        let error = await #expect(throws: HistoryError.self) {
            _ = try await PostgresHistoryStore(url: try url(user: "nobody_here"))
        }
        #expect(error?.kind == .open)
        #expect(error?.description.contains("refused user 'nobody_here'") == true)
        #expect(error?.description.contains(#"role "nobody_here" does not exist"#) == true)
    }

    @Test func aStoreThatIsClosedSaysSo() async throws {
        try await withDatabase(.postgres) { database in
            let store = try await PostgresHistoryStore(url: database.postgresURL)
            await store.close()
            let error = await #expect(throws: HistoryError.self) { _ = try await store.scans(limit: nil) }
            #expect(error?.description.hasSuffix("is closed") == true)
        }
    }

    /// 2,345 findings and 1,001 errors: more than one INSERT batch each, all back in order.
    @Test func bigAccountInBatches() async throws {
        try await withStore(.postgres) { store, _ in
            let scan = try await store.beginScan(Sample.newScan())
            let findings = (0..<2345).map { n in
                StoredFinding(finding: Sample.finding("check-\(n % 7)", severity: n % 2 == 0 ? .high : .low,
                                                      resource: "arn:aws:s3:::bucket-\(n)"), mutedReason: n % 100 == 0 ? "muted \(n)" : nil)
            }
            let errors = (0..<1001).map { n in Sample.error(resource: "arn:aws:s3:::bucket-\(n)") }
            try await store.record(AccountResult(account: Sample.accountRecord(), findings: findings, errors: errors), scan: scan.id)
            #expect(try await store.findings(scan: scan.id) == findings)
            #expect(try await store.errors(scan: scan.id) == errors)
            let counted = try #require(try await store.scan(scan.id))
            // Even n are high, odd low; n divisible by 100 (0, 100, …, 2300: 24 of them, all even) are muted.
            #expect(counted.failing == ["high": 1173 - 24, "low": 1172])
            #expect(counted.muted == 24)
            #expect(counted.errors == 1001)
        }
    }

    /// Recording into a scan that does not exist fails with a message, not a crash.
    @Test func recordIntoMissingScan() async throws {
        try await withStore(.postgres) { store, _ in
            let error = await #expect(throws: HistoryError.self) {
                try await store.record(AccountResult(account: Sample.accountRecord(), findings: [], errors: []), scan: 4242)
            }
            #expect(error?.description.contains("storing account 111122223333 of scan 4242 failed") == true)
            // The failed transaction left nothing behind and the store still works.
            let scans = try await store.scans(limit: nil)
            #expect(scans.isEmpty)
        }
    }
}
