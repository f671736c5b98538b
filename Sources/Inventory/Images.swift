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
    /// CreatedTime, the `aws:cloudformation:stack-name` tag, and the ServiceLinkedRoleARN the group launches with.
    public var created: String?
    public var stackName: String?
    public var serviceRole: String?
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
    /// CreatedTime: launch configurations cannot change, so this is when the AMI was chosen.
    public var created: String?
    /// LaunchConfigurationARN; nil in inventories saved before it was kept.
    public var arn: String?
    /// `MetadataOptions` (HttpTokens, HttpEndpoint, HttpPutResponseHopLimit); nil when the configuration sets none.
    public var metadata: MetadataOptions?
    public init(name: String, imageId: String?, metadata: MetadataOptions? = nil) {
        self.name = name
        self.imageId = imageId
        self.metadata = metadata
    }
}

/// An SSM String parameter whose value is an AMI id. Launch automation reads such parameters
/// (`--image-id resolve:ssm:NAME`, CloudFormation `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`),
/// so whoever can write the parameter chooses what is launched.
public struct ParameterImage: Codable, Sendable, Hashable {
    public var name: String
    public var arn: String?
    public var imageId: String
    /// "aws:ec2:image" when the parameter was created as an AMI id (EC2 checks the value), "text" otherwise.
    public var dataType: String?
    /// Who last changed the value and when (DescribeParameters' LastModifiedUser / LastModifiedDate).
    public var lastModifiedUser: String?
    public var lastModified: String?

    public init(name: String, arn: String? = nil, imageId: String, dataType: String? = nil, lastModifiedUser: String? = nil,
                lastModified: String? = nil) {
        self.name = name
        self.arn = arn
        self.imageId = imageId
        self.dataType = dataType
        self.lastModifiedUser = lastModifiedUser
        self.lastModified = lastModified
    }

    /// The AMI id in a parameter value, or nil when the value is something else (a StringList, a
    /// name, a path). Surrounding whitespace is what a hand-edited parameter often carries.
    public static func imageId(inValue value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("ami-"), trimmed.count >= 12, trimmed.count <= 21 else { return nil }
        return trimmed.dropFirst(4).allSatisfy({ $0.isHexDigit && !$0.isUppercase }) ? trimmed : nil
    }
}

/// The AMIs an EC2 Fleet or Spot Fleet request launches by itself: EC2 Fleet overrides' `ImageId`
/// and Spot Fleet launch specifications' `ImageId`. The launch templates a fleet names are checked
/// as templates (`ec2.launch_template_ami_untrusted`); they are kept here to say where it launches from.
public struct FleetImages: Codable, Sendable, Hashable {
    public var id: String
    /// "ec2-fleet" or "spot-fleet".
    public var kind: String
    /// FleetState / SpotFleetRequestState.
    public var state: String?
    /// "maintain", "request" or "instant".
    public var type: String?
    public var created: String?
    public var imageIds: [String]
    /// "lt-… version 3" for each launch template config.
    public var launchTemplates: [String]
    /// The `aws:cloudformation:stack-name` tag.
    public var stackName: String?
    /// The Spot Fleet request's IamFleetRole: the principal that launches its instances.
    public var fleetRole: String?

    public init(id: String, kind: String, state: String? = nil, type: String? = nil, created: String? = nil, imageIds: [String] = [],
                launchTemplates: [String] = [], stackName: String? = nil, fleetRole: String? = nil) {
        self.id = id
        self.kind = kind
        self.state = state
        self.type = type
        self.created = created
        self.imageIds = imageIds
        self.launchTemplates = launchTemplates
        self.stackName = stackName
        self.fleetRole = fleetRole
    }

    /// States in which the fleet still launches instances; cancelled, failed and deleted ones do not.
    public var launches: Bool { ["submitted", "active", "modifying"].contains(state ?? "active") }
}

/// An AMI an EC2 Image Builder recipe builds from: an image recipe's `parentImage`, a container
/// recipe's `parentImage` or `instanceImage` (its build instance), when they are AMI ids.
public struct RecipeImage: Codable, Sendable, Hashable {
    public var arn: String
    public var name: String
    /// "image" or "container".
    public var kind: String
    public var imageId: String
    /// "parentImage" or "instanceImage".
    public var field: String
    public var created: String?

    public init(arn: String, name: String, kind: String, imageId: String, field: String, created: String? = nil) {
        self.arn = arn
        self.name = name
        self.kind = kind
        self.imageId = imageId
        self.field = field
        self.created = created
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
    /// AMIs referenced by instances, launch templates, launch configurations, Auto Scaling overrides,
    /// SSM parameters, fleets and Image Builder recipes, by id.
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
    /// SSM String parameters holding an AMI id; nil when not read (SSM checks not selected, or unreadable).
    public var parameterImages: [ParameterImage]?
    /// EC2 Fleets and Spot Fleet requests with their own AMIs (only those that have one); nil when not read.
    public var fleets: [FleetImages]?
    /// Image Builder image and container recipes built from an AMI; nil when not read.
    public var recipeImages: [RecipeImage]?
    /// What EC2's `DescribeImageReferences` says references the AMIs shared into the account (image id →
    /// resource ARNs); nil when it was not asked or not answered (then `referencePath` says why).
    public var imageReferences: [String: [String]]?
    /// "describe-image-references", or "enumeration: REASON" when only Mamori's own enumeration of
    /// instances, templates, parameters, fleets and recipes tells what uses an AMI; nil when there was nothing to ask.
    public var referencePath: String?

    public init(images: [String: AMIRecord] = [:], unresolved: [String] = []) {
        self.images = images
        self.unresolved = unresolved
    }
}

extension ImageInventory {
    /// The scan summary's line on how AMI references were found, naming the path each region took.
    public static func referenceSummary(_ regions: [RegionInventory]) -> String? {
        let paths = regions.compactMap { region in region.images?.referencePath.map { (region.region, $0) } }
        guard !paths.isEmpty else { return nil }
        let confirmed = paths.filter { $0.1 == "describe-image-references" }.map(\.0)
        let enumerated = paths.filter { $0.1 != "describe-image-references" }
        var parts: [String] = []
        if !confirmed.isEmpty { parts.append("DescribeImageReferences and enumeration in \(confirmed.joined(separator: ", "))") }
        if !enumerated.isEmpty {
            let reasons = Set(enumerated.map { $0.1.replacingOccurrences(of: "enumeration: ", with: "") }).sorted()
            parts.append("enumeration only in \(enumerated.map(\.0).joined(separator: ", ")) (DescribeImageReferences: \(reasons.joined(separator: "; ")))")
        }
        return "AMI references to shared-in images: " + parts.joined(separator: "; ")
    }
}
