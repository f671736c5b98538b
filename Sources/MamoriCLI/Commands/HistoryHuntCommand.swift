import ArgumentParser
import Foundation
import History
import MamoriCore

/// `mamori history hunt KEY`: one hunt's shards merged (`mamori hunt --db`).
struct HistoryHuntCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Show a stored hunt: its shards' alerts merged, one per detection and actor.",
        discussion: """
            Counts are summed over the shards, first/last seen are the earliest and latest, lists are
            unioned; the shards present and missing (N from --shard I/N) and those with parts they
            could not read are named. A shard stored twice counts once (its newest run).
            Exit codes: 0 complete, 3 a shard is missing or did not read everything, 2 error.
            Examples:
              mamori history hunt jan30
              mamori history hunt jan30 --format json --db postgres://mamori@db.internal:5432/mamori
            """)

    @Argument(help: "The hunt key (--hunt-id, or the key `mamori hunt --db` printed; `mamori history --kind hunt` lists them).")
    var key: String

    @OptionGroup var history: HistoryOptions

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(help: "Write the hunt to this file instead of standard output.")
    var output: String?

    func run() async throws {
        try await Console.run {
            let store = try await history.open()
            let merged: MergedHunt?
            do { merged = try await store.mergedHunt(key: key) } catch {
                await store.close()
                throw error
            }
            await store.close()
            guard let merged else { throw CLIError("no hunt '\(TerminalText.sanitize(key))' in the history store (see `mamori history --kind hunt`)") }
            switch format.value {
            case .json:
                try Console.writeJSON(merged, to: output)
            default:
                try Console.writeReport(Data(Self.table(merged).utf8), to: output)
            }
            return merged.complete ? 0 : 3
        }
    }

    /// How many event ids the table prints per alert (JSON lists every stored one).
    static let tableEventIds = 5

    static func table(_ hunt: MergedHunt) -> String {
        func clean(_ text: String) -> String { TerminalText.sanitize(text) }
        func list(_ items: [String], _ limit: Int = 3) -> String {
            let shown = items.prefix(limit).map(clean).joined(separator: ", ")
            return items.count > limit ? "\(shown) (+\(items.count - limit) more)" : shown
        }
        let shards = hunt.presentShards.map(String.init).joined(separator: ", ")
        var out = "Hunt \(clean(hunt.huntKey)): \(hunt.presentShards.count) of \(hunt.shardCount) shard\(hunt.shardCount == 1 ? "" : "s") stored"
        out += hunt.shardCount > 1 ? " (\(shards))" : ""
        out += ", \(hunt.eventsRead) events in \(hunt.files) files, \(TextTable.time(hunt.startedAt)) .. \(TextTable.time(hunt.finishedAt)) UTC\n"
        if !hunt.missingShards.isEmpty {
            out += "Missing shards: \(hunt.missingShards.map(String.init).joined(separator: ", ")) of 0..\(hunt.shardCount - 1)"
            out += " (not stored: still running, or the worker stopped; run them again with the same --hunt-id)\n"
        }
        for run in hunt.runs where !run.unread.isEmpty {
            out += "Not read in full by shard \(run.shard) (\(run.unread.count)):\n"
            for part in run.unread { out += "  \(clean(part.source)): \(clean(part.reason))\n" }
        }
        if !hunt.supersededRuns.isEmpty {
            out += "Left out: run\(hunt.supersededRuns.count == 1 ? "" : "s") \(hunt.supersededRuns.map(String.init).joined(separator: ", ")) (a shard run again, or another N)\n"
        }
        out += "\n"
        for merged in hunt.alerts {
            let alert = merged.alert
            let level = alert.level.lowercased() == "informational" ? "INFO" : alert.level.uppercased()
            out += "\(clean(level))  \(clean(alert.title))  [\(clean(alert.ruleId))]\n"
            out += "  actor    \(clean(alert.actorType)) \(clean(alert.actor))\n"
            if !alert.accounts.isEmpty { out += "  account  \(list(alert.accounts))   regions \(list(alert.regions, 5))\n" }
            out += "  seen     \(clean(alert.firstSeen)) .. \(clean(alert.lastSeen))  (\(alert.count) event\(alert.count == 1 ? "" : "s"): \(list(alert.eventNames, 4)))\n"
            if !alert.sourceIPs.isEmpty { out += "  from     \(list(alert.sourceIPs))\n" }
            if !alert.userAgents.isEmpty { out += "  agents   \(list(alert.userAgents, 2))\n" }
            out += "  events   \(list(alert.eventIds, tableEventIds))\(alert.eventIdsTruncated ? " (ids kept: first \(alert.eventIds.count) of \(alert.count))" : "")\n"
            if hunt.shardCount > 1 { out += "  shards   \(merged.shards.map(String.init).joined(separator: ", "))\n" }
            if alert.actorType == "access-key", let day = alert.firstSeen.split(separator: "T").first {
                out += "  respond  mamori respond leaked-key \(clean(alert.actor)) --since \(day)\n"
            }
            out += "\n"
        }
        out += "\(hunt.alerts.count) alert\(hunt.alerts.count == 1 ? "" : "s")" + (hunt.complete ? "\n" : " (incomplete: see above)\n")
        return out
    }
}

extension HistoryCommand {
    /// The hunts section of `mamori history`.
    static func huntTable(_ hunts: [HuntSummary]) -> String {
        if hunts.isEmpty { return "No hunts stored yet: run `mamori hunt … --db PATH`.\n" }
        let header = ["HUNT", "LAST RUN (UTC)", "SHARDS", "MISSING", "UNREAD", "EVENTS", "ALERTS", "CRIT", "HIGH", "MED", "LOW", "INFO"]
        let rows = hunts.map { hunt in
            [hunt.huntKey, TextTable.time(hunt.finishedAt), "\(hunt.presentShards.count)/\(hunt.shardCount)",
             hunt.missingShards.map(String.init).joined(separator: ","), hunt.shardsWithUnreadParts.map(String.init).joined(separator: ","),
             String(hunt.eventsRead), String(hunt.alerts)]
                + ["critical", "high", "medium", "low", "informational"].map { String(hunt.alertsByLevel[$0] ?? 0) }
        }
        return TextTable.render(header: header, rows: rows)
    }
}
