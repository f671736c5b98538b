import Checks
import Foundation
import Inventory
import MamoriCore
import Reports

/// A fixed, hand-built estate: one account, four IAM users, root with a key, two buckets, two
/// instances, a topic, a queue, one unreadable part and one muted finding. Collected at a fixed
/// time so every report is byte-stable.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_768_478_400) // 2026-01-15T12:00:00Z
    static let account = "111122223333"

    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    static let publicPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-assets/*"}]}"#
    static let publicTopicPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"arn:aws:sns:eu-west-1:111122223333:alerts"}]}"#

    static var inventory: Inventory {
        let iam = IAMInventory(
            users: [
                IAMUser(name: "alice", arn: "arn:aws:iam::111122223333:user/alice", created: daysAgo(500), passwordEnabled: true,
                        passwordLastUsed: daysAgo(5), mfaActive: true,
                        accessKeys: [AccessKey(id: "AKIAALICE00000000001", active: true, created: daysAgo(400), lastUsed: daysAgo(200))]),
                IAMUser(name: "bob", arn: "arn:aws:iam::111122223333:user/bob", created: daysAgo(60), passwordEnabled: true,
                        passwordLastUsed: daysAgo(10), mfaActive: false),
                IAMUser(name: "carol", arn: "arn:aws:iam::111122223333:user/carol", created: daysAgo(40),
                        accessKeys: [AccessKey(id: "AKIACAROL00000000001", active: true, created: daysAgo(30), lastUsed: daysAgo(1))]),
                IAMUser(name: "=1+2@evil", arn: "arn:aws:iam::111122223333:user/=1+2@evil", created: daysAgo(120),
                        accessKeys: [AccessKey(id: "AKIADAVE000000000001", active: true, created: daysAgo(100), lastUsed: daysAgo(50))]),
            ],
            root: RootUser(arn: "arn:aws:iam::111122223333:root", mfaActive: false, passwordLastUsed: daysAgo(3),
                           accessKeys: [AccessKey(id: "AKIAROOT000000000001", active: true, created: daysAgo(900), lastUsed: daysAgo(400))]))
        let s3 = S3Inventory(buckets: [
            S3Bucket(name: "public-assets", region: "eu-west-1", policy: publicPolicy, grants: []),
            S3Bucket(name: "private-logs", region: "eu-west-1", grants: []),
        ], accountBlockKnown: true)
        var region = RegionInventory(region: "eu-west-1")
        region.instances = [
            EC2Instance(id: "i-0aaaaaaaaaaaaaaa1", state: "running", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "enabled")),
            EC2Instance(id: "i-0bbbbbbbbbbbbbbb2", state: "running", metadata: MetadataOptions(httpTokens: "required", httpEndpoint: "enabled")),
        ]
        region.topics = [SNSTopic(arn: "arn:aws:sns:eu-west-1:111122223333:alerts", policy: publicTopicPolicy)]
        region.queues = [SQSQueue(url: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", arn: "arn:aws:sqs:eu-west-1:111122223333:jobs")]
        region.guardDuty = ServiceState(enabled: false)
        let error = CollectionError(kind: .accessDenied, service: "sqs", operation: "GetQueueAttributes", region: "eu-west-1",
                                    resource: "arn:aws:sqs:eu-west-1:111122223333:jobs",
                                    message: "denied </script><img src=x onerror=alert(1)> by SCP")
        let account = AccountInventory(accountId: account, accountName: "prod", regions: ["eu-west-1"], iam: iam, s3: s3,
                                       regional: [region], guardrails: GuardrailInventory(budgets: 1, anomalyMonitors: 0, trustedAdvisor: false),
                                       errors: [error])
        return Inventory(collectedAt: now, accounts: [account])
    }

    /// GuardDuty is muted with a reason that tries to break out of HTML.
    static let config = MamoriConfig(mute: [MuteRule(check: "guardduty.disabled", reason: "sandbox <b>only</b> & \"test\"")])

    static var evaluation: Evaluation { Evaluator.evaluate(inventory, config: config) }

    static func input(all: Bool = false) -> ReportInput {
        ReportInput(inventory: inventory, evaluation: evaluation, all: all, toolVersion: "0.1.0")
    }
}
