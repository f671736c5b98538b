import ArgumentParser
import Checks
import Foundation
import Inventory
import ScanEngine

/// `mamori check`: re-evaluate a saved inventory offline.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate a saved inventory offline (no network).",
        discussion: """
            Example:
              mamori scan --save inventory.json && mamori check --inventory inventory.json --format json
              mamori check --inventory inventory.json --checks iam.root_access_key,iam.root_without_mfa
            """)

    @Option(help: "Inventory written by `mamori scan --save`.")
    var inventory: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    func run() async throws {
        try await Console.run {
            var config = try output.loadConfig()
            _ = try selection.apply(to: &config)
            // Account by account: an organisation's inventory never has to fit in memory at once.
            let result = try InventoryFile.evaluate(inventory, config: config)
            return try output.emit(result.evaluation, input: result.reportInput(all: output.all, toolVersion: MamoriVersion.string))
        }
    }
}
