import AWSClient
import ArgumentParser
import Collectors
import Foundation
import History
import Hunt
import MamoriCore
import Respond
import StreamIO
import ScanEngine
import SigmaEngine
import LogReaders

/// `mamori hunt`: the seeds' attacks in CloudTrail (rules under rules/cloudtrail/, `--rule` for more).
struct HuntCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Hunt CloudTrail logs for attacks (whoAMI, leaked keys, logging switched off, shares out) with SIGMA rules.",
        discussion: """
            Sources: trail files and folders (CloudTrail's .json.gz/.json, JSON lines; the S3 layout
            AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ selects files by day before opening them),
            --s3 s3://bucket/prefix (lists only the days, accounts and regions asked for), or `-` for stdin.
            Events are streamed one at a time; memory does not grow with the size of the trail.
            Exit codes: 0 no alerts, 1 alerts, 2 usage error, 3 part of the input could not be read (listed).
            --db PATH|postgres://… (or $MAMORI_DB) stores the run and its alerts in the history store;
            shards of one hunt (same --hunt-id, or the same command line) merge there:
            `mamori history hunt KEY`, `mamori serve`. Without --db or $MAMORI_DB nothing is stored.
            Examples:
              mamori hunt ./AWSLogs --since 2026-01-01
              mamori hunt --s3 s3://acme-trail/org --since 2026-01-30 --until 2026-01-31 --region eu-west-1
              mamori hunt ./trail --format json | mamori respond leaked-key --from-findings -
              mamori hunt --s3 s3://acme-trail/org --since 2026-01-30 --shard 0/8 --hunt-id jan30 --db postgres://mamori@db/mamori
            """
    )

    @Argument(help: "Trail files or folders (`-` for standard input).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Read the trail from S3: s3://bucket/prefix (the prefix above AWSLogs/, or inside it).", valueName: "s3-url"))
    var s3: String?

    @Option(help: ArgumentHelp("With --s3: keep the listing's progress in FILE, so running the same command again continues a listing that stopped part-way (removed once the listing completes).", valueName: "FILE"))
    var checkpoint: String?

    @Flag(name: .customLong("lookup-events"), help: "Read the last 90 days of management events with CloudTrail LookupEvents (2 requests/s per region; every enabled region, or --region).")
    var lookupEvents = false

    @Option(help: "Only events at or after this time (2026-01-31 or 2026-01-31T12:00:00Z); older day folders are not opened.")
    var since: String?

    @Option(help: "Only events at or before this time (same forms as --since).")
    var until: String?

    @Option(name: .customLong("account"), help: "Only this account's logs (repeatable).")
    var accounts: [String] = []

    @Option(name: .customLong("rule"), help: "A SIGMA rule file or folder (logsource aws/cloudtrail) to run besides the built-in rules (repeatable).")
    var rules: [String] = []

    @Flag(name: .customLong("no-builtin-rules"), help: "Run only the --rule files.")
    var noBuiltinRules = false

    @Option(help: "Output format.")
    var format: FormatChoice<TableJSONOrOCSF> = .init(.table)

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("egress-cidr"), help: "Where your people and systems reach AWS from (repeatable; adds to hunt.egress_cidrs): instance credentials used from elsewhere alert.")
    var egressCIDRs: [String] = []

    @Option(name: .customLong("aws-ip-ranges"), help: "AWS's ip-ranges.json: EC2 addresses then do not count as outside.")
    var awsIPRanges: String?

    @Option(help: "Configuration file (trust:, hunt:). Default: ./mamori.yml when present.")
    var config: String?

    @Option(name: .customLong("trust-account"), help: "An account ID whose AMIs and shares you trust (repeatable; adds to `trust:`).")
    var trustAccounts: [String] = []

    @Option(help: "A saved inventory (mamori scan --save-inventory): names the owners of launched AMIs.")
    var inventory: String?

    @Option(help: ArgumentHelp("This worker's part of the trail: I/N over account/region/day (the hash scan --org uses).", valueName: "I/N"))
    var shard: Shard?

    @OptionGroup(title: "History store (stores the run only when --db or $MAMORI_DB is given)") var history: HistoryOptions

    @Option(name: .customLong("hunt-id"), help: ArgumentHelp("The name shards of one hunt share in the history store (default: derived from the sources, --since, --until, --account, --region and the rules).", valueName: "name"))
    var huntId: String?

    @Flag(name: .customLong("no-history"), help: "Do not store this run, even when $MAMORI_DB is set.")
    var noHistory = false

    @OptionGroup(title: "Account names") var naming: AccountNamingOptions

    @OptionGroup(title: "AWS (for --s3, --lookup-events and --org)")
    var aws: AWSOptions

    func validate() throws {
        if paths.isEmpty && s3 == nil && !lookupEvents { throw ValidationError("give trail files or folders, --s3 s3://bucket/prefix or --lookup-events") }
        if checkpoint != nil && s3 == nil { throw ValidationError("--checkpoint records an S3 listing: give --s3 s3://bucket/prefix") }
        if let s3, S3Location(s3) == nil { throw ValidationError("--s3 '\(s3)' is not an S3 URL (example: s3://my-trail-bucket/prefix)") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, ISO8601.parseDayOrTime(value) == nil {
                throw ValidationError("\(name) '\(value)' is not a date (example: 2026-01-31 or 2026-01-31T12:00:00Z)")
            }
        }
        if let since, let until, let a = ISO8601.parseDayOrTime(since), let b = ISO8601.parseDayOrTime(until), b < a {
            throw ValidationError("--until is before --since")
        }
        for account in accounts + trustAccounts where !AccountID.isValid(account) {
            throw ValidationError("'\(account)' is not a 12-digit AWS account ID")
        }
        if let huntId, !HuntKey.isValid(huntId) {
            throw ValidationError("--hunt-id '\(huntId)': use 1-128 printable characters without spaces or '/'")
        }
        if noHistory && history.db != nil { throw ValidationError("--no-history and --db contradict each other") }
        if huntId != nil && !storing { throw ValidationError("--hunt-id names the run in the history store: give --db PATH|postgres://… (or set MAMORI_DB)") }
        try aws.validate()
    }

    /// Whether this run goes to the history store.
    var storing: Bool { !noHistory && history.named }

    func run() async throws {
        try await Console.run { try await hunt() }
    }

    private func hunt() async throws -> Int32 {
        // TableJSONOrOCSF offers exactly the hunt renderer's formats, under the same names.
        let format = HuntFormat(rawValue: self.format.value.rawValue) ?? .table
        let configPath = config ?? (FileManager.default.fileExists(atPath: "mamori.yml") ? "mamori.yml" : nil)
        var mamoriConfig = MamoriConfig()
        var huntConfig = HuntConfig()
        if let configPath {
            mamoriConfig = try MamoriConfig.load(path: configPath)
            huntConfig = try HuntConfig.load(path: configPath)
        }
        var trusted = Set(mamoriConfig.trust + trustAccounts)
        var egress: [CIDR] = []
        for text in huntConfig.egressCIDRs + egressCIDRs {
            guard let cidr = CIDR(text) else { throw HuntError.invalidCIDR(text) }
            egress.append(cidr)
        }
        let ranges = try (awsIPRanges ?? huntConfig.awsIPRanges).map { path throws(HuntError) in try AddressRanges.load(path: path) }
        let ruleSet = try HuntRules.load(paths: rules, includeBuiltIn: !noBuiltinRules)
        guard !ruleSet.rules.isEmpty else { throw CLIError("no rules to run (--no-builtin-rules without --rule)") }
        // Names first: a bad --accounts file or a refused --org fails before a long read.
        let (directory, orgMembers) = try await naming.loadWithMembers(aws: aws)
        let (members, orgProblem) = try await organisation(config: mamoriConfig, members: orgMembers, trusted: &trusted)
        let trust = ImageTrust(trusted: trusted, inventory: try inventory.map(InventoryFile.read))
        // The store too: a wrong --db (or a newer schema) fails before the read, not after it.
        let store = storing ? try await history.open() : nil
        let startedAt = Date()

        // Half a day either side is not a thing: a bare date means the whole day, so --until 2026-01-31 includes the 31st.
        let sinceDate = since.flatMap(ISO8601.parseDayOrTime)
        let untilDate = until.flatMap { text in ISO8601.parseDayOrTime(text).map { text.count == 10 ? $0.addingTimeInterval(86_399) : $0 } }
        let window = HuntWindow(since: sinceDate, until: untilDate, accounts: Set(accounts), regions: Set(aws.regions))
        let selector = shard.map { ShardSelector(index: $0.index, count: $0.count) }
        // The baselines are built-in detections: --no-builtin-rules turns them off with the rules.
        var session = HuntSession(rules: ruleSet, window: window, enricher: EventEnricher(egress: egress, ec2Ranges: ranges, trusted: trusted, members: members),
                                  baseline: noBuiltinRules ? nil : huntConfig.baseline)
        orgProblem.map { session.note($0) }

        if !paths.isEmpty {
            let (files, problems) = LocalSource.files(paths, window: window, shard: selector)
            problems.forEach { session.note($0) }
            for file in files {
                do { session.read(try LocalSource.open(file), origin: file == "-" ? "<stdin>" : file) }
                catch { session.note(InputProblem(source: file, reason: "\(error)")) }
            }
        }
        if let s3, let location = S3Location(s3) {
            let listing = try checkpoint.map { path throws(HuntError) in
                try ListingCheckpoint(path: path, source: "s3://\(location.bucket)/\(location.directoryPrefix)")
            }
            if let listing, listing.resumed.done + listing.resumed.partial > 0 {
                let (done, partial) = listing.resumed
                Console.error("--checkpoint \(listing.path): continuing the listing (\(done) prefix listings done, \(partial) cut off)")
            }
            let source = S3TrailSource(client: try aws.client(), region: aws.homeRegion(), location: location,
                                       concurrency: max(2, aws.maxRequests / 2), checkpoint: listing)
            let (keys, problems) = await source.keys(window: window, shard: selector)
            problems.forEach { session.note($0) }
            if let listing {
                if problems.isEmpty {
                    listing.remove()
                } else if let error = listing.flush() {
                    session.note(InputProblem(source: listing.path, reason: "the listing checkpoint could not be written: \(error)"))
                } else {
                    Console.error("the listing stopped part-way; its progress is in \(listing.path): run the same command again to continue it")
                }
            }
            try await readObjects(keys, from: source, into: &session)
        }
        if lookupEvents {
            let client = try aws.client()
            let regions: [String]
            if aws.regions.isEmpty {
                do { regions = try await RegionSweep.enabledRegions(client: client, region: aws.homeRegion()) }
                catch { throw CLIError("cannot list the enabled regions for --lookup-events (give --region): \(error)") }
            } else {
                regions = aws.regions
            }
            let source = LookupEventsSource(client: client, window: window)
            // Regions are paced independently, so they are read side by side, then merged by time.
            let results = await withTaskGroup(of: (Int, [LookedUpEvent], InputProblem?).self) { group in
                for (i, region) in regions.enumerated() {
                    group.addTask { let r = await source.events(region: region); return (i, r.events, r.problem) }
                }
                var out = [([LookedUpEvent], InputProblem?)](repeating: ([], nil), count: regions.count)
                for await (i, events, problem) in group { out[i] = (events, problem) }
                return out
            }
            results.compactMap(\.1).forEach { session.note($0) }
            session.read(MemorySource(LookupEventsSource.jsonLines(results.map(\.0)), name: "LookupEvents"), origin: "LookupEvents")
        }
        var result = session.finish(trust: trust)
        if let directory {
            for i in result.alerts.indices { result.alerts[i].name(from: directory) }
        }
        try Console.writeReport(try HuntReport.render(result, format: format, toolVersion: MamoriVersion.string), to: output)
        if format != .table || output != nil {
            for problem in result.problems {
                Console.error("not read in full: \(TerminalText.sanitize(problem.source)): \(TerminalText.sanitize(problem.reason))")
            }
        }
        let status: Int32 = !result.problems.isEmpty ? 3 : result.alerts.isEmpty ? 0 : 1
        if let store {
            let key = huntId ?? HuntHistory.key(paths: paths, s3: s3, lookupEvents: lookupEvents, since: since, until: until,
                                                accounts: accounts, regions: aws.regions, rules: ruleSet)
            let parameters = "accounts=\(accounts.sorted().joined(separator: ",")) regions=\(aws.regions.sorted().joined(separator: ",")) rules=\(ruleSet.rules.count + ruleSet.correlations.count)"
            let run = HuntHistory.run(result, key: key, shard: shard, startedAt: startedAt, finishedAt: Date(),
                                      sources: HuntHistory.sources(paths: paths, s3: s3, lookupEvents: lookupEvents),
                                      window: window, parameters: parameters, exitStatus: status)
            do {
                let stored = try await store.recordHunt(run)
                await store.close()
                Console.error("stored as hunt \(stored.huntKey) shard \(stored.shard) (run \(stored.id)): mamori history hunt \(stored.huntKey)")
            } catch {
                await store.close()
                throw CLIError("the hunt finished but could not be stored: \(error) (the report above is complete; use --no-history to skip the store)")
            }
        }
        return status
    }

    /// The organisation's accounts for shares: with `--org` its members (a share to one is not
    /// "outside"); with `trust: {organization: true}` / `ous: [...]` they are trusted, as the scan
    /// trusts them (AMI owners too). A trust section that cannot be resolved leaves the listed trust
    /// accounts only and makes the hunt partial (exit 3), as it makes a scan partial.
    /// `members`: the organisation's accounts already listed for `--org` naming.
    private func organisation(config: MamoriConfig, members: Set<String>, trusted: inout Set<String>) async throws -> (Set<String>, InputProblem?) {
        guard config.wantsOrganizationTrust else { return (members, nil) }
        let lister = OrganizationLister(client: try aws.client(), region: aws.homeRegion())
        do {
            let resolved = try await lister.trust(organization: config.trustOrganization, ous: config.trustOUs)
            trusted.formUnion(resolved.accounts)
            Console.error("trust: \(resolved.accounts.count) organisation account(s) from \(resolved.source)")
            return (members, nil)
        } catch {
            return (members, InputProblem(source: config.trustOrganization ? "trust.organization" : "trust.ous",
                                          reason: "cannot resolve the organisation accounts to trust (\(error)); only the listed trust accounts are trusted"))
        }
    }

    /// Downloads a few objects ahead while the current one is matched; objects are matched in key order.
    private func readObjects(_ keys: [String], from source: S3TrailSource, into session: inout HuntSession) async throws {
        let ahead = source.concurrency
        var pending: [(String, Task<Result<Data, AWSError>, Never>)] = []
        var next = 0
        func start(_ key: String) -> Task<Result<Data, AWSError>, Never> {
            Task { do throws(AWSError) { return .success(try await source.object(key)) } catch { return .failure(error) } }
        }
        while next < keys.count || !pending.isEmpty {
            while pending.count < ahead, next < keys.count {
                pending.append((keys[next], start(keys[next])))
                next += 1
            }
            let (key, task) = pending.removeFirst()
            let origin = source.origin(key)
            switch await task.value {
            case let .success(data):
                do {
                    session.read(try InputOpener.open(data: data, name: origin), origin: origin)
                } catch {
                    session.note(InputProblem(source: origin, reason: "\(error)"))
                }
            case let .failure(error):
                session.note(InputProblem(source: origin, reason: "cannot read: \(error)"))
            }
        }
    }
}
