import ArgumentParser
import Foundation
import History
import MamoriCore

/// `mamori history`: the scans and hunts in the history store. `list` is the default subcommand, so
/// `mamori history --limit 5` is `mamori history list --limit 5`; each subcommand declares its own
/// options (an option declared on a parent would be the parent's, missing from the subcommand's help).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List stored scans and hunts, newest first.",
        discussion: """
            Every `mamori scan` is stored (findings, muted findings, errors, what the inventory held),
            and every `mamori hunt --db` run (alerts; shards of one hunt merge under its key).
            The table lists scans, then hunts when there are any; --format json lists scans unless
            --kind hunt (hunts) or --kind all ({"scans": …, "hunts": …}).
            Examples:
              mamori history
              mamori history --limit 5 --format json --output scans.json
              mamori history --kind hunt
              mamori history hunt jan30
              mamori history --db postgres://mamori@db.internal:5432/mamori
            """,
        subcommands: [HistoryListCommand.self, HistoryHuntCommand.self],
        defaultSubcommand: HistoryListCommand.self)
}

/// `mamori history [list]`: stored scans, then hunts, newest first.
struct HistoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored scans and hunts, newest first (the default of `mamori history`).")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case scan, hunt, all }

    @OptionGroup var history: HistoryOptions

    @Option(help: "Show at most this many scans.")
    var limit = 50

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(help: "Write the list to this file instead of standard output.")
    var output: String?

    @Option(help: "What to list: scan, hunt or all (default: all in the table, scans in JSON).")
    var kind: Kind?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await Console.run {
            let store = try await history.open()
            let kind = self.kind ?? (format.value == .json ? .scan : .all)
            let scans: [ScanRecord]
            let hunts: [HuntSummary]
            do {
                scans = kind == .hunt ? [] : try await store.scans(limit: limit)
                hunts = kind == .scan ? [] : try await store.hunts(limit: limit)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            switch (format.value, kind) {
            case (.json, .scan): try Console.writeJSON(scans, to: output)
            case (.json, .hunt): try Console.writeJSON(hunts, to: output)
            case (.json, .all): try Console.writeJSON(["scans": HistoryCommand.AnyEncodable(scans), "hunts": HistoryCommand.AnyEncodable(hunts)], to: output)
            case (.table, .scan): try Console.writeReport(Data(HistoryCommand.table(scans).utf8), to: output)
            case (.table, .hunt): try Console.writeReport(Data(HistoryCommand.huntTable(hunts).utf8), to: output)
            default:
                // Hunts only add a section: with none stored, the output is the scan list as before.
                let text = HistoryCommand.table(scans) + (hunts.isEmpty ? "" : "\nHunts\n" + HistoryCommand.huntTable(hunts))
                try Console.writeReport(Data(text.utf8), to: output)
            }
            return 0
        }
    }
}

extension HistoryCommand {
    /// Two differently typed lists in one JSON object.
    struct AnyEncodable: Encodable {
        let value: any Encodable
        init(_ value: any Encodable) { self.value = value }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }

    static func table(_ scans: [ScanRecord]) -> String {
        if scans.isEmpty { return "No scans stored yet: run `mamori scan`.\n" }
        let header = ["ID", "STARTED (UTC)", "KIND", "TARGET", "STATE", "ACCOUNTS", "PENDING", "CRIT", "HIGH", "MED", "LOW", "INFO", "MUTED", "ERRORS"]
        let rows = scans.map { scan in
            [String(scan.id), TextTable.time(scan.startedAt), scan.kind.rawValue, scan.target, scan.state.rawValue, String(scan.accounts), String(scan.pending)]
                + Severity.allCases.reversed().map { String(scan.failing[$0.rawValue] ?? 0) }
                + [String(scan.muted), String(scan.errors)]
        }
        return TextTable.render(header: header, rows: rows)
    }
}
