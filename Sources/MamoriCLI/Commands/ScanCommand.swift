import AWSClient
import ArgumentParser
import Checks
import Collectors
import Foundation
import History
import Inventory
import MamoriCore
import Reports
import ScanEngine

/// `mamori scan`: collect one account's (or a whole organisation's) inventory read-only, report
/// findings and store the scan in the history.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Audit an AWS account (read-only) across its enabled regions.",
        discussion: """
            Exit codes: 0 no failing findings, 1 failing findings (with --fail-on new: new ones only),
            2 error, 3 partial scan (something could not be read, or the scan was interrupted).
            Every scan is stored in the history (--db, default ~/.mamori/mamori.sqlite) unless --no-history.
            Examples:
              mamori scan --profile prod
              mamori scan --region eu-west-1 --region us-east-1 --format json --output findings.json
              mamori scan --endpoint-url http://127.0.0.1:5000 --save inventory.json
              mamori scan --services iam,s3 --severity high --thresholds cis
              mamori scan --fail-on new                       # CI: fail only on findings the last scan did not have
              mamori scan --org --role-name OrganizationAccountAccessRole --max-accounts 8 --region eu-west-1
              mamori scan --org --resume                      # after Ctrl-C or a crash: only unfinished accounts
              mamori scan --org --shard 0/4 --run nightly-2026-11-25 --db postgres://mamori@db/mamori
            """)

    @OptionGroup var aws: AWSOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var organization: OrgOptions
    @OptionGroup var history: HistoryOptions

    @Option(help: "Also write the collected inventory to this file (re-evaluate it with `mamori check`).")
    var save: String?

    @Flag(name: .customLong("no-history"), help: "Do not store this scan in the history.")
    var noHistory = false

    @Option(name: .customLong("fail-on"), help: "Exit 1 for: any failing finding (default), new ones only (compared with the previous stored scan of the same target), or none.")
    var failOn: FailOn = .any

    @Flag(help: "No progress line on standard error.")
    var quiet = false

    func validate() throws {
        if noHistory && (organization.resume || organization.shard != nil) { throw ValidationError("--resume and --shard need the history store (drop --no-history)") }
        if noHistory && failOn == .new { throw ValidationError("--fail-on new compares with the history store (drop --no-history)") }
    }

    func run() async throws {
        try await Console.run {
            if organization.org { return try await scanOrganization() }
            var config = try output.loadConfig()
            let selected = try selection.apply(to: &config)
            let client = try aws.client()
            let scope: RegionScope = aws.allRegions ? .all : (aws.regions.isEmpty ? .enabled : .explicit(aws.regions))
            let store = noHistory ? nil : try await history.open()
            let collector = AccountCollector(client: client, homeRegion: aws.homeRegion(), fanOut: 8, parts: CollectionParts(selected),
                                             progress: Console.progress(enabled: !quiet))
            var account: AccountInventory
            do { account = try await collector.collect(regions: scope) }
            catch let error as AWSError {
                Console.clearProgress(enabled: !quiet)
                throw CLIError("cannot identify the account: \(error)\(error.isCredentialProblem ? " (check the credentials)" : "")")
            }
            Console.clearProgress(enabled: !quiet)
            if let summary = CloudKeyInventory.summary(account.regional) { Console.error(summary) }
            if let summary = ImageInventory.referenceSummary(account.regional) { Console.error(summary) }
            await OrganizationTrustStep.resolve(&account, config: config, client: client, region: aws.homeRegion())
            let inventory = Inventory(accounts: [account])
            if let save { try InventoryFile.write(inventory, to: save) }
            let evaluation = Evaluator.evaluate(inventory, config: config)
            var input = ReportInput(inventory: inventory, evaluation: evaluation, all: output.all, toolVersion: MamoriVersion.string)
            var scanId: Int64?
            if let store {
                input.history = await ScanHistory.trend(store, kind: .account, target: account.accountId, before: nil)
                scanId = try await ScanHistory.storeAccountScan(account: account, inventory: inventory, evaluation: evaluation, metrics: input.metrics,
                                                                selection: selected, toolVersion: MamoriVersion.string, in: store)
            }
            let code = try output.emit(evaluation, input: input)
            let final = try await applyFailOn(code, store: store, scanId: scanId)
            await store?.close()
            return final
        }
    }

    /// `scan --org`: Ctrl-C (SIGINT/SIGTERM) is trapped from the first step on, so an interruption at
    /// any moment ends with "interrupted" and exit 3, never with an AWS or store error.
    func scanOrganization() async throws -> Int32 {
        if save != nil { throw CLIError("--save is not available with --org yet: each account's inventory is released after evaluation") }
        var loaded = try output.loadConfig()
        _ = try selection.apply(to: &loaded)
        let (config, client) = (loaded, try aws.client())
        let scope: RegionScope = aws.allRegions ? .all : (aws.regions.isEmpty ? .enabled : .explicit(aws.regions))
        let (options, homeRegion, quiet, noHistory, history) = (organization.engine, aws.homeRegion(), quiet, noHistory, history)
        let outcome: OrgOutcome
        let store: (any HistoryStore)?
        do {
            (outcome, store) = try await SignalTrap.cancelling {
                let store = noHistory ? nil : try await history.open()
                let scan = OrgScan(base: client, options: options, scope: scope, homeRegion: homeRegion, config: config,
                                   store: store, toolVersion: MamoriVersion.string, events: Self.render(progress: Console.progress(enabled: !quiet)))
                do { return (try await scan.run(), store) }
                catch { await store?.close(); throw error }
            }
        } catch let interrupted as SignalTrap.Interrupted {
            Console.clearProgress(enabled: !quiet)
            Console.error("interrupted before any account was scanned\(interrupted.scanId.map { "; scan \($0) is stored: continue it with the same command and --resume" } ?? ": nothing was stored")")
            return 3
        }
        Console.clearProgress(enabled: !quiet)
        if outcome.interrupted {
            Console.error("interrupted: \(outcome.finished) account(s) finished and stored\(store == nil ? "" : "; continue with the same command and --resume")")
        }
        var trend: [ScanSummary] = []
        if let store { trend = await ScanHistory.trend(store, kind: .org, target: outcome.target, before: outcome.scanId) }
        let input = ReportInput(evaluation: outcome.evaluation, findings: ReportInput.shown(outcome.evaluation, all: output.all),
                                generatedAt: outcome.startedAt, toolVersion: MamoriVersion.string, metrics: outcome.metrics, history: trend,
                                accountNames: outcome.evaluation.accounts.mapValues(\.name))
        let code = try output.emit(outcome.evaluation, input: input)
        let final = outcome.interrupted ? 3 : try await applyFailOn(code, store: store, scanId: outcome.scanId)
        await store?.close()
        return final
    }

    /// How an organisation scan's events show: the progress line, and notes on standard error.
    static func render(progress: @escaping @Sendable (String) -> Void) -> @Sendable (OrgScanEvent) -> Void {
        { event in
            switch event {
            case .scanning(let member): progress("\(member.id) (\(member.name))")
            case .trusting(let trust):
                Console.error("trusting \(trust.accounts.count) organisation account(s) as owners of AMIs and shared resources (\(trust.source)"
                              + (trust.source == "scan --org" ? "; --no-org-trust to turn off" : "") + ")")
            case let .resuming(scan, finished): Console.error("resuming scan \(scan): \(finished) account(s) already done")
            case .nothingToResume(let target): Console.error("nothing to resume for \(target) with these options: starting a new scan")
            case let .shardDone(scan, others): Console.error("scan \(scan): this shard is done; \(others) account(s) of other shards are still pending")
            }
        }
    }

    /// `--fail-on`: exit 1 for any failing finding, only new ones, or never. Errors (2) and
    /// partial scans (3) keep their code: a scan that could not read everything is never "clean".
    func applyFailOn(_ code: Int32, store: (any HistoryStore)?, scanId: Int64?) async throws -> Int32 {
        guard failOn == .new else { return failOn.exitCode(reportCode: code) }
        guard let store, let scanId else { return code }
        let check = try await NewFindingsCheck.evaluate(store, scan: scanId)
        guard let previous = check.previous, let diff = check.diff else {
            Console.error("--fail-on new: no earlier scan of \(check.current.target) in the history, so every finding is new")
            return code
        }
        Console.error("compared with scan \(previous.id): \(diff.new.count) new, \(diff.fixed.count) fixed, \(diff.open.count) still open")
        if let note = DiffCommand.uncomparableNote(diff, previous, check.current) { Console.error(note) }
        if let note = DiffCommand.selectionNote(previous, check.current) { Console.error(note) }
        return check.exitCode(reportCode: code)
    }
}
