import Foundation
import Inventory
import MamoriCore

/// whoAMI defence: AMIs in use from untrusted owners, the Allowed AMIs setting, and resources
/// shared into the account by untrusted accounts.
enum ImageChecks {
    static func evaluate(_ region: RegionInventory, account: String, context: CheckContext) -> [Finding] {
        guard let images = region.images else { return [] }
        let trust = AMITrust(account: account, context: context)
        var findings: [Finding] = []
        let r = region.region
        for instance in region.instances ?? [] where instance.state != "terminated" {
            guard let imageId = instance.imageId else { continue }
            let arn = regionalARN("ec2", r, account, "instance/\(instance.id)")
            findings.append(usage(Catalog.instanceAMI, trust.classify(imageId, images: images), user: "Instance \(instance.id) (\(instance.state))",
                                  account: account, region: r, resource: arn, origin: provenance(instance, templates: region.launchTemplates ?? [])))
        }
        for template in region.launchTemplates ?? [] {
            let arn = regionalARN("ec2", r, account, "launch-template/\(template.id)")
            let versions: [(String?, String, [Int?])] = [(template.imageId, "default version \(template.defaultVersion.map(String.init) ?? "?")", [template.defaultVersion]),
                            (template.latestImageId, "latest version \(template.latestVersion.map(String.init) ?? "?")", [template.latestVersion])]
                + otherVersions(template).map { (Optional($0.imageId), "\($0.label) (neither default nor latest, but launchable by number)",
                                                 $0.versions.map(Optional.some)) }
            for case let (imageId?, label, numbers) in versions where imageId.hasPrefix("ami-") {
                findings.append(usage(Catalog.templateAMI, trust.classify(imageId, images: images),
                                      user: "Launch template \(template.name) \(label)", account: account, region: r, resource: arn,
                                      origin: templateOrigin(template, versions: numbers.compactMap { $0 })))
            }
        }
        for config in images.launchConfigurations ?? [] {
            guard let imageId = config.imageId else { continue }
            let arn = regionalARN("autoscaling", r, account, "launchConfiguration:*:launchConfigurationName/\(config.name)")
            findings.append(usage(Catalog.launchConfigurationAMI, trust.classify(imageId, images: images),
                                  user: "Launch configuration \(config.name)", account: account, region: r, resource: arn,
                                  origin: config.created.map { " It was created \($0) (launch configurations cannot change)." } ?? ""))
        }
        for group in images.autoScalingGroups ?? [] {
            let arn = regionalARN("autoscaling", r, account, "autoScalingGroup:*:autoScalingGroupName/\(group.name)")
            for imageId in Set(group.overrideImageIds ?? []).sorted() {
                findings.append(usage(Catalog.groupOverrideAMI, trust.classify(imageId, images: images),
                                      user: "Auto Scaling group \(group.name) (mixed instances policy override)", account: account, region: r, resource: arn,
                                      origin: groupOrigin(group)))
            }
        }
        findings += references(region, images: images, trust: trust, account: account)
        findings += allowedImages(region, images: images, trust: trust, account: account)
        findings += shared(region, images: images, trust: trust, account: account)
        findings += sharedOut(region, images: images, trust: trust, account: account)
        findings += blockPublicAccess(region, images: images, account: account)
        return findings
    }

