import AWSClient
import Checks
import Collectors
import Foundation
import History
import Inventory
import MamoriCore
import Reports

/// What an organisation scan produced.
struct OrgOutcome: Sendable {
    var evaluation: Evaluation
    var metrics: PostureMetrics?
    var scanId: Int64?
    var target: String
    var startedAt: Date
    /// Accounts finished in this run.
    var finished: Int
    var interrupted: Bool
    /// Accounts of other shards not finished yet (the report is incomplete until they are).
    var pendingElsewhere = 0
}

/// Scans member accounts with bounded concurrency, evaluating, storing (a checkpoint per account)
/// and releasing each account's inventory as soon as it is collected, so memory does not grow
/// with the organisation and `--resume` continues where a crash or Ctrl-C stopped.
struct OrgScan: Sendable {
    let base: AWSClient
    let options: OrgOptions
    let scope: RegionScope
    let homeRegion: String
    let config: MamoriConfig
    let store: (any HistoryStore)?
    let toolVersion: String
    let progress: @Sendable (String) -> Void

    func run() async throws -> OrgOutcome {
        let started = Date()
        let identity = try await interruptible(nil) { try await AccountCollector(client: base, homeRegion: homeRegion).identity() }
        let members: [MemberAccount]
        do { members = try await interruptible(nil) { try await OrganizationLister(client: base, region: homeRegion).accounts() } }
        catch let error as SignalTrap.Interrupted { throw error }
        catch { throw CLIError("cannot list the organisation's accounts from \(identity.account) (run from the management or a delegated administrator account): \(error)") }
        let trust = options.trust(members, config: config)
        if let trust {
            Console.error("trusting \(trust.accounts.count) organisation account(s) as owners of AMIs and shared resources (\(trust.source)"
                          + (trust.source == "scan --org" ? "; --no-org-trust to turn off" : "") + ")")
        }
        var (targets, skipped) = try options.select(members)
        if let shard = options.shard {
            targets = targets.filter { shard.contains($0.id) }
            skipped = skipped.filter { shard.contains($0.0.id) }
        }
        let target = "org:\(identity.account)"
        let parameters = "\(options.fingerprint);regions=\(scope.text)" + CheckSelection(unchecked: config.scan).parameterText
        let scan = try await interruptible(nil) { try await openScan(target: target, parameters: parameters, started: started) }
        var finishedBefore: Set<String> = []
        if let scan, let store, options.resume {
            finishedBefore = try await interruptible(scan.id) {
                Set(try await store.accounts(scan: scan.id).filter { $0.state == .done || $0.state == .skipped }.map(\.accountId))
            }
            if !finishedBefore.isEmpty { Console.error("resuming scan \(scan.id): \(finishedBefore.count) account(s) already done") }
        }

        var parts: [Evaluation] = []
        var metrics: [PostureMetrics] = []
        for (member, reason) in skipped {
            let label = AccountLabel(name: member.name, ouPath: member.ouPath)
            let error = CollectionError(kind: .failed, service: "organizations", operation: "ListAccounts", region: "global", message: "not scanned: \(reason)")
            parts.append(Evaluation(errors: [member.id: [error]], accounts: [member.id: label]))
            try await checkpoint(scan, AccountResult(account: AccountRecord(accountId: member.id, name: member.name, ouPath: member.ouPath, state: .skipped, finishedAt: Date()),
                                                     findings: [], errors: [StoredError(account: member.id, error: error)]))
        }
        let pending = targets.filter { !finishedBefore.contains($0.id) }
        // Claim this run's accounts first: if the process dies, the stored scan shows what is missing.
        for member in pending {
            try await checkpoint(scan, AccountResult(account: AccountRecord(accountId: member.id, name: member.name, ouPath: member.ouPath,
                                                                            state: .pending, finishedAt: started), findings: [], errors: []))
        }
        var finished = 0
        try await withThrowingTaskGroup(of: AccountOutcome?.self) { group in
            var next = 0
            func add() {
                let member = pending[next]
                next += 1
                group.addTask { await scanOne(member, management: identity.account, trust: trust) }
            }
            while next < min(options.maxAccounts, pending.count) { add() }
            while let result = try await group.next() {
                // A cancelled account (Ctrl-C) is neither reported nor stored: --resume scans it again.
                if let result, !Task.isCancelled {
                    try await checkpoint(scan, result.stored)
                    parts.append(result.evaluation)
                    if let m = result.metrics { metrics.append(m) }
                    finished += 1
                }
                if next < pending.count && !Task.isCancelled { add() }
            }
        }
        let interrupted = Task.isCancelled
        var final = OrgOutcome(evaluation: Evaluation.combining(parts), metrics: PostureMetrics.combine(metrics, measuredAt: started), scanId: scan?.id,
                               target: target, startedAt: started, finished: finished, interrupted: interrupted)
        if let scan, let store {
            final = try await Self.uncancelled { [final] in try await conclude(final, scan: scan, store: store, interrupted: interrupted) }
        }
        return final
    }

    /// A step before any account is scanned: failing because of Ctrl-C is an interruption, never
    /// an AWS, permission or store error (a cancelled request says "cancelled", which misled users).
    func interruptible<T: Sendable>(_ scanId: Int64?, _ body: () async throws -> T) async throws -> T {
        do { return try await body() }
        catch {
            if Task.isCancelled || (error as? AWSError)?.isCancellation == true || error is CancellationError {
                throw SignalTrap.Interrupted(scanId: scanId, underlying: "\(error)")
            }
            throw error
        }
    }

