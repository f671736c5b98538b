import Foundation
import Inventory
import MamoriCore
import PolicyAnalysis

/// Public S3 buckets, SNS topics and SQS queues, decided by PolicyAnalysis.
enum ExposureChecks {
    static func buckets(_ s3: S3Inventory, account: String, partition: Partition = .aws) -> [Finding] {
        exposure(s3, account: account, partition: partition) + s3.buckets.compactMap { bucket in
            guard let ownership = bucket.objectOwnership else { return nil }
            let enforced = ownership == "BucketOwnerEnforced"
            return Catalog.bucketACLsEnabled.finding(enforced ? .pass : .fail, account: account, region: bucket.region ?? globalRegion,
                resource: (bucket.region.map { Partition(region: $0) } ?? partition).arn("s3", bucket.name),
                message: enforced ? "Bucket \(bucket.name) has ACLs disabled (BucketOwnerEnforced)."
                    : "Bucket \(bucket.name) still uses ACLs (Object Ownership \(ownership)\(bucket.grants.map { ", \($0.count) bucket ACL grant(s)" } ?? ""))."
                        + " Objects other accounts upload stay theirs, and ACLs can grant access its policy does not show.")
        }
    }

    static func exposure(_ s3: S3Inventory, account: String, partition: Partition) -> [Finding] {
        let accountBlock = s3.accountBlock.map(convert)
        return s3.buckets.map { bucket in
            let arn = (bucket.region.map { Partition(region: $0) } ?? partition).arn("s3", bucket.name)
            let region = bucket.region ?? globalRegion
            do {
                let verdict = try S3Exposure.evaluate(
                    bucket: bucket.name, policy: bucket.policy,
                    grants: (bucket.grants ?? []).map { ACLGrant(granteeType: $0.granteeType, granteeURI: $0.uri, granteeID: $0.id, permission: $0.permission) },
                    bucketBlock: bucket.block.map(convert), accountBlock: accountBlock, account: account)
                let status: FindingStatus = verdict.isPublic ? .fail : .pass
                var message = "Bucket \(bucket.name) is \(verdict.isPublic ? "public" : "not public"): \(verdict.reasons.joined(separator: " "))"
                if !verdict.isPublic, !bucket.complete { message += " (some settings could not be read; see the scan errors)" }
                return Catalog.publicBucket.finding(status, account: account, region: region, resource: arn, message: message)
            } catch {
                return Catalog.publicBucket.finding(.fail, account: account, region: region, resource: arn,
                    message: "Bucket \(bucket.name) has a policy Mamori cannot analyse (\(error)); treat it as possibly public.",
                    severity: .medium)
            }
        }
    }

    static func resourcePolicies(_ region: RegionInventory, account: String) -> [Finding] {
        var findings: [Finding] = []
        for topic in region.topics ?? [] {
            findings.append(policyFinding(Catalog.publicTopic, type: .sns, name: "Topic", resource: topic.arn, policy: topic.policy,
                                          account: account, region: region.region))
        }
        for queue in region.queues ?? [] {
            findings.append(policyFinding(Catalog.publicQueue, type: .sqs, name: "Queue", resource: queue.arn, policy: queue.policy,
                                          account: account, region: region.region))
        }
        return findings
    }

    static func policyFinding(_ check: CheckDefinition, type: PolicyResourceType, name: String, resource: String, policy: String?,
                              account: String, region: String) -> Finding {
        guard let policy, !policy.isEmpty else {
            return check.finding(.pass, account: account, region: region, resource: resource, message: "\(name) \(resource) has no access policy.")
        }
        do {
            let verdict = try PolicyAnalyzer.analyze(policy: policy, type: type, account: account)
            return check.finding(verdict.isPublic ? .fail : .pass, account: account, region: region, resource: resource,
                                 message: "\(name) \(resource) is \(verdict.isPublic ? "public" : "not public"): \(verdict.reasons.joined(separator: " "))")
        } catch {
            return check.finding(.fail, account: account, region: region, resource: resource,
                                 message: "\(name) \(resource) has a policy Mamori cannot analyse (\(error)); treat it as possibly public.",
                                 severity: .medium)
        }
    }

    static func convert(_ block: BlockSettings) -> BlockPublicAccess {
        BlockPublicAccess(blockPublicAcls: block.blockPublicAcls, ignorePublicAcls: block.ignorePublicAcls,
                          blockPublicPolicy: block.blockPublicPolicy, restrictPublicBuckets: block.restrictPublicBuckets)
    }
}