    /// AMIs named by SSM parameters, EC2 / Spot Fleets and Image Builder recipes: nothing may be
    /// running from them yet, which is why they are checked before the next launch or build does.
    static func references(_ region: RegionInventory, images: ImageInventory, trust: AMITrust, account: String) -> [Finding] {
        let r = region.region
        var findings: [Finding] = []
        for parameter in images.parameterImages ?? [] {
            let arn = parameter.arn ?? regionalARN("ssm", r, account, "parameter\(parameter.name.hasPrefix("/") ? "" : "/")\(parameter.name)")
            findings.append(usage(Catalog.parameterAMI, trust.classify(parameter.imageId, images: images),
                                  user: "SSM parameter \(parameter.name)", account: account, region: r, resource: arn,
                                  origin: parameterOrigin(parameter)))
        }
        for fleet in images.fleets ?? [] where fleet.launches {
            let (noun, arn) = fleet.kind == "spot-fleet"
                ? ("Spot Fleet request \(fleet.id)", regionalARN("ec2", r, account, "spot-fleet-request/\(fleet.id)"))
                : ("EC2 Fleet \(fleet.id)", regionalARN("ec2", r, account, "fleet/\(fleet.id)"))
            let field = fleet.kind == "spot-fleet" ? "a launch specification" : "a launch template override"
            for imageId in fleet.imageIds where imageId.hasPrefix("ami-") {
                findings.append(usage(Catalog.fleetAMI, trust.classify(imageId, images: images), user: "\(noun) (\(field))",
                                      account: account, region: r, resource: arn, origin: fleetOrigin(fleet)))
            }
        }
        for recipe in images.recipeImages ?? [] {
            let noun = recipe.kind == "container" ? "Image Builder container recipe" : "Image Builder image recipe"
            let role = recipe.field == "instanceImage" ? "build instance image" : "parent image"
            findings.append(usage(Catalog.recipeAMI, trust.classify(recipe.imageId, images: images),
                                  user: "\(noun) \(recipe.name) (\(role))", account: account, region: r, resource: recipe.arn,
                                  origin: recipe.created.map { " The recipe was created \($0)." } ?? ""))
        }
        return findings
    }

    /// Who put the AMI id into the parameter, and whether EC2 validated it as one.
    static func parameterOrigin(_ parameter: ParameterImage) -> String {
        var parts: [String] = []
        if let modified = parameter.lastModified { parts.append("last changed \(modified)") }
        if let user = parameter.lastModifiedUser, user != "N/A" { parts.append("by \(user)") }
        let changed = parts.isEmpty ? "" : " The value was " + parts.joined(separator: " ") + "."
        let type = parameter.dataType == "aws:ec2:image" ? " Its data type is aws:ec2:image, so EC2 checked the id exists, not who owns it." : ""
        return changed + type
    }

    /// When the group was made, by which stack, and the role it launches with.
    static func groupOrigin(_ group: AutoScalingGroup) -> String {
        let parts = [group.created.map { "created \($0)" }, group.stackName.map { "by CloudFormation stack \($0)" },
                     group.serviceRole.map { "launching with \($0)" }].compactMap { $0 }
        return parts.isEmpty ? "" : " The group was " + parts.joined(separator: ", ") + "."
    }

    /// When and how the fleet was made, and what launches its instances.
    static func fleetOrigin(_ fleet: FleetImages) -> String {
        var parts: [String] = []
        if let created = fleet.created { parts.append("created \(created)") }
        if let stack = fleet.stackName { parts.append("by CloudFormation stack \(stack)") }
        if !fleet.launchTemplates.isEmpty { parts.append("launching from launch template \(fleet.launchTemplates.joined(separator: ", "))") }
        if let role = fleet.fleetRole { parts.append("with fleet role \(role)") }
        let state = fleet.state.map { " It is \($0)\(fleet.type.map { " (\($0))" } ?? "")." } ?? ""
        return (parts.isEmpty ? "" : " It was " + parts.joined(separator: ", ") + ".") + state
    }

