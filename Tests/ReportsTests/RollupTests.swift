import Checks
import Inventory
import MamoriCore
import Reports
import Testing

/// Per-account and per-OU roll-ups of organisation scans.
struct RollupTests {
    func finding(_ account: String, _ severity: Severity) -> Finding {
        Finding(check: "c", title: "t", severity: severity, status: .fail, account: account, region: "us-east-1",
                resource: "r-\(account)", resourceType: "x", message: "m", remediation: "fix")
    }

    @Test func ousCountTheirAccountsAndEverythingBelow() {
        let evaluation = Evaluation(
            findings: [finding("111111111111", .high), finding("222222222222", .critical), finding("222222222222", .low),
                       finding("333333333333", .medium)],
            errors: ["333333333333": [CollectionError(kind: .unsupported, service: "ec2", operation: "X", region: "us-east-1", message: "m")]],
            accounts: ["111111111111": AccountLabel(name: "mgmt", ouPath: "Root"),
                       "222222222222": AccountLabel(name: "pay", ouPath: "Root/Prod/Payments"),
                       "333333333333": AccountLabel(name: "data", ouPath: "Root/Prod")])
        let rollup = AccountRollup(evaluation)
        #expect(rollup.accounts.map(\.key) == ["111111111111", "333333333333", "222222222222"], "sorted by OU path, then id")
        #expect(rollup.accounts.map(\.failing) == [1, 1, 2])
        let ous = Dictionary(uniqueKeysWithValues: rollup.ous.map { ($0.key, $0) })
        #expect(ous.keys.sorted() == ["Root", "Root/Prod", "Root/Prod/Payments"])
        #expect(ous["Root"]?.failing == 4)
        #expect(ous["Root"]?.label == "3 account(s)")
        #expect(ous["Root"]?.worst == .critical)
        #expect(ous["Root/Prod"]?.failing == 3)
        #expect(ous["Root/Prod"]?.unread == 1)
        #expect(ous["Root/Prod/Payments"]?.worst == .critical)
    }

    @Test func singleAccountHasNoOURows() {
        let rollup = AccountRollup(Evaluation(findings: [finding("111111111111", .high)]))
        #expect(rollup.ous.isEmpty)
        #expect(rollup.accounts.map(\.key) == ["111111111111"])
    }
}

/// Organisation scans combine per-account metrics; the result must equal metrics over the whole estate.
struct MetricsCombinationTests {
    @Test func combiningAccountsEqualsMeasuringTheEstate() throws {
        var second = Fixture.inventory.accounts[0]
        second.accountId = "444455556666"
        second.iam?.users.removeLast()
        let first = Fixture.inventory.accounts[0]
        let both = Inventory(collectedAt: Fixture.now, accounts: [first, second])
        let whole = PostureMetrics.compute(inventory: both, evaluation: Evaluator.evaluate(both))
        let parts = [first, second].map { account -> PostureMetrics in
            let single = Inventory(collectedAt: Fixture.now, accounts: [account])
            return PostureMetrics.compute(inventory: single, evaluation: Evaluator.evaluate(single))
        }
        let combined = try #require(PostureMetrics.combine(parts, measuredAt: Fixture.now))
        #expect(combined.accounts == 2)
        #expect(combined.metrics == whole.metrics)
        #expect(combined.metrics.first { $0.id == "org.multiple_accounts" }?.verdict == .better)
    }

    @Test func nothingToCombine() {
        #expect(PostureMetrics.combine([], measuredAt: Fixture.now) == nil)
    }
}
