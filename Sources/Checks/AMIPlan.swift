import Foundation
import Inventory
import MamoriCore

/// The phased Allowed AMIs rollout (scan → audit mode → enabled) computed from an inventory.
public struct AMIRolloutPlan: Sendable, Codable {
    public var account: String
    /// Image providers for the criteria: aliases and account IDs.
    public var providers: [String]
    /// Per region: current state and what each phase affects.
    public var regions: [RegionPlan]
    /// In-use AMIs the recommended criteria leave out: every image whose owner is not trusted, and
    /// images that cannot be described.
    public var excluded: [ExcludedImage]
    /// Owners of in-use AMIs that are not trusted (shared privately, known vendor, unknown public).
    /// Never in `providers` or the SCP: a human decides with `--trust-account`.
    public var untrustedOwners: [UntrustedOwner]
    /// The criteria proposed, in order: the providers (with the age conditions asked for), then one
    /// narrowed criterion per owner allowed only by its name family (`--allow-family`). Nil in plans
    /// saved before conditions could be proposed: then `providers` alone is the criterion.
    public var criteria: [ImageCriterion]? = nil

    public struct UntrustedOwner: Sendable, Codable, Hashable {
        public var ownerId: String
        /// "account 111122223333 (Vendor)".
        public var label: String
        /// `AMIOrigin` raw value: "shared", "public-known-vendor" or "public-unknown".
        public var origin: String
        public var images: [ExcludedImage] = []
        /// "REGION instance i-…", "REGION launch template NAME (lt-…)", … : what stops launching once enabled.
        public var wouldBreak: [String] = []
        /// If you decide to trust this owner: a criterion narrower than the whole account, limited to
        /// the name family in use (e.g. Canonical's images only by name prefix). Nil when the names
        /// in use share no prefix.
        public var suggestedCriterion: ImageCriterion?
        /// The user chose to allow this owner by its family only (`--allow-family`): `suggestedCriterion`
        /// is in the criteria, and `wouldBreak` lists only what the family does not cover.
        public var allowedByFamily: Bool? = nil
    }

    public struct ExcludedImage: Sendable, Codable, Hashable {
        public var region: String
        public var imageId: String
        public var reason: String
    }

    public struct RegionPlan: Sendable, Codable {
        public var region: String
        /// "disabled", "audit-mode", "enabled" or "unknown" (the endpoint could not say).
        public var currentState: String
        public var managedBy: String?
        /// Instances running an AMI outside the criteria (they keep running; replacing them fails once enabled).
        public var affectedInstances: [String]
        /// Launch templates with a version that would stop launching.
        public var affectedTemplates: [String]
        /// Auto Scaling groups that would fail to scale out.
        public var affectedGroups: [String]
        /// Launch configurations, SSM parameters, EC2 / Spot Fleets and Image Builder recipes naming an AMI
        /// outside the criteria: the next launch, scale-out or build through them fails ("launch configuration
        /// NAME", "SSM parameter NAME", "Spot Fleet request ID", "Image Builder image recipe NAME"). Optional
        /// so plans saved before they were counted still decode.
        public var affectedReferences: [String]? = nil
        /// When audit mode was switched on (ISO 8601), where CloudTrail history says.
        public var auditModeSince: String?
    }

    /// The criteria to set: `criteria`, or one criterion of the providers for plans saved before.
    public var proposedCriteria: [ImageCriterion] { criteria ?? [ImageCriterion(providers: providers)] }

    /// `ReplaceImageCriteriaInAllowedImagesSettings` input, shaped like botocore's `ImageCriterionRequest`.
    public var criteriaJSON: String {
        Self.json(["ImageCriteria": proposedCriteria.map(Self.request)])
    }

    /// One `ImageCriterionRequest`: only the conditions given (an absent one does not restrict).
    static func request(_ criterion: ImageCriterion) -> [String: Any] {
        var request: [String: Any] = [:]
        if let providers = criterion.providers { request["ImageProviders"] = providers }
        if let names = criterion.names { request["ImageNames"] = names }
        if let codes = criterion.productCodes { request["MarketplaceProductCodes"] = codes }
        if let days = criterion.maxDaysSinceCreated { request["CreationDateCondition"] = ["MaximumDaysSinceCreated": days] }
        if let days = criterion.maxDaysSinceDeprecated { request["DeprecationTimeCondition"] = ["MaximumDaysSinceDeprecated": days] }
        return request
    }

