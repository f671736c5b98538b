import Foundation
import Inventory
import MamoriCore

/// `secrets.key_in_cloud_resource`: AWS keys found inside resources (user data, environments,
/// parameters, stack outputs). One finding per resource, naming every field, redacted key ID and
/// decoded account found in it; the worst key decides the severity.
enum CloudKeyChecks {
    static func evaluate(_ region: RegionInventory, account: String, context: CheckContext) -> [Finding] {
        guard let keys = region.cloudKeys else { return [] }
        let check = Catalog.keyInCloudResource
        guard !keys.hits.isEmpty else {
            return [check.finding(.pass, account: account, region: region.region, resource: Partition(region: region.region).rootARN(account: account),
                                  message: "No AWS keys found in \(keys.resourceCount) resource(s) in \(region.region) "
                                      + "(\(keys.apiCalls) API call(s)).", resourceType: "AwsAccount")]
        }
        let byResource = Dictionary(grouping: keys.hits, by: \.resource)
        return byResource.keys.sorted().map { resource in
            let hits = byResource[resource] ?? []
            let ours = hits.contains { isOurs($0, account: account, context: context) }
            let described = hits.map { describe($0, account: account, context: context) }
            var message = "\(name(resource, type: hits[0].resourceType)) holds \(hits.count == 1 ? "an AWS key" : "\(hits.count) AWS keys"): "
                + described.joined(separator: "; ") + "."
            message += ours
                ? " A key of this account or its organisation is readable by anyone who can read this resource."
                : " No key belongs to this account or its known organisation (high, not critical): still a credential someone can use."
            return check.finding(.fail, account: account, region: region.region, resource: resource, message: message,
                                 severity: ours ? .critical : .high, resourceType: hits[0].resourceType)
        }
    }

    /// "Lambda function demo-uploader": the resource column carries the full ARN.
    static func name(_ resource: String, type: String) -> String {
        let kind = ["AwsEc2Instance": "Instance", "AwsEc2LaunchTemplate": "Launch template",
                    "AwsAutoScalingLaunchConfiguration": "Launch configuration", "AwsLambdaFunction": "Lambda function",
                    "AwsEcsTaskDefinition": "ECS task definition", "AwsCloudFormationStack": "CloudFormation stack",
                    "AwsSsmParameter": "SSM parameter", "AwsCodeBuildProject": "CodeBuild project"][type] ?? "Resource"
        let parts = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return "\(kind) \(resource)" }
        var tail = String(parts[5])
        switch type {
        case "AwsCloudFormationStack": tail = tail.split(separator: "/").dropFirst().first.map(String.init) ?? tail   // stack/NAME/uuid
        case "AwsSsmParameter": tail = String(tail.dropFirst("parameter".count))                                    // parameter/a/b → /a/b
        default:
            if let cut = tail.lastIndex(where: { $0 == "/" || $0 == ":" }), type != "AwsEcsTaskDefinition" { tail = String(tail[tail.index(after: cut)...]) }
            else if type == "AwsEcsTaskDefinition" { tail = tail.split(separator: "/").last.map(String.init) ?? tail }   // task-definition/family:rev
        }
        return "\(kind) \(tail)"
    }

    static func isOurs(_ hit: CloudKeyHit, account: String, context: CheckContext) -> Bool {
        guard let owner = hit.account else { return false }
        return owner == account || context.organizationAccounts.contains(owner)
    }

    /// "field UserData: AKIA…WXYZ (account 123456789012, this account, with its secret)"; never the secret.
    static func describe(_ hit: CloudKeyHit, account: String, context: CheckContext) -> String {
        var notes: [String] = []
        if let owner = hit.account {
            var whose = "account \(owner)"
            if owner == account { whose += ", this account" }
            else if context.organizationAccounts.contains(owner) { whose += ", in this organisation" }
            else if let name = hit.accountOwner { whose += ", \(name)" }
            else { whose += ", outside this account and its known organisation" }
            notes.append(whose)
        }
        if let canary = hit.canaryService { notes.append("a canary key of \(canary): do not use it, it alerts its owner") }
        if hit.paired { notes.append("with its secret access key") }
        if hit.type == "aws-temporary-access-key-id" { notes.append("temporary (STS) key") }
        let key = hit.keyId ?? "a secret access key without its key ID (account unknown)"
        return "field \(hit.field): \(key)" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))")
    }
}
