import Foundation
import Testing
@testable import Checks
@testable import Collectors
import Inventory
import MamoriCore
import Reports
import Yams

/// Checks on hand-built inventories: each expectation follows from the check's definition.
struct CheckTests {
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
    static func ago(_ days: Int) -> Date { now.addingTimeInterval(Double(-days) * 86_400) }
    let account = "111122223333"

    func evaluate(_ account: AccountInventory, config: MamoriConfig = MamoriConfig()) -> Evaluation {
        Evaluator.evaluate(Inventory(collectedAt: Self.now, accounts: [account]), config: config)
    }

    func failing(_ evaluation: Evaluation, _ check: String) -> [Finding] {
        evaluation.failures.filter { $0.check == check }
    }

    func iamAccount(users: [IAMUser], root: RootUser? = nil) -> AccountInventory {
        AccountInventory(accountId: account, iam: IAMInventory(users: users, root: root))
    }

    @Test func neverUsedCredentialsCountFromCreation() {
        let users = [
            IAMUser(name: "old-unused-key", arn: "arn:u1", created: Self.ago(200), accessKeys: [AccessKey(id: "AKIA1", active: true, created: Self.ago(100))]),
            IAMUser(name: "young-unused-key", arn: "arn:u2", created: Self.ago(200), accessKeys: [AccessKey(id: "AKIA2", active: true, created: Self.ago(89))]),
            IAMUser(name: "inactive-old-key", arn: "arn:u3", accessKeys: [AccessKey(id: "AKIA3", active: false, created: Self.ago(300))]),
            IAMUser(name: "password-never-used", arn: "arn:u4", created: Self.ago(400), passwordEnabled: true, passwordLastChanged: Self.ago(95), mfaActive: true),
            IAMUser(name: "password-used", arn: "arn:u5", passwordEnabled: true, passwordLastUsed: Self.ago(3), mfaActive: true),
        ]
        let unused = failing(evaluate(iamAccount(users: users)), "iam.unused_credentials").map(\.resource)
        #expect(Set(unused) == ["arn:u1", "arn:u4"])
    }

    @Test func keyAgeAndStaleness() {
        let user = IAMUser(name: "u", arn: "arn:u", accessKeys: [
            AccessKey(id: "AKIAOLDUSED", active: true, created: Self.ago(400), lastUsed: Self.ago(1)),
            AccessKey(id: "AKIAOLDIDLE", active: false, created: Self.ago(366), lastUsed: Self.ago(31)),
        ])
        let evaluation = evaluate(iamAccount(users: [user]))
        #expect(failing(evaluation, "iam.access_key_older_90d").map(\.resource) == ["AKIAOLDUSED"])  // inactive keys are not "active and old"
        #expect(failing(evaluation, "iam.access_key_stale").map(\.resource) == ["AKIAOLDIDLE"])      // used yesterday is not stale
    }

    @Test func thresholdsComeFromConfig() throws {
        let config = try MamoriConfig.parse("thresholds:\n  access_key_max_age_days: 500\n")
        let user = IAMUser(name: "u", arn: "arn:u", accessKeys: [AccessKey(id: "AKIA", active: true, created: Self.ago(400), lastUsed: Self.ago(1))])
        #expect(failing(evaluate(iamAccount(users: [user]), config: config), "iam.access_key_older_90d").isEmpty)
    }

    @Test func consoleWithoutMFA() {
        let users = [IAMUser(name: "a", arn: "arn:a", passwordEnabled: true, passwordLastUsed: Self.ago(1), mfaActive: false),
                     IAMUser(name: "b", arn: "arn:b", passwordEnabled: true, passwordLastUsed: Self.ago(1), mfaActive: true),
                     IAMUser(name: "c", arn: "arn:c", passwordEnabled: false, mfaActive: false)]
        #expect(failing(evaluate(iamAccount(users: users)), "iam.console_without_mfa").map(\.resource) == ["arn:a"])
    }

