import ArgumentParser
import Checks
import Foundation
import History
import Reports
import ScanEngine

/// `mamori report render`: any finding format from a saved inventory, metrics included.
struct ReportRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render findings of a saved inventory in any format (several at once with --output-dir).",
        discussion: """
            Exit codes as for `mamori check`: 0 clean, 1 findings, 2 error, 3 partial inventory.
            Example:
              mamori report render --inventory inventory.json --format html --output report.html
              mamori report render --inventory inventory.json --format markdown --compliance cis --thresholds cis
            """)

    @Option(help: "Inventory written by `mamori scan --save`.")
    var inventory: String?

    @Option(help: "A stored scan (see `mamori history`): the merged result of all shards of a `--run`, or any earlier scan.")
    var scan: Int64?

    @OptionGroup var history: HistoryOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: ArgumentHelp("Group the Markdown and HTML reports by the controls of: cis (CIS AWS Foundations Benchmark v3.0.0) or fsbp (AWS Foundational Security Best Practices).", valueName: "framework"))
    var compliance: Framework?

    func validate() throws {
        if (inventory == nil) == (scan == nil) { throw ValidationError("give either --inventory FILE or --scan ID") }
    }

    func run() async throws {
        try await Console.run {
            if let scan {
                var input = try await StoredScanInput.load(history, scan: scan, all: output.all)
                input.compliance = compliance
                return try output.emit(input.evaluation, input: input)
            }
            let loaded = try InventoryFile.read(inventory ?? "")
            var config = try output.loadConfig()
            _ = try selection.apply(to: &config)
            let evaluation = Evaluator.evaluate(loaded, config: config)
            var input = ReportInput(inventory: loaded, evaluation: evaluation, all: output.all, toolVersion: MamoriVersion.string)
            input.compliance = compliance
            return try output.emit(evaluation, input: input)
        }
    }
}
