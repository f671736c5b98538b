import Foundation
import History
import Testing

/// Hunt runs in the history store (`mamori hunt --db`), run against each backend like
/// `StoreContract`. Expected merges are worked out by hand from the runs below.
enum HuntStoreContract {
    static func run(_ key: String, shard: Int, of count: Int, at offset: Double, events: Int = 100, unread: [UnreadPart] = [],
                    exit: Int = 1) -> HuntRunRecord {
        HuntRunRecord(id: 0, huntKey: key, shardIndex: shard, shardCount: count,
                      startedAt: Date(timeIntervalSince1970: 1_800_000_000 + offset), finishedAt: Date(timeIntervalSince1970: 1_800_000_060 + offset),
                      sources: ["./AWSLogs", "s3://trail/org"], since: Date(timeIntervalSince1970: 1_790_000_000), until: nil,
                      parameters: "rules=builtin", eventsRead: events, files: 3, unread: unread, exitStatus: exit, toolVersion: "0.9.0-test")
    }

    static func alert(_ rule: String = "r-stop", actor: String = "AKIAIOSFODNN7EXAMPLE", level: String = "high", first: String, last: String,
                      count: Int, regions: [String], ips: [String] = ["203.0.113.66"], ids: [String]) -> HuntAlertRecord {
        HuntAlertRecord(ruleId: rule, title: "Logging stopped", level: level, actor: actor, actorType: "access-key", account: "111122223333",
                        accounts: ["111122223333"], firstSeen: first, lastSeen: last, count: count, regions: regions, sourceIPs: ips,
                        userAgents: ["aws-cli/2.15.0"], eventNames: ["StopLogging"], eventIds: ids)
    }

