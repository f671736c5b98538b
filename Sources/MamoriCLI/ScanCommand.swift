import AWSClient
import ArgumentParser
import Checks
import Collectors
import Foundation
import Inventory
import MamoriCore

/// `mamori scan`: collect one account's inventory read-only and report findings.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Audit an AWS account (read-only) across its enabled regions.",
        discussion: """
            Exit codes: 0 no failing findings, 1 failing findings, 2 error, 3 partial scan (something could not be read).
            Examples:
              mamori scan --profile prod
              mamori scan --region eu-west-1 --region us-east-1 --format json --output findings.json
              mamori scan --endpoint-url http://127.0.0.1:5000 --save inventory.json
              mamori scan --org --role-name OrganizationAccountAccessRole --max-accounts 8 --region eu-west-1
            """)

    @OptionGroup var aws: AWSOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var organization: OrgOptions

    @Option(help: "Also write the collected inventory to this file (re-evaluate it with `mamori check`).")
    var save: String?

    @Flag(help: "No progress line on standard error.")
    var quiet = false

    func run() async throws {
        try await Console.run {
            let config = try output.loadConfig()
            let client = try aws.client()
            let scope: RegionScope = aws.allRegions ? .all : (aws.regions.isEmpty ? .enabled : .explicit(aws.regions))
            if organization.org {
                if save != nil { throw CLIError("--save is not available with --org yet: each account's inventory is released after evaluation") }
                let (evaluation, _) = try await OrgScan(base: client, options: organization, scope: scope, homeRegion: aws.homeRegion(),
                                                        config: config, progress: Console.progress(enabled: !quiet)).run()
                Console.clearProgress(enabled: !quiet)
                return try output.emit(evaluation)
            }
            let collector = AccountCollector(client: client, homeRegion: aws.homeRegion(), fanOut: 8,
                                             progress: Console.progress(enabled: !quiet))
            let account: AccountInventory
            do { account = try await collector.collect(regions: scope) }
            catch let error as AWSError {
                Console.clearProgress(enabled: !quiet)
                throw CLIError("cannot identify the account: \(error)\(error.isCredentialProblem ? " (check the credentials)" : "")")
            }
            Console.clearProgress(enabled: !quiet)
            let inventory = Inventory(accounts: [account])
            if let save { try InventoryFile.write(inventory, to: save) }
            return try output.emit(Evaluator.evaluate(inventory, config: config), inventory: inventory)
        }
    }
}
