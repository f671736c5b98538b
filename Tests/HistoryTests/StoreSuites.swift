import Testing

/// The store contract on SQLite (a temporary file per test).
@Suite("History store contract: SQLite")
struct SQLiteStoreTests {
    @Test func roundTripsEveryField() async throws { try await StoreContract.roundTripsEveryField(.sqlite) }
    @Test func countsScans() async throws { try await StoreContract.countsScans(.sqlite) }
    @Test func recordReplacesAccount() async throws { try await StoreContract.recordReplacesAccount(.sqlite) }
    @Test func beginScanJoinsRun() async throws { try await StoreContract.beginScanJoinsRun(.sqlite) }
    @Test func concurrentBeginScanMakesOneRow() async throws { try await StoreContract.concurrentBeginScanMakesOneRow(.sqlite) }
    @Test func countsPendingAccounts() async throws { try await StoreContract.countsPendingAccounts(.sqlite) }
    @Test func shardWorkersShareOneScan() async throws { try await StoreContract.shardWorkersShareOneScan(.sqlite) }
    @Test func resumableScan() async throws { try await StoreContract.resumableScan(.sqlite) }
    @Test func migratesFromFirstSchema() async throws { try await StoreContract.migratesFromFirstSchema(.sqlite) }
    @Test func refusesUnknownMigration() async throws { try await StoreContract.refusesUnknownMigration(.sqlite) }
    @Test func diffsStoredScans() async throws { try await StoreContract.diffsStoredScans(.sqlite) }
    @Test func huntShardsMerge() async throws { try await HuntStoreContract.shardsMergeIntoOneAlertPerDetectionAndActor(.sqlite) }
    @Test func huntMissingAndRerunShards() async throws { try await HuntStoreContract.missingAndRerunShards(.sqlite) }
    @Test func huntEventIdsAreBounded() async throws { try await HuntStoreContract.eventIdsAreBounded(.sqlite) }
    @Test func huntMigratesFromScanSchema() async throws { try await HuntStoreContract.migratesFromScanSchema(.sqlite) }
    @Test func huntKeys() { HuntStoreContract.derivedKeys() }
}

/// The same contract on a real PostgreSQL server (a fresh schema per test). Skipped, with the
/// reason, when MAMORI_TEST_POSTGRES_URL is unset: scripts/setup-postgres.sh starts a server and
/// prints the URL, and scripts/test.sh exports it.
@Suite("History store contract: PostgreSQL",
       .enabled(if: PostgresTestServer.available,
                "MAMORI_TEST_POSTGRES_URL is not set: no PostgreSQL server for the tests (run scripts/setup-postgres.sh start, or scripts/test.sh)"))
struct PostgresStoreTests {
    @Test func roundTripsEveryField() async throws { try await StoreContract.roundTripsEveryField(.postgres) }
    @Test func countsScans() async throws { try await StoreContract.countsScans(.postgres) }
    @Test func recordReplacesAccount() async throws { try await StoreContract.recordReplacesAccount(.postgres) }
    @Test func beginScanJoinsRun() async throws { try await StoreContract.beginScanJoinsRun(.postgres) }
    @Test func concurrentBeginScanMakesOneRow() async throws { try await StoreContract.concurrentBeginScanMakesOneRow(.postgres) }
    @Test func countsPendingAccounts() async throws { try await StoreContract.countsPendingAccounts(.postgres) }
    @Test func shardWorkersShareOneScan() async throws { try await StoreContract.shardWorkersShareOneScan(.postgres) }
    @Test func resumableScan() async throws { try await StoreContract.resumableScan(.postgres) }
    @Test func migratesFromFirstSchema() async throws { try await StoreContract.migratesFromFirstSchema(.postgres) }
    @Test func refusesUnknownMigration() async throws { try await StoreContract.refusesUnknownMigration(.postgres) }
    @Test func diffsStoredScans() async throws { try await StoreContract.diffsStoredScans(.postgres) }
    @Test func huntShardsMerge() async throws { try await HuntStoreContract.shardsMergeIntoOneAlertPerDetectionAndActor(.postgres) }
    @Test func huntMissingAndRerunShards() async throws { try await HuntStoreContract.missingAndRerunShards(.postgres) }
    @Test func huntEventIdsAreBounded() async throws { try await HuntStoreContract.eventIdsAreBounded(.postgres) }
    @Test func huntMigratesFromScanSchema() async throws { try await HuntStoreContract.migratesFromScanSchema(.postgres) }
}
