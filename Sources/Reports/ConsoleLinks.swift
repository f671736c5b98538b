import Foundation
import MamoriCore

/// Links to the resource in the AWS console, from the finding's resource type, ARN and region.
/// Nil when there is no page for the resource (the report shows the ARN only). The console host is
/// the finding's partition's (China and GovCloud have their own consoles; `Finding.partition`).
public enum ConsoleLinks {
    public static func url(for finding: Finding, accounts: [String: Partition] = [:]) -> String? {
        let partition = finding.partition(accounts: accounts)
        let base = "https://\(partition.consoleHost)"
        let region = finding.region == "global" ? partition.globalRegion : finding.region
        let resource = finding.resource
        let id = resource.lastIndex(where: { $0 == "/" || $0 == ":" }).map { String(resource[resource.index(after: $0)...]) } ?? resource
        let escapedId = percentEncode(id, keep: "-._~!$'()*+,;=:@")
        let ec2 = "\(base)/ec2/home?region=\(region)#"
        switch finding.resourceType {
        case "AwsS3Bucket":
            // The commercial S3 console has its own host; the other partitions serve it under their console.
            let s3 = partition == .aws ? "https://s3.console.aws.amazon.com" : base
            return "\(s3)/s3/buckets/\(escapedId)?region=\(region)"
        case "AwsIamUser": return "\(base)/iam/home#/users/details/\(escapedId)"
        case "AwsIamRole": return "\(base)/iam/home#/roles/details/\(escapedId)"
        case "AwsIamGroup": return "\(base)/iam/home#/groups/details/\(escapedId)"
        case "AwsIamAccessKey": return "\(base)/iam/home#/users"
        case "AwsEc2Instance": return "\(ec2)InstanceDetails:instanceId=\(escapedId)"
        case "AwsEc2LaunchTemplate": return "\(ec2)LaunchTemplateDetails:launchTemplateId=\(escapedId)"
        case "AwsEc2Image": return "\(ec2)ImageDetails:imageId=\(escapedId)"
        case "AwsEc2Snapshot": return "\(ec2)SnapshotDetails:snapshotId=\(escapedId)"
        case "AwsAutoScalingLaunchConfiguration": return "\(ec2)LaunchConfigurations:"
        case "AwsAutoScalingAutoScalingGroup": return "\(ec2)AutoScalingGroupDetails:id=\(escapedId)"
        case "AwsRdsDbSnapshot": return "\(base)/rds/home?region=\(region)#snapshots-list:"
        case "AwsSnsTopic": return "\(base)/sns/v3/home?region=\(region)#/topic/\(escape(finding.resource))"
        case "AwsSqsQueue":
            let url = "https://sqs.\(region).\(partition.dnsSuffix)/\(finding.account)/\(id)"
            return "\(base)/sqs/v3/home?region=\(region)#/queues/\(escape(url))"
        case "AwsAccount": return accountPage(finding.check, region: region, base: base)
        default: return nil
        }
    }

    /// Account-wide findings point at the setting that fixes them.
    static func accountPage(_ check: String, region: String, base: String) -> String? {
        switch check {
        case let id where id.hasPrefix("iam.root"): "\(base)/iam/home#/security_credentials"
        case "cloudtrail.no_multi_region_trail": "\(base)/cloudtrail/home?region=\(region)#/trails"
        case "guardduty.disabled": "\(base)/guardduty/home?region=\(region)"
        case "securityhub.disabled": "\(base)/securityhub/home?region=\(region)"
        case "account.cost_guardrails": "\(base)/billing/home#/budgets"
        case "ec2.imds_default_not_required", "ec2.imds_v2_not_enforced", "ec2.allowed_amis_not_enabled",
             "ec2.image_block_public_access_off", "ec2.snapshot_block_public_access_off": "\(base)/ec2/home?region=\(region)#Settings:"
        default: nil
        }
    }

    static func escape(_ text: String) -> String { percentEncode(text, keep: "-._~") }

    /// Percent-encodes every byte but ASCII letters, digits and `keep`. Hand-rolled because
    /// Foundation's addingPercentEncoding costs seconds over 50,000 findings on Linux.
    static func percentEncode(_ text: String, keep: StaticString) -> String {
        var allowed = [Bool](repeating: false, count: 128)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { allowed[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { allowed[Int(byte)] = true }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { allowed[Int(byte)] = true }
        keep.withUTF8Buffer { for byte in $0 { allowed[Int(byte)] = true } }
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 128 && allowed[Int($0)] }) { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if byte < 128, allowed[Int(byte)] { out.append(byte) } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
