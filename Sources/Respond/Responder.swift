import AWSClient
import Foundation
import MamoriCore
import Remediation

/// What the user asked `mamori respond leaked-key` to do.
public struct RespondOptions: Sendable {
    public var keyId: String
    /// Make the rotation changes (otherwise print the plan).
    public var apply = false
    /// Continue an interrupted `--apply` from its journal (implies `--apply`).
    public var resume = false
    /// Phase 2: deactivate the old key, after the user moved the workloads to the replacement.
    public var deactivate = false
    /// `--deactivate` refuses while the old key was used within this many minutes.
    public var quietMinutes = 15
    /// `--deactivate` even when the old key was used recently or the user has no other active key.
    public var force = false
    /// Phase 3: delete the deactivated key, after the user confirmed nothing broke.
    public var finish = false
    public var since: Date?
    public var cloudtrailPaths: [String] = []
    /// Regions to review; empty means every enabled region.
    public var regions: [String] = []
    public var homeRegion = "us-east-1"
    public var journalDirectory = ".mamori/journal"
    public var secretDestination: SecretDestination?
    public var failAfterStep: String?
    /// Skip the AWS CloudTrail sources (LookupEvents and S3) and read only `--cloudtrail` files.
    public var offlineTrail = false
    /// Swept resources to remove, one by one (only with `apply`).
    public var remove: [String] = []
    /// `--contain`: deny-all inline policy on the user or role and its keys deactivated (with `apply`),
    /// instead of the rotation's phases.
    public var contain = false
    /// The role a temporary key's session belongs to, when CloudTrail cannot tell (`--role`, an event file).
    public var role: String?
    /// Where `role` came from, for the report ("--role", "GuardDuty finding").
    public var roleSource: String?
    public var now = Date()

    public init(keyId: String) { self.keyId = keyId }

    /// The phase this run performs: one per run, in the seed's order.
    public var phase: ResponsePhase {
        if finish { return .finish }
        if deactivate { return .deactivate }
        return apply || resume ? .apply : .plan
    }
}

/// Runs the response: identify, quarantine check, rotation, CloudTrail review, sweep, guardrails.
public struct Responder: Sendable {
    public var client: AWSClient
    public var options: RespondOptions
    /// Receives the new secret for `--print-secret`.
    public var printSecret: @Sendable (String, String) -> Void
    /// Progress messages (stderr on a terminal).
    public var progress: @Sendable (String) -> Void

    public init(client: AWSClient, options: RespondOptions, printSecret: @escaping @Sendable (String, String) -> Void,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        self.options = options
        self.printSecret = printSecret
        self.progress = progress
    }