    @Test func rootChecks() {
        let root = RootUser(arn: "arn:aws:iam::111122223333:root", mfaActive: false, passwordLastUsed: Self.ago(29),
                            accessKeys: [AccessKey(id: "key1", active: true, created: Self.ago(900), lastUsed: Self.ago(200))])
        let evaluation = evaluate(iamAccount(users: [], root: root))
        #expect(failing(evaluation, "iam.root_access_key").count == 1)
        #expect(failing(evaluation, "iam.root_without_mfa").count == 1)
        let recent = failing(evaluation, "iam.root_recent_use")
        #expect(recent.count == 1)
        #expect(recent.first?.message.contains("password 29 day(s) ago") == true)
        // Unknown activity is neither pass nor fail.
        let unknown = evaluate(iamAccount(users: [], root: RootUser(arn: "arn:root", mfaActive: true, activityKnown: false)))
        #expect(!unknown.findings.contains { $0.check == "iam.root_recent_use" })
    }

    @Test func quarantinePolicyOnAnyPrincipal() {
        var iam = IAMInventory(users: [IAMUser(name: "eve", arn: "arn:eve", attachedPolicies: ["arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"])])
        iam.roles = [IAMPrincipal(name: "ci", arn: "arn:role/ci", attachedPolicies: ["arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine"])]
        iam.groups = [IAMPrincipal(name: "g", arn: "arn:group/g", attachedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"])]
        let findings = failing(evaluate(AccountInventory(accountId: account, iam: iam)), "iam.compromised_key_quarantine")
        #expect(Set(findings.map(\.resource)) == ["arn:eve", "arn:role/ci"])
        #expect(findings.allSatisfy { $0.severity == .critical })
        // V2/V3 deny LookupEvents to the identity; the remediation says so and says to keep the policy until the response is done.
        #expect(findings.first { $0.resource == "arn:eve" }?.message.contains("denies cloudtrail:LookupEvents to eve") == true)
        #expect(findings.first { $0.resource == "arn:role/ci" }?.message.contains("LookupEvents") == false)
        #expect(findings.allSatisfy { $0.remediation.contains("does not recommend removing it before") && $0.remediation.contains("as another principal") })
    }

    @Test func bucketsAccountBlockNeutralisesPolicyAndACL() {
        let policy = #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
        let bucket = S3Bucket(name: "b", region: "eu-west-1", policy: policy,
                              grants: [Grant(granteeType: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permission: "READ")])
        let open = evaluate(AccountInventory(accountId: account, s3: S3Inventory(buckets: [bucket], accountBlockKnown: true)))
        #expect(failing(open, "s3.bucket_public").count == 1)
        let blocked = S3Inventory(buckets: [bucket], accountBlock: BlockSettings(ignorePublicAcls: true, restrictPublicBuckets: true), accountBlockKnown: true)
        #expect(failing(evaluate(AccountInventory(accountId: account, s3: blocked)), "s3.bucket_public").isEmpty)
    }

    @Test func malformedPolicyIsReportedNotSkipped() {
        var region = RegionInventory(region: "us-east-1")
        region.topics = [SNSTopic(arn: "arn:aws:sns:us-east-1:111122223333:t", policy: "{not json")]
        let findings = failing(evaluate(AccountInventory(accountId: account, regional: [region])), "sns.topic_public")
        #expect(findings.count == 1)
        #expect(findings.first?.message.contains("cannot analyse") == true)
    }

    @Test func imdsInstancesTemplatesAndDefaults() {
        var region = RegionInventory(region: "eu-west-1")
        region.instances = [
            EC2Instance(id: "i-v1", state: "running", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "enabled")),
            EC2Instance(id: "i-stopped-v1", state: "stopped", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "enabled")),
            EC2Instance(id: "i-v2", state: "running", metadata: MetadataOptions(httpTokens: "required", httpEndpoint: "enabled")),
            EC2Instance(id: "i-off", state: "running", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "disabled")),
            EC2Instance(id: "i-gone", state: "terminated", metadata: MetadataOptions(httpTokens: "optional", httpEndpoint: "enabled")),
        ]
        region.launchTemplates = [
            LaunchTemplate(id: "lt-unset", name: "unset", defaultVersion: 1, metadata: MetadataOptions()),
            LaunchTemplate(id: "lt-req", name: "req", defaultVersion: 3, metadata: MetadataOptions(httpTokens: "required")),
        ]
        region.imdsDefaults = IMDSDefaults(httpTokens: "required")
        let evaluation = evaluate(AccountInventory(accountId: account, regional: [region]))
        #expect(Set(failing(evaluation, "ec2.instance_imdsv2_not_required").map { $0.resource.split(separator: "/").last! }) == ["i-v1", "i-stopped-v1"])
        // An unset template inherits the region default, which requires IMDSv2.
        #expect(failing(evaluation, "ec2.launch_template_imdsv2_not_required").isEmpty)
        region.imdsDefaults = nil
        let unknown = evaluate(AccountInventory(accountId: account, regional: [region]))
        #expect(failing(unknown, "ec2.launch_template_imdsv2_not_required").first?.message.contains("unknown") == true)
        #expect(!unknown.findings.contains { $0.check == "ec2.imds_default_not_required" })
    }

    @Test func imdsTokensEnforcedOnAccountDefaults() {
        func finding(_ defaults: IMDSDefaults?, v1Instance: Bool = false) -> Finding? {
            var region = RegionInventory(region: "eu-west-1")
            region.instances = [EC2Instance(id: "i-1", state: "running", metadata: MetadataOptions(httpTokens: v1Instance ? "optional" : "required"))]
            region.imdsDefaults = defaults
            return evaluate(AccountInventory(accountId: account, regional: [region])).findings.first { $0.check == "ec2.imds_v2_not_enforced" }
        }
        #expect(finding(nil) == nil, "GetInstanceMetadataDefaults not answered: unknown, never compliant nor a finding")
        #expect(finding(IMDSDefaults(httpTokens: "required", httpTokensEnforced: "enabled"))?.status == .pass)
        let required = finding(IMDSDefaults(httpTokens: "required", httpTokensEnforced: "disabled"))
        #expect(required?.status == .fail)
        #expect(required?.severity == .low)
        #expect(required?.message.contains("whatever the default says") == true)
        // Absent means no account-level preference: not enforced.
        let unset = finding(IMDSDefaults(), v1Instance: true)
        #expect(unset?.status == .fail)
        #expect(unset?.severity == .medium, "instances already accept IMDSv1: launches still opt out")
        #expect(unset?.message.contains("not set") == true)
        #expect(unset?.resourceType == "AwsAccount")
    }

    @Test func imdsHopLimitOutsideContainerHosts() {
        var region = RegionInventory(region: "eu-west-1")
        func instance(_ id: String, tokens: String = "required", limit: Int?, endpoint: String = "enabled", image: String? = nil, marker: String? = nil) -> EC2Instance {
            EC2Instance(id: id, state: "running", imageId: image,
                        metadata: MetadataOptions(httpTokens: tokens, httpEndpoint: endpoint, httpPutResponseHopLimit: limit), containerMarker: marker)
        }
        region.instances = [
            instance("i-one", limit: 1), instance("i-two", limit: 2), instance("i-v1-three", tokens: "optional", limit: 3),
            instance("i-off", limit: 5, endpoint: "disabled"), instance("i-eks", limit: 2, marker: ContainerHosts.marker(tagKeys: ["Name", "kubernetes.io/cluster/prod"])),
            instance("i-ecs-ami", limit: 2, image: "ami-ecs"), instance("i-unknown", limit: nil),
        ]
        var images = ImageInventory(images: ["ami-ecs": AMIRecord(id: "ami-ecs", ownerAlias: "amazon", name: "al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64")])
        images.allowedImages = nil
        region.images = images
        region.launchTemplates = [
            LaunchTemplate(id: "lt-2", name: "web", defaultVersion: 4, metadata: MetadataOptions(httpTokens: "required", httpPutResponseHopLimit: 2)),
            LaunchTemplate(id: "lt-eks", name: "nodes", defaultVersion: 1, metadata: MetadataOptions(httpTokens: "required", httpPutResponseHopLimit: 2),
                           containerMarker: ContainerHosts.marker(userData: "#!/bin/bash\n/etc/eks/bootstrap.sh prod")),
            LaunchTemplate(id: "lt-unset", name: "unset", defaultVersion: 1, metadata: MetadataOptions(httpTokens: "required")),
        ]
        let evaluation = evaluate(AccountInventory(accountId: account, regional: [region]))
        let instances = evaluation.findings.filter { $0.check == "ec2.instance_imds_hop_limit" }
        func status(_ id: String) -> FindingStatus? { instances.first { $0.resource.hasSuffix("/\(id)") }?.status }
        #expect(Set(instances.filter { $0.status == .fail }.map { String($0.resource.split(separator: "/").last!) }) == ["i-two", "i-v1-three"])
        #expect(instances.first { $0.resource.hasSuffix("/i-two") }?.severity == .medium)
        #expect(instances.first { $0.resource.hasSuffix("/i-v1-three") }?.severity == .low, "IMDSv1 is the larger hole, reported by its own check")
        #expect(status("i-one") == .pass)
        #expect(status("i-off") == .pass)
        #expect(status("i-eks") == .pass)
        #expect(instances.first { $0.resource.hasSuffix("/i-eks") }?.message.contains("tag kubernetes.io/cluster/prod") == true)
        #expect(status("i-ecs-ami") == .pass)
        #expect(status("i-unknown") == nil, "no hop limit read, nothing judged")
        let templates = evaluation.findings.filter { $0.check == "ec2.launch_template_imds_hop_limit" }
        #expect(templates.filter { $0.status == .fail }.map(\.resource) == ["arn:aws:ec2:eu-west-1:111122223333:launch-template/lt-2"])
        #expect(templates.first { $0.resource.hasSuffix("lt-eks") }?.status == .pass)
        #expect(!templates.contains { $0.resource.hasSuffix("lt-unset") })
        #expect(ContainerHosts.marker(tagKeys: ["Name", "team"]) == nil)
        #expect(ContainerHosts.marker(imageName: "amzn2-ami-hvm-2.0-x86_64-gp2") == nil)
        #expect(ContainerHosts.marker(userData: "ECS_CLUSTER=prod >> /etc/ecs/ecs.config") != nil)
    }

    /// FSBP AutoScaling.4: a launch configuration's MetadataOptions hop limit, judged like a template's.
    @Test func launchConfigurationHopLimit() throws {
        var region = RegionInventory(region: "eu-west-1")
        var images = ImageInventory(images: ["ami-eks": AMIRecord(id: "ami-eks", ownerAlias: "amazon", name: "amazon-eks-node-1.31-v20250101")])
        var withArn = LaunchConfiguration(name: "web-v2", imageId: "ami-web", metadata: MetadataOptions(httpTokens: "required", httpPutResponseHopLimit: 2))
        withArn.arn = "arn:aws:autoscaling:eu-west-1:111122223333:launchConfiguration:0b1c2d3e-aaaa-bbbb-cccc-1234567890ab:launchConfigurationName/web-v2"
        images.launchConfigurations = [
            withArn,
            LaunchConfiguration(name: "web-v1", imageId: "ami-web", metadata: MetadataOptions(httpTokens: "optional", httpPutResponseHopLimit: 3)),
            LaunchConfiguration(name: "one", imageId: "ami-web", metadata: MetadataOptions(httpTokens: "required", httpPutResponseHopLimit: 1)),
            LaunchConfiguration(name: "nodes", imageId: "ami-eks", metadata: MetadataOptions(httpTokens: "required", httpPutResponseHopLimit: 2)),
            LaunchConfiguration(name: "off", imageId: "ami-web", metadata: MetadataOptions(httpEndpoint: "disabled", httpPutResponseHopLimit: 4)),
            LaunchConfiguration(name: "unset", imageId: "ami-web"),
        ]
        region.images = images
        let findings = evaluate(AccountInventory(accountId: account, regional: [region])).findings
            .filter { $0.check == "autoscaling.launch_configuration_imds_hop_limit" }
        func finding(_ name: String) -> Finding? { findings.first { $0.resource.hasSuffix("/\(name)") } }
        let v2 = try #require(finding("web-v2"))
        #expect(v2.status == .fail && v2.severity == .medium)
        #expect(v2.resource == withArn.arn, "the ARN DescribeLaunchConfigurations returns")
        #expect(v2.message.contains("HttpPutResponseHopLimit 2"))
        #expect(finding("web-v1")?.status == .fail && finding("web-v1")?.severity == .low, "IMDSv1 is the larger hole")
        #expect(finding("web-v1")?.resource == "arn:aws:autoscaling:eu-west-1:111122223333:launchConfiguration:*:launchConfigurationName/web-v1")
        #expect(finding("one")?.status == .pass)
        #expect(finding("nodes")?.status == .pass, "container host: EKS AMI")
        #expect(finding("off")?.status == .pass)
        #expect(finding("unset") == nil, "no MetadataOptions: nothing to judge")
        #expect(Catalog.details[Catalog.launchConfigurationHopLimit.id]?.compliance.contains { $0.control == "AutoScaling.4" } == true)
    }

    @Test func detectiveControlsAndGuardrails() {
        var east = RegionInventory(region: "us-east-1")
        east.trails = [Trail(name: "t", arn: "arn:trail", homeRegion: "us-east-1", multiRegion: true, logging: false)]
        east.guardDuty = ServiceState(enabled: true)
        east.securityHub = ServiceState(enabled: false)
        var inventory = AccountInventory(accountId: account, regional: [east], guardrails: GuardrailInventory(budgets: 1))
        var evaluation = evaluate(inventory)
        #expect(failing(evaluation, "cloudtrail.no_multi_region_trail").count == 1)
        #expect(failing(evaluation, "guardduty.disabled").isEmpty)
        #expect(failing(evaluation, "securityhub.disabled").count == 1)
        // Budgets on, CloudTrail off, the rest unknown: unknown never counts as on.
        let guardrail = failing(evaluation, "account.cost_guardrails")
        #expect(guardrail.count == 1)
        #expect(guardrail.first?.message.contains("Unknown (could not be read): Trusted Advisor, Cost Anomaly Detection") == true)
        inventory.regional[0].trails?[0].logging = true
        inventory.guardrails.anomalyMonitors = 0
        evaluation = evaluate(inventory)
        #expect(failing(evaluation, "cloudtrail.no_multi_region_trail").isEmpty)
        #expect(failing(evaluation, "account.cost_guardrails").isEmpty)  // Budgets + CloudTrail
    }

    @Test func muteRulesNeedEveryFieldToMatch() throws {
        let config = try MamoriConfig.parse("""
            mute:
              - check: iam.console_without_mfa
                resource: "arn:aws:iam::*:user/break-glass"
                reason: break-glass user, hardware MFA kept in the safe
            """)
        let users = [IAMUser(name: "break-glass", arn: "arn:aws:iam::111122223333:user/break-glass", passwordEnabled: true, passwordLastUsed: Self.ago(1)),
                     IAMUser(name: "alice", arn: "arn:aws:iam::111122223333:user/alice", passwordEnabled: true, passwordLastUsed: Self.ago(1))]
        let evaluation = evaluate(iamAccount(users: users), config: config)
        #expect(evaluation.muted.map(\.finding.resource) == ["arn:aws:iam::111122223333:user/break-glass"])
        #expect(evaluation.muted.first?.reason == "break-glass user, hardware MFA kept in the safe")
        #expect(failing(evaluation, "iam.console_without_mfa").map(\.resource) == ["arn:aws:iam::111122223333:user/alice"])
    }

    @Test func configErrorsNameTheProblem() {
        let cases: [(String, String)] = [
            ("thresholds:\n  access_key_max_age_days: -3\n", "positive"),
            ("thresholds:\n  access_key_max_age_days: ninety\n", "access_key_max_age_days"),
            ("trust: [\"12345\"]\n", "12-digit"),
            ("mute:\n  - check: x\n    reason: \"\"\n", "reason"),
            ("surprise: true\n", "unknown section 'surprise'"),
            ("- a list\n", "mapping"),
            ("trust:\n  organisation: true\n", "unknown key 'organisation'"),
            ("trust:\n  ous: [ou-prod]\n", "organizational unit ID"),
            ("trust:\n  accounts: [\"12345\"]\n", "12-digit"),
            ("thresholds: [\n", "config file"),
        ]
        for (text, phrase) in cases {
            #expect { _ = try MamoriConfig.parse(text) } throws: { "\($0)".contains(phrase) }
        }
    }

    @Test func trustSectionListOrMapping() throws {
        let list = try MamoriConfig.parse("trust: [\"111122223333\"]\n")
        #expect(list.trust == ["111122223333"])
        #expect(!list.wantsOrganizationTrust)
        let mapping = try MamoriConfig.parse("""
            trust:
              accounts: ["111122223333"]
              organization: true
              ous: [ou-ab12-34cd56ef]
            """)
        #expect(mapping.trust == ["111122223333"])
        #expect(mapping.trustOrganization)
        #expect(mapping.trustOUs == ["ou-ab12-34cd56ef"])
        #expect(try MamoriConfig.parse("trust:\n  ous: [ou-ab12-34cd56ef]\n").wantsOrganizationTrust)
        // Encoding keeps the mapping form, so it reads back the same.
        let encoded = try YAMLEncoder().encode(mapping)
        let again = try MamoriConfig.parse(encoded)
        #expect(again.trustOrganization && again.trustOUs == mapping.trustOUs && again.trust == mapping.trust)
    }

    @Test func globMatching() {
        #expect(Glob.matches("arn:aws:s3:::public-*", "arn:aws:s3:::public-site"))
        #expect(!Glob.matches("arn:aws:s3:::public-*", "arn:aws:s3:::private"))
        #expect(Glob.matches("*", ""))
        #expect(Glob.matches("a?c", "abc"))
        #expect(!Glob.matches("a?c", "ac"))
    }

    @Test func credentialReportParsingByHeaderName() throws {
        // Columns as AWS documents them; the root row carries "not_supported" for password fields.
        let csv = """
            user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
            <root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,2026-05-20T10:00:00+00:00,not_supported,not_supported,false,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
            alice,arn:aws:iam::111122223333:user/alice,2024-01-01T00:00:00+00:00,true,no_information,2024-01-02T00:00:00+00:00,N/A,false,true,2024-01-03T00:00:00+00:00,2026-05-30T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
            """
        let report = try IAMCollector.parseReport(csv, generated: nil)
        let alice = try #require(report.users["alice"])
        #expect(alice.passwordEnabled)
        #expect(alice.passwordLastUsed == nil)
        #expect(alice.keys.count == 1)
        #expect(alice.keys[0].lastUsedService == "s3")
        let root = try #require(report.root)
        #expect(root.accessKeys.first?.active == true)
        #expect(!root.mfaActive)
        #expect(root.passwordLastUsed != nil)
        #expect(throws: (any Error).self) { try IAMCollector.parseReport("garbage", generated: nil) }
    }

    @Test func terminalReportShowsMutedAndUnreadableParts() {
        var inventory = iamAccount(users: [IAMUser(name: "a", arn: "arn:a", passwordEnabled: true, passwordLastUsed: Self.ago(1))])
        inventory.errors = [CollectionError(kind: .accessDenied, service: "s3", operation: "ListBuckets", region: "us-east-1", message: "AccessDenied")]
        let evaluation = evaluate(inventory)
        let text = TerminalReport(color: false).render(evaluation, findings: evaluation.failures)
        #expect(text.contains("iam.console_without_mfa"))
        #expect(text.contains("Partial scan: 1 part(s) could not be read"))
        #expect(text.contains("[access-denied]"))
        #expect(!text.contains("\u{1B}["))
        #expect(TerminalReport(color: true).render(evaluation, findings: evaluation.failures).contains("\u{1B}[31m"))
    }
}

