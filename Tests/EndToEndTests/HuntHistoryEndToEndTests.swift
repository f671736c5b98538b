import Foundation
import MamoriTestSupport
import Testing

/// `mamori hunt --db` through the real binary: two shards of one hunt stored in one SQLite file,
/// merged by `mamori history hunt KEY` into the alerts an unsharded run reports.
@Suite(.serialized) struct HuntHistoryEndToEndTests {
    func object(_ run: Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    }

    static let postgresURL = ProcessInfo.processInfo.environment["MAMORI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    @Test func shardsStoreIntoOneSQLiteFileAndMerge() throws {
        try shardsStoreIntoOneHuntAndMerge(db: Mamori.tempDir() + "/hunts.sqlite")
    }

    /// The same on PostgreSQL (a fresh schema of the test server), as shard workers on several machines would.
    @Test(.enabled(if: postgresURL != nil, "no PostgreSQL test server (scripts/setup-postgres.sh found none): hunt --db postgres:// not tested"))
    func shardsStoreIntoOnePostgreSQLAndMerge() throws {
        guard let url = Self.postgresURL else { return }
        let schema = "mamori_hunt_\(UInt32.random(in: 0...UInt32.max))"
        try shardsStoreIntoOneHuntAndMerge(db: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
    }

    func shardsStoreIntoOneHuntAndMerge(db: String) throws {
        let (trail, rule) = try HuntEndToEndTests.trail()
        let common = [trail, "--rule", rule, "--no-builtin-rules", "--format", "json", "--db", db]
        let whole = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--format", "json"])
        #expect(whole.status == 1, "\(whole.stderr)")

        // Shard 0 only: the hunt is stored, and reading it says shard 1 is missing (exit 3).
        let first = try Mamori.run(["hunt"] + common + ["--shard", "0/2"])
        #expect([0, 1].contains(first.status), "\(first.stderr)")
        let stored = try #require(first.stderr.split(separator: "\n").first { $0.contains("stored as hunt ") }, "\(first.stderr)")
        let key = try #require(stored.split(separator: " ").first { $0.hasPrefix("hunt-") }.map(String.init))
        let partial = try Mamori.run(["history", "hunt", key, "--db", db, "--format", "json"])
        #expect(partial.status == 3, "\(partial.stderr)")
        let partialJSON = try object(partial)
        #expect(partialJSON["missingShards"] as? [Int] == [1] && partialJSON["presentShards"] as? [Int] == [0])
        let table = try Mamori.run(["history", "hunt", key, "--db", db])
        #expect(table.status == 3 && table.stdout.contains("Missing shards: 1 of 0..1"), "\(table.stdout)")

        // Shard 1 of the same command line gets the same key; together they give what one run gave.
        let second = try Mamori.run(["hunt"] + common + ["--shard", "1/2"])
        #expect([0, 1].contains(second.status), "\(second.stderr)")
        #expect(second.stderr.contains("stored as hunt \(key) shard 1/2"), "\(second.stderr)")
        let merged = try Mamori.run(["history", "hunt", key, "--db", db, "--format", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let hunt = try object(merged)
        #expect(hunt["presentShards"] as? [Int] == [0, 1] && (hunt["missingShards"] as? [Int])?.isEmpty == true)
        #expect(hunt["complete"] as? Bool == true)
        let alerts = try #require(hunt["alerts"] as? [[String: Any]]).compactMap { $0["alert"] as? [String: Any] }
        let expected = try whole.json()
        #expect(alerts.count == expected.count)
        for want in expected {
            let got = try #require(alerts.first { $0["ruleId"] as? String == want["ruleId"] as? String && $0["actor"] as? String == want["actor"] as? String })
            #expect(Set(got["eventIds"] as? [String] ?? []) == Set(want["eventIds"] as? [String] ?? []))
            #expect(got["count"] as? Int == want["count"] as? Int)
            #expect(got["firstSeen"] as? String == want["firstSeen"] as? String && got["lastSeen"] as? String == want["lastSeen"] as? String)
            #expect(Set(got["regions"] as? [String] ?? []) == Set(want["regions"] as? [String] ?? []))
        }
        let key30 = try #require(alerts.first { $0["actor"] as? String == "AKIAIOSFODNN7EXAMPLE" })
        #expect(key30["count"] as? Int == 2 && key30["firstSeen"] as? String == "2026-01-30T01:00:00Z")

        // `mamori history` lists the hunt after the scans (none here); --kind hunt as JSON.
        let list = try Mamori.run(["history", "--db", db])
        #expect(list.status == 0 && list.stdout.contains("Hunts\n") && list.stdout.contains(key), "\(list.stdout)")
        let hunts = try Mamori.run(["history", "--db", db, "--kind", "hunt", "--format", "json"])
        let summary = try #require(try hunts.json().first)
        #expect(summary["huntKey"] as? String == key && summary["alerts"] as? Int == expected.count && summary["complete"] as? Bool == true)
        // Scans JSON is unchanged: still an array of scans (empty here).
        let scans = try Mamori.run(["history", "--db", db, "--format", "json"])
        #expect(try scans.json().isEmpty)
        let all = try Mamori.run(["history", "--db", db, "--kind", "all", "--format", "json"])
        let both = try object(all)
        #expect((both["scans"] as? [Any])?.isEmpty == true && (both["hunts"] as? [[String: Any]])?.first?["huntKey"] as? String == key)
    }

    @Test func huntIdNamesTheHuntAndBadInputIsRefused() throws {
        let (trail, rule) = try HuntEndToEndTests.trail()
        let db = Mamori.tempDir() + "/named.sqlite"
        let run = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--db", db, "--hunt-id", "jan-30"])
        #expect(run.status == 1 && run.stderr.contains("stored as hunt jan-30 shard 0/1"), "\(run.stderr)")
        #expect(try Mamori.run(["history", "hunt", "jan-30", "--db", db]).status == 0)
        let unknown = try Mamori.run(["history", "hunt", "nope", "--db", db])
        #expect(unknown.status == 2 && unknown.stderr.contains("no hunt 'nope'"), "\(unknown.stderr)")
        // --hunt-id without a store, and a malformed id, are usage errors.
        let noStore = try Mamori.run(["hunt", trail, "--hunt-id", "x"])
        #expect(noStore.status == 2 && noStore.stderr.contains("--hunt-id names the run in the history store"), "\(noStore.stderr)")
        let bad = try Mamori.run(["hunt", trail, "--db", db, "--hunt-id", "a b"])
        #expect(bad.status == 2 && bad.stderr.contains("--hunt-id 'a b'"), "\(bad.stderr)")
        // Without --db (and no $MAMORI_DB) nothing is stored: no file appears.
        let home = Mamori.tempDir()
        let plain = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules"], environment: Mamori.environment(home: home))
        #expect(plain.status == 1 && !plain.stderr.contains("stored as hunt"), "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home + "/.mamori"))
        // A store from a newer Mamori is refused before the trail is read, and left as it was.
        let migrate = try ChildProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')"); c.commit()
            """, db], deadline: 30, name: "sqlite3")
        #expect(migrate.status == 0, "\(String(decoding: migrate.stderr, as: UTF8.self))")
        let newer = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules", "--db", db])
        #expect(newer.status == 2 && newer.stderr.contains("'v99-future' from a newer Mamori"), "\(newer.stderr)")
        #expect(newer.stdout.isEmpty)
        // $MAMORI_DB stores like --db.
        let envDB = Mamori.tempDir() + "/env.sqlite"
        let viaEnv = try Mamori.run(["hunt", trail, "--rule", rule, "--no-builtin-rules"], environment: Mamori.environment(extra: ["MAMORI_DB": envDB]))
        #expect(viaEnv.stderr.contains("stored as hunt"), "\(viaEnv.stderr)")
        #expect(FileManager.default.fileExists(atPath: envDB))
    }
}
