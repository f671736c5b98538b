import ArgumentParser
import Foundation
import LogDetect
import MamoriCore
import SigmaEngine
import LogReaders

/// `mamori imds scan LOG...`
struct ImdsScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan network/proxy logs for traffic to the EC2 instance metadata service.",
        discussion: """
            Formats (auto-detected per file): zeek (TSV conn.log/http.log), zeek-json, suricata (EVE JSON),
            squid (native access.log), combined (Apache/nginx proxy), w3c (#Fields: header), json
            (generic JSON lines, map fields in mamori.yml), csv (firewall export with header).
            gzip input is detected by content; `-` reads standard input.
            --format takes both the output format (table, json) and a log format to force.
            Exit codes: 0 no alerts, 1 alerts, 2 error.
            Example:
              mamori imds scan /var/log/zeek/current/http.log --only-source 10.0.0.0/8 --format json --output alerts.json
            """
    )

    @Argument(help: "Log files to scan (`-` for standard input).")
    var logs: [String]

    @Option(name: .customLong("format"), help: "Output format (table, json; text is accepted for table) and/or log format to force (zeek, zeek-json, suricata, squid, combined, w3c, json-lines, csv). Repeatable.")
    var formats: [String] = []

    @Option(name: .customLong("log-format"), help: "Log format to force (same names as above; 'json' here means generic JSON lines).")
    var logFormat: String?

    @Option(name: .customLong("rule"), help: "An extra SIGMA rule file to evaluate (repeatable).")
    var rules: [String] = []

    @Flag(name: .customLong("no-builtin-rule"), help: "Evaluate only the --rule files, not the built-in IMDS rule.")
    var noBuiltinRule = false

    @Option(name: .customLong("only-source"), help: "Alert only for sources in this CIDR (on-premises subnets/VLANs; repeatable).")
    var onlySource: [String] = []

    @Option(name: .customLong("ignore-source"), help: "Never alert for sources in this CIDR (real EC2/VPC ranges; repeatable).")
    var ignoreSource: [String] = []

    @Option(help: "mamori.yml to read the imds: section from (field_map, only_source, ignore_source, rules, format).")
    var config: String?

    @Option(name: .customLong("max-malformed"), help: "How many malformed lines to list (all are counted).")
    var maxMalformed: Int = 20

    @Option(help: "Files scanned at once.")
    var jobs: Int = 1

    @Flag(name: .customLong("no-prefilter"), help: ArgumentHelp("Evaluate every line (for checking the prefilter).", visibility: .hidden))
    var noPrefilter = false

    @Option(name: .customLong("output"), help: "Write the report to this file instead of standard output.")
    var outputFile: String?

    func run() async throws {
        // `--format` names the output (the one OutputFormat vocabulary: table or json here) and may
        // also name a log format to force. An offered output name wins (`json` is the output, the
        // log format is `json-lines`); `csv` is a log format here, not an output.
        var output = OutputFormat.table
        var forced: LogFormat?
        for f in formats {
            if let format = OutputFormat(name: f), TableOrJSON.offered.contains(format) {
                output = format
            } else if let lf = LogFormat(argument: f) {
                forced = lf
            } else if OutputFormat(name: f) != nil {
                throw CLIError.command("imds", OutputFormat.refusal(f, offered: TableOrJSON.offered))
            } else {
                throw CLIError.command("imds", "--format \(f): not an output format (\(OutputFormat.sentence(TableOrJSON.offered))) nor a log format (\(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        if let logFormat {
            guard let lf = LogFormat(argument: logFormat) else { throw CLIError.command("imds", LogDetectError.unknownLogFormat(logFormat).description) }
            forced = lf
        }
        do {
            let cfg = try config.map(ImdsConfig.load) ?? ImdsConfig()
            if forced == nil, let f = cfg.format { forced = LogFormat(argument: f) }
            let loaded = try RuleLoader.load(files: cfg.rules + rules, includeBuiltIn: !noBuiltinRule)
            guard !loaded.isEmpty else { throw CLIError.command("imds", "no rules to evaluate (--no-builtin-rule without --rule)") }
            let options = ScanOptions(
                rules: loaded.map(CompiledRule.init), format: forced,
                onlySource: try RuleLoader.cidrs(cfg.onlySource + onlySource),
                ignoreSource: try RuleLoader.cidrs(cfg.ignoreSource + ignoreSource),
                config: cfg, malformedExamples: max(0, maxMalformed), prefilter: !noPrefilter
            )
            let report = await LogDetect.Scanner(options: options).scan(paths: logs, parallelism: max(1, jobs))
            let text = output == .json ? ImdsRendering.json(report) : ImdsRendering.text(report)
            do { try Console.writeReport(Data(text.utf8), to: outputFile) } catch { throw CLIError.command("imds", "\(error)") }
            for f in report.files where f.error != nil {
                FileHandle.standardError.write(Data("mamori imds: \(TerminalText.sanitize(f.file)): \(TerminalText.sanitize(f.error ?? ""))\n".utf8))
            }
            if !report.alerts.isEmpty { throw ExitCode(1) }
            if report.hasErrors { throw ExitCode(2) }
        } catch let error as LogDetectError {
            throw CLIError.command("imds", error.description)
        }
    }
}
