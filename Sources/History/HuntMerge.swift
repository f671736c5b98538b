import Foundation

/// One hunt read back from the store: its shards' runs merged into one set of alerts, and what
/// is known of its completeness.
public struct MergedHunt: Codable, Sendable, Hashable {
    public var huntKey: String
    /// N of `--shard I/N` (of the newest run: a hunt re-run with another N starts over).
    public var shardCount: Int
    /// The runs merged, one per shard present (the newest, when a shard was run again), by shard.
    public var runs: [HuntRunRecord]
    /// Runs of this key left out: older runs of a shard run again, or runs with another N.
    public var supersededRuns: [Int64]
    public var presentShards: [Int]
    public var missingShards: [Int]
    /// Shards with parts they could not read (their runs list them).
    public var shardsWithUnreadParts: [Int]
    /// Every shard present and every part read.
    public var complete: Bool
    public var startedAt: Date
    public var finishedAt: Date
    public var eventsRead: Int
    public var files: Int
    /// One per detection and actor across the shards, most severe first, then by first seen.
    public var alerts: [MergedHuntAlert]
}

/// An alert merged across shards: counts summed, first/last seen min/max, lists unioned.
public struct MergedHuntAlert: Codable, Sendable, Hashable {
    public var alert: HuntAlertRecord
    /// The shards whose runs found it.
    public var shards: [Int]

    public init(alert: HuntAlertRecord, shards: [Int]) {
        self.alert = alert
        self.shards = shards
    }
}

public enum HuntMerge {
    /// Merges the runs of one hunt key. `runs` may come in any order; `alerts` by run id.
    public static func merge(key: String, runs allRuns: [HuntRunRecord], alerts: [Int64: [HuntAlertRecord]]) -> MergedHunt? {
        guard let newest = allRuns.max(by: { $0.id < $1.id }) else { return nil }
        let count = newest.shardCount
        var chosen: [Int: HuntRunRecord] = [:]
        var superseded: [Int64] = []
        for run in allRuns.sorted(by: { $0.id > $1.id }) {
            if run.shardCount == count, run.shardIndex >= 0, run.shardIndex < count, chosen[run.shardIndex] == nil {
                chosen[run.shardIndex] = run
            } else {
                superseded.append(run.id)
            }
        }
        let runs = chosen.values.sorted { $0.shardIndex < $1.shardIndex }
        let present = runs.map(\.shardIndex)
        let missing = (0..<count).filter { chosen[$0] == nil }
        let unread = runs.filter { !$0.unread.isEmpty }.map(\.shardIndex)

        struct Key: Hashable { var rule: String; var actor: String }
        var order: [Key] = []
        var merged: [Key: (HuntAlertRecord, Set<Int>)] = [:]
        for run in runs {
            for alert in alerts[run.id] ?? [] {
                let key = Key(rule: alert.ruleId, actor: alert.actor)
                guard let (existing, shards) = merged[key] else {
                    order.append(key)
                    merged[key] = (alert, [run.shardIndex])
                    continue
                }
                merged[key] = (combine(existing, alert), shards.union([run.shardIndex]))
            }
        }
        let list = order.compactMap { merged[$0] }.map { MergedHuntAlert(alert: $0.0, shards: $0.1.sorted()) }
        let sorted = list.sorted { a, b in
            let (x, y) = (rank(a.alert.level), rank(b.alert.level))
            if x != y { return x > y }
            if a.alert.firstSeen != b.alert.firstSeen { return a.alert.firstSeen < b.alert.firstSeen }
            return (a.alert.ruleId, a.alert.actor) < (b.alert.ruleId, b.alert.actor)
        }
        return MergedHunt(huntKey: key, shardCount: count, runs: runs, supersededRuns: superseded.sorted(),
                          presentShards: present, missingShards: missing, shardsWithUnreadParts: unread,
                          complete: missing.isEmpty && unread.isEmpty,
                          startedAt: runs.map(\.startedAt).min() ?? newest.startedAt,
                          finishedAt: runs.map(\.finishedAt).max() ?? newest.finishedAt,
                          eventsRead: runs.reduce(0) { $0 + $1.eventsRead }, files: runs.reduce(0) { $0 + $1.files },
                          alerts: sorted)
    }

