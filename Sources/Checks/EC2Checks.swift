import Foundation
import Inventory
import MamoriCore

/// IMDSv2 enforcement on instances, launch templates and the regional default.
enum EC2Checks {
    static func evaluate(_ region: RegionInventory, account: String) -> [Finding] {
        var findings: [Finding] = []
        let defaultRequires = region.imdsDefaults.map { $0.httpTokens == "required" }
        for instance in region.instances ?? [] where !["terminated", "shutting-down"].contains(instance.state) {
            let arn = "arn:aws:ec2:\(region.region):\(account):instance/\(instance.id)"
            let tokens = instance.metadata.httpTokens ?? "optional"
            if instance.metadata.httpEndpoint == "disabled" {
                findings.append(Catalog.instanceIMDSv1.finding(.pass, account: account, region: region.region, resource: arn,
                                                               message: "Instance \(instance.id) has the metadata endpoint disabled."))
            } else {
                findings.append(tokens == "required"
                    ? Catalog.instanceIMDSv1.finding(.pass, account: account, region: region.region, resource: arn, message: "Instance \(instance.id) requires IMDSv2.")
                    : Catalog.instanceIMDSv1.finding(.fail, account: account, region: region.region, resource: arn,
                        message: "Instance \(instance.id) (\(instance.state)) accepts IMDSv1: HttpTokens is \(tokens) with the metadata endpoint enabled."))
            }
        }
        for template in region.launchTemplates ?? [] {
            let arn = "arn:aws:ec2:\(region.region):\(account):launch-template/\(template.id)"
            let version = template.defaultVersion.map { "default version \($0)" } ?? "default version"
            guard let metadata = template.metadata else {
                findings.append(Catalog.templateIMDSv1.finding(.fail, account: account, region: region.region, resource: arn,
                    message: "Launch template \(template.name): the \(version) could not be read, so IMDSv2 enforcement is unknown.", severity: .low))
                continue
            }
            if metadata.httpEndpoint == "disabled" || metadata.httpTokens == "required" {
                findings.append(Catalog.templateIMDSv1.finding(.pass, account: account, region: region.region, resource: arn,
                                                               message: "Launch template \(template.name) \(version) requires IMDSv2 or disables the endpoint."))
            } else if metadata.httpTokens == nil, defaultRequires == true {
                findings.append(Catalog.templateIMDSv1.finding(.pass, account: account, region: region.region, resource: arn,
                    message: "Launch template \(template.name) \(version) sets no HttpTokens; the region default requires IMDSv2."))
            } else {
                let why = metadata.httpTokens.map { "sets HttpTokens=\($0)" }
                    ?? (defaultRequires == nil ? "sets no HttpTokens and the region default is unknown" : "sets no HttpTokens and the region default does not require IMDSv2")
                findings.append(Catalog.templateIMDSv1.finding(.fail, account: account, region: region.region, resource: arn,
                                                               message: "Launch template \(template.name) \(version) \(why)."))
            }
        }
        if let defaults = region.imdsDefaults {
            let resource = "arn:aws:ec2:\(region.region):\(account):instance-metadata-defaults"
            findings.append(defaults.httpTokens == "required"
                ? Catalog.imdsDefault.finding(.pass, account: account, region: region.region, resource: resource, message: "New instances in \(region.region) require IMDSv2 by default.")
                : Catalog.imdsDefault.finding(.fail, account: account, region: region.region, resource: resource,
                    message: "The account default in \(region.region) does not require IMDSv2 (HttpTokens \(defaults.httpTokens ?? "not set")).",
                    resourceType: "AwsAccount"))
        }
        return findings
    }
}
