import Checks
import Foundation
import Inventory
import MamoriCore

/// How the estate compares with the population figure.
public enum MetricVerdict: String, Codable, Sendable {
    case worse, better, same
    case notApplicable = "not applicable"
}

/// A count over a denominator, e.g. 3 of 12 IAM users.
public struct MetricValue: Codable, Sendable, Hashable {
    public var count: Int
    public var total: Int
    /// Percentage rounded to one decimal; nil when the denominator is zero.
    public var percent: Double?
    /// What `total` counts ("IAM users", "organisations").
    public var of: String

    public init(count: Int, total: Int, of: String) {
        self.count = count
        self.total = total
        self.of = of
        self.percent = total == 0 ? nil : (Double(count) * 1000 / Double(total)).rounded() / 10
    }
}

/// A figure from Datadog's State of AWS Security (seed 003, 600+ organisations, Sept 2022).
public struct PopulationFigure: Codable, Sendable, Hashable {
    public var percent: Double
    /// The denominator exactly as the seed table states it.
    public var of: String

    public init(percent: Double, of: String) {
        self.percent = percent
        self.of = of
    }
}

/// One posture metric: our value next to the population's.
public struct PostureMetric: Codable, Sendable, Hashable {
    public var id: String
    public var title: String
    public var value: MetricValue
    public var population: PopulationFigure
    public var verdict: MetricVerdict
    public var note: String?
}

/// The posture metrics of a scanned estate (every metric of the State of AWS Security table that
/// the inventory supports). The estate counts as one organisation.
public struct PostureMetrics: Codable, Sendable, Hashable {
    /// The inventory's collection time: ages are measured from it.
    public var measuredAt: Date
    public var accounts: Int
    public var metrics: [PostureMetric]
    public var source: String

    public static let sourceText = "Datadog, State of AWS Security (data from Sept 2022, 600+ organisations)"

    /// Differences under this many percentage points count as "same".
    static let tolerance = 1.0

    public static func compute(inventory: Inventory, evaluation: Evaluation) -> PostureMetrics {
        let census = Census(inventory: inventory, evaluation: evaluation)
        return PostureMetrics(measuredAt: inventory.collectedAt, accounts: inventory.accounts.count,
                              metrics: census.metrics(), source: sourceText)
    }

    /// A rate compared with a population rate: worse when higher (these are all bad things).
    static func rate(_ id: String, _ title: String, _ value: MetricValue, _ percent: Double, of: String, note: String? = nil) -> PostureMetric {
        let verdict: MetricVerdict
        if let ours = value.percent {
            verdict = abs(ours - percent) < tolerance ? .same : (ours > percent ? .worse : .better)
        } else {
            verdict = .notApplicable
        }
        return PostureMetric(id: id, title: title, value: value, population: PopulationFigure(percent: percent, of: of),
                             verdict: verdict, note: note)
    }

    /// "Does the organisation have at least one": a yes is worse when only a minority of
    /// organisations has one, and merely the same as most when the majority does.
    static func presence(_ id: String, _ title: String, has: Bool?, _ percent: Double, of: String, note: String? = nil) -> PostureMetric {
        let value = MetricValue(count: has == true ? 1 : 0, total: has == nil ? 0 : 1, of: PostureMetrics.organisationUnit)
        let verdict: MetricVerdict = switch has {
        case nil: .notApplicable
        case true?: percent < 50 ? .worse : .same
        case false?: .better
        }
        return PostureMetric(id: id, title: title, value: value, population: PopulationFigure(percent: percent, of: of),
                             verdict: verdict, note: note)
    }
}

/// Counts over the inventory with the seed's definitions (fixed 90/365/30-day windows, not the
/// configurable check thresholds, so the comparison stays like for like).
struct Census {
    let inventory: Inventory
    let evaluation: Evaluation
    let now: Date

    init(inventory: Inventory, evaluation: Evaluation) {
        self.inventory = inventory
        self.evaluation = evaluation
        self.now = inventory.collectedAt
    }

