@testable import Dashboard
import Foundation
import History
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/hunts` and `/hunts/{key}`: hunts stored by `mamori hunt --db`, shards merged, through
/// HummingbirdTesting's router framework like AuthTests.
@Suite("Dashboard hunts")
struct HuntPageTests {
    static let markupActor = "arn:aws:sts::111111111111:assumed-role/<b>ops</b>/i-0abc"

    static func run(_ key: String, shard: Int, of count: Int, unread: [UnreadPart] = []) -> HuntRunRecord {
        HuntRunRecord(id: 0, huntKey: key, shardIndex: shard, shardCount: count, startedAt: Fixtures.day15, finishedAt: Fixtures.day15.addingTimeInterval(90),
                      sources: ["s3://trail/org"], eventsRead: 1_000, files: 4, unread: unread, exitStatus: unread.isEmpty ? 1 : 3, toolVersion: "0.1.0")
    }

    static func alert(actor: String, level: String = "high", first: String, count: Int, ids: [String]) -> HuntAlertRecord {
        HuntAlertRecord(ruleId: "7f0c7d9e-stop", title: "CloudTrail logging stopped", level: level, actor: actor, actorType: "access-key",
                        account: "111111111111", accounts: ["111111111111"], firstSeen: first, lastSeen: first, count: count,
                        regions: ["us-east-1"], sourceIPs: ["203.0.113.66"], userAgents: ["aws-cli/2.15.0"], eventNames: ["StopLogging"], eventIds: ids)
    }

    /// The fixture store plus hunt "jan30" (shards 0 and 2 of 3; shard 2 could not read one object)
    /// and hunt "all-in" (one unsharded run, no alerts).
    static func with(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let store = try await Fixtures.store()
        let key = "AKIAIOSFODNN7EXAMPLE"
        _ = try await store.recordHunt(NewHuntRun(run: run("jan30", shard: 0, of: 3), alerts: [
            alert(actor: key, first: "2026-01-30T01:00:00Z", count: 1, ids: ["stop-30"]),
        ]))
        _ = try await store.recordHunt(NewHuntRun(
            run: run("jan30", shard: 2, of: 3, unread: [UnreadPart(source: "s3://trail/org/AWSLogs/x.json.gz", reason: "cut off")]),
            alerts: [alert(actor: key, first: "2026-01-31T02:00:00Z", count: 2, ids: ["stop-31", "stop-31b"]),
                     alert(actor: markupActor, level: "critical", first: "2026-01-31T03:00:00Z", count: 1, ids: ["q-1"])]))
        _ = try await store.recordHunt(NewHuntRun(run: run("all-in", shard: 0, of: 1), alerts: []))
        let server = try await DashboardServer(store: store, configuration: DashboardConfiguration(host: "127.0.0.1", port: 0, token: nil))
        do { try await server.makeApplication(logLevel: .critical).test(.router, body) } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func page(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        let response = try await client.execute(uri: uri, method: .get, headers: [:], body: nil)
        return (response.status, String(buffer: response.body))
    }

    @Test func listShowsEachHuntWithItsShards() async throws {
        try await Self.with { client in
            let (status, html) = try await Self.page(client, "/hunts")
            #expect(status == .ok)
            let table = try #require(HTMLText.element(html, id: "hunts"))
            let jan30 = try #require(HTMLText.row(table, "data-hunt=\"jan30\""))
            #expect(jan30.contains("href=\"/hunts/jan30\""))
            #expect(jan30.contains(">2/3<") && jan30.contains(">1<"), "\(jan30)")
            // Two merged alerts (one per detection and actor), one critical, one high.
            #expect(jan30.contains("<td class=\"num\">2</td>") && jan30.contains("sev-critical\">1<") && jan30.contains("sev-high\">1<"), "\(jan30)")
            let allIn = try #require(HTMLText.row(table, "data-hunt=\"all-in\""))
            #expect(allIn.contains(">1/1<"))
            // Every page links to the hunts.
            #expect(html.contains("<a href=\"/hunts\">Hunts</a>"))
            let (_, scans) = try await Self.page(client, "/")
            #expect(scans.contains("<a href=\"/hunts\">Hunts</a>"))
        }
    }

    @Test func huntPageMergesShardsAndNamesWhatIsMissing() async throws {
        try await Self.with { client in
            let (status, html) = try await Self.page(client, "/hunts/jan30")
            #expect(status == .ok)
            let missing = try #require(HTMLText.element(html, id: "missing-shards"))
            #expect(missing.contains("Missing shards: 1."))
            let shards = try #require(HTMLText.element(html, id: "shards"))
            #expect(HTMLText.count("<tr data-shard=", in: shards) == 2)
            #expect(try #require(HTMLText.row(shards, "data-shard=\"2/3\"")).contains("s3://trail/org/AWSLogs/x.json.gz: cut off"))
            let alerts = try #require(HTMLText.element(html, id: "alerts"))
            #expect(HTMLText.count("<tr data-rule=", in: alerts) == 2)
            let key = try #require(HTMLText.row(alerts, "data-actor=\"AKIAIOSFODNN7EXAMPLE\""))
            #expect(key.contains("<td class=\"num\">3<"), "\(key)")
            #expect(key.contains("2026-01-30T01:00:00Z<br>2026-01-31T02:00:00Z"))
            #expect(key.contains("stop-30, stop-31, stop-31b") && key.contains("<td>0, 2</td>"))
            // Stored text is escaped, never markup; critical comes first.
            #expect(!html.contains("<b>ops</b>") && html.contains("&lt;b&gt;ops&lt;/b&gt;"))
            #expect(alerts.range(of: "sev-critical")!.lowerBound < alerts.range(of: "sev-high")!.lowerBound)

            let (complete, whole) = try await Self.page(client, "/hunts/all-in")
            #expect(complete == .ok && !whole.contains("missing-shards") && whole.contains("id=\"no-alerts\""))
        }
    }

    @Test func unknownAndMalformedKeys() async throws {
        try await Self.with { client in
            let (unknown, text) = try await Self.page(client, "/hunts/nope")
            #expect(unknown == .notFound && text.contains("no hunt"))
            let (bad, _) = try await Self.page(client, "/hunts/a%20b")
            #expect(bad == .badRequest)
        }
    }

    @Test func emptyListSaysHowToStoreHunts() async throws {
        let store = try Fixtures.emptyStore()
        let server = try await DashboardServer(store: store, configuration: DashboardConfiguration(host: "127.0.0.1", port: 0, token: nil))
        try await server.makeApplication(logLevel: .critical).test(.router) { client in
            let (status, html) = try await Self.page(client, "/hunts")
            #expect(status == .ok && html.contains("id=\"no-hunts\"") && html.contains("--db PATH"))
        }
        await store.close()
    }
}