/// `secrets.key_in_cloud_resource` on hand-built inventories.
struct CloudKeyCheckTests {
    let account = "111122223333"

    func evaluate(_ hits: [CloudKeyHit], organization: [String]? = nil) -> [Finding] {
        var region = RegionInventory(region: "us-east-1")
        region.cloudKeys = CloudKeyInventory(hits: hits, resourcesScanned: ["Lambda function environments": 3], apiCalls: 2)
        var inventory = AccountInventory(accountId: account, regional: [region])
        inventory.organizationTrust = organization.map { OrganizationTrust(source: "scan --org", accounts: $0) }
        return Evaluator.evaluate(Inventory(collectedAt: CheckTests.now, accounts: [inventory]))
            .findings.filter { $0.check == "secrets.key_in_cloud_resource" }
    }

    func hit(_ resource: String, account: String?, field: String = "Environment.Variables.KEY", canary: String? = nil) -> CloudKeyHit {
        CloudKeyHit(resource: resource, resourceType: "AwsLambdaFunction", field: field, type: account == nil ? "aws-secret-access-key" : "aws-access-key-id",
                    keyId: account == nil ? nil : "AKIA…WXYZ", fingerprint: "f", account: account, canaryService: canary)
    }

    @Test func severityFollowsWhoseKeyItIs() throws {
        let findings = evaluate([hit("arn:own", account: account), hit("arn:org", account: "444455556666"),
                                 hit("arn:foreign", account: "999988887777"), hit("arn:lone", account: nil),
                                 hit("arn:canary", account: "052310077262", canary: "Thinkst canarytokens.org")], organization: ["444455556666"])
        let by = Dictionary(uniqueKeysWithValues: findings.map { ($0.resource, $0) })
        #expect(by["arn:own"]?.severity == .critical)
        #expect(by["arn:org"]?.severity == .critical)
        #expect(by["arn:org"]?.message.contains("in this organisation") == true)
        #expect(by["arn:foreign"]?.severity == .high)
        #expect(by["arn:foreign"]?.message.contains("high, not critical") == true)
        #expect(by["arn:lone"]?.severity == .high)
        #expect(by["arn:lone"]?.message.contains("account unknown") == true)
        #expect(by["arn:canary"]?.message.contains("canary") == true)
        let own = try #require(by["arn:own"])
        #expect(own.message.contains("field Environment.Variables.KEY: AKIA…WXYZ (account 111122223333, this account)"))
        #expect(own.resourceType == "AwsLambdaFunction" && own.status == .fail)
        // Without organisation trust, the organisation's key is just another account's.
        #expect(evaluate([hit("arn:org", account: "444455556666")]).first?.severity == .high)
    }