    public func run() async throws -> IncidentReport {
        try KeyOwnerLookup.validate(options.keyId)
        if [options.apply || options.resume, options.deactivate, options.finish].filter({ $0 }).count > 1 {
            throw RespondInputError("--apply, --deactivate and --finish are phases: run them one at a time, in that order, each after you checked the previous one")
        }
        if options.contain && (options.deactivate || options.finish || options.resume) {
            throw RespondInputError("--contain runs on its own (with --apply to make the change), not with --deactivate, --finish or --resume")
        }
        if options.keyId.hasPrefix("ASIA") { return try await runTemporary() }
        // --contain stops the identity instead of moving it: the rotation is only shown.
        let phase = options.contain ? .plan : options.phase
        let home = options.homeRegion
        var notes: [StepNote] = []
        progress("identifying \(options.keyId)")
        let identity = await KeyOwnerLookup.identify(options.keyId, client: client, region: home, now: options.now, notes: &notes)
        var quarantine: QuarantineStatus?
        if let user = identity.userName {
            progress("checking the quarantine policy of \(user)")
            quarantine = await QuarantineCheck.check(user: user, client: client, region: home)
            if let error = quarantine?.error { notes.append(StepNote(step: "quarantine", level: .error, message: "cannot read \(user)'s policies: \(error)")) }
        }
        let history = try JournalHistory.load(directory: options.journalDirectory, keyId: options.keyId)
        if options.resume && history.files.isEmpty {
            throw RespondInputError("--resume: no journal for \(options.keyId) under \(options.journalDirectory) (run with --apply first)")
        }
        var rotation = RotationPlanner.plan(identity: identity, history: history, phase: phase,
                                            guard: DeactivationGuard(quietMinutes: options.quietMinutes, force: options.force, now: options.now))
        let changing = phase != .plan
        if changing && options.secretDestination == nil && rotation.contains(where: { $0.kind == .createKey && $0.state == .planned }) {
            // Refuse before any change: deactivating without a saved replacement would break the user's applications.
            throw RespondInputError("--apply creates a replacement key: pass --secret-file PATH (a new file, mode 0600) or --print-secret for its secret")
        }
        // Every output is checked before the first change: the secret file is claimed now, so a path
        // that cannot take the secret stops the run while the account is untouched.
        var secretFile: SecretFileClaim?
        if changing, case .file(let path) = options.secretDestination, rotation.contains(where: { $0.kind == .createKey && $0.state == .planned }) {
            secretFile = try SecretFileClaim(path)
        }
        defer { secretFile?.release() }
        var journal: Journal? = nil
        let removing = options.apply && !options.remove.isEmpty
        if changing && (rotation.contains { $0.state == .planned } || removing) {
            journal = try Journal(directory: options.journalDirectory, name: "respond-\(options.keyId)")
        }
        if let journal, let user = identity.userName, rotation.contains(where: { $0.state == .planned }) {
            let executor = RotationExecutor(client: client, region: home, secretFile: secretFile,
                                            failAfterStep: options.failAfterStep, printSecret: printSecret)
            rotation = try await executor.run(rotation, user: user, journal: journal, notes: &notes)
        }
        var report = IncidentReport(
            keyId: options.keyId, generated: options.now,
            mode: options.resume && phase == .apply ? "resume" : phase.rawValue,
            identity: identity, quarantine: quarantine, rotation: rotation, journal: journal?.path, earlierJournals: history.files,
            since: options.since ?? identity.key?.createDate ?? options.now.addingTimeInterval(-90 * 86_400),
            regions: [], followedKeys: [options.keyId], followedUsers: [], followedRoles: [], events: [], eventsRead: 0,
            resources: [], removed: [], guardrails: nil, notes: notes, needsHuman: [], timeline: [], supportSummary: "")
        if options.contain {
            report.mode = options.apply ? "contain" : "plan"
            let target = identity.userName.map { "user/\($0)" }
            let reason = identity.rootKey ? "\(options.keyId) is most likely the root user's key: Mamori never changes the root user"
                : "no IAM user owns \(options.keyId): nothing to contain"
            var notes = report.notes
            report.containment = try await contain(target: target, unknownReason: reason, temporary: false, lastSeen: nil,
                                                   history: history, journal: &journal, notes: &notes)
            report.notes = notes
            report.journal = journal?.path
        }
        if phase != .finish {
            await review(&report)
            if !options.remove.isEmpty {
                report.removed = try await ResourceRemoval.remove(options.remove, from: report.resources, apply: options.apply,
                                                                  journal: journal, client: client, notes: &report.notes)
            }
        }
        progress("listing the account's other active access keys")
        report.otherActiveKeys = await AccountKeys.otherActive(
            except: options.keyId, exposedUser: identity.userName,
            replacement: rotation.first { $0.kind == .createKey && $0.state == .done }?.keyId,
            chain: Set(report.followedKeys), client: client, region: home, now: options.now, notes: &report.notes)
        ReportAssembler.finish(&report, history: history)
        return report
    }

