import Foundation
import Testing
@testable import SigmaEngine

/// The shipped rules of rules/cloudtrail/: each with CloudTrail events in the shapes AWS writes
/// that must alert, and a near miss that must not.
@Suite struct HuntRuleTests {
    static let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let t0 = Date(timeIntervalSince1970: 1_760_000_000)

    static let user = #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/dev","accountId":"111122223333","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"dev"}"#
    static let tempUser = #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/dev","accountId":"111122223333","accessKeyId":"ASIAIOSFODNN7EXAMPLE","userName":"dev"}"#
    static func instanceRole(_ session: String) -> String {
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:\#(session)","arn":"arn:aws:sts::111122223333:assumed-role/app-role/\#(session)","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/app-role","userName":"app-role"}}}"#
    }

    /// A CloudTrail record with the usual top-level fields.
    static func ct(_ name: String, _ source: String, identity: String = user, params: String = "null",
                   ip: String = "203.0.113.9", region: String = "us-east-1", extra: String = "") -> String {
        #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"2025-10-09T08:53:20Z","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"\#(region)","sourceIPAddress":"\#(ip)","userAgent":"aws-cli/2.17.0","requestParameters":\#(params),"responseElements":null,"requestID":"r","eventID":"e","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"\#(extra)}"#
    }

    static let ruleSet: HuntRuleSet = try! HuntRules.builtIn()

    /// Titles of the hits over `events` (one second apart).
    func titles(_ events: [String]) throws -> [String] {
        var m = HuntMatcher(Self.ruleSet)
        var hits: [RuleHit] = []
        for (i, json) in events.enumerated() {
            hits += m.feed(record: try CloudTrailRecord.parse(Array(json.utf8)), time: Self.t0.addingTimeInterval(Double(i)), eventID: "e\(i)")
        }
        return (hits + m.finish()).map(\.title)
    }

