import ArgumentParser
import Checks
import Foundation
import Inventory

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
            let loaded = try InventoryFile.read(inventory)
            return try output.emit(Evaluator.evaluate(loaded, config: config), inventory: loaded)
        }
    }
}

/// Reading and writing inventory files with clear errors.
enum InventoryFile {
    static func write(_ inventory: Inventory, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do { try encoder.encode(inventory).write(to: URL(fileURLWithPath: path)) }
        catch { throw CLIError("cannot write the inventory to \(path): \(error.localizedDescription)") }
    }

    static func read(_ path: String) throws -> Inventory {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read inventory file \(path)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let inventory: Inventory
        do { inventory = try decoder.decode(Inventory.self, from: data) }
        catch { throw CLIError("\(path) is not a Mamori inventory: \(error)") }
        guard inventory.schema <= Inventory.currentSchema else {
            throw CLIError("\(path) was written by a newer Mamori (schema \(inventory.schema)); upgrade to read it")
        }
        return inventory
    }
}