    /// EC2 query parameters of `ReplaceImageCriteriaInAllowedImagesSettings` (botocore ec2: the list's
    /// locationName `ImageCriterion`, members `ImageProvider`, `ImageName`, `MarketplaceProductCode`, and
    /// the two condition structures).
    public var criteriaParameters: [String: String] {
        var parameters: [String: String] = [:]
        for (index, criterion) in proposedCriteria.enumerated() {
            let prefix = "ImageCriterion.\(index + 1)."
            func list(_ name: String, _ values: [String]?) {
                for (position, value) in (values ?? []).enumerated() { parameters["\(prefix)\(name).\(position + 1)"] = value }
            }
            list("ImageProvider", criterion.providers)
            list("ImageName", criterion.names)
            list("MarketplaceProductCode", criterion.productCodes)
            if let days = criterion.maxDaysSinceCreated { parameters["\(prefix)CreationDateCondition.MaximumDaysSinceCreated"] = String(days) }
            if let days = criterion.maxDaysSinceDeprecated { parameters["\(prefix)DeprecationTimeCondition.MaximumDaysSinceDeprecated"] = String(days) }
        }
        return parameters
    }

    /// The criteria carry conditions beyond image providers (names, product codes, ages).
    public var hasConditions: Bool {
        proposedCriteria.contains { $0.names != nil || $0.productCodes != nil || $0.maxDaysSinceCreated != nil || $0.maxDaysSinceDeprecated != nil }
    }

    /// Organizations declarative policy (`DECLARATIVE_POLICY_EC2`) with its own spelling:
    /// `audit_mode`, `aws_marketplace`, `aws_backup_vault`.
    /// Only the providers of each criterion: the policy's spelling of name, product-code and age
    /// conditions could not be confirmed from AWS's documentation, so they are not printed (the text says so).
    /// A criterion narrowed by names or product codes is left out entirely: its providers alone would
    /// let every image of that owner in.
    public func declarativePolicyJSON(state: String) -> String {
        var criteria: [String: Any] = [:]
        for (index, criterion) in proposedCriteria.filter({ $0.names == nil && $0.productCodes == nil }).enumerated() {
            let spelled = (criterion.providers ?? []).map { $0.replacingOccurrences(of: "-", with: "_") }
            criteria["criteria_\(index + 1)"] = ["allowed_image_providers": ["@@assign": spelled]]
        }
        return Self.json(["ec2_attributes": ["allowed_images_settings": [
            "state": ["@@assign": state.replacingOccurrences(of: "-", with: "_")],
            "image_criteria": criteria,
        ]]])
    }

    /// An SCP / IAM statement that denies launches from other owners (works without Allowed AMIs).
    public var scpJSON: String {
        Self.json(["Version": "2012-10-17", "Statement": [[
            "Sid": "DenyRunInstancesFromUntrustedAMIOwners", "Effect": "Deny", "Action": "ec2:RunInstances",
            // The account's partition (an SCP naming arn:aws: matches nothing in China or GovCloud).
            "Resource": Partition(region: regions.first?.region ?? "").arn("ec2", region: "*", "image/*"),
            // The account's own AMIs: Allowed AMIs never restricts them, an SCP would.
            "Condition": ["StringNotEquals": ["ec2:Owner": (providers + [account]).filter { $0 != "aws-backup-vault" }]],
        ] as [String: Any]]])
    }

    /// Why `--apply STATE` must not go ahead, or nil. A region managed by a declarative policy cannot
    /// be changed through the API at all (the policy change is printed instead, `--force` or not);
    /// enabling needs no in-use AMI blocked and audit mode on for `auditDays` (CloudTrail tells since
    /// when), unless `force`.
    public func refusal(apply state: String, auditDays: Int, force: Bool, now: Date = Date()) -> String? {
        let managed = regions.filter { $0.managedBy == "declarative-policy" }.map(\.region)
        if !managed.isEmpty {
            return "refusing to apply: Allowed AMIs in \(managed.joined(separator: ", ")) is managed by an Organizations declarative policy, "
                + "which the EC2 API cannot override. Change the policy (DECLARATIVE_POLICY_EC2) in the management account instead:\n"
                + declarativePolicyJSON(state: state)
        }
        guard state == "enabled", !force else { return nil }
        if blocksInUse {
            return "refusing to enable Allowed AMIs: AMIs in use would be blocked (see above). Fix them, stay in audit mode, or pass --force"
        }
        var short: [String] = []
        for region in regions where region.currentState != "enabled" {
            if region.currentState != "audit-mode" {
                short.append("\(region.region) is \(region.currentState), not in audit mode")
            } else if let since = region.auditModeSince.flatMap(ISO8601.parse) {
                let days = Int(now.timeIntervalSince(since) / 86_400)
                if days < auditDays { short.append("\(region.region) has been in audit mode for \(days) day(s)") }
            } else {
                short.append("\(region.region) is in audit mode since an unknown date (no EnableAllowedImagesSettings event in CloudTrail's 90 days)")
            }
        }
        guard !short.isEmpty else { return nil }
        return "refusing to enable Allowed AMIs: \(short.joined(separator: "; ")). Keep audit mode on for at least \(auditDays) days "
            + "(--audit-days N), long enough to cover your image update cycle, scheduled and batch launches and seasonal peaks, and check "
            + "that nothing in use shows ImageAllowed=false; --force overrides."
    }

