import Foundation
import History
import Hunt
import ScanEngine
import SigmaEngine

/// Moves `mamori hunt` results into the history store (`hunt --db`).
enum HuntHistory {
    /// The default hunt key: a hash of what selects the events (sources as given, window as given,
    /// accounts, regions, the rule ids), so every shard of the same command line gets the same
    /// key. `--shard` and output options are not part of it.
    static func key(paths: [String], s3: String?, lookupEvents: Bool, since: String?, until: String?,
                    accounts: [String], regions: [String], rules: HuntRuleSet) -> String {
        let ruleIds = (rules.rules.map(\.rule.id) + rules.correlations.map(\.id)).sorted()
        return HuntKey.derive([
            "paths=" + paths.joined(separator: "\u{1E}"), "s3=" + (s3 ?? ""), "lookup-events=\(lookupEvents)",
            "since=" + (since ?? ""), "until=" + (until ?? ""), "accounts=" + accounts.sorted().joined(separator: ","),
            "regions=" + regions.sorted().joined(separator: ","), "rules=" + ruleIds.joined(separator: ","),
        ])
    }

    /// What the run read, as stored: its sources named as given.
    static func sources(paths: [String], s3: String?, lookupEvents: Bool) -> [String] {
        paths + (s3.map { [$0] } ?? []) + (lookupEvents ? ["LookupEvents"] : [])
    }

    /// The run and its alerts as stored. Alerts keep the fields that summarise the activity; event
    /// samples (request parameters) are not stored.
    static func run(_ result: HuntResult, key: String, shard: Shard?, startedAt: Date, finishedAt: Date, sources: [String],
                    window: HuntWindow, parameters: String, exitStatus: Int32) -> NewHuntRun {
        let run = HuntRunRecord(
            id: 0, huntKey: key, shardIndex: shard?.index ?? 0, shardCount: shard?.count ?? 1, startedAt: startedAt, finishedAt: finishedAt,
            sources: sources, since: window.since, until: window.until, parameters: parameters, eventsRead: result.stats.events,
            files: result.stats.sources, unread: result.problems.map { UnreadPart(source: $0.source, reason: $0.reason) },
            exitStatus: Int(exitStatus), toolVersion: MamoriVersion.string)
        return NewHuntRun(run: run, alerts: result.alerts.map(record))
    }

    static func record(_ alert: HuntAlert) -> HuntAlertRecord {
        HuntAlertRecord(ruleId: alert.ruleId, title: alert.ruleTitle, level: alert.level, actor: alert.actor, actorType: alert.actorType.rawValue,
                        account: alert.account, accounts: alert.accounts, firstSeen: alert.firstSeen, lastSeen: alert.lastSeen,
                        count: alert.count, regions: alert.regions, sourceIPs: alert.sourceIPs, userAgents: alert.userAgents,
                        eventNames: alert.eventNames, eventIds: alert.eventIds)
    }
}
