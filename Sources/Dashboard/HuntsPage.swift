import Foundation
import History

extension DashboardPages {
    /// Hunts shown on the list.
    static let listedHunts = 200

    struct HuntListView {
        var hasHunts: Bool
        var hunts: [HuntRowView]
    }

    struct HuntRowView {
        var key: String
        var link: String
        var lastRun: String
        var shards: String
        var missing: String
        var unread: String
        var complete: Bool
        var events: Int
        var alerts: Int
        var levels: LevelCountsView
    }

    struct LevelCountsView {
        var critical: Int
        var high: Int
        var medium: Int
        var low: Int
        var informational: Int

        init(_ counts: [String: Int]) {
            critical = counts["critical"] ?? 0
            high = counts["high"] ?? 0
            medium = counts["medium"] ?? 0
            low = counts["low"] ?? 0
            informational = counts["informational"] ?? 0
        }
    }

    struct HuntView {
        var key: String
        var started: String
        var finished: String
        var shardCount: Int
        var presentCount: Int
        var complete: Bool
        var missing: String?
        var superseded: String?
        var events: Int
        var files: Int
        var shards: [ShardView]
        var alerts: [HuntAlertView]
        var hasAlerts: Bool
    }

    struct ShardView {
        var shard: String
        var run: Int64
        var finished: String
        var events: Int
        var files: Int
        var alerts: Int
        var exitStatus: Int
        var sources: String
        var unread: [UnreadPart]
    }

    struct HuntAlertView {
        var level: String
        var title: String
        var ruleId: String
        var actorType: String
        var actor: String
        var accounts: String
        var regions: String
        var firstSeen: String
        var lastSeen: String
        var count: Int
        var sourceIPs: String
        var userAgents: String
        var eventNames: String
        var eventIds: String
        var truncated: String?
        var shards: String
    }

    /// `/hunts`: every stored hunt key, its shards' completeness and merged alert counts.
    func huntList() async throws(PageError) -> Page {
        let hunts = try await read { () async throws(HistoryError) in try await store.hunts(limit: Self.listedHunts) }
        func numbers(_ list: [Int]) -> String { list.map(String.init).joined(separator: ", ") }
        let rows = hunts.map { hunt in
            HuntRowView(key: hunt.huntKey, link: "/hunts/" + Formatting.queryValue(hunt.huntKey), lastRun: Formatting.timestamp(hunt.finishedAt),
                        shards: "\(hunt.presentShards.count)/\(hunt.shardCount)", missing: numbers(hunt.missingShards),
                        unread: numbers(hunt.shardsWithUnreadParts), complete: hunt.complete, events: hunt.eventsRead,
                        alerts: hunt.alerts, levels: LevelCountsView(hunt.alertsByLevel))
        }
        return Page(title: "Hunts", template: "hunts", view: HuntListView(hasHunts: !rows.isEmpty, hunts: rows))
    }

    /// `/hunts/{key}`: the merged alerts of one hunt, and which shards are in.
    func huntDetail(_ key: String) async throws(PageError) -> Page {
        guard let hunt = try await read({ () async throws(HistoryError) in try await store.mergedHunt(key: key) }) else {
            throw .notFound("There is no hunt '\(key)' in this history store. The hunt list shows the keys that exist.")
        }
        func joined(_ list: [String], _ limit: Int = 20) -> String {
            list.prefix(limit).joined(separator: ", ") + (list.count > limit ? " (+\(list.count - limit) more)" : "")
        }
        let shards = hunt.runs.map { run in
            ShardView(shard: run.shard, run: run.id, finished: Formatting.timestamp(run.finishedAt), events: run.eventsRead, files: run.files,
                      alerts: run.alerts, exitStatus: run.exitStatus, sources: run.sources.joined(separator: ", "), unread: run.unread)
        }
        let alerts = hunt.alerts.map { merged in
            let a = merged.alert
            let level = a.level.lowercased() == "informational" ? "info" : a.level.lowercased()
            return HuntAlertView(level: level, title: a.title, ruleId: a.ruleId, actorType: a.actorType, actor: a.actor,
                                 accounts: joined(a.accounts), regions: joined(a.regions), firstSeen: a.firstSeen, lastSeen: a.lastSeen,
                                 count: a.count, sourceIPs: joined(a.sourceIPs), userAgents: joined(a.userAgents, 5),
                                 eventNames: joined(a.eventNames), eventIds: joined(a.eventIds, 50),
                                 truncated: a.eventIdsTruncated ? "ids kept: the first \(a.eventIds.count) of \(a.count)" : nil,
                                 shards: merged.shards.map(String.init).joined(separator: ", "))
        }
        let view = HuntView(
            key: hunt.huntKey, started: Formatting.timestamp(hunt.startedAt), finished: Formatting.timestamp(hunt.finishedAt),
            shardCount: hunt.shardCount, presentCount: hunt.presentShards.count, complete: hunt.complete,
            missing: hunt.missingShards.isEmpty ? nil : hunt.missingShards.map(String.init).joined(separator: ", "),
            superseded: hunt.supersededRuns.isEmpty ? nil : hunt.supersededRuns.map(String.init).joined(separator: ", "),
            events: hunt.eventsRead, files: hunt.files, shards: shards, alerts: alerts, hasAlerts: !alerts.isEmpty)
        return Page(title: "Hunt \(hunt.huntKey)", template: "hunt", view: view)
    }
}