    /// Any in-use image would be blocked when enabled.
    /// Not launched yet counts too: an SSM parameter, a fleet or a recipe naming a blocked AMI fails its next launch or build.
    public var blocksInUse: Bool {
        regions.contains {
            !$0.affectedInstances.isEmpty || !$0.affectedTemplates.isEmpty || !$0.affectedGroups.isEmpty || !($0.affectedReferences ?? []).isEmpty
        }
    }

    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Builds the rollout plan: criteria that keep every in-use AMI of a trusted origin allowed (verified
/// providers, the account, the trust list, the region's current criteria). Every other owner of an
/// in-use AMI — shared privately, known vendor or unknown public — is never put into the criteria or
/// the SCP silently: the plan lists it with the resources that would break, and `--trust-account`
/// (or `trust:` in mamori.yml) is how a human lets it in.
public enum AMIPlanner {
    /// What the user asked the criteria to carry beyond providers.
    public struct Options: Sendable {
        /// Untrusted owners to allow only by the name family in use (and their Marketplace product codes).
        public var familyOwners: Set<String>
        /// `CreationDateCondition.MaximumDaysSinceCreated` on every criterion.
        public var maxDaysSinceCreated: Int?
        /// `DeprecationTimeCondition.MaximumDaysSinceDeprecated` on every criterion.
        public var maxDaysSinceDeprecated: Int?
        /// The moment the age conditions are measured from.
        public var now: Date
        public init(familyOwners: Set<String> = [], maxDaysSinceCreated: Int? = nil, maxDaysSinceDeprecated: Int? = nil, now: Date = Date()) {
            self.familyOwners = familyOwners
            self.maxDaysSinceCreated = maxDaysSinceCreated
            self.maxDaysSinceDeprecated = maxDaysSinceDeprecated
            self.now = now
        }
    }

    public static func plan(_ account: AccountInventory, trusted: Set<String>, options: Options = Options()) -> AMIRolloutPlan {
        let organization = Set(account.organizationTrust?.accounts ?? [])
        let trust = AMITrust(account: account.accountId, trusted: trusted, organization: organization)
        var providers: [String] = ["amazon"]
        var accounts = Set(trusted)
        var excluded: [AMIRolloutPlan.ExcludedImage] = []
        var excludedIds: [String: Set<String>] = [:]  // region → image ids left out
        var owners: [String: AMIRolloutPlan.UntrustedOwner] = [:]
        var names: [String: [String]] = [:]  // owner → names of its images in use
        var codes: [String: [[String]]] = [:]  // owner → product codes of each of its images in use
        var untrustedReasons: [String: String] = [:]  // "region image" → why its owner is not trusted
        for region in account.regional {
            for imageId in inUse(region) {
                let verdict = trust.classify(imageId, images: region.images)
                switch verdict.origin {
                case .verified:
                    if let alias = verdict.ownerAlias, !providers.contains(alias) { providers.append(alias) }
                case .own:
                    break  // the account's own AMIs are never restricted
                case .organization, .trusted, .allowed:
                    if let owner = verdict.ownerId { accounts.insert(owner) }
                case .shared, .publicVendor, .publicUnknown, .unknown:
                    untrustedReasons["\(region.region) \(imageId)"] = verdict.explanation
                    guard let ownerId = verdict.ownerId else { continue }  // undescribable: no owner to decide on
                    var owner = owners[ownerId] ?? .init(ownerId: ownerId, label: verdict.ownerLabel, origin: verdict.origin.rawValue)
                    owner.images.append(.init(region: region.region, imageId: imageId, reason: verdict.explanation))
                    if let name = verdict.image?.name { names[ownerId, default: []].append(name) }
                    codes[ownerId, default: []].append(verdict.image?.productCodes ?? [])
                    owners[ownerId] = owner
                }
            }
        }
        providers += accounts.sorted()
        // The criteria: the providers, then each owner the user allows by its family only. An unknown
        // public owner never gets a family (that is the whoAMI case), so choosing it changes nothing.
        var criteria = [ImageCriterion(providers: providers, maxDaysSinceCreated: options.maxDaysSinceCreated,
                                       maxDaysSinceDeprecated: options.maxDaysSinceDeprecated)]
        for ownerId in owners.keys.sorted() {
            guard var owner = owners[ownerId] else { continue }
            if owner.origin != AMIOrigin.publicUnknown.rawValue, var family = namePrefix(names[ownerId] ?? []).map({ ImageCriterion(providers: [ownerId], names: [$0 + "*"]) }) {
                // Marketplace images: their product codes too, when every image in use carries one (else the
                // condition would block the others).
                let perImage = codes[ownerId] ?? []
                if !perImage.isEmpty, perImage.allSatisfy({ !$0.isEmpty }) { family.productCodes = Array(Set(perImage.flatMap { $0 })).sorted() }
                owner.suggestedCriterion = family
                if options.familyOwners.contains(ownerId) {
                    owner.allowedByFamily = true
                    family.maxDaysSinceCreated = options.maxDaysSinceCreated
                    family.maxDaysSinceDeprecated = options.maxDaysSinceDeprecated
                    criteria.append(family)
                }
            }
            owners[ownerId] = owner
        }
        // What the criteria leave out, decided by the same offline evaluator the audit uses: an image
        // the criteria do not allow (or that cannot be described) is blocked once enabled, whatever the reason.
        let proposed = AllowedImagesState(state: "enabled", providers: criteria.map { $0.providers ?? [] }, criteria: criteria)
        for region in account.regional {
            for imageId in inUse(region) {
                if let image = region.images?.images[imageId],
                   AllowedImagesCriteria.allows(image, proposed, account: account.accountId, now: options.now) { continue }
                let reason = untrustedReasons["\(region.region) \(imageId)"]
                    ?? region.images?.images[imageId].map { conditionReason($0, criteria: criteria, now: options.now) }
                    ?? "AMI \(imageId) could not be described."
                excluded.append(.init(region: region.region, imageId: imageId, reason: reason))
                excludedIds[region.region, default: []].insert(imageId)
            }
        }
        let regions = account.regional.map { region -> AMIRolloutPlan.RegionPlan in
            let ids = excludedIds[region.region] ?? []
            let affected = affected(region, by: ids)
            return AMIRolloutPlan.RegionPlan(
                region: region.region, currentState: region.images?.allowedImages?.state ?? "unknown", managedBy: region.images?.allowedImages?.managedBy,
                affectedInstances: affected.instances, affectedTemplates: affected.templates, affectedGroups: affected.groups,
                affectedReferences: affected.configurations.map { "launch configuration \($0)" } + references(region, by: ids))
        }
        let untrusted = owners.values.sorted { $0.ownerId < $1.ownerId }.map { owner -> AMIRolloutPlan.UntrustedOwner in
            var owner = owner
            for region in account.regional {
                // Only what the criteria block: with --allow-family, the family's images are not.
                let ids = Set(owner.images.filter { $0.region == region.region }.map(\.imageId)).intersection(excludedIds[region.region] ?? [])
                guard !ids.isEmpty else { continue }
                let affected = affected(region, by: ids)
                owner.wouldBreak += affected.instances.map { "\(region.region) instance \($0)" }
                    + affected.templates.map { "\(region.region) launch template \($0)" }
                    + affected.configurations.map { "\(region.region) launch configuration \($0)" }
                    + affected.groups.map { "\(region.region) Auto Scaling group \($0)" }
                    + references(region, by: ids).map { "\(region.region) \($0)" }
            }
            return owner
        }
        return AMIRolloutPlan(account: account.accountId, providers: providers, regions: regions, excluded: excluded, untrustedOwners: untrusted,
                              criteria: criteria)
    }

    /// Why a trusted owner's image falls outside the criteria: an age condition.
    static func conditionReason(_ image: AMIRecord, criteria: [ImageCriterion], now: Date) -> String {
        let name = image.name.map { " \"\($0)\"" } ?? ""
        var why: [String] = []
        if let days = criteria.first?.maxDaysSinceCreated {
            let age = AllowedImagesCriteria.date(image.created).map { " (created \(Int(now.timeIntervalSince($0) / 86_400)) days ago)" } ?? " (no creation date)"
            why.append("MaximumDaysSinceCreated \(days)\(age)")
        }
        if let days = criteria.first?.maxDaysSinceDeprecated, let deprecated = AllowedImagesCriteria.date(image.deprecationTime) {
            why.append("MaximumDaysSinceDeprecated \(days) (deprecated \(Int(now.timeIntervalSince(deprecated) / 86_400)) days ago)")
        }
        return "AMI \(image.id)\(name) from a trusted owner is left out by the proposed conditions: \(why.joined(separator: ", ")). "
            + "Rebuild it on a newer base image or relax the condition."
    }

    /// The common prefix of image names, cut after the last "/" or "-" so it names a family, not one
    /// build ("ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-"); nil when too short to mean anything.
    static func namePrefix(_ names: [String]) -> String? {
        guard var prefix = names.first else { return nil }
        for name in names.dropFirst() { prefix = String(prefix.commonPrefix(with: name)) }
        if names.count == 1 || !prefix.isEmpty {
            // One name, or names that agree to their end: cut back to a separator so newer builds match too.
            if let cut = prefix.lastIndex(where: { $0 == "/" || $0 == "-" }) { prefix = String(prefix[...cut]) }
        }
        return prefix.count >= 4 ? prefix : nil
    }

    /// SSM parameters, fleets and Image Builder recipes naming one of `imageIds`: launches and builds
    /// through them fail once those images are not allowed.
    static func references(_ region: RegionInventory, by imageIds: Set<String>) -> [String] {
        let images = region.images
        return (images?.parameterImages ?? []).filter { imageIds.contains($0.imageId) }.map { "SSM parameter \($0.name)" }
            + (images?.fleets ?? []).filter { $0.launches && !imageIds.isDisjoint(with: $0.imageIds) }
                .map { ($0.kind == "spot-fleet" ? "Spot Fleet request " : "EC2 Fleet ") + $0.id }
            + Set((images?.recipeImages ?? []).filter { imageIds.contains($0.imageId) }.map { "Image Builder \($0.kind) recipe \($0.name)" }).sorted()
    }

    /// The resources of a region that use one of `imageIds`, i.e. stop launching once those images are not allowed.
    static func affected(_ region: RegionInventory, by imageIds: Set<String>)
        -> (instances: [String], templates: [String], configurations: [String], groups: [String]) {
        let images = region.images
        let templates = (region.launchTemplates ?? []).filter { !imageIds.isDisjoint(with: $0.allImageIds) }
        let configs = (images?.launchConfigurations ?? []).filter { $0.imageId.map(imageIds.contains) == true }.map(\.name)
        let configNames = Set(configs)
        let templateIds = Set(templates.map(\.id))
        let groups = (images?.autoScalingGroups ?? []).filter {
            $0.launchConfiguration.map(configNames.contains) == true || !templateIds.isDisjoint(with: $0.templateIds)
                || !imageIds.isDisjoint(with: $0.overrideImageIds ?? [])
        }
        let instances = (region.instances ?? []).filter { $0.state != "terminated" && $0.imageId.map(imageIds.contains) == true }.map(\.id)
        return (instances, templates.map { "\($0.name) (\($0.id))" }, configs, groups.map(\.name))
    }

    /// The AMIs a region uses: instances that are not terminated, launch templates (every version),
    /// launch configurations and Auto Scaling groups' override AMIs. The one definition the checks and the plan share.
    static func inUse(_ region: RegionInventory) -> [String] {
        var ids = Set((region.instances ?? []).filter { $0.state != "terminated" }.compactMap(\.imageId))
        ids.formUnion((region.launchTemplates ?? []).flatMap(\.allImageIds))
        ids.formUnion((region.images?.launchConfigurations ?? []).compactMap(\.imageId))
        ids.formUnion((region.images?.autoScalingGroups ?? []).flatMap { $0.overrideImageIds ?? [] })
        // Not launched yet, but the next launch, scale-out or build will be.
        ids.formUnion((region.images?.parameterImages ?? []).map(\.imageId))
        ids.formUnion((region.images?.fleets ?? []).filter(\.launches).flatMap(\.imageIds))
        ids.formUnion((region.images?.recipeImages ?? []).map(\.imageId))
        return ids.filter { $0.hasPrefix("ami-") }.sorted()
    }
}
