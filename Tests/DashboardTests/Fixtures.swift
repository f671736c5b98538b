import Foundation
import History
import Inventory
import MamoriCore

/// A history store seeded through the HistoryStore API with hand-written scans:
///
/// - Scan 1 (org:111111111111, 2026-11-01 10:00 UTC, complete): accounts 111 (Root), 222 (Root/Prod),
///   444 (Root/Sandbox). Failing: public bucket (critical, 222), alice without MFA (high, 111),
///   GuardDuty off (medium, 222), Security Hub off (low, 444). One passing instance.
/// - Scan 2 (same org, 2026-11-08 10:00 UTC, partial): 444 could not be read (failed). Bucket still
///   public; alice renamed to ops/alice-admin (same user id: still open, moved); GuardDuty now
///   passes (fixed); new public queue (high) and a public topic whose name carries markup (high);
///   an old key muted. One error (GetBucketPolicy denied). Posture metrics stored.
/// - Scan 3 (account 333333333333, 2026-11-15 10:00 UTC, complete): 120 instances without IMDSv2
///   (high), even ones in us-east-1, odd ones in eu-west-1 — for paging and filters.
enum Fixtures {
    static let day1 = Date(timeIntervalSince1970: 1_793_527_200)
    static let day8 = Date(timeIntervalSince1970: 1_794_132_000)
    static let day15 = Date(timeIntervalSince1970: 1_794_736_800)

    static let markupTopic = "arn:aws:sns:us-east-1:222222222222:<script>alert(1)</script>"

    static func finding(_ check: String, _ title: String, _ severity: Severity, _ status: FindingStatus = .fail, account: String,
                        region: String, resource: String, type: String, message: String, uid: String? = nil) -> Finding {
        Finding(check: check, title: title, severity: severity, status: status, account: account, region: region,
                resource: resource, resourceType: type, message: message, remediation: "Fix: \(title.lowercased()).", resourceUid: uid)
    }

    static let publicBucket = finding("s3.bucket_public", "S3 bucket is public", .critical, account: "222222222222", region: "us-east-1",
                                      resource: "arn:aws:s3:::public-assets", type: "AwsS3Bucket", message: "Bucket policy grants s3:GetObject to *.")
    static let aliceBefore = finding("iam.console_without_mfa", "Console user without MFA", .high, account: "111111111111", region: "global",
                                     resource: "arn:aws:iam::111111111111:user/dev/alice", type: "AwsIamUser",
                                     message: "alice can sign in to the console without MFA.", uid: "AIDAALICE0000000001")
    static let aliceAfter = finding("iam.console_without_mfa", "Console user without MFA", .high, account: "111111111111", region: "global",
                                    resource: "arn:aws:iam::111111111111:user/ops/alice-admin", type: "AwsIamUser",
                                    message: "alice-admin can sign in to the console without MFA.", uid: "AIDAALICE0000000001")
    static let guardDutyOff = finding("guardduty.disabled", "GuardDuty is not enabled", .medium, account: "222222222222", region: "eu-west-1",
                                      resource: "arn:aws:guardduty:eu-west-1:222222222222:detector", type: "AwsAccount",
                                      message: "No GuardDuty detector in eu-west-1.")
    static let guardDutyOn = finding("guardduty.disabled", "GuardDuty is not enabled", .medium, .pass, account: "222222222222", region: "eu-west-1",
                                     resource: "arn:aws:guardduty:eu-west-1:222222222222:detector", type: "AwsAccount",
                                     message: "GuardDuty is enabled in eu-west-1.")
    static let securityHubOff = finding("securityhub.disabled", "Security Hub is not enabled", .low, account: "444444444444", region: "us-east-1",
                                        resource: "arn:aws:securityhub:us-east-1:444444444444:hub/default", type: "AwsAccount",
                                        message: "Security Hub is off.")
    static let instancePass = finding("ec2.instance_imdsv2_not_required", "EC2 instance does not require IMDSv2", .high, .pass,
                                      account: "222222222222", region: "us-east-1", resource: "i-0aaaaaaaaaaaaaaaa", type: "AwsEc2Instance",
                                      message: "IMDSv2 is required.")
    static let publicQueue = finding("sqs.queue_public", "SQS queue is public", .high, account: "222222222222", region: "us-east-1",
                                     resource: "arn:aws:sqs:us-east-1:222222222222:orders", type: "AwsSqsQueue",
                                     message: "Queue policy allows sqs:SendMessage from *.")
    static let publicTopic = finding("sns.topic_public", "SNS topic is public", .high, account: "222222222222", region: "us-east-1",
                                     resource: markupTopic, type: "AwsSnsTopic", message: "Topic policy allows <b>anyone</b> to publish.")
    static let oldKey = finding("iam.access_key_older_90d", "Active access key older than 90 days", .medium, account: "111111111111",
                                region: "global", resource: "arn:aws:iam::111111111111:user/ci-bot", type: "AwsIamAccessKey",
                                message: "Key AKIA…7QXZ of ci-bot is 400 days old.")

