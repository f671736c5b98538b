import AWSClient
import Checks
import Collectors
import Foundation
import History
import Inventory
import MamoriCore
import Reports

/// What an organisation scan produced.
public struct OrgOutcome: Sendable {
    public var evaluation: Evaluation
    public var metrics: PostureMetrics?
    public var scanId: Int64?
    public var target: String
    public var startedAt: Date
    /// Accounts finished in this run.
    public var finished: Int
    public var interrupted: Bool
    /// Accounts of other shards not finished yet (the report is incomplete until they are).
    public var pendingElsewhere = 0
}

/// What an organisation scan tells its caller while it runs; the engine never prints; the CLI
/// renders these on standard error.
public enum OrgScanEvent: Sendable, Equatable {
    /// The organisation's accounts are trusted as owners of AMIs and shared resources.
    case trusting(OrganizationTrust)
    /// `--resume` continues a stored scan in which these accounts are already done.
    case resuming(scan: Int64, finished: Int)
    /// `--resume` found no unfinished scan with these parameters: a new one starts.
    case nothingToResume(target: String)
    /// An account's scan starts (the progress line).
    case scanning(MemberAccount)
    /// This shard is done; other shards still have accounts pending.
    case shardDone(scan: Int64, pendingElsewhere: Int)
}

/// Scans member accounts with bounded concurrency, evaluating, storing (a checkpoint per account)
/// and releasing each account's inventory as soon as it is collected, so memory does not grow
/// with the organisation and `--resume` continues where a crash or Ctrl-C stopped.
public struct OrgScan: Sendable {
    let base: AWSClient
    let options: OrgScanOptions
    let scope: RegionScope
    let homeRegion: String
    let config: MamoriConfig
    let store: (any HistoryStore)?
    let toolVersion: String
    let events: @Sendable (OrgScanEvent) -> Void

    public init(base: AWSClient, options: OrgScanOptions, scope: RegionScope, homeRegion: String, config: MamoriConfig,
                store: (any HistoryStore)?, toolVersion: String, events: @escaping @Sendable (OrgScanEvent) -> Void) {
        self.base = base
        self.options = options
        self.scope = scope
        self.homeRegion = homeRegion
        self.config = config
        self.store = store
        self.toolVersion = toolVersion
        self.events = events
    }

    /// The stored scan's target: the organisation, named by the account the scan runs from.
    public static func target(management: String) -> String { "org:\(management)" }

    /// The stored parameters: what must be equal for `--resume` and `--run` to continue a scan.
    public static func parameters(_ options: OrgScanOptions, scope: RegionScope, config: MamoriConfig) -> String {
        "\(options.fingerprint);regions=\(scope.text)" + CheckSelection(unchecked: config.scan).parameterText
    }

    public func run() async throws -> OrgOutcome {
        let started = Date()
        let identity = try await interruptible(nil) { try await AccountCollector(client: base, homeRegion: homeRegion).identity() }
        let members: [MemberAccount]
        do { members = try await interruptible(nil) { try await OrganizationLister(client: base, region: homeRegion).accounts() } }
        catch let error as ScanInterrupted { throw error }
        catch { throw ScanEngineError.cannotListOrganization(account: identity.account, reason: "\(error)") }
        let trust = options.trust(members, config: config)
        if let trust { events(.trusting(trust)) }
        let selection = try options.select(members)
        let (targets, skipped) = (selection.scan, selection.skipped)
        let target = Self.target(management: identity.account)
        let parameters = Self.parameters(options, scope: scope, config: config)
        let scan = try await interruptible(nil) { [options, toolVersion, events] in
            try await Self.openScan(store, options: options, target: target, parameters: parameters, started: started,
                                    toolVersion: toolVersion, events: events)
        }
        var finishedBefore: Set<String> = []
        if let scan, let store, options.resume {
            finishedBefore = try await interruptible(scan.id) { try await Self.finishedAccounts(store, scan: scan.id) }
            if !finishedBefore.isEmpty { events(.resuming(scan: scan.id, finished: finishedBefore.count)) }
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
                throw ScanInterrupted(scanId: scanId, underlying: "\(error)")
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
            events(.shardDone(scan: scan.id, pendingElsewhere: others))
            final.pendingElsewhere = others
        } else {
            do {
                try await store.finishScan(scan.id, state: ScanHistory.state(stored, interrupted: interrupted), finishedAt: Date(),
                                           metrics: try? final.metrics.map { try JSONEncoder.history.encode($0) })
            } catch { throw ScanEngineError.cannotFinishScan(scan: scan.id, reason: "\(error)") }
        }
        return final
    }

    /// The stored scan this run writes into: a new one, the one to resume, or the shared `--run`.
    /// This is the resume identity: a rerun continues the unfinished scan of the same target whose
    /// stored parameters are equal (or the scan named by `--run`, refused if its parameters differ).
    public static func openScan(_ store: (any HistoryStore)?, options: OrgScanOptions, target: String, parameters: String, started: Date,
                                toolVersion: String, events: @Sendable (OrgScanEvent) -> Void = { _ in }) async throws(ScanEngineError) -> ScanRecord? {
        guard let store else { return nil }
        do {
            if options.resume {
                if let found = try await store.resumableScan(kind: .org, target: target, parameters: parameters, runId: options.run) {
                    guard found.parameters == parameters else {
                        throw ScanEngineError.resumeParametersDiffer(scan: found.id, run: options.run, stored: found.parameters)
                    }
                    return found
                }
                events(.nothingToResume(target: target))
            }
            return try await store.beginScan(NewScan(runId: options.run, kind: .org, target: target, parameters: parameters,
                                                     startedAt: started, toolVersion: toolVersion))
        } catch let error as HistoryError {
            throw .historyStore("\(error)")
        } catch let error as ScanEngineError {
            throw error
        } catch {
            throw .historyStore("\(error)")
        }
    }

    /// The accounts a resumed scan does not scan again: finished or skipped in the stored scan
    /// (pending and failed ones are scanned again).
    public static func finishedAccounts(_ store: any HistoryStore, scan: Int64) async throws -> Set<String> {
        Set(try await store.accounts(scan: scan).filter { $0.state == .done || $0.state == .skipped }.map(\.accountId))
    }

    func checkpoint(_ scan: ScanRecord?, _ result: AccountResult) async throws {
        guard let scan, let store else { return }
        do { try await Self.uncancelled { try await store.record(result, scan: scan.id) } }
        catch { throw ScanEngineError.cannotStoreAccount(account: result.account.accountId, scan: scan.id, reason: "\(error)") }
    }

    /// One account's evaluation, what to store, and its metrics.
    struct AccountOutcome: Sendable {
        var evaluation: Evaluation
        var stored: AccountResult
        var metrics: PostureMetrics?
    }

    func scanOne(_ member: MemberAccount, management: String, trust: OrganizationTrust?) async -> AccountOutcome? {
        events(.scanning(member))
        let client: AWSClient
        if member.id == management {
            client = base
        } else {
            let role = Partition(region: homeRegion).arn("iam", account: member.id, "role/\(options.roleName)")
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
    public var text: String {
        switch self {
        case .enabled: "enabled"
        case .all: "all"
        case .explicit(let regions): regions.sorted().joined(separator: ",")
        }
    }
}
