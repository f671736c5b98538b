import ArgumentParser
import Foundation
import LogDetect
import MamoriCore

/// `mamori imds`: IMDS spoofing detection for networks outside AWS (bulletin AWS-2025-021).
struct ImdsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imds",
        abstract: "Detect instance-metadata (IMDS) traffic on networks outside AWS: scan logs, convert the SIGMA rule, check this host.",
        discussion: """
            Example:
              mamori imds scan /var/log/squid/access.log --only-source 10.0.0.0/8 --format json --output alerts.json
            """,
        subcommands: [ImdsScanCommand.self, ImdsRuleCommand.self, ImdsHostCommand.self]
    )
}

/// `mamori imds: MESSAGE`, exit 2 (see ``CLIError``).
enum ImdsCLI {
    static func fail(_ message: String) -> CLIError {
        .command("imds", message)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

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
        var output = "text"
        var forced: LogFormat?
        for f in formats {
            switch f.lowercased() {
            case "text", "json": output = f.lowercased()
            case "table": output = "text"  // the name every other command uses for the terminal report
            case "sarif": throw ImdsCLI.fail("--format sarif is not offered for imds scan; use --format json")
            default:
                guard let lf = LogFormat(argument: f) else {
                    throw ImdsCLI.fail("--format \(f): not an output format (table, json) nor a log format (\(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                forced = lf
            }
        }
        if let logFormat {
            guard let lf = LogFormat(argument: logFormat) else { throw ImdsCLI.fail(LogDetectError.unknownLogFormat(logFormat).description) }
            forced = lf
        }
        do {
            let cfg = try config.map(ImdsConfig.load) ?? ImdsConfig()
            if forced == nil, let f = cfg.format { forced = LogFormat(argument: f) }
            let loaded = try RuleLoader.load(files: cfg.rules + rules, includeBuiltIn: !noBuiltinRule)
            guard !loaded.isEmpty else { throw ImdsCLI.fail("no rules to evaluate (--no-builtin-rule without --rule)") }
            let options = ScanOptions(
                rules: loaded.map(CompiledRule.init), format: forced,
                onlySource: try RuleLoader.cidrs(cfg.onlySource + onlySource),
                ignoreSource: try RuleLoader.cidrs(cfg.ignoreSource + ignoreSource),
                config: cfg, malformedExamples: max(0, maxMalformed), prefilter: !noPrefilter
            )
            let report = await LogDetect.Scanner(options: options).scan(paths: logs, parallelism: max(1, jobs))
            let text = output == "json" ? ImdsRendering.json(report) : ImdsRendering.text(report)
            do { try Console.writeReport(Data(text.utf8), to: outputFile) } catch { throw ImdsCLI.fail("\(error)") }
            for f in report.files where f.error != nil {
                FileHandle.standardError.write(Data("mamori imds: \(TerminalText.sanitize(f.file)): \(TerminalText.sanitize(f.error ?? ""))\n".utf8))
            }
            if !report.alerts.isEmpty { throw ExitCode(1) }
            if report.hasErrors { throw ExitCode(2) }
        } catch let error as LogDetectError {
            throw ImdsCLI.fail(error.description)
        }
    }
}

/// `mamori imds rule --target …`
struct ImdsRuleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule",
        abstract: "Print the IMDS SIGMA rule (or --rule FILE) as a SIEM query.",
        discussion: """
            Targets: \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", ")). qradar, sentinel-asim and
            sentinel-cef use the product's own field names; the others the rule's. --ignore-source/--only-source
            (or the imds: section of --config) write the source-subnet suppression into the rule and the query.
            See docs/imds.md for how each differs from pySigma.
            Example:
              mamori imds rule --target sentinel-asim --ignore-source 172.31.0.0/16
              mamori imds rule --target splunk --output imds.spl
            """
    )

    @Option(help: "Query language: \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: String = "sigma"

    @Option(help: "Write the query to this file instead of standard output.")
    var output: String?

    @Option(help: "Convert this SIGMA rule file instead of the built-in one.")
    var rule: String?

    @Option(name: .customLong("ignore-source"), help: "Sources in this CIDR (real EC2/VPC ranges) are not alerts: adds a filter_cloud_subnets selection (repeatable).")
    var ignoreSource: [String] = []

    @Option(name: .customLong("only-source"), help: "Alert only for sources in this CIDR (on-premises subnets/VLANs): adds a source_onprem_subnets selection (repeatable).")
    var onlySource: [String] = []

    @Option(help: "mamori.yml whose imds: section gives ignore_source, only_source and source_fields.")
    var config: String?

    func run() async throws {
        guard let t = QueryTarget(rawValue: target.lowercased()) else {
            throw ImdsCLI.fail("--target \(target): use one of \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let result = Result { () throws(LogDetectError) -> String in try convert(t) }
        switch result {
        case let .success(query):
            do { try Console.writeReport(Data((query.hasSuffix("\n") ? query : query + "\n").utf8), to: output) }
            catch { throw ImdsCLI.fail("\(error)") }
        case let .failure(error): throw ImdsCLI.fail(error.description)
        }
    }

    private func convert(_ t: QueryTarget) throws(LogDetectError) -> String {
        var source = BuiltInRules.imdsNonEC2Network
        if let rule { source = try RuleLoader.readText(rule) }
        let file = rule ?? BuiltInRules.imdsFileName
        let cfg = try config.map(ImdsConfig.load) ?? ImdsConfig()
        source = try RuleSuppression.apply(
            to: source, file: file,
            ignoreSource: try RuleLoader.cidrs(cfg.ignoreSource + ignoreSource),
            onlySource: try RuleLoader.cidrs(cfg.onlySource + onlySource),
            sourceFields: cfg.sourceFields
        )
        let parsed = try SigmaParser.parse(yaml: source, file: file)
        let unmapped = QueryConverter.unmappedFields(parsed, to: t)
        if !unmapped.isEmpty {
            // Said on stderr so the query on stdout stays pasteable.
            FileHandle.standardError.write(Data("mamori imds rule: \(t.rawValue) has no field for \(unmapped.joined(separator: ", ")); tests on them are left out\n".utf8))
        }
        return try QueryConverter.convert(parsed, to: t, source: source)
    }
}

/// `mamori imds host`
struct ImdsHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Check this (non-EC2) machine's AWS tool set-up against bulletin AWS-2025-021.",
        discussion: """
            Exit codes: 0 nothing to change, 1 something to change (FAIL or WARN), 2 error.
            Example:
              mamori imds host --format json --output host-check.json
            """
    )

    @Option(help: "Output format: table or json (text is accepted for table).")
    var format: String = "table"

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: ArgumentHelp("Read the system's files (/etc, /proc, /sys, /var/lib, homes) below this directory instead of / (for tests and mounted images).", valueName: "DIR"))
    var root: String = "/"

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImdsCLI.fail("--root \(root): not a directory")
        }
        let items = root == "/" ? HostCheck().run() : HostCheck(root: root, home: String(root.reversed().drop(while: { $0 == "/" }).reversed()) + NSHomeDirectory()).run()
        let rendered: String
        switch format.lowercased() {
        case "json": rendered = ImdsRendering.json(items)
        case "table", "text": rendered = ImdsRendering.text(items)
        default: throw ImdsCLI.fail("--format \(format): use table or json")
        }
        do { try Console.writeReport(Data(rendered.utf8), to: output) } catch { throw ImdsCLI.fail("\(error)") }
        if items.contains(where: { $0.status == .fail || $0.status == .warn }) { throw ExitCode(1) }
    }
}