    /// A temporary key (ASIA…): it cannot be rotated, it expires. The response identifies the role and
    /// session from CloudTrail, reviews and sweeps as for a long-term key, and revokes the role's
    /// sessions issued before now (with `apply`); `contain` also denies the role everything.
    private func runTemporary() async throws -> IncidentReport {
        if options.deactivate || options.finish || options.resume {
            throw RespondInputError("\(options.keyId) is a temporary (STS) key: it cannot be rotated, deactivated or deleted; it expires on its own. "
                + "Revoke the role's older sessions with --apply (and --contain to deny the role everything)")
        }
        if options.secretDestination != nil { throw RespondInputError("\(options.keyId) is a temporary key: no replacement is created, so --secret-file and --print-secret do not apply") }
        let home = options.homeRegion
        var notes: [StepNote] = []
        progress("identifying \(options.keyId)")
        var identity = KeyIdentity(keyId: options.keyId, decodedAccount: AccountDecoder.account(fromKeyId: options.keyId), callerAccount: nil,
                                   accountConfirmed: false, userName: nil, key: nil, userKeys: [], lastUse: nil, ageDays: nil)
        await KeyOwnerLookup.confirmAccount(&identity, client: client, region: home, notes: &notes)
        let history = try JournalHistory.load(directory: options.journalDirectory, keyId: options.keyId)
        // A role session lives at most 36 hours, but its key may have been used for any of them: two weeks back by default.
        var report = IncidentReport(
            keyId: options.keyId, generated: options.now, mode: options.contain && options.apply ? "contain" : (options.apply ? "apply" : "plan"),
            identity: identity, quarantine: nil, rotation: [], journal: nil, earlierJournals: history.files,
            since: options.since ?? options.now.addingTimeInterval(-14 * 86_400),
            regions: [], followedKeys: [options.keyId], followedUsers: [], followedRoles: [], events: [], eventsRead: 0,
            resources: [], removed: [], guardrails: nil, notes: notes, needsHuman: [], timeline: [], supportSummary: "")
        await review(&report)
        let session = SessionIdentity.from(events: report.events, keyId: options.keyId, role: options.role, roleSource: options.roleSource)
        report.session = session
        let target = session.roleName.map { "role/\($0)" }
        let reason = "no CloudTrail event read names the role of \(options.keyId) (\(report.eventsRead) events read since \(AWSDate.format(report.since))): "
            + "pass --role NAME (the role in the GuardDuty finding or AWS's notice), or --cloudtrail with its events"
        var journal: Journal? = nil
        var notesCopy = report.notes
        report.containment = try await contain(target: target, unknownReason: reason, temporary: true, lastSeen: session.lastSeen,
                                               history: history, journal: &journal, notes: &notesCopy)
        report.notes = notesCopy
        report.journal = journal?.path
        if !options.remove.isEmpty {
            if journal == nil && options.apply { journal = try Journal(directory: options.journalDirectory, name: "respond-\(options.keyId)") }
            report.removed = try await ResourceRemoval.remove(options.remove, from: report.resources, apply: options.apply,
                                                              journal: journal, client: client, notes: &report.notes)
            report.journal = journal?.path
        }
        progress("listing the account's active access keys")
        report.otherActiveKeys = await AccountKeys.otherActive(except: options.keyId, exposedUser: nil, replacement: nil,
                                                               chain: Set(report.followedKeys), client: client, region: home,
                                                               now: options.now, notes: &report.notes)
        ReportAssembler.finish(&report, history: history)
        return report
    }

    /// Plans the containment of `target` from its live state and, with `apply`, runs it (journaled).
    private func contain(target: String?, unknownReason: String, temporary: Bool, lastSeen: Date?, history: JournalHistory,
                         journal: inout Journal?, notes: inout [StepNote]) async throws -> [ContainmentStep] {
        progress("checking what containment \(target ?? options.keyId) needs")
        let live = await ContainmentPlanner.live(target: target, unknownReason: unknownReason, history: history,
                                                 client: client, region: options.homeRegion, notes: &notes)
        let steps = ContainmentPlanner.plan(keyId: options.keyId, temporary: temporary, contain: options.contain, live: live,
                                            lastSeen: lastSeen, now: options.now)
        guard options.apply, steps.contains(where: { $0.state == .planned }) else { return steps }
        if journal == nil { journal = try Journal(directory: options.journalDirectory, name: "respond-\(options.keyId)") }
        guard let journal else { return steps }
        return try await ContainmentExecutor(client: client, region: options.homeRegion, now: options.now)
            .run(steps, live: live, journal: journal, notes: &notes)
    }