    func days(since date: Date?) -> Int? { date.map { Int(now.timeIntervalSince($0) / 86_400) } }

    var users: [IAMUser] { inventory.accounts.flatMap { $0.iam?.users ?? [] } }

    func inactive(_ user: IAMUser) -> Bool {
        if user.passwordEnabled, let d = days(since: user.passwordLastUsed ?? user.passwordLastChanged ?? user.created), d >= 90 { return true }
        return user.accessKeys.contains { $0.active && (days(since: $0.lastUsed ?? $0.created) ?? 0) >= 90 }
    }

    func oldActiveKey(_ user: IAMUser) -> Bool {
        user.accessKeys.contains { $0.active && (days(since: $0.created) ?? 0) > 90 }
    }

    func staleKey(_ user: IAMUser) -> Bool {
        user.accessKeys.contains { key in
            guard key.active, let age = days(since: key.created), age > 365 else { return false }
            return (days(since: key.lastUsed) ?? Int.max) >= 30
        }
    }

    /// Failing and passing findings of a check, muted ones included: a muted public bucket is still public.
    func results(_ check: CheckDefinition) -> (fail: Set<String>, all: Set<String>) {
        var fail = Set<String>()
        var all = Set<String>()
        for finding in evaluation.findings + evaluation.muted.map(\.finding) where finding.check == check.id {
            let key = finding.account + "|" + finding.resource
            all.insert(key)
            if finding.status == .fail { fail.insert(key) }
        }
        return (fail, all)
    }

