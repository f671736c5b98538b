import ArgumentParser
import Checks
import Collectors
import MamoriCore
import ScanEngine

/// Which checks `scan` and `check` run, and with which thresholds. Each flag overrides the same
/// field of `scan:` / `thresholds:` in `mamori.yml`.
struct SelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Run only these checks (comma-separated or repeated; `mamori checks list` shows the ids).", valueName: "id,…"))
    var checks: [String] = []

    @Option(name: .customLong("exclude-checks"), help: ArgumentHelp("Skip these checks.", valueName: "id,…"))
    var excludeChecks: [String] = []

    @Option(help: ArgumentHelp("Run only the checks of these services (iam, s3, ec2, …).", valueName: "service,…"))
    var services: [String] = []

    @Option(help: ArgumentHelp("Keep only findings of at least this severity: info, low, medium, high, critical.", valueName: "severity"))
    var severity: String?

    @Option(help: ArgumentHelp("A named threshold set: default (90 days for unused credentials) or cis (CIS v3.0.0: 45 days). Replaces `thresholds:` in the config.", valueName: "set"))
    var thresholds: String?

    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Merges the flags into the config and validates the result against the catalogue.
    func apply(to config: inout MamoriConfig) throws -> CheckSelection {
        var minimum: Severity?
        if let severity {
            guard let parsed = Severity(rawValue: severity.lowercased()) else {
                throw CLIError("--severity '\(severity)' is not a severity (\(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            minimum = parsed
        }
        if let thresholds {
            guard let named = Thresholds.named(thresholds) else {
                throw CLIError("--thresholds '\(thresholds)' is not a threshold set (\(Thresholds.setNames.joined(separator: ", ")))")
            }
            config.thresholds = named
        }
        config.scan = config.scan.overridden(checks: Self.list(checks), excludeChecks: Self.list(excludeChecks),
                                             services: Self.list(services), severity: minimum)
        do { return try CheckSelection(config.scan) } catch { throw CLIError(error.description) }
    }
}

extension Framework: ExpressibleByArgument {}