    /// Two shards' alerts of the same detection and actor as one.
    static func combine(_ a: HuntAlertRecord, _ b: HuntAlertRecord) -> HuntAlertRecord {
        func union(_ x: [String], _ y: [String]) -> [String] {
            var seen = Set(x)
            return x + y.filter { seen.insert($0).inserted }
        }
        func earlier(_ x: String, _ y: String) -> String { x.isEmpty ? y : y.isEmpty ? x : min(x, y) }
        let ids = union(a.eventIds, b.eventIds)
        return HuntAlertRecord(
            ruleId: a.ruleId, title: a.title, level: a.level, actor: a.actor, actorType: a.actorType,
            account: a.account.isEmpty ? b.account : a.account, accounts: union(a.accounts, b.accounts),
            firstSeen: earlier(a.firstSeen, b.firstSeen), lastSeen: max(a.lastSeen, b.lastSeen), count: a.count + b.count,
            regions: union(a.regions, b.regions), sourceIPs: union(a.sourceIPs, b.sourceIPs), userAgents: union(a.userAgents, b.userAgents),
            eventNames: union(a.eventNames, b.eventNames), eventIds: ids,
            eventIdsTruncated: a.eventIdsTruncated || b.eventIdsTruncated || ids.count > HuntAlertRecord.eventIdLimit)
    }

    /// SIGMA levels, most severe highest.
    public static func rank(_ level: String) -> Int {
        switch level.lowercased() {
        case "critical": 4
        case "high": 3
        case "medium": 2
        case "low": 1
        default: 0
        }
    }
}

/// One line of the hunt list: a hunt key with its merged state.
public struct HuntSummary: Codable, Sendable, Hashable {
    public var huntKey: String
    public var startedAt: Date
    public var finishedAt: Date
    public var shardCount: Int
    public var presentShards: [Int]
    public var missingShards: [Int]
    public var shardsWithUnreadParts: [Int]
    public var complete: Bool
    public var eventsRead: Int
    /// Merged alerts (one per detection and actor), and those per SIGMA level.
    public var alerts: Int
    public var alertsByLevel: [String: Int]

    public init(_ hunt: MergedHunt) {
        huntKey = hunt.huntKey
        startedAt = hunt.startedAt
        finishedAt = hunt.finishedAt
        shardCount = hunt.shardCount
        presentShards = hunt.presentShards
        missingShards = hunt.missingShards
        shardsWithUnreadParts = hunt.shardsWithUnreadParts
        complete = hunt.complete
        eventsRead = hunt.eventsRead
        alerts = hunt.alerts.count
        alertsByLevel = hunt.alerts.reduce(into: [:]) { $0[$1.alert.level.lowercased(), default: 0] += 1 }
    }
}

extension HistoryStore {
    /// The stored alerts of these runs with their event ids.
    public func huntAlerts(runs: [Int64]) async throws(HistoryError) -> [Int64: [HuntAlertRecord]] {
        try await huntAlerts(runs: runs, eventIds: true)
    }

    /// One hunt key's runs merged, or nil when no run has the key.
    public func mergedHunt(key: String) async throws(HistoryError) -> MergedHunt? {
        let runs = try await huntRuns(key: key, limit: nil)
        guard !runs.isEmpty else { return nil }
        let alerts = try await huntAlerts(runs: runs.map(\.id), eventIds: true)
        return HuntMerge.merge(key: key, runs: runs, alerts: alerts)
    }

    /// The newest hunts (by their newest run), at most `limit`, each merged.
    public func hunts(limit: Int?) async throws(HistoryError) -> [HuntSummary] {
        let runs = try await huntRuns(key: nil, limit: nil)
        var keys: [String] = []
        var byKey: [String: [HuntRunRecord]] = [:]
        for run in runs {
            if byKey[run.huntKey] == nil { keys.append(run.huntKey) }
            byKey[run.huntKey, default: []].append(run)
        }
        if let limit { keys = Array(keys.prefix(max(0, limit))) }
        // Counting alerts needs no event ids, which are most of an alert's bytes.
        let alerts = try await huntAlerts(runs: keys.flatMap { byKey[$0] ?? [] }.map(\.id), eventIds: false)
        return keys.compactMap { key in HuntMerge.merge(key: key, runs: byKey[key] ?? [], alerts: alerts).map(HuntSummary.init) }
    }
}