    func metrics() -> [PostureMetric] {
        let users = self.users
        let iamKnown = inventory.accounts.contains { $0.iam != nil }
        let inactive = users.filter(inactive).count
        let withActiveKey = users.filter { $0.accessKeys.contains(where: \.active) }.count
        let oldKey = users.filter(oldActiveKey).count
        let stale = users.filter(staleKey).count
        let noMFA = users.filter { $0.passwordEnabled && !$0.mfaActive }.count

        let roots = inventory.accounts.compactMap { $0.iam?.root }
        let rootKeys = roots.filter { $0.accessKeys.contains(where: \.active) }.count
        let rootsKnown = roots.filter(\.activityKnown)
        let rootUsed = rootsKnown.filter { root in
            ([root.passwordLastUsed] + root.accessKeys.map(\.lastUsed)).contains { (days(since: $0) ?? Int.max) <= 30 }
        }.count

        let instances = inventory.accounts.flatMap { $0.regional.flatMap { $0.instances ?? [] } }
            .filter { !["terminated", "shutting-down"].contains($0.state) }
        let imdsv1 = instances.filter { $0.metadata.httpEndpoint != "disabled" && $0.metadata.httpTokens != "required" }.count
        let ec2Known = inventory.accounts.contains { $0.regional.contains { $0.instances != nil } }

        let buckets = results(Catalog.publicBucket)
        let topics = results(Catalog.publicTopic)
        let queues = results(Catalog.publicQueue)
        let accounts = inventory.accounts.count
        let userOf = "IAM users"

        func known(_ flag: Bool, _ value: Bool) -> Bool? { flag ? value : nil }
        return [
            PostureMetrics.presence("org.multiple_accounts", "Organisation uses more than one AWS account", has: nil, 41, of: "all orgs",
                                    note: "Using several accounts isolates workloads; this row is informative, not a risk.")
                .withValue(MetricValue(count: accounts > 1 ? 1 : 0, total: 1, of: PostureMetrics.organisationUnit),
                           verdict: accounts > 1 ? .better : .same),
            PostureMetrics.presence("org.ten_plus_accounts", "Organisation with 10 or more AWS accounts", has: nil, 5, of: "all orgs",
                                    note: "Informative. 0.6% of organisations have 100+ accounts.")
                .withValue(MetricValue(count: accounts >= 10 ? 1 : 0, total: 1, of: PostureMetrics.organisationUnit), verdict: .notApplicable),
            PostureMetrics.rate("iam.users_inactive_credentials", "IAM users with inactive credentials (active password or key unused 90 days)",
                                MetricValue(count: inactive, total: users.count, of: userOf), 39, of: "all orgs",
                                note: "The seed table gives \"all orgs\" as the denominator; the figure is read as a share of IAM users, as in the check catalog."),
            PostureMetrics.presence("org.users_inactive_credentials", "Organisation with at least one IAM user with inactive credentials",
                                    has: known(iamKnown, inactive > 0), 70, of: "all orgs"),
            PostureMetrics.rate("iam.users_key_over_1y_unused_30d", "IAM users with an active access key over 1 year old and unused 30 days",
                                MetricValue(count: stale, total: users.count, of: userOf), 25, of: "all IAM users"),
            PostureMetrics.rate("iam.users_active_key_over_90d", "IAM users with an active access key older than 90 days",
                                MetricValue(count: oldKey, total: users.count, of: userOf), 60, of: "all IAM users"),
            PostureMetrics.rate("iam.users_with_active_key_over_90d", "Same, among IAM users with an active access key",
                                MetricValue(count: oldKey, total: withActiveKey, of: "IAM users with an active access key"), 76,
                                of: "IAM users with an active key"),
            PostureMetrics.rate("iam.console_users_without_mfa", "Console users without MFA",
                                MetricValue(count: noMFA, total: users.count, of: userOf), 11, of: "all IAM users"),
            PostureMetrics.presence("org.console_user_without_mfa", "Organisation with a console user without MFA",
                                    has: known(iamKnown, noMFA > 0), 40, of: "all orgs"),
            PostureMetrics.rate("account.root_access_key", "Accounts with an active root access key",
                                MetricValue(count: rootKeys, total: roots.count, of: "accounts whose root user was read"), 3, of: "all accounts"),
            PostureMetrics.presence("org.root_access_key", "Organisation with an active root access key",
                                    has: known(!roots.isEmpty, rootKeys > 0), 9, of: "all orgs"),
            PostureMetrics.presence("org.root_used_30d", "Organisation that used root credentials in the last 30 days",
                                    has: known(!rootsKnown.isEmpty, rootUsed > 0), 23, of: "all orgs"),
            PostureMetrics.rate("ec2.instances_without_imdsv2", "EC2 instances not enforcing IMDSv2",
                                MetricValue(count: imdsv1, total: instances.count, of: "running or stopped EC2 instances"), 93, of: "all instances"),
            PostureMetrics.presence("org.instance_without_imdsv2", "Organisation with at least one instance not enforcing IMDSv2",
                                    has: known(ec2Known && !instances.isEmpty, imdsv1 > 0), 95, of: "orgs with EC2"),
            PostureMetrics.rate("s3.public_buckets", "Publicly accessible S3 buckets",
                                MetricValue(count: buckets.fail.count, total: buckets.all.count, of: "S3 buckets"), 2, of: "all buckets",
                                note: "Buckets whose policy Mamori cannot analyse count as public, as in the findings."),
            PostureMetrics.presence("org.public_bucket", "Organisation with a public S3 bucket",
                                    has: known(!buckets.all.isEmpty, !buckets.fail.isEmpty), 36, of: "orgs with S3"),
            PostureMetrics.presence("org.public_topic", "Organisation with a public SNS topic",
                                    has: known(!topics.all.isEmpty, !topics.fail.isEmpty), 15, of: "orgs with SNS"),
            PostureMetrics.presence("org.public_queue", "Organisation with a public SQS queue",
                                    has: known(!queues.all.isEmpty, !queues.fail.isEmpty), 18, of: "orgs with SQS"),
        ]
    }
}

extension PostureMetric {
    func withValue(_ value: MetricValue, verdict: MetricVerdict) -> PostureMetric {
        var copy = self
        copy.value = value
        copy.verdict = verdict
        return copy
    }
}
