import Checks
import Foundation
import Inventory
import MamoriCore

/// Everything a report format needs: the evaluation, which findings to show, when the inventory
/// was collected (reports use it instead of the clock, so the same inventory gives the same bytes)
/// and the optional extras of the HTML report.
public struct ReportInput: Sendable {
    public var evaluation: Evaluation
    /// The findings to write: failures only, or every finding with `--all`.
    public var findings: [Finding]
    /// The inventory's collection time; every timestamp in every format is this one.
    public var generatedAt: Date
    public var toolVersion: String
    /// Posture metrics, when the inventory is at hand (`nil` leaves the section out).
    public var metrics: PostureMetrics?
    /// Summaries of earlier scans for the trend chart, oldest first. Empty until the history store exists.
    public var history: [ScanSummary]
    /// Account names by id, when known (OCSF's `cloud.account.name`; the id stands in otherwise).
    public var accountNames: [String: String]
    /// `--compliance`: Markdown and HTML group findings by this framework's controls.
    public var compliance: Framework?
    /// Each account's partition, when the inventory is at hand (ASFF and OCSF account-wide findings).
    public var partitions: [String: Partition] = [:]

    public init(evaluation: Evaluation, findings: [Finding], generatedAt: Date, toolVersion: String,
                metrics: PostureMetrics? = nil, history: [ScanSummary] = [], accountNames: [String: String] = [:]) {
        self.evaluation = evaluation
        self.findings = findings
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        self.metrics = metrics
        self.history = history
        self.accountNames = accountNames
        // Without an inventory, an account's regional findings say which partition it is in.
        partitions = Partition.byAccount(findings)
    }

    /// The usual input from an inventory: metrics computed, failures only unless `all`.
    public init(inventory: Inventory, evaluation: Evaluation, all: Bool, toolVersion: String, history: [ScanSummary] = []) {
        self.init(evaluation: evaluation, findings: Self.shown(evaluation, all: all),
                  generatedAt: inventory.collectedAt, toolVersion: toolVersion,
                  metrics: PostureMetrics.compute(inventory: inventory, evaluation: evaluation), history: history,
                  accountNames: Dictionary(inventory.accounts.compactMap { account in account.accountName.map { (account.accountId, $0) } },
                                           uniquingKeysWith: { first, _ in first }))
        self.partitions = Dictionary(inventory.accounts.map { ($0.accountId, $0.arnPartition) },
                                     uniquingKeysWith: { first, _ in first })
    }

    /// The partition a finding lives in: its region's, else its resource ARN's, else its account's.
    /// Account-wide findings (region `global`) carry no region to tell.
    public func partition(of finding: Finding) -> Partition {
        finding.partition(accounts: partitions)
    }
}

extension ReportInput {
    /// The findings a report shows: failures only, or with `--all` every finding, muted ones
    /// included with status `muted` (machine formats carry them so muting is auditable).
    public static func shown(_ evaluation: Evaluation, all: Bool) -> [Finding] {
        guard all else { return evaluation.failures }
        let muted = evaluation.muted.map { muted in
            var finding = muted.finding
            finding.status = .muted
            return finding
        }
        return (evaluation.findings + muted).sorted(by: Evaluator.order)
    }

    /// The mute reason of a shown finding, when it is muted.
    public func muteReason(_ finding: Finding) -> String? {
        guard finding.status == .muted else { return nil }
        return mutedReasons[finding.fingerprint]
    }

    var mutedReasons: [String: String] {
        Dictionary(evaluation.muted.map { ($0.finding.fingerprint, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Failing-finding counts of one past scan, for the trend chart.
public struct ScanSummary: Codable, Sendable, Hashable {
    public var date: Date
    /// Failing findings per severity name ("critical", "high", ...); missing ones count as zero.
    public var failing: [String: Int]

    public init(date: Date, failing: [Severity: Int]) {
        self.date = date
        self.failing = Dictionary(uniqueKeysWithValues: failing.map { ($0.key.rawValue, $0.value) })
    }

    public func count(_ severity: Severity) -> Int { failing[severity.rawValue] ?? 0 }

    public var total: Int { failing.values.reduce(0, +) }
}

/// Shared formatting helpers.
enum ReportText {
    /// ISO 8601 in UTC, whole seconds: the form SARIF, OCSF and ASFF all accept.
    static func iso(_ date: Date) -> String { ISO8601.string(date) }

    /// Stable identity of a finding across runs: check, account, region and resource, hashed
    /// (FNV-1a, two 64-bit lanes) so ids stay short and carry no resource names.
    static func fingerprint(_ finding: Finding) -> String { finding.fingerprint }

    /// Cuts text to a byte-safe character limit with an ellipsis (ASFF has hard limits).
    static func limit(_ text: String, _ count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// The check definitions by id, for rationale and rule metadata.
    static let checks: [String: CheckDefinition] = Dictionary(Catalog.all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// Sorted JSON with unescaped slashes: stable bytes for goldens.
    static func json<T: Encodable>(_ value: T) throws -> Data {
        var data = try StableJSON.encode(value)
        data.append(0x0A)
        return data
    }
}
