import Foundation
import MamoriCore
import Reports
import Testing

/// Metric values checked by hand against the fixture (see Fixture.swift):
/// users alice (key 400 d old, unused 200 d), bob (console, no MFA), carol (fresh key), "=1+2@evil" (key 100 d, used 50 d ago).
@Suite struct MetricsTests {
    let metrics = PostureMetrics.compute(inventory: Fixture.inventory, evaluation: Fixture.evaluation)

    func metric(_ id: String) throws -> PostureMetric {
        try #require(metrics.metrics.first { $0.id == id }, "no metric \(id)")
    }

    @Test func iamUserRates() throws {
        // Inactive: alice only (key unused 200 days) -> 1/4 = 25% vs 39%: better.
        let inactive = try metric("iam.users_inactive_credentials")
        #expect(inactive.value == MetricValue(count: 1, total: 4, of: "IAM users"))
        #expect(inactive.value.percent == 25)
        #expect(inactive.verdict == .better)
        // Active key older than 90 days: alice (400) and dave (100) -> 2/4 = 50% vs 60%: better.
        let old = try metric("iam.users_active_key_over_90d")
        #expect(old.value.count == 2 && old.value.total == 4)
        #expect(old.verdict == .better)
        // Same among users with an active key (alice, carol, dave): 2/3 = 66.7% vs 76%: better.
        let oldAmongKeys = try metric("iam.users_with_active_key_over_90d")
        #expect(oldAmongKeys.value.count == 2 && oldAmongKeys.value.total == 3)
        #expect(oldAmongKeys.value.percent == 66.7)
        #expect(oldAmongKeys.population == PopulationFigure(percent: 76, of: "IAM users with an active key"))
        // Key over a year and unused 30 days: alice -> 25% vs 25%: same.
        let stale = try metric("iam.users_key_over_1y_unused_30d")
        #expect(stale.value.count == 1 && stale.verdict == .same)
        // Console users without MFA: bob -> 1/4 = 25% vs 11%: worse.
        let mfa = try metric("iam.console_users_without_mfa")
        #expect(mfa.value.count == 1 && mfa.value.total == 4)
        #expect(mfa.verdict == .worse)
    }

    @Test func rootAndOrganisation() throws {
        let rootKey = try metric("account.root_access_key")
        #expect(rootKey.value == MetricValue(count: 1, total: 1, of: "accounts whose root user was read"))
        #expect(rootKey.verdict == .worse) // 100% vs 3%
        #expect(try metric("org.root_access_key").verdict == .worse) // yes vs 9% of orgs
        #expect(try metric("org.root_used_30d").verdict == .worse) // password used 3 days ago
        #expect(try metric("org.console_user_without_mfa").value.count == 1)
        // Yes, like 70% of orgs: the majority, so "same", not "worse".
        #expect(try metric("org.users_inactive_credentials").verdict == .same)
        #expect(try metric("org.multiple_accounts").value.count == 0)
    }

    @Test func resourcesFromFindings() throws {
        // One of two running instances accepts IMDSv1: 50% vs 93%: better.
        let imds = try metric("ec2.instances_without_imdsv2")
        #expect(imds.value.count == 1 && imds.value.total == 2 && imds.verdict == .better)
        // public-assets is public, private-logs is not: 50% vs 2%: worse.
        let buckets = try metric("s3.public_buckets")
        #expect(buckets.value.count == 1 && buckets.value.total == 2 && buckets.verdict == .worse)
        #expect(try metric("org.public_topic").value.count == 1)
        #expect(try metric("org.public_queue").value.count == 0)
        #expect(try metric("org.public_queue").verdict == .better)
    }

    @Test func emptyEstateIsNotApplicable() throws {
        let empty = PostureMetrics.compute(inventory: .init(collectedAt: Fixture.now, accounts: [.init(accountId: "999988887777")]),
                                           evaluation: .init(findings: [], muted: [], errors: [:]))
        let users = try #require(empty.metrics.first { $0.id == "iam.console_users_without_mfa" })
        #expect(users.value.percent == nil)
        #expect(users.verdict == .notApplicable)
        #expect(try #require(empty.metrics.first { $0.id == "org.public_bucket" }).verdict == .notApplicable)
    }

    @Test func jsonCarriesTheSameNumbers() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: MetricsReport.json(metrics)) as? [String: Any])
        let rows = try #require(json["metrics"] as? [[String: Any]])
        let mfa = try #require(rows.first { $0["id"] as? String == "iam.console_users_without_mfa" })
        let value = try #require(mfa["value"] as? [String: Any])
        #expect(value["count"] as? Int == 1)
        #expect(value["total"] as? Int == 4)
        #expect(value["percent"] as? Double == 25)
        #expect(mfa["verdict"] as? String == "worse")
        #expect(json["measuredAt"] as? String == "2026-01-15T12:00:00Z")
    }
}
