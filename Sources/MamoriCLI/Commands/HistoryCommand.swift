import ArgumentParser
import Foundation
import History
import MamoriCore

/// `mamori history`: the scans in the history store.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List stored scans, newest first.",
        discussion: """
            Every `mamori scan` is stored (findings, muted findings, errors, what the inventory held).
            Examples:
              mamori history
              mamori history --limit 5 --format json --output scans.json
              mamori history --db postgres://mamori@db.internal:5432/mamori
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var history: HistoryOptions

    @Option(help: "Show at most this many scans.")
    var limit = 50

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    @Option(help: "Write the list to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await Console.run {
            let store = try await history.open()
            let scans = try await store.scans(limit: limit)
            await store.close()
            switch format {
            case .json:
                var data = try JSONEncoder.report.encode(scans)
                data.append(0x0A)
                try Console.writeReport(data, to: output)
            case .table:
                try Console.writeReport(Data(Self.table(scans).utf8), to: output)
            }
            return 0
        }
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
