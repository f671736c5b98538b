import Foundation

/// S3: buckets and the account-level Block Public Access settings.
public struct S3Inventory: Codable, Sendable {
    public var buckets: [S3Bucket]
    /// nil when not configured (no configuration is not the same as unknown: see `accountBlockKnown`).
    public var accountBlock: BlockSettings?
    public var accountBlockKnown: Bool

    public init(buckets: [S3Bucket] = [], accountBlock: BlockSettings? = nil, accountBlockKnown: Bool = false) {
        self.buckets = buckets
        self.accountBlock = accountBlock
        self.accountBlockKnown = accountBlockKnown
    }
}

/// The four Block Public Access flags.
public struct BlockSettings: Codable, Sendable, Hashable {
    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool
    public init(blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false, blockPublicPolicy: Bool = false,
                restrictPublicBuckets: Bool = false) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }
}

/// One ACL grant.
public struct Grant: Codable, Sendable, Hashable {
    public var granteeType: String
    public var uri: String?
    public var id: String?
    public var permission: String
    public init(granteeType: String, uri: String? = nil, id: String? = nil, permission: String) {
        self.granteeType = granteeType
        self.uri = uri
        self.id = id
        self.permission = permission
    }
}

/// A bucket with what decides whether it is public.
public struct S3Bucket: Codable, Sendable {
    public var name: String
    public var region: String?
    public var created: Date?
    public var policy: String?
    public var grants: [Grant]?
    /// nil when the bucket has no Block Public Access configuration.
    public var block: BlockSettings?
    /// False when a part could not be read (the errors list says which).
    public var complete: Bool

    public init(name: String, region: String? = nil, created: Date? = nil, policy: String? = nil,
                grants: [Grant]? = nil, block: BlockSettings? = nil, complete: Bool = true) {
        self.name = name
        self.region = region
        self.created = created
        self.policy = policy
        self.grants = grants
        self.block = block
        self.complete = complete
    }
}

/// An SNS topic and its access policy.
public struct SNSTopic: Codable, Sendable {
    public var arn: String
    public var policy: String?
    public init(arn: String, policy: String? = nil) {
        self.arn = arn
        self.policy = policy
    }
}

/// An SQS queue and its access policy.
public struct SQSQueue: Codable, Sendable {
    public var url: String
    public var arn: String
    public var policy: String?
    public init(url: String, arn: String, policy: String? = nil) {
        self.url = url
        self.arn = arn
        self.policy = policy
    }
}

/// Instance metadata options as EC2 reports them.
public struct MetadataOptions: Codable, Sendable, Hashable {
    /// "required" or "optional"; nil when not set (launch templates inherit the default).
    public var httpTokens: String?
    /// "enabled" or "disabled".
    public var httpEndpoint: String?
    public init(httpTokens: String? = nil, httpEndpoint: String? = nil) {
        self.httpTokens = httpTokens
        self.httpEndpoint = httpEndpoint
    }
}

/// An EC2 instance.
public struct EC2Instance: Codable, Sendable {
    public var id: String
    public var state: String
    public var imageId: String?
    public var launched: Date?
    public var metadata: MetadataOptions
    public var launchTemplateId: String?
    public init(id: String, state: String, imageId: String? = nil, launched: Date? = nil,
                metadata: MetadataOptions = MetadataOptions(), launchTemplateId: String? = nil) {
        self.id = id
        self.state = state
        self.imageId = imageId
        self.launched = launched
        self.metadata = metadata
        self.launchTemplateId = launchTemplateId
    }
}

/// A launch template's default version.
public struct LaunchTemplate: Codable, Sendable {
    public var id: String
    public var name: String
    public var defaultVersion: Int?
    public var metadata: MetadataOptions?
    public var imageId: String?
    public var latestVersion: Int?
    /// The latest version's AMI when it differs from the default's.
    public var latestImageId: String?
    public init(id: String, name: String, defaultVersion: Int? = nil, metadata: MetadataOptions? = nil, imageId: String? = nil,
                latestVersion: Int? = nil, latestImageId: String? = nil) {
        self.latestVersion = latestVersion
        self.latestImageId = latestImageId
        self.id = id
        self.name = name
        self.defaultVersion = defaultVersion
        self.metadata = metadata
        self.imageId = imageId
    }
}

/// The region's default metadata settings for new instances.
public struct IMDSDefaults: Codable, Sendable, Hashable {
    public var httpTokens: String?
    public init(httpTokens: String? = nil) { self.httpTokens = httpTokens }
}

/// A CloudTrail trail as seen from one region.
public struct Trail: Codable, Sendable {
    public var name: String
    public var arn: String
    public var homeRegion: String?
    public var multiRegion: Bool
    public var organizationTrail: Bool
    public var logging: Bool?
    public init(name: String, arn: String, homeRegion: String? = nil, multiRegion: Bool, organizationTrail: Bool = false, logging: Bool? = nil) {
        self.name = name
        self.arn = arn
        self.homeRegion = homeRegion
        self.multiRegion = multiRegion
        self.organizationTrail = organizationTrail
        self.logging = logging
    }
}
