import ArgumentParser
import Foundation
import MamoriCore
import SecretScan
import AWSClient

/// `mamori secrets`: find leaked AWS keys in files, archives, images, standard input or git history.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Find leaked AWS access keys in files, archives, container images, logs and git history.",
        discussion: """
            Examples: `mamori secrets --staged` (pre-commit: exactly what is staged), \
            `mamori secrets --git --range origin/main..HEAD` (a pull request's commits), \
            `mamori secrets --git https://github.com/acme/app.git` (cloned bare, scanned, removed), \
            `mamori secrets s3://acme-public/exports/ --profile audit` (every object under the prefix).

            Exit codes: 0 nothing new found, 1 new findings, 2 error (message on stderr), 3 partial: an \
            input went past an archive limit (--max-archive-size, --max-archive-ratio, --max-archive-depth) \
            and was not scanned to its end, or --git met missing objects (shallow, partial or damaged \
            repository; listed on stderr) — 3 even when there are findings, since there may be more.

            Secrets are always redacted (first 4 + last 4 characters). Key IDs are shown in full \
            so that `mamori respond leaked-key --from-findings -` can act on them. \
            See docs/secrets.md for the JSON schema, baselines and benchmarks.
            """
    )

    @Argument(help: "Files or directories to scan; `-` reads standard input; `s3://bucket/prefix` the objects under a prefix. With --git: repositories or URLs; with --staged: repositories. Default: the current directory.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("s3:// objects larger than this are listed as not scanned (bytes, or with K, M, G, T). Objects over 8 MiB are streamed in ranges, so this bounds time, not memory.", valueName: "SIZE"))
    var maxObjectSize = ByteSize(bytes: 5 << 30)

    /// The range size for streamed s3:// objects (tests use a small one to exercise ranged reads).
    @Option(name: .customLong("s3-range-size"), help: .hidden)
    var s3RangeSize = ByteSize(bytes: 8 << 20)

    @OptionGroup(title: "Account names") var naming: AccountNamingOptions

    @OptionGroup(title: "AWS (for s3:// paths and --org)") var aws: AWSOptions

    @Flag(help: "Scan the history (all branches and tags) of the repository at PATH, each key at the commit that added it; PATH is a path, or an https://, ssh://, git@host:path or file:// URL, cloned bare to a temporary directory.")
    var git = false

    @Flag(help: "Scan exactly what is staged for the next commit (the git index, not the working tree) of the repository at PATH (pre-commit).")
    var staged = false

    @Option(help: ArgumentHelp("With --git: scan only the commits after REV up to HEAD (REV..HEAD).", valueName: "REV"))
    var since: String?

    @Option(help: ArgumentHelp("With --git: scan only the commits in A..B (a pull request: BASE..HEAD).", valueName: "A..B"))
    var range: String?

    @Option(name: .customLong("git-engine"),
            help: ArgumentHelp("With --git: auto (default), objects (scan each blob once) or diff (scan `git log -p`); for tests and benchmarks.",
                               visibility: .hidden))
    var gitEngine: GitHistoryEngine = .auto

    @Flag(name: .customLong("no-ignore"), help: "Also scan files that .gitignore excludes.")
    var noIgnore = false

    @Option(help: "Output format.")
    var format: FormatChoice<TableJSONOrSARIF> = .init(.table)

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("trust-account"), help: "An AWS account ID you own (repeatable); its keys are marked trusted.")
    var trustAccount: [String] = []

    @Option(help: "Configuration file whose `trust:` accounts are trusted too. Default: ./mamori.yml when present.")
    var config: String?

    @Option(help: "Baseline file: findings listed there are not reported and do not fail the run.")
    var baseline: String?

    @Flag(name: .customLong("update-baseline"), help: "Write all current findings to the --baseline file.")
    var updateBaseline = false

    @Flag(help: "Check each found key pair with sts:GetCallerIdentity (never canaries, refused in CI).")
    var verify = false

    @Option(name: .customLong("verify-endpoint"), help: ArgumentHelp("STS endpoint URL for --verify (testing).", visibility: .hidden))
    var verifyEndpoint: String?

    @Flag(name: .shortAndLong, help: "Also list dropped candidates (examples, placeholders, ignores) with the reason, and scan counts.")
    var verbose = false

    @Option(name: .customLong("max-archive-size"), help: ArgumentHelp("Stop scanning an input once its archives expand past this (bytes, or with K, M, G, T: binary units).", valueName: "size"))
    var maxArchiveSize: ByteSize = ByteSize(bytes: ArchiveLimits.defaultMaxExpandedBytes)

    @Option(name: .customLong("max-archive-ratio"), help: ArgumentHelp("Stop scanning an input once its archives expand more than this many times its size (checked past 64 MiB).", valueName: "n"))
    var maxArchiveRatio: Int = ArchiveLimits.defaultMaxRatio

    @Option(name: .customLong("max-archive-depth"), help: ArgumentHelp("Open archives nested at most this deep (deeper ones are reported, not opened).", valueName: "n"))
    var maxArchiveDepth: Int = ArchiveLimits.defaultMaxDepth

    func validate() throws {
        guard maxArchiveRatio >= 1 else { throw ValidationError("--max-archive-ratio must be at least 1, not \(maxArchiveRatio)") }
        guard (0...64).contains(maxArchiveDepth) else { throw ValidationError("--max-archive-depth must be between 0 and 64, not \(maxArchiveDepth)") }
        for a in trustAccount where !AccountID.isValid(a) {
            throw ValidationError("--trust-account needs a 12-digit AWS account ID, got '\(a)'")
        }
        if updateBaseline && baseline == nil {
            throw ValidationError("--update-baseline needs --baseline FILE to know where to write")
        }
        if verify, let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty, ci.lowercased() != "false" {
            throw ValidationError(SecretsVerification.RefusedInCI().description)
        }
        let s3 = paths.filter { $0.hasPrefix("s3://") }
        if (git || staged) && !s3.isEmpty {
            throw ValidationError("--\(git ? "git" : "staged") reads a repository, not an S3 prefix")
        }
        for path in s3 where S3Location(path) == nil {
            throw ValidationError("'\(path)' is not an S3 location: expected s3://BUCKET[/PREFIX] with a valid bucket name")
        }
        if (git || staged) && paths.contains("-") {
            throw ValidationError("--\(git ? "git" : "staged") reads a repository, not standard input")
        }
        if git && staged {
            throw ValidationError("--staged and --git are exclusive: --staged scans the next commit, --git the existing ones")
        }
        if (since != nil || range != nil) && !git {
            throw ValidationError("--\(since != nil ? "since" : "range") selects commits: use it with --git")
        }
        if gitEngine != .auto && !git {
            throw ValidationError("--git-engine chooses how --git reads history: use it with --git")
        }
        if since != nil && range != nil {
            throw ValidationError("--since REV is --range REV..HEAD: give one of them")
        }
        if let range {
            do { _ = try GitRevisions.parseRange(range) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        var trusted = Set(trustAccount)
        do {
            if let config {
                trusted.formUnion(try MamoriConfig.load(path: config).trust)
            } else if FileManager.default.fileExists(atPath: "mamori.yml") {
                trusted.formUnion(try MamoriConfig.load(path: "mamori.yml").trust)
            }
        } catch {
            throw CLIError.plain("\(error)")
        }
        // The baseline lists key IDs by design: it must not report itself.
        let options = SecretScanOptions(respectIgnore: !noIgnore, trustedAccounts: trusted,
                                        excludedFiles: baseline.map { [$0] } ?? [],
                                        archiveLimits: ArchiveLimits(maxExpandedBytes: maxArchiveSize.bytes, maxRatio: maxArchiveRatio,
                                                                     maxDepth: maxArchiveDepth))
        // Names first: a bad --accounts file or a refused --org fails before a long scan.
        let directory: AccountDirectory?
        do { directory = try await naming.load(aws: aws) } catch { throw CLIError.plain("\(error)") }
        let started = Date()
        var result: SecretScanResult
        do {
            if git {
                result = try SecretsRun.scanRepositories(paths.isEmpty ? ["."] : paths, revisions: revisions(), engine: gitEngine,
                                                          options: options)
            } else if staged {
                result = try SecretsRun.scanStaged(paths.isEmpty ? ["."] : paths, options: options)
            } else {
                let s3 = paths.compactMap(S3Location.init)
                let local = paths.filter { !$0.hasPrefix("s3://") }
                result = local.isEmpty && !s3.isEmpty ? SecretScanResult() : SecretScanner.scan(paths: local.isEmpty ? ["."] : local, options: options)
                if !s3.isEmpty {
                    let client = try aws.client()
                    let limits = S3SecretSource.Limits(maxObjectBytes: Int64(maxObjectSize.bytes), rangeBytes: Int64(s3RangeSize.bytes))
                    for location in s3 {
                        let r = await S3SecretSource.scan(location, client: client, region: aws.homeRegion(), options: options, limits: limits)
                        result.findings += r.findings
                        result.dropped += r.dropped
                        result.errors += r.errors
                        result.stats.add(r.stats)
                    }
                }
            }
        } catch {
            throw CLIError.plain("\(error)")
        }
        let elapsed = Date().timeIntervalSince(started)

        var findings = result.findings
        var known = 0
        if let baseline {
            if updateBaseline {
                // A partial scan (the staged files, a range of commits) cannot know the findings
                // outside it: it adds to an existing baseline instead of replacing it.
                let partial = staged || since != nil || range != nil
                let updated: Baseline
                do {
                    updated = try SecretsRun.updatedBaseline(findings, path: baseline, merging: partial)
                    try updated.save(path: baseline)
                } catch { throw CLIError.plain("\(error)") }
                SecretsRun.note("wrote \(updated.findings.count) fingerprints to \(baseline)")
            }
            let knownPrints: Set<String>
            do { knownPrints = try Baseline.load(path: baseline).fingerprints } catch { throw CLIError.plain("\(error)") }
            let before = findings.count
            findings.removeAll { knownPrints.contains($0.fingerprint) }
            known = before - findings.count
        }
        if let directory {
            for i in findings.indices { findings[i].name(from: directory) }
        }
        if verify {
            do { findings = try await SecretsVerification.verifyAll(findings, endpoint: verifyEndpoint) } catch { throw CLIError.plain("\(error)") }
        }

        let report: String
        do {
            switch format.value {
            case .json: report = try SecretReport.json(findings)
            case .sarif: report = try SecretReport.sarif(findings, version: MamoriVersion.string)
            default: report = SecretReport.table(findings)
            }
        } catch {
            throw CLIError.plain("cannot encode the report: \(error)")
        }
        do { try Console.writeReport(Data(report.utf8), to: output) } catch { throw CLIError.plain("\(error)") }

        for e in result.errors { SecretsRun.note("warning: \(e)") }
        if verbose {
            for d in result.dropped { SecretsRun.note("dropped \(d.value) at \(d.file):\(d.line): \(d.reason)") }
            SecretsRun.note(SecretsRun.summary(result.stats, elapsed: elapsed, findings: findings.count, known: known,
                                               dropped: result.dropped.count))
        }
        // Partial first, as for `mamori scan`: the findings may not be all there are.
        if result.isPartial { throw ExitCode(3) }
        if !findings.isEmpty { throw ExitCode(1) }
        if !result.errors.isEmpty { throw ExitCode(2) }
    }
}

extension SecretsCommand {
    /// The commits `--git` scans.
    func revisions() throws -> GitRevisions {
        if let since { return .since(since) }
        if let range { return try GitRevisions.parseRange(range) }
        return .all
    }
}

extension GitHistoryEngine: ExpressibleByArgument {}

/// A size on the command line: `1048576`, `64K`, `512M`, `4G`, `1T` (binary units; `KB`, `KiB`,
/// `MB`, `MiB`… are read the same way).
struct ByteSize: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = text.prefix { $0.isNumber }
        var unit = String(text.dropFirst(digits.count)).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("IB") { unit.removeLast(2) } else if unit.hasSuffix("B") { unit.removeLast() }
        let shifts: [String: Int] = ["": 0, "K": 10, "M": 20, "G": 30, "T": 40]
        guard let count = Int(digits), count > 0, let shift = shifts[unit], count <= Int.max >> shift else { return nil }
        bytes = count << shift
    }

    var defaultValueDescription: String {
        for (unit, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }
}
