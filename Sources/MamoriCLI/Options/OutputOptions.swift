import ArgumentParser
import Checks
import Foundation
import Inventory
import MamoriCore
import Reports

/// Where and how findings are written.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Output format: \(OutputFormat.sentence(FindingsReport.offered)) (default table). Repeat it or separate with commas to write several at once with --output-dir.",
        valueName: "format"))
    var format: [String] = []

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("output-dir"), help: "Write one file per --format into this directory (findings.sarif, findings.ocsf.json, findings.asff.json, findings.csv, findings.md, report.html, findings.json, findings.txt).")
    var outputDir: String?

    @Flag(help: "Include passing findings, not only failing ones.")
    var all = false

    @Option(help: "Configuration file (thresholds, trusted accounts, muted findings). Default: ./mamori.yml when present.")
    var config: String?

    @Option(name: .customLong("trust-account"), help: "An account ID whose AMIs and shares you trust (repeatable; adds to `trust:` in the config).")
    var trustAccounts: [String] = []

    func validate() throws {
        let formats = try OutputFormat.parseList(format, offered: FindingsReport.offered)
        if formats.count > 1, outputDir == nil { throw ValidationError("several formats need --output-dir DIR (one file per format)") }
        if outputDir != nil, output != nil { throw ValidationError("use either --output FILE or --output-dir DIR, not both") }
    }

    /// The requested formats; table when none is given.
    func formats() throws -> [ReportFormat] {
        let parsed: [OutputFormat]
        do { parsed = try OutputFormat.parseList(format, offered: FindingsReport.offered) } catch { throw CLIError(error.message) }
        // FindingsReport offers exactly the renderers' formats, under the same names.
        return parsed.isEmpty ? [.table] : parsed.compactMap { ReportFormat(rawValue: $0.rawValue) }
    }

    func loadConfig() throws -> MamoriConfig {
        var loaded = MamoriConfig()
        if let config { loaded = try MamoriConfig.load(path: config) }
        else if FileManager.default.fileExists(atPath: "mamori.yml") { loaded = try MamoriConfig.load(path: "mamori.yml") }
        for account in trustAccounts {
            guard AccountID.isValid(account) else {
                throw CLIError("--trust-account '\(account)' is not a 12-digit AWS account ID")
            }
            loaded.trust.append(account)
        }
        return loaded
    }

    /// Writes the report and returns the exit code: 3 partial, 1 findings, 0 clean. Without the
    /// inventory, reports carry no posture metrics and use the current time.
    func emit(_ evaluation: Evaluation) throws -> Int32 {
        let shown = ReportInput.shown(evaluation, all: all)
        return try emit(evaluation, input: ReportInput(evaluation: evaluation, findings: shown, generatedAt: Date(),
                                                       toolVersion: MamoriVersion.string))
    }

    /// Writes the report with the inventory's collection time and posture metrics.
    func emit(_ evaluation: Evaluation, inventory: Inventory) throws -> Int32 {
        try emit(evaluation, input: ReportInput(inventory: inventory, evaluation: evaluation, all: all, toolVersion: MamoriVersion.string))
    }

    func emit(_ evaluation: Evaluation, input: ReportInput) throws -> Int32 {
        let formats = try formats()
        if let outputDir {
            do { try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true) }
            catch { throw CLIError("cannot create directory \(outputDir): \(error.localizedDescription)") }
            for format in formats {
                let path = (outputDir as NSString).appendingPathComponent(format.fileName)
                try write(format.render(input, color: false, width: 140), to: path)
            }
        } else {
            let format = formats[0]
            let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
            let color = format == .table && toTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let data = try format.render(input, color: color, width: terminalWidth())
            if let output { try write(data, to: output) } else { FileHandle.standardOutput.write(data) }
        }
        let showsErrors = formats.contains(.table) && outputDir == nil
        if !showsErrors { for expired in evaluation.expiredMutes { Console.error(expired.text) } }
        if !showsErrors && evaluation.isPartial {
            let count = evaluation.errors.values.reduce(0) { $0 + $1.count }
            Console.error("partial scan: \(count) part(s) could not be read (run with --format table to list them)")
        }
        if evaluation.isPartial { return 3 }
        return evaluation.failures.isEmpty ? 0 : 1
    }

    func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path)) }
        catch { throw CLIError("cannot write \(path): \(error.localizedDescription)") }
    }

    func terminalWidth() -> Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 140
    }
}