    static func instance(_ index: Int) -> Finding {
        let id = "i-" + String(repeating: "0", count: 13) + String(format: "%04d", index)
        return finding("ec2.instance_imdsv2_not_required", "EC2 instance does not require IMDSv2", .high, account: "333333333333",
                       region: index % 2 == 0 ? "us-east-1" : "eu-west-1", resource: id, type: "AwsEc2Instance",
                       message: "Instance \(id) accepts IMDSv1.")
    }

    static let metricsJSON = """
        {"accounts":2,"measuredAt":"2026-11-08T10:00:00Z","source":"Datadog, State of AWS Security (data from Sept 2022, 600+ organisations)",
         "metrics":[
          {"id":"iam.console_users_without_mfa","title":"Console users without MFA","value":{"count":1,"total":4,"percent":25,"of":"IAM users"},
           "population":{"percent":11,"of":"all IAM users"},"verdict":"worse"},
          {"id":"s3.public_buckets","title":"Publicly accessible S3 buckets","value":{"count":1,"total":10,"percent":10,"of":"S3 buckets"},
           "population":{"percent":2,"of":"all buckets"},"verdict":"worse","note":"Buckets whose policy Mamori cannot analyse count as public."},
          {"id":"ec2.instances_without_imdsv2","title":"EC2 instances not enforcing IMDSv2","value":{"count":0,"total":3,"percent":0,"of":"running or stopped EC2 instances"},
           "population":{"percent":93,"of":"all instances"},"verdict":"better"}
         ]}
        """

    /// A new, empty store in a fresh temporary directory.
    static func emptyStore() throws -> SQLiteHistoryStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-dashboard-\(UUID().uuidString)")
        return try SQLiteHistoryStore(path: directory.appendingPathComponent("history.sqlite").path)
    }

    /// A new store seeded as described above.
    static func store() async throws -> SQLiteHistoryStore {
        let store = try emptyStore()

        let one = try await store.beginScan(NewScan(kind: .org, target: "org:111111111111", startedAt: day1, toolVersion: "0.1.0"))
        try await store.record(result("111111111111", name: "management", ou: "Root", [aliceBefore]), scan: one.id)
        try await store.record(result("222222222222", name: "prod", ou: "Root/Prod", [publicBucket, guardDutyOff, instancePass]), scan: one.id)
        try await store.record(result("444444444444", name: "sandbox", ou: "Root/Sandbox", [securityHubOff]), scan: one.id)
        try await store.finishScan(one.id, state: .complete, finishedAt: day1.addingTimeInterval(125), metrics: nil)

        let two = try await store.beginScan(NewScan(kind: .org, target: "org:111111111111", startedAt: day8, toolVersion: "0.1.0"))
        try await store.record(result("111111111111", name: "management", ou: "Root", [aliceAfter], muted: [(oldKey, "rotation ticket SEC-12")]), scan: two.id)
        let denied = StoredError(account: "222222222222", error: CollectionError(kind: .accessDenied, service: "s3", operation: "GetBucketPolicy",
                                                                                  region: "eu-west-1", resource: "arn:aws:s3:::logs", message: "Access Denied"))
        try await store.record(result("222222222222", name: "prod", ou: "Root/Prod", [publicBucket, guardDutyOn, publicQueue, publicTopic], errors: [denied]), scan: two.id)
        try await store.record(result("444444444444", name: "sandbox", ou: "Root/Sandbox", [], state: .failed), scan: two.id)
        try await store.finishScan(two.id, state: .partial, finishedAt: day8.addingTimeInterval(3_725), metrics: Data(metricsJSON.utf8))

        let three = try await store.beginScan(NewScan(kind: .account, target: "333333333333", startedAt: day15, toolVersion: "0.1.0"))
        try await store.record(result("333333333333", name: nil, ou: nil, (0..<120).map(instance)), scan: three.id)
        try await store.finishScan(three.id, state: .complete, finishedAt: day15.addingTimeInterval(42), metrics: nil)
        return store
    }

    static func result(_ account: String, name: String?, ou: String?, _ findings: [Finding], muted: [(Finding, String)] = [],
                       errors: [StoredError] = [], state: AccountState = .done) -> AccountResult {
        AccountResult(account: AccountRecord(accountId: account, name: name, ouPath: ou, state: state, finishedAt: day1,
                                             inventory: ["users": 4, "buckets": 10]),
                      findings: findings.map { StoredFinding(finding: $0) } + muted.map { StoredFinding(finding: $0.0, mutedReason: $0.1) },
                      errors: errors)
    }
}