    /// Two shards store their alerts; reading the key merges the same detection and actor into one.
    static func shardsMergeIntoOneAlertPerDetectionAndActor(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let a = alert(first: "2026-01-30T01:00:00Z", last: "2026-01-30T01:00:00Z", count: 1, regions: ["us-east-1"], ids: ["stop-30"])
            let b = alert(first: "2026-01-31T02:00:00Z", last: "2026-01-31T05:00:00Z", count: 2, regions: ["eu-west-1", "us-east-1"],
                          ips: ["198.51.100.7"], ids: ["stop-31", "stop-31b"])
            let only = alert("r-quarantine", actor: "arn:aws:sts::111122223333:assumed-role/ops/i-0abc", level: "critical",
                             first: "2026-01-31T03:00:00Z", last: "2026-01-31T03:00:00Z", count: 1, regions: ["eu-west-1"], ids: ["q-1"])
            let first = try await store.recordHunt(NewHuntRun(run: run("hunt-k", shard: 0, of: 2, at: 0), alerts: [a]))
            let unread = [UnreadPart(source: "s3://trail/org/AWSLogs/1/x.json.gz", reason: "cut off")]
            let second = try await store.recordHunt(NewHuntRun(run: run("hunt-k", shard: 1, of: 2, at: 10, events: 50, unread: unread, exit: 3),
                                                                alerts: [b, only]))
            #expect(second.id > first.id && first.alerts == 1 && second.alerts == 2)
            // Another hunt in the same store stays apart.
            _ = try await store.recordHunt(NewHuntRun(run: run("hunt-other", shard: 0, of: 1, at: 20, exit: 0), alerts: []))

            let runs = try await store.huntRuns(key: "hunt-k", limit: nil)
            #expect(runs.map(\.id) == [second.id, first.id])
            #expect(runs[0] == second)
            #expect(runs[1].sources == ["./AWSLogs", "s3://trail/org"] && runs[1].since == Date(timeIntervalSince1970: 1_790_000_000) && runs[1].until == nil)
            #expect(try await store.huntRuns(key: nil, limit: 2).map(\.huntKey) == ["hunt-other", "hunt-k"])

            let merged = try #require(try await store.mergedHunt(key: "hunt-k"))
            #expect(merged.shardCount == 2 && merged.presentShards == [0, 1] && merged.missingShards.isEmpty)
            #expect(merged.shardsWithUnreadParts == [1] && !merged.complete)
            #expect(merged.eventsRead == 150 && merged.files == 6 && merged.supersededRuns.isEmpty)
            #expect(merged.startedAt == Date(timeIntervalSince1970: 1_800_000_000) && merged.finishedAt == Date(timeIntervalSince1970: 1_800_000_070))
            #expect(merged.alerts.count == 2)
            // Critical first.
            #expect(merged.alerts[0].alert == only && merged.alerts[0].shards == [1])
            let key = merged.alerts[1]
            #expect(key.shards == [0, 1])
            #expect(key.alert.count == 3)
            #expect(key.alert.firstSeen == "2026-01-30T01:00:00Z" && key.alert.lastSeen == "2026-01-31T05:00:00Z")
            #expect(key.alert.regions == ["us-east-1", "eu-west-1"])
            #expect(key.alert.sourceIPs == ["203.0.113.66", "198.51.100.7"])
            #expect(key.alert.eventIds == ["stop-30", "stop-31", "stop-31b"] && !key.alert.eventIdsTruncated)
            #expect(try await store.mergedHunt(key: "hunt-none") == nil)

            let hunts = try await store.hunts(limit: nil)
            #expect(hunts.map(\.huntKey) == ["hunt-other", "hunt-k"])
            #expect(hunts[1].alerts == 2 && hunts[1].alertsByLevel == ["critical": 1, "high": 1] && hunts[1].presentShards == [0, 1])
            #expect(hunts[0].alerts == 0 && hunts[0].complete)
            #expect(try await store.hunts(limit: 1).map(\.huntKey) == ["hunt-other"])
        }
    }

    /// A shard that never stored is named missing; a shard run again counts once (its newest run);
    /// a run with another N belongs to an earlier attempt and is left out.
    static func missingAndRerunShards(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let old = alert(first: "2026-01-30T01:00:00Z", last: "2026-01-30T01:00:00Z", count: 1, regions: ["us-east-1"], ids: ["stop-30"])
            let otherN = try await store.recordHunt(NewHuntRun(run: run("hunt-r", shard: 0, of: 2, at: 0), alerts: [old]))
            let stale = try await store.recordHunt(NewHuntRun(run: run("hunt-r", shard: 0, of: 3, at: 10), alerts: [old]))
            let retried = try await store.recordHunt(NewHuntRun(run: run("hunt-r", shard: 0, of: 3, at: 20), alerts: [old]))
            let last = try await store.recordHunt(NewHuntRun(run: run("hunt-r", shard: 2, of: 3, at: 30, exit: 0), alerts: []))
            let merged = try #require(try await store.mergedHunt(key: "hunt-r"))
            #expect(merged.shardCount == 3 && merged.presentShards == [0, 2] && merged.missingShards == [1] && !merged.complete)
            #expect(merged.runs.map(\.id) == [retried.id, last.id])
            #expect(merged.supersededRuns == [otherN.id, stale.id])
            #expect(merged.alerts.count == 1 && merged.alerts[0].alert.count == 1)
        }
    }

    /// Event ids are kept up to the limit, and the alert says so when some were left out; the count stays exact.
    static func eventIdsAreBounded(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let ids = (0..<(HuntAlertRecord.eventIdLimit + 5)).map { "e-\($0)" }
            let big = alert(first: "2026-01-30T01:00:00Z", last: "2026-01-30T09:00:00Z", count: ids.count, regions: ["us-east-1"], ids: ids)
            #expect(big.eventIds.count == HuntAlertRecord.eventIdLimit && big.eventIdsTruncated)
            let small = alert(first: "2026-01-30T01:00:00Z", last: "2026-01-30T01:00:00Z", count: 1, regions: ["us-east-1"], ids: ["x-1"])
            let run = try await store.recordHunt(NewHuntRun(run: run("hunt-b", shard: 0, of: 1, at: 0), alerts: [big, small]))
            let stored = try await store.huntAlerts(runs: [run.id])[run.id] ?? []
            #expect(stored == [big, small])
            #expect(stored[0].count == HuntAlertRecord.eventIdLimit + 5 && stored[0].eventIdsTruncated && !stored[1].eventIdsTruncated)
            // Without event ids (hunt lists), everything else still reads back.
            let light = try await store.huntAlerts(runs: [run.id], eventIds: false)[run.id] ?? []
            #expect(light.map(\.eventIds) == [[], []] && light.map(\.count) == [big.count, 1] && light[0].eventIdsTruncated)
        }
    }

    /// A database at the scan-only schema upgrades and takes hunts; scans stay as they were.
    static func migratesFromScanSchema(_ backend: Backend) async throws {
        try await withDatabase(backend) { database in
            let old = try await database.open(upTo: "v2-uids-runs")
            let scan = try await old.beginScan(Sample.newScan())
            await old.close()
            let store = try await database.open()
            #expect(try await database.appliedMigrations(store) == HistorySchema.migrations.map(\.id))
            #expect(try await store.scan(scan.id)?.target == "111122223333")
            #expect(try await store.hunts(limit: nil).isEmpty)
            _ = try await store.recordHunt(NewHuntRun(run: run("hunt-u", shard: 0, of: 1, at: 0, exit: 0), alerts: []))
            #expect(try await store.hunts(limit: nil).map(\.huntKey) == ["hunt-u"])
            await store.close()
        }
    }

    /// The default key depends on every part given and on their order, and looks like `hunt-` and 16 hex digits.
    static func derivedKeys() {
        let a = HuntKey.derive(["paths=./AWSLogs", "since=2026-01-30"])
        #expect(a == HuntKey.derive(["paths=./AWSLogs", "since=2026-01-30"]))
        #expect(a != HuntKey.derive(["paths=./AWSLogs", "since=2026-01-31"]))
        #expect(a.hasPrefix("hunt-") && a.count == 21)
        #expect(HuntKey.isValid("nightly-2026-01-31") && !HuntKey.isValid("a b") && !HuntKey.isValid("") && !HuntKey.isValid("a/b"))
    }
}
