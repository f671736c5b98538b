import Foundation
import Inventory
import MamoriCore

/// IMDSv2 enforcement and the token hop limit on instances, launch templates and the regional default.
enum EC2Checks {
    static func evaluate(_ region: RegionInventory, account: String) -> [Finding] {
        var findings: [Finding] = []
        let defaultRequires = region.imdsDefaults.map { $0.httpTokens == "required" }
        for instance in region.instances ?? [] where !["terminated", "shutting-down"].contains(instance.state) {
            let arn = regionalARN("ec2", region.region, account, "instance/\(instance.id)")
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
            let arn = regionalARN("ec2", region.region, account, "launch-template/\(template.id)")
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
        findings += hopLimits(region, account: account)
        if let defaults = region.imdsDefaults {
            let resource = regionalARN("ec2", region.region, account, "instance-metadata-defaults")
            findings.append(defaults.httpTokens == "required"
                ? Catalog.imdsDefault.finding(.pass, account: account, region: region.region, resource: resource, message: "New instances in \(region.region) require IMDSv2 by default.")
                : Catalog.imdsDefault.finding(.fail, account: account, region: region.region, resource: resource,
                    message: "The account default in \(region.region) does not require IMDSv2 (HttpTokens \(defaults.httpTokens ?? "not set")).",
                    resourceType: "AwsAccount"))
            findings.append(enforced(defaults, region: region, account: account, resource: resource))
        }
        return findings
    }

    /// `HttpTokensEnforced`: absent means no account-level preference, i.e. not enforced.
    static func enforced(_ defaults: IMDSDefaults, region: RegionInventory, account: String, resource: String) -> Finding {
        if defaults.httpTokensEnforced == "enabled" {
            return Catalog.imdsNotEnforced.finding(.pass, account: account, region: region.region, resource: resource,
                message: "EC2 in \(region.region) refuses launches and changes that would allow IMDSv1 (HttpTokensEnforced enabled).")
        }
        let v1 = (region.instances ?? []).filter { !["terminated", "shutting-down"].contains($0.state) && $0.metadata.httpEndpoint != "disabled"
            && $0.metadata.httpTokens != "required" }.count
        let evidence = v1 == 0 ? "" : " \(v1) instance(s) in the region accept IMDSv1 now, so launches still opt out."
        return Catalog.imdsNotEnforced.finding(.fail, account: account, region: region.region, resource: resource,
            message: "EC2 in \(region.region) does not enforce IMDSv2 (HttpTokensEnforced \(defaults.httpTokensEnforced ?? "not set")): a launch that asks for "
                + "HttpTokens=optional still gets IMDSv1\(defaults.httpTokens == "required" ? ", whatever the default says" : "").\(evidence)",
            severity: v1 == 0 ? .low : .medium, resourceType: "AwsAccount")
    }

    /// `HttpPutResponseHopLimit` above 1 outside container hosts. An unset limit (templates) is not
    /// judged: the instance then gets the AMI's or the account's default, which the instance finding shows.
    static func hopLimits(_ region: RegionInventory, account: String) -> [Finding] {
        var findings: [Finding] = []
        let r = region.region
        func imageMarker(_ imageId: String?) -> String? {
            ContainerHosts.marker(imageName: imageId.flatMap { region.images?.images[$0]?.name })
        }
        func judge(_ check: CheckDefinition, _ what: String, _ metadata: MetadataOptions, container: String?, resource: String) -> Finding? {
            guard let limit = metadata.httpPutResponseHopLimit else { return nil }
            if metadata.httpEndpoint == "disabled" {
                return check.finding(.pass, account: account, region: r, resource: resource, message: "\(what) has the metadata endpoint disabled.")
            }
            if limit <= 1 {
                return check.finding(.pass, account: account, region: r, resource: resource, message: "\(what) keeps the IMDSv2 token on the host (hop limit \(limit)).")
            }
            if let container {
                return check.finding(.pass, account: account, region: r, resource: resource,
                    message: "\(what) has hop limit \(limit) and runs containers (\(container)), which need it to reach IMDSv2.")
            }
            let v2 = metadata.httpTokens == "required"
            return check.finding(.fail, account: account, region: r, resource: resource,
                message: "\(what) has HttpPutResponseHopLimit \(limit) and shows no sign of running containers: the IMDSv2 token, and with it the "
                    + "role's credentials, reaches anything \(limit - 1) hop(s) beyond the instance."
                    + (v2 ? "" : " IMDSv1 is still accepted, which is the larger hole (the hop limit only governs the IMDSv2 token)."),
                severity: v2 ? .medium : .low)
        }
        for instance in region.instances ?? [] where !["terminated", "shutting-down"].contains(instance.state) {
            if let finding = judge(Catalog.instanceHopLimit, "Instance \(instance.id)", instance.metadata,
                                   container: instance.containerMarker ?? imageMarker(instance.imageId),
                                   resource: regionalARN("ec2", r, account, "instance/\(instance.id)")) {
                findings.append(finding)
            }
        }
        for template in region.launchTemplates ?? [] {
            guard let metadata = template.metadata else { continue }  // unreadable: the IMDSv2 check already says so
            let version = template.defaultVersion.map { "default version \($0)" } ?? "default version"
            if let finding = judge(Catalog.templateHopLimit, "Launch template \(template.name) \(version)", metadata,
                                   container: template.containerMarker ?? imageMarker(template.imageId),
                                   resource: regionalARN("ec2", r, account, "launch-template/\(template.id)")) {
                findings.append(finding)
            }
        }
        // Launch configurations (FSBP AutoScaling.4). One that sets no MetadataOptions is not judged: its
        // instances get the AMI's or the account's default, which the instance finding shows.
        for config in region.images?.launchConfigurations ?? [] {
            guard let metadata = config.metadata else { continue }
            if let finding = judge(Catalog.launchConfigurationHopLimit, "Launch configuration \(config.name)", metadata,
                                   container: imageMarker(config.imageId),
                                   resource: config.arn ?? regionalARN("autoscaling", r, account, "launchConfiguration:*:launchConfigurationName/\(config.name)")) {
                findings.append(finding)
            }
        }
        return findings
    }
}
