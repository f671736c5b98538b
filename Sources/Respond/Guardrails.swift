import AWSClient
import Foundation

/// Step 6: the guardrails AWS Support asks about after an incident.
public struct GuardrailReport: Codable, Sendable {
    /// One guardrail's state; `detail` explains "unknown".
    public struct Check: Codable, Sendable {
        public var name: String
        /// "on", "off" or "unknown" (the check itself failed, e.g. access denied).
        public var state: String
        public var detail: String?
    }
    /// Budgets, CloudTrail, Trusted Advisor, Cost Anomaly Detection: AWS asks for at least two.
    public var monitoring: [Check]
    /// Root MFA, Security Hub, GuardDuty: AWS asks for at least one.
    public var protection: [Check]

    public var monitoringMet: Bool { monitoring.filter { $0.state == "on" }.count >= 2 }
    public var protectionMet: Bool { protection.contains { $0.state == "on" } }
}

/// Reads each guardrail's state in the home region.
public enum GuardrailCheck {
    public static func check(client: AWSClient, region: String, account: String?) async -> GuardrailReport {
        async let budgets = probe("Budgets") { () async throws(AWSError) -> Bool in
            guard let account else { throw AWSError.decoding("account unknown") }
            return !(try await client.json(.budgets, region: region, operation: "DescribeBudgets", ["AccountId": .string(account)])["Budgets"]?.array ?? []).isEmpty
        }
        async let trail = probe("CloudTrail") { () async throws(AWSError) -> Bool in
            let trails = try await client.json(.cloudtrail, region: region, operation: "DescribeTrails")["trailList"]?.array ?? []
            for t in trails {
                guard let arn = t["TrailARN"]?.string else { continue }
                if try await client.json(.cloudtrail, region: region, operation: "GetTrailStatus", ["Name": .string(arn)])["IsLogging"]?.bool == true { return true }
            }
            return false
        }
        async let advisor = probe("Trusted Advisor") { () async throws(AWSError) -> Bool in
            do throws(AWSError) {
                return !(try await client.json(.support, region: region, operation: "DescribeTrustedAdvisorChecks", ["language": "en"])["checks"]?.array ?? []).isEmpty
            } catch where error.code == "SubscriptionRequiredException" { return false }
        }
        async let anomaly = probe("Cost Anomaly Detection") { () async throws(AWSError) -> Bool in
            !(try await client.json(.costExplorer, region: region, operation: "GetAnomalyMonitors")["AnomalyMonitors"]?.array ?? []).isEmpty
        }
        async let mfa = probe("Root MFA") { () async throws(AWSError) -> Bool in
            let map = try await client.query(.iam, region: region, action: "GetAccountSummary").list("SummaryMap")
            return map.contains { $0.string("key") == "AccountMFAEnabled" && $0.string("value") == "1" }
        }
        async let hub = probe("Security Hub") { () async throws(AWSError) -> Bool in
            do throws(AWSError) {
                _ = try await client.restJSON(.securityhub, region: region, method: "GET", path: "/accounts", operation: "DescribeHub")
                return true
            } catch where error.code == "InvalidAccessException" || error.code == "ResourceNotFoundException" { return false }
        }
        async let guardduty = probe("GuardDuty") { () async throws(AWSError) -> Bool in
            !(try await client.restJSON(.guardduty, region: region, method: "GET", path: "/detector", operation: "ListDetectors")["detectorIds"]?.array ?? []).isEmpty
        }
        return GuardrailReport(monitoring: await [budgets, trail, advisor, anomaly], protection: await [mfa, hub, guardduty])
    }

    static func probe(_ name: String, _ body: @Sendable () async throws(AWSError) -> Bool) async -> GuardrailReport.Check {
        do { return GuardrailReport.Check(name: name, state: try await body() ? "on" : "off", detail: nil) }
        catch { return GuardrailReport.Check(name: name, state: "unknown", detail: "\(error)") }
    }
}
