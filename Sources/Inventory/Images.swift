import Foundation

/// An AMI as EC2 describes it (DescribeImages or, when that no longer returns it,
/// DescribeInstanceImageMetadata).
public struct AMIRecord: Codable, Sendable, Hashable {
    public var id: String
    public var ownerId: String?
    /// "amazon", "aws-marketplace", "aws-backup-vault" or nil.
    public var ownerAlias: String?
    public var name: String?
    public var isPublic: Bool?
    public var created: String?
    /// What Allowed AMIs says about it (nil when the setting is disabled or unknown).
    public var allowed: Bool?
    /// "describe-images" or "instance-image-metadata" (the image is no longer visible).
    public var source: String
    /// Marketplace product codes; nil when not read.
    public var productCodes: [String]?
    /// When the image is (or will be) deprecated, ISO 8601; nil when it is not.
    public var deprecationTime: String?

    public init(id: String, ownerId: String? = nil, ownerAlias: String? = nil, name: String? = nil, isPublic: Bool? = nil,
                created: String? = nil, allowed: Bool? = nil, source: String = "describe-images") {
        self.id = id
        self.ownerId = ownerId
        self.ownerAlias = ownerAlias
        self.name = name
        self.isPublic = isPublic
        self.created = created
        self.allowed = allowed
        self.source = source
    }
}

/// The region's EC2 Allowed AMIs setting (`GetAllowedImagesSettings`).
public struct AllowedImagesState: Codable, Sendable, Hashable {
    /// "disabled", "audit-mode" or "enabled".
    public var state: String
    /// Image providers per criterion (each criterion is OR-ed; within one, the fields are AND-ed).
    public var providers: [[String]]
    /// "account" or "declarative-policy".
    public var managedBy: String?
    /// Every criterion with all its conditions (nil in inventories saved before they were read:
    /// then `providers` alone is known).
    public var criteria: [ImageCriterion]?

    public init(state: String, providers: [[String]] = [], managedBy: String? = nil, criteria: [ImageCriterion]? = nil) {
        self.state = state
        self.providers = providers
        self.managedBy = managedBy
        self.criteria = criteria
    }
}

/// One Allowed AMIs criterion: every condition given must hold; nil means not given.
public struct ImageCriterion: Codable, Sendable, Hashable {
    public var providers: [String]?
    /// Image names, `*` and `?` wildcards allowed.
    public var names: [String]?
    public var productCodes: [String]?
    public var maxDaysSinceCreated: Int?
    public var maxDaysSinceDeprecated: Int?

    public init(providers: [String]? = nil, names: [String]? = nil, productCodes: [String]? = nil,
                maxDaysSinceCreated: Int? = nil, maxDaysSinceDeprecated: Int? = nil) {
        self.providers = providers
        self.names = names
        self.productCodes = productCodes
        self.maxDaysSinceCreated = maxDaysSinceCreated
        self.maxDaysSinceDeprecated = maxDaysSinceDeprecated
    }
}

/// An Auto Scaling group and what it launches from.
public struct AutoScalingGroup: Codable, Sendable, Hashable {
    public var name: String
    public var launchConfiguration: String?
    public var launchTemplateId: String?
    /// Mixed instances policy overrides: launch templates other than the group's, and AMIs that
    /// replace the template's (`Overrides[].ImageId`).
    public var overrideTemplateIds: [String]?
    public var overrideImageIds: [String]?
    public init(name: String, launchConfiguration: String? = nil, launchTemplateId: String? = nil,
                overrideTemplateIds: [String]? = nil, overrideImageIds: [String]? = nil) {
        self.name = name
        self.launchConfiguration = launchConfiguration
        self.launchTemplateId = launchTemplateId
        self.overrideTemplateIds = overrideTemplateIds
        self.overrideImageIds = overrideImageIds
    }

    /// Every launch template the group can launch from.
    public var templateIds: [String] { [launchTemplateId].compactMap { $0 } + (overrideTemplateIds ?? []) }
}

/// An Auto Scaling launch configuration's AMI.
public struct LaunchConfiguration: Codable, Sendable, Hashable {
    public var name: String
    public var imageId: String?
    public init(name: String, imageId: String?) {
        self.name = name
        self.imageId = imageId
    }
}

/// An EBS snapshot or RDS snapshot shared into the account by another account.
public struct SharedSnapshot: Codable, Sendable, Hashable {
    public var id: String
    public var arn: String?
    public var ownerId: String
    /// "ebs", "rds" or "rds-cluster".
    public var kind: String
    public var description: String?
    public init(id: String, arn: String? = nil, ownerId: String, kind: String, description: String? = nil) {
        self.id = id
        self.arn = arn
        self.ownerId = ownerId
        self.kind = kind
        self.description = description
    }
}

/// One of the account's own AMIs or snapshots that it shares with others (the other side of a
/// shared-in resource). Only shared ones are kept.
public struct SharedOutResource: Codable, Sendable, Hashable {
    public var id: String
    public var arn: String?
    /// "ami", "ebs", "rds" or "rds-cluster".
    public var kind: String
    public var name: String?
    /// Launchable / restorable by everyone.
    public var isPublic: Bool
    /// Account ids it is shared with.
    public var accounts: [String]
    /// Organization or OU ARNs it is shared with (AMIs only).
    public var organizations: [String]

    public init(id: String, arn: String? = nil, kind: String, name: String? = nil, isPublic: Bool = false, accounts: [String] = [],
                organizations: [String] = []) {
        self.id = id
        self.arn = arn
        self.kind = kind
        self.name = name
        self.isPublic = isPublic
        self.accounts = accounts
        self.organizations = organizations
    }

    public var isShared: Bool { isPublic || !accounts.isEmpty || !organizations.isEmpty }
}

/// Everything the whoAMI and shared-resource checks need for one region.
public struct ImageInventory: Codable, Sendable {
    /// AMIs referenced by instances, launch templates and launch configurations, by id.
    public var images: [String: AMIRecord]
    /// Referenced AMIs that neither call could describe.
    public var unresolved: [String]
    public var allowedImages: AllowedImagesState?
    public var launchConfigurations: [LaunchConfiguration]?
    public var autoScalingGroups: [AutoScalingGroup]?
    /// AMIs other accounts made executable by this one (own and public images dropped).
    public var sharedImages: [AMIRecord]?
    public var sharedSnapshots: [SharedSnapshot]?
    public var sharedDBSnapshots: [SharedSnapshot]?
    /// Own AMIs, EBS snapshots and RDS DB/cluster snapshots shared publicly or with other accounts;
    /// nil when they could not be listed (then never reported as compliant).
    public var sharedOutImages: [SharedOutResource]?
    public var sharedOutSnapshots: [SharedOutResource]?
    public var sharedOutDBSnapshots: [SharedOutResource]?
    /// `GetImageBlockPublicAccessState`: "block-new-sharing" or "unblocked"; nil when unknown.
    public var imageBlockPublicAccess: String?
    /// `GetSnapshotBlockPublicAccessState`: "block-all-sharing", "block-new-sharing" or "unblocked"; nil when unknown.
    public var snapshotBlockPublicAccess: String?

    public init(images: [String: AMIRecord] = [:], unresolved: [String] = []) {
        self.images = images
        self.unresolved = unresolved
    }
}