    /// Steps 4 to 6: CloudTrail, sweep and guardrails. Each source's failure is a note; the rest goes on.
    private func review(_ report: inout IncidentReport) async {
        let home = options.homeRegion
        var notes = report.notes
        var regions = options.regions
        if regions.isEmpty {
            do { regions = try await RegionSweep.enabledRegions(client: client, region: home) }
            catch {
                notes.append(StepNote(step: "regions", level: .error, message: "DescribeRegions failed (\(error)); reviewing \(home) only"))
                regions = [home]
            }
        }
        report.regions = regions
        var all: [TrailEvent] = []
        for path in options.cloudtrailPaths {
            do { all += try TrailSources.local(path, notes: &notes) }
            catch { notes.append(StepNote(step: "cloudtrail", level: .error, message: "\(error)")) }
        }
        let account = report.identity.callerAccount ?? report.identity.decodedAccount
        if !options.offlineTrail {
            progress("reading CloudTrail log files from S3")
            do {
                for trail in try await TrailSources.trails(client: client, region: home) {
                    guard let account else { break }
                    do { all += try await TrailSources.s3(trail: trail, account: account, since: report.since, client: client, region: home, notes: &notes) }
                    catch { notes.append(StepNote(step: "cloudtrail", level: .error, message: "trail \(trail.name) (s3://\(trail.bucket)): \(error)")) }
                }
            } catch { notes.append(StepNote(step: "cloudtrail", level: .error, message: "DescribeTrails: \(error)")) }
        }
        var follower = ChainFollower(leakedKey: options.keyId)
        var attributable = follower.attributable(all)
        if !options.offlineTrail {
            let lookupSince = max(report.since, options.now.addingTimeInterval(-90 * 86_400))
            var looked = Set<String>()
            var unsupported = false
            // Each round looks up keys found in the previous one: chains of created keys are followed.
            while !unsupported, let key = follower.keys.subtracting(looked).sorted().first, looked.count < 50 {
                looked.insert(key)
                progress("CloudTrail LookupEvents for \(key)")
                for region in regions {
                    do { all += try await TrailSources.lookup(accessKey: key, region: region, since: lookupSince, client: client, notes: &notes) }
                    catch where error.isUnsupported {
                        notes.append(StepNote(step: "cloudtrail", level: .warning, message: "LookupEvents is not available at this endpoint: \(error)"))
                        unsupported = true
                        break
                    } catch {
                        notes.append(StepNote(step: "cloudtrail", level: .error, message: "LookupEvents \(region) for \(key): \(error)"))
                    }
                }
                all = Self.unique(all)
                attributable = follower.attributable(all)
            }
        }
        all = Self.unique(all)
        attributable = follower.attributable(all)
        report.eventsRead = all.count
        report.events = attributable
        report.followedKeys = follower.keys.sorted()
        report.followedUsers = follower.users.sorted()
        report.followedRoles = follower.roles.sorted()

        progress("sweeping \(regions.count) regions")
        let since = report.since
        let client = self.client
        // Regions are independent: sweep them concurrently (the client bounds requests in flight).
        let perRegion = await withTaskGroup(of: (Int, [SuspectResource], [StepNote]).self) { group in
            for (index, region) in regions.enumerated() {
                group.addTask {
                    var regionNotes: [StepNote] = []
                    let found = await RegionSweep.sweepRegion(region, since: since, client: client, notes: &regionNotes)
                    return (index, found, regionNotes)
                }
            }
            var results: [(Int, [SuspectResource], [StepNote])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        var resources: [SuspectResource] = perRegion.flatMap(\.1)
        notes += perRegion.flatMap(\.2)
        resources += await RegionSweep.sweepIAM(since: report.since, client: client, region: home, notes: &notes)
        // The replacement key is ours, not a suspect.
        let ours = Set(report.rotation.filter { $0.kind == .createKey }.compactMap(\.keyId))
        resources.removeAll { ($0.type == "access-key" && (ours.contains($0.id) || $0.id == options.keyId)) }
        report.resources = RegionSweep.attribute(resources, all: all, attributable: attributable)

        progress("checking guardrails")
        report.guardrails = await GuardrailCheck.check(client: client, region: home, account: account)
        progress("reading the cost of the window (Cost Explorer)")
        report.cost = await CostSignals.read(since: report.since, now: options.now, client: client, region: home)
        report.notes = notes
    }

    static func unique(_ events: [TrailEvent]) -> [TrailEvent] {
        var seen = Set<String>()
        return events.filter { seen.insert($0.eventId).inserted }
    }
}
