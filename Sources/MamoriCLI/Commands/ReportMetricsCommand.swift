import ArgumentParser
import Checks
import Foundation
import History
import Reports
import ScanEngine

/// `mamori report metrics`: the estate's posture next to the State of AWS Security population figures.
struct ReportMetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Compare a saved inventory with the State of AWS Security population (600+ organisations).",
        discussion: """
            Ages are measured from the inventory's collection time, so the numbers do not drift.
            Exit codes: 0 no metric worse than the population, 1 at least one worse, 2 error.
            Without --inventory or --scan, the latest stored scan is used.
            Example:
              mamori report metrics --inventory inventory.json --format json
              mamori report metrics                          # the latest scan in the history store
            """)

    @Option(help: "Inventory written by `mamori scan --save`.")
    var inventory: String?

    @Option(help: "A stored scan (see `mamori history`) instead of an inventory (default: the latest stored scan).")
    var scan: Int64?

    @OptionGroup var history: HistoryOptions

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    func validate() throws {
        if inventory != nil && scan != nil { throw ValidationError("give either --inventory FILE or --scan ID, not both") }
    }

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Configuration file (muted findings count in the metrics anyway). Default: ./mamori.yml when present.")
    var config: String?

    /// The newest stored scan, named on standard error so the user knows which one was measured.
    func latestScan() async throws -> Int64 {
        let store = try await history.open()
        let newest: ScanRecord
        do { newest = try await HistoryDatabase.latest(store, hint: "run `mamori scan` first, or give --inventory FILE") }
        catch { await store.close(); throw error }
        await store.close()
        Console.error("metrics of scan \(newest.id) (\(newest.target)), the latest stored scan")
        return newest.id
    }

    func run() async throws {
        try await Console.run {
            let metrics: PostureMetrics
            if let inventory {
                let options = try OutputOptions.parse(config.map { ["--config", $0] } ?? [])
                let loaded = try InventoryFile.read(inventory)
                metrics = PostureMetrics.compute(inventory: loaded, evaluation: Evaluator.evaluate(loaded, config: try options.loadConfig()))
            } else {
                let id: Int64
                if let scan { id = scan } else { id = try await latestScan() }
                metrics = try await StoredScanInput.load(history, scan: id, all: false).metrics
                    ?? { throw CLIError("scan \(id) has no posture metrics stored") }()
            }
            let data = format.value == .json ? try MetricsReport.json(metrics) : Data(MetricsReport.table(metrics).utf8)
            try Console.writeReport(data, to: output)
            return metrics.metrics.contains { $0.verdict == .worse } ? 1 : 0
        }
    }
}
