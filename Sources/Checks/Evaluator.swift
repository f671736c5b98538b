import Foundation
import Inventory
import MamoriCore

/// The result of evaluating an inventory.
public struct Evaluation: Sendable {
    /// Failing and passing findings that are not muted, most severe first.
    public var findings: [Finding]
    public var muted: [MutedFinding]
    /// What could not be read, per account.
    public var errors: [String: [CollectionError]]
    /// Account names and OU paths for organisation scans, by account id.
    public var accounts: [String: AccountLabel] = [:]
    /// Mute rules past their `expires:` date: they no longer mute, and reports say so.
    public var expiredMutes: [ExpiredMute] = []

    public init(findings: [Finding] = [], muted: [MutedFinding] = [], errors: [String: [CollectionError]] = [:],
                accounts: [String: AccountLabel] = [:], expiredMutes: [ExpiredMute] = []) {
        self.findings = findings
        self.muted = muted
        self.errors = errors
        self.accounts = accounts
        self.expiredMutes = expiredMutes
    }

    /// Adds another account's evaluation (organisation scans evaluate account by account).
    public mutating func merge(_ other: Evaluation) {
        self = Evaluation.combining([self, other])
    }

    /// Many accounts' evaluations as one, sorted once (merging one by one would re-sort each time).
    public static func combining(_ parts: [Evaluation]) -> Evaluation {
        var combined = Evaluation()
        for part in parts {
            combined.findings += part.findings
            combined.muted += part.muted
            combined.errors.merge(part.errors) { $0 + $1 }
            combined.accounts.merge(part.accounts) { _, new in new }
            for expired in part.expiredMutes {
                if let index = combined.expiredMutes.firstIndex(where: { $0.rule == expired.rule }) {
                    combined.expiredMutes[index].unmuted += expired.unmuted
                } else {
                    combined.expiredMutes.append(expired)
                }
            }
        }
        combined.findings.sort(by: Evaluator.order)
        return combined
    }

    public var failures: [Finding] { findings.filter { $0.status == .fail } }
    public var isPartial: Bool { errors.values.contains { !$0.isEmpty } }
}

/// A mute rule past its `expires:` date and how many failing findings it would still have muted.
public struct ExpiredMute: Sendable, Codable, Equatable {
    public var rule: MuteRule
    public var unmuted: Int

    public init(rule: MuteRule, unmuted: Int) {
        self.rule = rule
        self.unmuted = unmuted
    }

    /// One line for reports and standard error.
    public var text: String {
        "mute \(rule.summary) expired on \(rule.expires?.description ?? "?"): \(unmuted) finding(s) no longer muted"
    }
}

/// How an account is named in reports.
public struct AccountLabel: Sendable, Codable, Hashable {
    public var name: String
    public var ouPath: String
    public init(name: String, ouPath: String) {
        self.name = name
        self.ouPath = ouPath
    }
}

/// Runs the selected checks (`config.scan`, every check by default) over an inventory. Pure: the
/// same inventory, config and day give the same result. `today` decides which mutes have expired:
/// the clock, not the inventory's age, since an expiry is a decision about now.
public enum Evaluator {
    public static func evaluate(_ inventory: Inventory, config: MamoriConfig = MamoriConfig(), today: Date = Date()) -> Evaluation {
        let context = CheckContext(thresholds: config.thresholds, now: inventory.collectedAt, trustedAccounts: Set(config.trust))
        let selection = CheckSelection(unchecked: config.scan)
        var all: [Finding] = []
        var errors: [String: [CollectionError]] = [:]
        var labels: [String: AccountLabel] = [:]
        for account in inventory.accounts {
            all += findings(account, context: context).filter(selection.keeps)
            errors[account.accountId] = account.errors
            if let name = account.accountName { labels[account.accountId] = AccountLabel(name: name, ouPath: account.ouPath ?? "") }
        }
        var kept: [Finding] = []
        var muted: [MutedFinding] = []
        let active = config.mute.filter { !$0.isExpired(at: today) }
        let expired = config.mute.filter { $0.isExpired(at: today) }
        var unmuted = Array(repeating: 0, count: expired.count)
        for finding in all {
            if finding.status == .fail, let rule = active.first(where: { $0.matches(finding) }) {
                muted.append(MutedFinding(finding: finding, reason: rule.reason))
            } else {
                if finding.status == .fail, let index = expired.firstIndex(where: { $0.matches(finding) }) { unmuted[index] += 1 }
                kept.append(finding)
            }
        }
        kept.sort(by: order)
        return Evaluation(findings: kept, muted: muted, errors: errors, accounts: labels,
                          expiredMutes: zip(expired, unmuted).map { ExpiredMute(rule: $0, unmuted: $1) })
    }

    public static func findings(_ account: AccountInventory, context: CheckContext) -> [Finding] {
        var context = context
        context.organizationAccounts = Set(account.organizationTrust?.accounts ?? [])
        context.partition = account.arnPartition
        var findings: [Finding] = []
        if let iam = account.iam { findings += IAMChecks.evaluate(iam, account: account.accountId, context: context) }
        if let s3 = account.s3 { findings += ExposureChecks.buckets(s3, account: account.accountId, partition: context.partition) }
        for region in account.regional {
            findings += ExposureChecks.resourcePolicies(region, account: account.accountId)
            findings += EC2Checks.evaluate(region, account: account.accountId)
            findings += ImageChecks.evaluate(region, account: account.accountId, context: context)
            findings += CloudKeyChecks.evaluate(region, account: account.accountId, context: context)
        }
        findings += DetectiveChecks.evaluate(account)
        return findings
    }

    /// Failures first, then severity, then check, account, region and resource: stable output.
    public static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.status != b.status { return a.status == .fail }
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.check, a.account, a.region, a.resource) < (b.check, b.account, b.region, b.resource)
    }
}