    /// Stores still work after Ctrl-C: the database layer honours task cancellation, and what is
    /// finished must be kept when the scan is cancelled.
    static func uncancelled<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task.detached { try await body() }.value
    }

    /// Reads the whole stored scan back for the report and closes the scan (or leaves it open for other shards).
    func conclude(_ outcome: OrgOutcome, scan: ScanRecord, store: any HistoryStore, interrupted: Bool) async throws -> OrgOutcome {
        var final = outcome
        // The report covers the whole stored scan, accounts finished before a resume included; a
        // shard reports its own accounts (`mamori report render --scan ID` reads the merged scan).
        let (stored, accounts) = try await ScanHistory.load(store, scan: scan.id)
        if options.shard == nil {
            final.evaluation = stored
            final.metrics = ScanHistory.metrics(accounts, measuredAt: scan.startedAt)
            final.startedAt = scan.startedAt
        }
        let others = accounts.filter { $0.state == .pending }.count
        if others > 0 && !interrupted {
            // Other shards are still at work: the last one to finish closes the scan.
            Console.error("scan \(scan.id): this shard is done; \(others) account(s) of other shards are still pending")
            final.pendingElsewhere = others
        } else {
            do {
                try await store.finishScan(scan.id, state: ScanHistory.state(stored, interrupted: interrupted), finishedAt: Date(),
                                           metrics: try? final.metrics.map { try JSONEncoder.history.encode($0) })
            } catch { throw CLIError("cannot store the end of scan \(scan.id): \(error)") }
        }
        return final
    }

    /// The stored scan this run writes into: a new one, the one to resume, or the shared `--run`.
    func openScan(target: String, parameters: String, started: Date) async throws -> ScanRecord? {
        guard let store else { return nil }
        do {
            if options.resume {
                if let found = try await store.resumableScan(kind: .org, target: target, parameters: parameters, runId: options.run) {
                    guard found.parameters == parameters else {
                        throw CLIError("scan \(found.id) (--run \(options.run ?? "")) was started with other parameters (\(found.parameters)); use the same options to resume it")
                    }
                    return found
                }
                Console.error("nothing to resume for \(target) with these options: starting a new scan")
            }
            return try await store.beginScan(NewScan(runId: options.run, kind: .org, target: target, parameters: parameters,
                                                     startedAt: started, toolVersion: toolVersion))
        } catch let error as HistoryError {
            throw CLIError("history store: \(error)")
        }
    }

    func checkpoint(_ scan: ScanRecord?, _ result: AccountResult) async throws {
        guard let scan, let store else { return }
        do { try await Self.uncancelled { try await store.record(result, scan: scan.id) } }
        catch { throw CLIError("cannot store account \(result.account.accountId) in scan \(scan.id): \(error)") }
    }

    /// One account's evaluation, what to store, and its metrics.
    struct AccountOutcome: Sendable {
        var evaluation: Evaluation
        var stored: AccountResult
        var metrics: PostureMetrics?
    }

    func scanOne(_ member: MemberAccount, management: String, trust: OrganizationTrust?) async -> AccountOutcome? {
        progress("\(member.id) (\(member.name))")
        let client: AWSClient
        if member.id == management {
            client = base
        } else {
            let role = "arn:aws:iam::\(member.id):role/\(options.roleName)"
            client = base.with(credentials: RefreshingCredentialProvider(AssumeRoleCredentialProvider(
                roleArn: role, sessionName: "mamori-org-scan", externalId: options.externalId,
                source: base.credentials, configuration: base.configuration, region: homeRegion)))
        }
        let label = AccountLabel(name: member.name, ouPath: member.ouPath)
        do {
            var inventory = try await AccountCollector(client: client, homeRegion: homeRegion,
                                                       parts: CollectionParts(CheckSelection(unchecked: config.scan)),
                                                       progress: { _ in }).collect(regions: scope)
            if Task.isCancelled { return nil }
            inventory.accountName = member.name
            inventory.ouPath = member.ouPath
            inventory.organizationTrust = trust
            let collected = Inventory(accounts: [inventory])
            var result = Evaluator.evaluate(collected, config: config)
            result.accounts[member.id] = label
            let metrics = PostureMetrics.compute(inventory: collected, evaluation: result)
            let stored = ScanHistory.result(account: inventory, evaluation: result, metrics: metrics, at: collected.collectedAt)
            return AccountOutcome(evaluation: result, stored: stored, metrics: metrics)
        } catch {
            if Task.isCancelled { return nil }
            let failure = CollectionError(kind: .credentials, service: "sts", operation: "AssumeRole", region: "global",
                                          message: "cannot scan \(member.id): \(error)")
            return AccountOutcome(evaluation: Evaluation(errors: [member.id: [failure]], accounts: [member.id: label]),
                                  stored: AccountResult(account: AccountRecord(accountId: member.id, name: member.name, ouPath: member.ouPath,
                                                                               state: .failed, finishedAt: Date()),
                                                        findings: [], errors: [StoredError(account: member.id, error: failure)]),
                                  metrics: nil)
        }
    }
}

extension RegionScope {
    /// How the regions were chosen, as stored with the scan's parameters.
    var text: String {
        switch self {
        case .enabled: "enabled"
        case .all: "all"
        case .explicit(let regions): regions.sorted().joined(separator: ",")
        }
    }
}