    /// The account's own AMIs and snapshots shared publicly (critical for disks and databases, high
    /// for AMIs) or with accounts outside the trust (medium); organisation / OU ARNs (AMIs) are low,
    /// since Mamori cannot tell whose organisation they name.
    static func sharedOut(_ region: RegionInventory, images: ImageInventory, trust: AMITrust, account: String) -> [Finding] {
        let r = region.region
        let groups: [(CheckDefinition, [SharedOutResource]?)] = [(Catalog.sharedOutAMI, images.sharedOutImages),
                                                                 (Catalog.sharedOutSnapshot, images.sharedOutSnapshots),
                                                                 (Catalog.sharedOutDBSnapshot, images.sharedOutDBSnapshots)]
        var findings: [Finding] = []
        for (check, resources) in groups {
            for resource in resources ?? [] {
                let (noun, arn): (String, String) = switch resource.kind {
                case "ami": ("AMI \(resource.id)\(resource.name.map { " \"\($0)\"" } ?? "")", regionalARN("ec2", r, "", "image/\(resource.id)"))
                case "ebs": ("EBS snapshot \(resource.id)", regionalARN("ec2", r, "", "snapshot/\(resource.id)"))
                case "rds-cluster": ("RDS cluster snapshot \(resource.id)", resource.arn ?? regionalARN("rds", r, account, "cluster-snapshot:\(resource.id)"))
                default: ("RDS snapshot \(resource.id)", resource.arn ?? regionalARN("rds", r, account, "snapshot:\(resource.id)"))
                }
                let outside = resource.accounts.filter { !trust.owner($0).isTrusted }
                let inside = resource.accounts.filter { trust.owner($0).isTrusted }
                var parts: [String] = []
                if resource.isPublic { parts.append("public (everyone can \(resource.kind == "ami" ? "launch" : "restore") it)") }
                if !outside.isEmpty { parts.append("shared with \(outside.map(trust.describe).joined(separator: ", "))") }
                if !resource.organizations.isEmpty { parts.append("shared with \(resource.organizations.joined(separator: ", "))") }
                let within = inside.isEmpty ? "" : " Also shared with \(inside.map(trust.describe).joined(separator: ", ")), which is fine."
                guard !parts.isEmpty else {
                    findings.append(check.finding(.pass, account: account, region: r, resource: arn,
                                                  message: "\(noun) is shared only with \(inside.map(trust.describe).joined(separator: ", "))."))
                    continue
                }
                let severity: Severity = resource.isPublic ? (resource.kind == "ami" ? .high : .critical) : (outside.isEmpty ? .low : .medium)
                findings.append(check.finding(.fail, account: account, region: r, resource: arn,
                                              message: "\(noun) is \(parts.joined(separator: "; and ")).\(within)", severity: severity))
            }
        }
        return findings
    }

    /// Account-level block public access for AMIs and snapshots; unknown (not answered) is no finding.
    static func blockPublicAccess(_ region: RegionInventory, images: ImageInventory, account: String) -> [Finding] {
        let r = region.region
        let resource = regionalARN("ec2", r, account, "block-public-access")
        var findings: [Finding] = []
        if let state = images.imageBlockPublicAccess {
            findings.append(state == "block-new-sharing"
                ? Catalog.imageBlockPublicAccess.finding(.pass, account: account, region: r, resource: resource, message: "AMIs in \(r) cannot be made public (block-new-sharing).")
                : Catalog.imageBlockPublicAccess.finding(.fail, account: account, region: r, resource: resource,
                    message: "Block public access for AMIs is \(state) in \(r): any AMI can be made public with one call."))
        }
        if let state = images.snapshotBlockPublicAccess {
            switch state {
            case "block-all-sharing":
                findings.append(Catalog.snapshotBlockPublicAccess.finding(.pass, account: account, region: r, resource: resource,
                    message: "EBS snapshots in \(r) cannot be public (block-all-sharing)."))
            case "block-new-sharing":
                findings.append(Catalog.snapshotBlockPublicAccess.finding(.pass, account: account, region: r, resource: resource,
                    message: "New public sharing of EBS snapshots is blocked in \(r) (block-new-sharing); snapshots public before stay public, block-all-sharing hides them too."))
            default:
                findings.append(Catalog.snapshotBlockPublicAccess.finding(.fail, account: account, region: r, resource: resource,
                    message: "Block public access for EBS snapshots is \(state) in \(r): any snapshot can be made public with one call."))
            }
        }
        return findings
    }

    /// The AMIs of versions other than default and latest, one entry per AMI with its versions,
    /// leaving out AMIs the default or latest version already uses.
    static func otherVersions(_ template: LaunchTemplate) -> [(imageId: String, label: String, versions: [Int])] {
        let covered = Set([template.imageId, template.latestImageId].compactMap { $0 })
        var byImage: [(imageId: String, versions: [Int])] = []
        for other in template.otherVersionImages ?? [] where other.imageId.hasPrefix("ami-") && !covered.contains(other.imageId) {
            if let index = byImage.firstIndex(where: { $0.imageId == other.imageId }) { byImage[index].versions.append(other.version) }
            else { byImage.append((other.imageId, [other.version])) }
        }
        return byImage.map { ($0.imageId, ($0.versions.count == 1 ? "version " : "versions ") + $0.versions.map(String.init).joined(separator: ", "),
                              $0.versions) }
    }

    /// Who put the AMI into these versions and when (CreatedBy / CreateTime), and the stack that
    /// made the template. Empty when nothing is known.
    static func templateOrigin(_ template: LaunchTemplate, versions: [Int]) -> String {
        var parts = versions.compactMap { version in template.versionOrigins?[String(version)].map { "version \(version) was \($0)" } }
        if let stack = template.stackName { parts.append("the template belongs to CloudFormation stack \(stack)") }
        guard !parts.isEmpty else { return "" }
        let text = parts.joined(separator: "; ")
        return " " + text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    /// How an instance came to run its AMI, from what EC2 records: launch time, the service that
    /// launched it (Auto Scaling, EC2 Fleet, Spot Fleet tags), the launch template and version, the
    /// CloudFormation stack. Empty when nothing is known.
    static func provenance(_ instance: EC2Instance, templates: [LaunchTemplate]) -> String {
        var parts: [String] = []
        let launch = [instance.launched.map { $0.formatted(.iso8601) }, instance.launchedBy.map { "by \($0)" }].compactMap { $0 }
        if !launch.isEmpty { parts.append("launched " + launch.joined(separator: " ")) }
        if let id = instance.launchTemplateId {
            let name = templates.first { $0.id == id }.map { "\($0.name) (\(id))" } ?? id
            parts.append("from launch template \(name)\(instance.launchTemplateVersion.map { " version \($0)" } ?? "")")
        }
        if let stack = instance.stackName { parts.append("by CloudFormation stack \(stack)") }
        return parts.isEmpty ? "" : " It was " + parts.joined(separator: ", ") + "."
    }

    static func usage(_ check: CheckDefinition, _ verdict: AMIClassification, user: String, account: String, region: String, resource: String,
                      origin: String = "") -> Finding {
        let message = "\(user) uses \(verdict.explanation)\(origin)"
        return verdict.origin.isTrusted
            ? check.finding(.pass, account: account, region: region, resource: resource, message: message)
            : check.finding(.fail, account: account, region: region, resource: resource, message: message, severity: verdict.origin.severity)
    }

    /// In-use AMIs the setting blocks (audit mode reports them as `ImageAllowed=false`).
    static func blocked(_ region: RegionInventory, images: ImageInventory) -> [String] {
        AMIPlanner.inUse(region).filter { images.images[$0]?.allowed == false }
    }

    static func allowedImages(_ region: RegionInventory, images: ImageInventory, trust: AMITrust, account: String) -> [Finding] {
        guard let settings = images.allowedImages else { return [] }  // unknown: listed in the scan errors, never compliant
        let resource = regionalARN("ec2", region.region, account, "allowed-images-settings")
        let managed = settings.managedBy == "declarative-policy" ? " (managed by an Organizations declarative policy)" : ""
        let providers = settings.providers.map { $0.joined(separator: ", ") }.joined(separator: " | ")
        let disagreements = disagreements(region, images: images, settings: settings, account: account, now: trust.now)
        switch settings.state {
        case "enabled":
            return [Catalog.allowedAMIs.finding(.pass, account: account, region: region.region, resource: resource,
                                                message: "Allowed AMIs is enabled\(managed); providers: \(providers.isEmpty ? "none" : providers).\(disagreements)")]
        case "audit-mode":
            let blocked = blocked(region, images: images)
            let list = blocked.isEmpty ? "no AMI in use would be blocked" : "AMIs in use that enabling would block: \(blocked.joined(separator: ", "))"
            return [Catalog.allowedAMIs.finding(.fail, account: account, region: region.region, resource: resource,
                message: "Allowed AMIs is in audit mode\(managed): nothing is blocked yet; \(list). Review for about a month, then enable (mamori amis plan).\(disagreements)",
                severity: .low)]
        default:
            return [Catalog.allowedAMIs.finding(.fail, account: account, region: region.region, resource: resource,
                message: "Allowed AMIs is disabled in \(region.region): any public AMI can be launched, including look-alikes (whoAMI). Start with audit mode (mamori amis plan).")]
        }
    }

    /// In-use AMIs where Mamori's offline reading of the criteria and EC2's `ImageAllowed` differ:
    /// a criterion Mamori misreads, or a condition (age) that has moved since. Empty when they agree.
    static func disagreements(_ region: RegionInventory, images: ImageInventory, settings: AllowedImagesState, account: String, now: Date) -> String {
        let differing = AMIPlanner.inUse(region).compactMap { id -> String? in
            guard let image = images.images[id], let reported = image.allowed else { return nil }
            let predicted = AllowedImagesCriteria.allows(image, settings, account: account, now: now)
            return predicted == reported ? nil : "\(id) (criteria say \(predicted ? "allowed" : "not allowed"), EC2 says ImageAllowed=\(reported))"
        }
        return differing.isEmpty ? "" : " The criteria as Mamori reads them disagree with EC2 for: \(differing.joined(separator: ", ")); check the criteria."
    }

    static func shared(_ region: RegionInventory, images: ImageInventory, trust: AMITrust, account: String) -> [Finding] {
        var findings: [Finding] = []
        let r = region.region
        let used = Set(AMIPlanner.inUse(region))
        // Own, organisation and trusted owners pass silently; known vendors and unknown accounts fail.
        for image in images.sharedImages ?? [] {
            guard let ownerId = image.ownerId, !trust.owner(ownerId).isTrusted else { continue }
            // DescribeImageReferences (where answered) names the users; the enumeration decides otherwise.
            let referencedBy = images.imageReferences?[image.id] ?? []
            let isUsed = used.contains(image.id) || !referencedBy.isEmpty
            let inUse = !referencedBy.isEmpty ? "It is in use in this region, referenced by \(referencedBy.joined(separator: ", ")) (DescribeImageReferences)."
                : isUsed ? "It is in use in this region." : "Nothing in this region uses it."
            findings.append(Catalog.sharedAMI.finding(.fail, account: account, region: r, resource: regionalARN("ec2", r, "", "image/\(image.id)"),
                message: "AMI \(image.id)\(image.name.map { " \"\($0)\"" } ?? "") was shared into the account by \(trust.describe(ownerId)). \(inUse) Only the owner can unshare it.",
                severity: isUsed ? .high : .medium))
        }
        for snapshot in images.sharedSnapshots ?? [] where !trust.owner(snapshot.ownerId).isTrusted {
            findings.append(Catalog.sharedSnapshot.finding(.fail, account: account, region: r, resource: regionalARN("ec2", r, "", "snapshot/\(snapshot.id)"),
                message: "EBS snapshot \(snapshot.id) is restorable by this account and owned by \(trust.describe(snapshot.ownerId)). Volumes made from it would carry that account's data. "
                    + "Only the owner can unshare it; to block it here, deny ec2:CreateVolume on \(regionalARN("ec2", r, "", "snapshot/\(snapshot.id)")) (IAM cannot deny by snapshot owner)."))
        }
        for snapshot in images.sharedDBSnapshots ?? [] where !trust.owner(snapshot.ownerId).isTrusted {
            let kind = snapshot.kind == "rds-cluster" ? "RDS cluster snapshot" : "RDS snapshot"
            findings.append(Catalog.sharedDBSnapshot.finding(.fail, account: account, region: r, resource: snapshot.arn ?? snapshot.id,
                message: "\(kind) \(snapshot.id) was shared into the account by \(trust.describe(snapshot.ownerId)). Only the owner can unshare it."))
        }
        return findings
    }
}