    @Test func builtInTextsAreTheFiles() throws {
        let dir = Self.repo.appendingPathComponent(HuntRules.builtInDirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(BuiltInHuntRules.files.map(\.0) == names, "run scripts/gen-builtin-hunt-rules.py")
        for (name, text) in BuiltInHuntRules.files {
            #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == text, "\(name): run scripts/gen-builtin-hunt-rules.py")
        }
        #expect { try HuntRules.load(paths: [dir.path], includeBuiltIn: true) } throws: { "\($0)".contains("also used by a rule in rules/cloudtrail/") }
        let fromFiles = try HuntRules.load(paths: [dir.path])
        #expect(fromFiles.rules.count == Self.ruleSet.rules.count)
        #expect(fromFiles.correlations.count == Self.ruleSet.correlations.count)
    }

    static let byName = #"{"executableSet":{},"imagesSet":{},"ownersSet":{},"availabilityZone":"","filterSet":{"items":[{"name":"name","valueSet":{"items":[{"value":"ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"}]}},{"name":"architecture","valueSet":{"items":[{"value":"x86_64"}]}}]},"includeDeprecated":false,"includeDisabled":false}"#
    static let run = #"{"instancesSet":{"items":[{"imageId":"ami-0abcdef1234567890","minCount":1,"maxCount":1}]},"instanceType":"t3.micro","disableApiTermination":false,"monitoring":{"enabled":false}}"#
    static let whoAMI = "AMI Looked Up By Name Without Owner Then Launched (whoAMI)"

    @Test func whoAMI() throws {
        let describe = Self.ct("DescribeImages", "ec2.amazonaws.com", params: Self.byName)
        let launch = Self.ct("RunInstances", "ec2.amazonaws.com", params: Self.run)
        #expect(try titles([describe, launch]) == [Self.whoAMI])
        // Near misses: an owner given (ownersSet, owner-alias filter), launch first, another identity, a failed launch.
        let owned = Self.byName.replacingOccurrences(of: #""ownersSet":{}"#, with: #""ownersSet":{"items":[{"owner":"099720109477"}]}"#)
        #expect(try titles([Self.ct("DescribeImages", "ec2.amazonaws.com", params: owned), launch]).isEmpty)
        let alias = Self.byName.replacingOccurrences(of: #"{"name":"architecture""#, with: #"{"name":"owner-alias","valueSet":{"items":[{"value":"amazon"}]}},{"name":"architecture""#)
        #expect(try titles([Self.ct("DescribeImages", "ec2.amazonaws.com", params: alias), launch]).isEmpty)
        #expect(try titles([launch, describe]).isEmpty)
        #expect(try titles([describe, Self.ct("RunInstances", "ec2.amazonaws.com", identity: Self.instanceRole("ci"), params: Self.run)]).isEmpty)
        #expect(try titles([describe, Self.ct("RunInstances", "ec2.amazonaws.com", params: Self.run, extra: #","errorCode":"UnauthorizedOperation""#)]).isEmpty)
    }

    @Test func hitsCarryTagsAndDescription() throws {
        var m = HuntMatcher(Self.ruleSet)
        let describe = Self.ct("DescribeImages", "ec2.amazonaws.com", params: Self.byName)
        let launch = Self.ct("RunInstances", "ec2.amazonaws.com", params: Self.run)
        _ = m.feed(record: try CloudTrailRecord.parse(Array(describe.utf8)), time: Self.t0, eventID: "d")
        let hits = m.feed(record: try CloudTrailRecord.parse(Array(launch.utf8)), time: Self.t0.addingTimeInterval(5), eventID: "r")
        #expect(hits.first?.tags.contains("attack.t1525") == true)
        #expect(hits.first?.description.contains("whoAMI") == true)
        #expect(hits.first?.kind == .temporalOrdered)
        #expect(hits.first?.groupBy == ["userIdentity.arn": "arn:aws:iam::111122223333:user/dev"])
        // The launched AMI is readable from the hit's RunInstances event.
        #expect(hits.first?.events.last?.record.text(["requestParameters.instancesSet.items.0.imageId"]) == "ami-0abcdef1234567890")
        let stop = Self.ct("StopLogging", "cloudtrail.amazonaws.com", identity: Self.tempUser)
        let single = m.feed(record: try CloudTrailRecord.parse(Array(stop.utf8)), time: Self.t0.addingTimeInterval(6), eventID: "s")
        #expect(single.first?.tags.contains("attack.t1562.008") == true)
    }

    @Test func quarantineAttachedAndDetached() throws {
        let p = #"{"userName":"dev","policyArn":"arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"}"#
        #expect(try titles([Self.ct("AttachUserPolicy", "iam.amazonaws.com", params: p)]) == ["AWS Compromised Key Quarantine Policy Attached"])
        #expect(try titles([Self.ct("DetachUserPolicy", "iam.amazonaws.com", params: p)]) == ["AWS Compromised Key Quarantine Policy Removed"])
        let other = #"{"userName":"dev","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#
        #expect(try titles([Self.ct("AttachUserPolicy", "iam.amazonaws.com", params: other)]).isEmpty)
    }

    @Test func sharedOut() throws {
        let pub = #"{"imageId":"ami-0abcdef1234567890","launchPermission":{"add":{"items":[{"group":"all"}]}},"attributeType":"launchPermission"}"#
        let acct = #"{"snapshotId":"snap-0abc","createVolumePermission":{"add":{"items":[{"userId":"444455556666"}]}},"attributeType":"CREATE_VOLUME_PERMISSION"}"#
        let rdsPub = #"{"dBSnapshotIdentifier":"db-snap","attributeName":"restore","valuesToAdd":["all"]}"#
        let rdsAcct = #"{"dBClusterSnapshotIdentifier":"c-snap","attributeName":"restore","valuesToAdd":["444455556666"]}"#
        #expect(try titles([Self.ct("ModifyImageAttribute", "ec2.amazonaws.com", params: pub)]) == ["AMI Or Snapshot Made Public"])
        #expect(try titles([Self.ct("ModifySnapshotAttribute", "ec2.amazonaws.com", params: acct)]) == ["AMI Or Snapshot Shared With An Account"])
        #expect(try titles([Self.ct("ModifyDBSnapshotAttribute", "rds.amazonaws.com", params: rdsPub)]) == ["AMI Or Snapshot Made Public"])
        #expect(try titles([Self.ct("ModifyDBClusterSnapshotAttribute", "rds.amazonaws.com", params: rdsAcct)]) == ["AMI Or Snapshot Shared With An Account"])
        #expect(CloudTrailRecord.shareTargets(try CloudTrailRecord.parse(Array(Self.ct("ModifyImageAttribute", "ec2.amazonaws.com", params: pub).utf8))) == ["all"])
        #expect(CloudTrailRecord.shareTargets(try CloudTrailRecord.parse(Array(Self.ct("ModifySnapshotAttribute", "ec2.amazonaws.com", params: acct).utf8))) == ["444455556666"])
        #expect(CloudTrailRecord.shareTargets(try CloudTrailRecord.parse(Array(Self.ct("ModifyDBClusterSnapshotAttribute", "rds.amazonaws.com", params: rdsAcct).utf8))) == ["444455556666"])
        #expect(CloudTrailRecord.shareTargets(try CloudTrailRecord.parse(Array(Self.ct("ModifyImageAttribute", "ec2.amazonaws.com", params: #"{"imageId":"ami-1","launchPermission":{"add":{"items":[{"organizationArn":"arn:aws:organizations::1:organization/o-1"},{"userId":"444455556666"}]}}}"#).utf8))) == ["444455556666"])
        // Near misses: a removal, and the account sharing refused.
        let remove = #"{"imageId":"ami-1","launchPermission":{"remove":{"items":[{"group":"all"}]}},"attributeType":"launchPermission"}"#
        #expect(try titles([Self.ct("ModifyImageAttribute", "ec2.amazonaws.com", params: remove)]).isEmpty)
        #expect(try titles([Self.ct("ModifySnapshotAttribute", "ec2.amazonaws.com", params: acct, extra: #","errorCode":"InvalidSnapshot.NotFound""#)]).isEmpty)
    }

    @Test func instanceCredentialsOutsideEC2() throws {
        let stolen = Self.ct("ListBuckets", "s3.amazonaws.com", identity: Self.instanceRole("i-0123456789abcdef0"), ip: "198.51.100.7")
        #expect(try titles([stolen]) == ["EC2 Instance Credentials Used Outside EC2"])
        // Near misses: a session not named after an instance, an AWS service calling, a VPC endpoint.
        #expect(try titles([Self.ct("ListBuckets", "s3.amazonaws.com", identity: Self.instanceRole("i-am-a-human"), ip: "198.51.100.7")]).isEmpty)
        #expect(try titles([Self.ct("ListBuckets", "s3.amazonaws.com", identity: Self.instanceRole("i-0123456789abcdef0"), ip: "ec2.amazonaws.com")]).isEmpty)
        #expect(try titles([Self.ct("ListBuckets", "s3.amazonaws.com", identity: Self.instanceRole("i-0123456789abcdef0"), ip: "10.0.0.5", extra: #","vpcEndpointId":"vpce-1""#)]).isEmpty)
    }

    @Test func exposedKeyActivity() throws {
        let who = Self.ct("GetCallerIdentity", "sts.amazonaws.com")
        #expect(try titles([who, Self.ct("CreateUser", "iam.amazonaws.com", params: #"{"userName":"backup"}"#)]) == ["Long-Term Key Checks Itself Then Creates Users Or Keys"])
        #expect(try titles([who, Self.ct("RunInstances", "ec2.amazonaws.com", params: Self.run)]) == ["Long-Term Key Checks Itself Then Launches Instances"])
        let regions = ["us-east-1", "eu-west-1", "ap-south-1"].map { Self.ct("RunInstances", "ec2.amazonaws.com", params: Self.run, region: $0) }
        #expect(try titles(regions) == ["Long-Term Key Launches Instances In Many Regions"])
        let discovery = ["ListUsers", "ListRoles", "ListGroups", "ListPolicies", "ListAccessKeys", "GetAccountAuthorizationDetails",
                         "ListBuckets", "DescribeInstances", "DescribeRegions", "ListSecrets"].map { Self.ct($0, "iam.amazonaws.com") }
        #expect(try titles(discovery) == ["Long-Term Key Enumerates The Account"])
        let denied = Array(repeating: Self.ct("ListUsers2", "iam.amazonaws.com", extra: #","errorCode":"AccessDenied""#), count: 20)
        #expect(try titles(denied) == ["Long-Term Key Denied Repeatedly"])
        let ips = ["198.51.100.1", "198.51.100.2", "198.51.100.3"].map { Self.ct("GetUser", "iam.amazonaws.com", ip: $0) }
        #expect(try titles(ips) == ["Long-Term Key Used From Several Addresses"])
        #expect(try titles([Self.ct("GetCostAndUsage", "ce.amazonaws.com")]) == ["Long-Term Key Touches Billing"])
        // Near misses: temporary (ASIA) credentials; persistence without the identity check; nine discovery APIs.
        #expect(try titles([Self.ct("GetCallerIdentity", "sts.amazonaws.com", identity: Self.tempUser),
                            Self.ct("CreateUser", "iam.amazonaws.com", identity: Self.tempUser)]).isEmpty)
        #expect(try titles([Self.ct("CreateUser", "iam.amazonaws.com")]).isEmpty)
        #expect(try titles(Array(discovery.prefix(9))).isEmpty)
        #expect(try titles(Array(denied.prefix(19))).isEmpty)
        #expect(try titles([Self.ct("GetCostAndUsage", "ce.amazonaws.com", identity: Self.tempUser)]).isEmpty)
    }

    /// After Allowed AMIs is enabled: launches that failed on an image that is not available. The exact
    /// error code of a launch blocked by Allowed AMIs is not documented; the rule takes EC2's codes for an
    /// unusable image and a message naming the feature.
    @Test func launchBlockedByAllowedAMIs() throws {
        let title = "EC2 Launch Failed On An Image That Is Not Available (Possibly Blocked By Allowed AMIs)"
        func failed(_ code: String, _ message: String) -> String {
            Self.ct("RunInstances", "ec2.amazonaws.com", identity: Self.tempUser, params: Self.run,
                    extra: #","errorCode":"\#(code)","errorMessage":"\#(message)""#)
        }
        #expect(try titles([failed("InvalidAMIID.NotFound", "The image id '[ami-0abcdef1234567890]' does not exist")]) == [title])
        #expect(try titles([failed("InvalidAMIID.Unavailable", "The image ID 'ami-0abcdef1234567890' is no longer available")]) == [title])
        #expect(try titles([failed("AuthFailure", "Not authorized for images: [ami-0abcdef1234567890]")]) == [title])
        #expect(try titles([failed("InvalidParameterValue", "The AMI is not allowed by the Allowed AMIs settings of this account")]) == [title])
        // Near misses: a launch refused by IAM, an AuthFailure about something else, a successful launch, another call.
        #expect(try titles([failed("UnauthorizedOperation", "You are not authorized to perform this operation.")]).isEmpty)
        #expect(try titles([failed("AuthFailure", "AWS was not able to validate the provided access credentials")]).isEmpty)
        #expect(try titles([Self.ct("RunInstances", "ec2.amazonaws.com", identity: Self.tempUser, params: Self.run)]).isEmpty)
        #expect(try titles([Self.ct("CreateImage", "ec2.amazonaws.com", identity: Self.tempUser, params: "{}",
                                    extra: #","errorCode":"InvalidAMIID.NotFound","errorMessage":"x""#)]).isEmpty)
    }

    @Test func defenceEvasion() throws {
        let cases: [(String, String, String, String)] = [
            ("StopLogging", "cloudtrail.amazonaws.com", #"{"name":"main"}"#, "CloudTrail Logging Stopped Or Reduced"),
            ("DeleteTrail", "cloudtrail.amazonaws.com", #"{"name":"main"}"#, "CloudTrail Logging Stopped Or Reduced"),
            ("UpdateTrail", "cloudtrail.amazonaws.com", #"{"name":"main","isMultiRegionTrail":false}"#, "CloudTrail Logging Stopped Or Reduced"),
            ("DeleteDetector", "guardduty.amazonaws.com", #"{"detectorId":"d"}"#, "GuardDuty Or Security Hub Disabled"),
            ("DisassociateFromMasterAccount", "guardduty.amazonaws.com", #"{"detectorId":"d"}"#, "GuardDuty Or Security Hub Disabled"),
            ("UpdateDetector", "guardduty.amazonaws.com", #"{"detectorId":"d","enable":false}"#, "GuardDuty Or Security Hub Disabled"),
            ("DisableSecurityHub", "securityhub.amazonaws.com", "{}", "GuardDuty Or Security Hub Disabled"),
            ("DeleteBucketPublicAccessBlock", "s3.amazonaws.com", #"{"bucketName":"b","publicAccessBlock":""}"#, "S3 Block Public Access Removed Or Loosened"),
            ("PutBucketPublicAccessBlock", "s3.amazonaws.com", #"{"bucketName":"b","PublicAccessBlockConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","RestrictPublicBuckets":true,"BlockPublicPolicy":false,"BlockPublicAcls":true,"IgnorePublicAcls":true}}"#, "S3 Block Public Access Removed Or Loosened"),
            ("DisableAllowedImagesSettings", "ec2.amazonaws.com", #"{"DisableAllowedImagesSettingsRequest":""}"#, "EC2 Allowed AMIs Disabled Or Criteria Changed"),
            ("ReplaceImageCriteriaInAllowedImagesSettings", "ec2.amazonaws.com", "{}", "EC2 Allowed AMIs Disabled Or Criteria Changed"),
            ("ModifyInstanceMetadataOptions", "ec2.amazonaws.com", #"{"ModifyInstanceMetadataOptionsRequest":{"InstanceId":"i-0123456789abcdef0","HttpTokens":"optional"}}"#, "EC2 Metadata Service Set To Allow IMDSv1"),
            ("ModifyInstanceMetadataDefaults", "ec2.amazonaws.com", #"{"ModifyInstanceMetadataDefaultsRequest":{"HttpTokens":"optional"}}"#, "EC2 Metadata Service Set To Allow IMDSv1"),
        ]
        for (name, source, params, title) in cases {
            // Temporary credentials, so the exposed-key rules stay out of the way.
            #expect(try titles([Self.ct(name, source, identity: Self.tempUser, params: params)]) == [title], "\(name)")
        }
        let nearMisses: [(String, String, String)] = [
            ("StartLogging", "cloudtrail.amazonaws.com", #"{"name":"main"}"#),
            ("UpdateTrail", "cloudtrail.amazonaws.com", #"{"name":"main","isMultiRegionTrail":true}"#),
            ("UpdateDetector", "guardduty.amazonaws.com", #"{"detectorId":"d","enable":true}"#),
            ("PutBucketPublicAccessBlock", "s3.amazonaws.com", #"{"bucketName":"b","PublicAccessBlockConfiguration":{"RestrictPublicBuckets":true,"BlockPublicPolicy":true,"BlockPublicAcls":true,"IgnorePublicAcls":true}}"#),
            ("EnableAllowedImagesSettings", "ec2.amazonaws.com", #"{"AllowedImagesSettingsState":"enabled"}"#),
            ("ModifyInstanceMetadataOptions", "ec2.amazonaws.com", #"{"ModifyInstanceMetadataOptionsRequest":{"InstanceId":"i-0123456789abcdef0","HttpTokens":"required"}}"#),
        ]
        for (name, source, params) in nearMisses {
            #expect(try titles([Self.ct(name, source, identity: Self.tempUser, params: params)]).isEmpty, "\(name)")
        }
        #expect(try titles([Self.ct("StopLogging", "cloudtrail.amazonaws.com", identity: Self.tempUser, extra: #","errorCode":"AccessDenied""#)]).isEmpty)
    }
}
