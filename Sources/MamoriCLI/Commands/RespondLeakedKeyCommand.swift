import ArgumentParser
import Foundation
import MamoriCore
import Respond
import StreamIO

/// `mamori respond leaked-key`: identify, quarantine check, rotate, CloudTrail review, sweep, guardrails, report.
struct RespondLeakedKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaked-key",
        abstract: "Respond to an exposed access key in the seed's order: plan by default; --apply creates the replacement, --deactivate turns the old key off after the workloads moved, --finish deletes it.",
        discussion: """
            Every phase is journaled, can be re-run, and its report says how to go back (see `mamori respond undo`).
            Exit codes: 0 nothing left to do, 1 something still needs a human (the report says what), 2 error.
            Example:
              mamori respond leaked-key AKIAIOSFODNN7EXAMPLE --format json --output plan.json   # the plan, nothing changed
            Test hook: MAMORI_TEST_FAIL_AFTER_STEP=create-key|deactivate-key|delete-key stops the run right after that step (for --resume tests).
            Examples:
              mamori respond leaked-key AKIAIOSFODNN7EXAMPLE                                   # the plan
              mamori respond leaked-key AKIAIOSFODNN7EXAMPLE --apply --secret-file new-key.ini  # phase 1
              mamori respond leaked-key ASIAIOSFODNN7EXAMPLE --apply                           # revoke the role's older sessions
              mamori respond leaked-key --from-event guardduty-finding.json                    # from AWS's own notice
            """
    )

    @Argument(help: "The exposed access key ID: AKIA… (an IAM user's) or ASIA… (a role session's: its sessions are revoked).")
    var keyId: String?

    @Option(help: "Read key IDs from `mamori secrets --format json` output (a file, or - for stdin).")
    var fromFindings: String?

    @Option(help: "Start from an AWS Health risk event (AWS_RISK_CREDENTIALS_EXPOSED, …_COMPROMISED, AWS_RISK_IAM_QUARANTINE) or a GuardDuty InstanceCredentialExfiltration finding, as EventBridge delivers it (a file, or - for stdin).")
    var fromEvent: String?

    @Flag(help: "Contain instead of rotating: an inline deny-all policy on the user (or role) and its active keys deactivated; nothing detached or deleted, `respond undo` restores it. With --apply.")
    var contain = false

    @Option(help: "For an ASIA key: the role its session belongs to, when CloudTrail does not tell.")
    var role: String?

    @Flag(help: "Phase 1: create the replacement key and hand over its secret (the exposed key stays active).")
    var apply = false

    @Flag(help: "Continue an interrupted --apply run from its journal.")
    var resume = false

    @Flag(help: "Phase 2: deactivate the exposed key, after every workload uses the replacement.")
    var deactivate = false

    @Option(help: "--deactivate refuses while the exposed key was used within this many minutes.")
    var quietMinutes: Int = 15

    @Flag(help: "--deactivate even when the key was used recently or its user has no other active key.")
    var force = false

    @Flag(help: "Phase 3: delete the deactivated key (run after you checked that nothing broke).")
    var finish = false

    @Option(help: "Start of the exposure window (YYYY-MM-DD or ISO 8601; default: the key's creation).")
    var since: String?

    @Option(help: "Local CloudTrail log file or folder (.json, .json.gz); repeat for several.")
    var cloudtrail: [String] = []

    @Option(help: "Write the new key's secret to this new file (mode 0600).")
    var secretFile: String?

    @Flag(help: "Print the new key's secret on standard output (once).")
    var printSecret = false

    @Option(help: "Report format on standard output.")
    var format: FormatChoice<MarkdownOrJSON> = .init(.markdown)

    @Option(help: "Also write the report to PATH (Markdown) and PATH.json.")
    var report: String?

    @Option(help: "Write the report (in --format) to this file instead of standard output; one key only (several: --report).")
    var output: String?

    @Option(help: "Remove this swept resource (instance, spot request, key pair, Lambda function, access key ID) with --apply; repeat per resource.")
    var remove: [String] = []

    @Option(help: "Folder of the change journal.")
    var journalDir: String = ".mamori/journal"

    @Flag(help: "Read CloudTrail only from --cloudtrail files (no LookupEvents, no S3).")
    var offlineTrail = false

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if [keyId != nil, fromFindings != nil, fromEvent != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give one of: a key ID, --from-findings FILE, --from-event FILE")
        }
        if contain && (deactivate || finish || resume) { throw ValidationError("--contain runs on its own (with --apply to make the change), not with --deactivate, --finish or --resume") }
        if contain && (secretFile != nil || printSecret) { throw ValidationError("--contain creates no replacement key: --secret-file and --print-secret do not apply") }
        if let role, role.isEmpty || role.contains("/") { throw ValidationError("--role takes a role name (not an ARN or a path)") }
        if secretFile != nil && printSecret { throw ValidationError("--secret-file and --print-secret exclude each other") }
        if finish && (apply || resume || deactivate) { throw ValidationError("--finish runs on its own: never delete a key in the run that created its replacement or turned it off") }
        if deactivate && (apply || resume) { throw ValidationError("--deactivate runs on its own, after --apply and after every workload moved to the replacement") }
        if (finish || deactivate) && !remove.isEmpty { throw ValidationError("--remove needs the review: use it with --apply, not --deactivate or --finish") }
        if quietMinutes < 0 { throw ValidationError("--quiet-minutes must be 0 or more") }
        if force && !deactivate { throw ValidationError("--force only applies to --deactivate") }
        if let since, ISO8601.parseDayOrTime(since) == nil { throw ValidationError("--since '\(since)' is not a date (example: 2026-01-31)") }
    }

    func run() async throws {
        try await Console.run {
            var keys: [String] = []
            var roleHint = role.map { ($0, "--role") }
            if let keyId { keys = [keyId] }
            if let fromEvent {
                let data = try Self.readInput(fromEvent, flag: "--from-event")
                let trigger = try EventTrigger.parse(data, origin: fromEvent == "-" ? "standard input" : fromEvent)
                let client = try aws.client()
                keys = try await trigger.keysToRespond(client: client, region: aws.homeRegion())
                if roleHint == nil, let name = trigger.roleName { roleHint = (name, "the GuardDuty finding") }
                Console.error("\(trigger.source): responding to \(keys.joined(separator: ", "))"
                    + (trigger.instanceId.map { " (instance \($0))" } ?? "") + (trigger.sourceIPs.isEmpty ? "" : ", used from \(trigger.sourceIPs.joined(separator: ", "))"))
            }
            if let fromFindings {
                let data = try Self.readInput(fromFindings, flag: "--from-findings")
                let found = try FindingsInput.keyIds(from: data, origin: fromFindings == "-" ? "standard input" : fromFindings)
                for skipped in found.skipped { Console.error("\(skipped): not a long-term IAM key, skipped (temporary credentials expire on their own)") }
                if found.keys.isEmpty { throw CLIError("no AKIA key IDs in \(fromFindings)") }
                keys = found.keys
            }
            if output != nil && keys.count > 1 { throw CLIError("--output takes one key's report; for \(keys.count) keys use --report PATH (one file per key)") }
            // Every output is checked before the first change (the secret file is claimed by the responder).
            if let output, let problem = OutputFiles.problem(reportFile: output) { throw CLIError("--output \(output): \(problem); nothing was changed") }
            if let report {
                for key in keys {
                    for path in Self.reportPaths(report, key: key, many: keys.count > 1) {
                        if let problem = OutputFiles.problem(reportFile: path) { throw CLIError("--report \(path): \(problem); nothing was changed") }
                    }
                }
            }
            let client = try aws.client()
            var worst: Int32 = 0
            for key in keys {
                var options = RespondOptions(keyId: key)
                options.apply = apply || resume
                options.resume = resume
                options.finish = finish
                options.deactivate = deactivate
                options.quietMinutes = quietMinutes
                options.force = force
                options.since = since.flatMap(ISO8601.parseDayOrTime)
                options.cloudtrailPaths = cloudtrail
                options.regions = aws.regions
                options.homeRegion = aws.homeRegion()
                options.journalDirectory = journalDir
                if let secretFile { options.secretDestination = .file(keys.count > 1 ? "\(secretFile).\(key)" : secretFile) }
                if printSecret { options.secretDestination = .standardOutput }
                options.failAfterStep = ProcessInfo.processInfo.environment["MAMORI_TEST_FAIL_AFTER_STEP"]
                options.offlineTrail = offlineTrail
                options.remove = remove
                options.contain = contain
                options.role = roleHint?.0
                options.roleSource = roleHint?.1
                let responder = Responder(client: client, options: options, printSecret: { id, secret in
                    FileHandle.standardOutput.write(Data("New access key: \(id)\nSecret access key (shown once): \(secret)\n\n".utf8))
                }, progress: Console.progress(enabled: true))
                let result = try await responder.run()
                Console.clearProgress(enabled: true)
                let markdown = ReportRenderer.markdown(result)
                let json = try ReportRenderer.json(result)
                try Console.writeReport(Data((format.value == .json ? json : markdown).utf8), to: output)
                if let report {
                    let paths = Self.reportPaths(report, key: key, many: keys.count > 1)
                    try markdown.write(toFile: paths[0], atomically: true, encoding: .utf8)
                    try json.write(toFile: paths[1], atomically: true, encoding: .utf8)
                }
                worst = max(worst, result.needsHuman.isEmpty ? 0 : 1)
            }
            return worst
        }
    }
}

extension RespondLeakedKeyCommand {
    /// A small JSON input named on the command line (a file, or - for standard input).
    /// Only regular files (a FIFO would block, a device never end), at most 64 MB.
    static func readInput(_ path: String, flag: String) throws -> Data {
        do {
            let bytes = path == "-" ? try RegularFile.readAll(descriptor: 0, name: "standard input", maxBytes: 64 << 20)
                                    : try RegularFile.read(path, maxBytes: 64 << 20)
            return Data(bytes)
        } catch {
            throw CLIError("\(flag): \(error.description)")
        }
    }

    /// The Markdown and JSON files `--report PATH` writes for `key`.
    static func reportPaths(_ report: String, key: String, many: Bool) -> [String] {
        let base = many ? "\(report).\(key)" : report
        return [base, base.hasSuffix(".md") ? String(base.dropLast(3)) + ".json" : base + ".json"]
    }
}