    @Test func oneFindingPerResourceWorstKeyWins() {
        let findings = evaluate([hit("arn:fn", account: "999988887777", field: "A"), hit("arn:fn", account: account, field: "B")])
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .critical)
        #expect(findings.first?.message.contains("2 AWS keys") == true)
    }

    @Test func messagesNameTheResourceShortly() {
        #expect(CloudKeyChecks.name("arn:aws:lambda:us-east-1:1:function:uploader", type: "AwsLambdaFunction") == "Lambda function uploader")
        #expect(CloudKeyChecks.name("arn:aws:cloudformation:us-east-1:1:stack/deploy/0a1b-2c", type: "AwsCloudFormationStack") == "CloudFormation stack deploy")
        #expect(CloudKeyChecks.name("arn:aws:ecs:us-east-1:1:task-definition/worker:3", type: "AwsEcsTaskDefinition") == "ECS task definition worker:3")
        #expect(CloudKeyChecks.name("arn:aws:ssm:us-east-1:1:parameter/app/key", type: "AwsSsmParameter") == "SSM parameter /app/key")
        #expect(CloudKeyChecks.name("arn:aws:autoscaling:us-east-1:1:launchConfiguration:uuid:launchConfigurationName/legacy",
                                    type: "AwsAutoScalingLaunchConfiguration") == "Launch configuration legacy")
        #expect(CloudKeyChecks.name("arn:aws:ec2:us-east-1:1:instance/i-1", type: "AwsEc2Instance") == "Instance i-1")
        #expect(CloudKeyChecks.name("project-name", type: "AwsCodeBuildProject") == "CodeBuild project project-name")
    }

    @Test func cleanRegionPasses() {
        let findings = evaluate([])
        #expect(findings.count == 1 && findings.first?.status == .pass)
        #expect(findings.first?.message.contains("3 resource(s)") == true)
    }
}
