import ArgumentParser
import Checks
import Foundation
import MamoriCore
import Reports

/// Output formats of the posture commands.
enum FindingFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Where and how findings are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: \(FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: FindingFormat = .table

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(help: "Include passing findings, not only failing ones.")
    var all = false

    @Option(help: "Configuration file (thresholds, trusted accounts, muted findings). Default: ./mamori.yml when present.")
    var config: String?

    @Option(name: .customLong("trust-account"), help: "An account ID whose AMIs and shares you trust (repeatable; adds to `trust:` in the config).")
    var trustAccounts: [String] = []

    func loadConfig() throws -> MamoriConfig {
        var loaded = MamoriConfig()
        if let config { loaded = try MamoriConfig.load(path: config) }
        else if FileManager.default.fileExists(atPath: "mamori.yml") { loaded = try MamoriConfig.load(path: "mamori.yml") }
        for account in trustAccounts {
            guard account.count == 12, account.allSatisfy(\.isNumber) else {
                throw CLIError("--trust-account '\(account)' is not a 12-digit AWS account ID")
            }
            loaded.trust.append(account)
        }
        return loaded
    }

    /// Writes the report and returns the exit code: 3 partial, 1 findings, 0 clean.
    func emit(_ evaluation: Evaluation) throws -> Int32 {
        let shown = all ? evaluation.findings : evaluation.failures
        let data: Data
        switch format {
        case .json:
            data = try JSONReport.render(shown)
        case .table:
            let toTerminal = output == nil && isatty(STDOUT_FILENO) == 1
            let color = toTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            data = Data(TerminalReport(color: color, width: terminalWidth()).render(evaluation, findings: shown).utf8)
        }
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output)) }
            catch { throw CLIError("cannot write \(output): \(error.localizedDescription)") }
        } else {
            FileHandle.standardOutput.write(data)
        }
        if format != .table && evaluation.isPartial {
            let count = evaluation.errors.values.reduce(0) { $0 + $1.count }
            Console.error("partial scan: \(count) part(s) could not be read (run with --format table to list them)")
        }
        if evaluation.isPartial { return 3 }
        return evaluation.failures.isEmpty ? 0 : 1
    }

    func terminalWidth() -> Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 140
    }
}
