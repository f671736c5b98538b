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
    /// S3 Object Ownership (GetBucketOwnershipControls): `BucketOwnerEnforced` (ACLs disabled),
    /// `BucketOwnerPreferred` or `ObjectWriter`; a bucket without ownership controls is `ObjectWriter`,
    /// as S3 treats it. nil when not read.
    public var objectOwnership: String?
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
    /// How many network hops the IMDSv2 token (the PUT response) may travel; nil when not set.
    public var httpPutResponseHopLimit: Int?
    public init(httpTokens: String? = nil, httpEndpoint: String? = nil, httpPutResponseHopLimit: Int? = nil) {
        self.httpTokens = httpTokens
        self.httpEndpoint = httpEndpoint
        self.httpPutResponseHopLimit = httpPutResponseHopLimit
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
    /// Why the instance looks like a container host (e.g. "tag eks:cluster-name"); nil when nothing says so.
    public var containerMarker: String?
    /// The CloudFormation stack that launched it (`aws:cloudformation:stack-name` tag).
    public var stackName: String?
    /// The launch template version it came from (`aws:ec2launchtemplate:version` tag).
    public var launchTemplateVersion: String?
    /// The service resource that launched it, from the tags AWS puts on its instances: "Auto Scaling
    /// group NAME", "EC2 Fleet fleet-…", "Spot Fleet request sfr-…"; nil when none says so.
    public var launchedBy: String?
    public init(id: String, state: String, imageId: String? = nil, launched: Date? = nil,
                metadata: MetadataOptions = MetadataOptions(), launchTemplateId: String? = nil, containerMarker: String? = nil) {
        self.containerMarker = containerMarker
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
    /// Why the template looks like it launches container hosts (tags, user data); nil when nothing says so.
    public var containerMarker: String?
    /// AMIs of the versions that are neither default nor latest: any version can be launched
    /// explicitly (`--launch-template Version=N`), so each is a way in.
    public var otherVersionImages: [TemplateVersionImage]?
    /// The CloudFormation stack that made the template (`aws:cloudformation:stack-name` tag).
    public var stackName: String?
    /// Per version number: "created TIME by ARN" (DescribeLaunchTemplateVersions' CreateTime and
    /// CreatedBy), so a finding says who put the AMI into that version.
    public var versionOrigins: [String: String]?

    /// Every AMI the template can launch, whichever version is chosen.
    public var allImageIds: [String] {
        var ids = [imageId, latestImageId].compactMap { $0 }
        for other in otherVersionImages ?? [] where !ids.contains(other.imageId) { ids.append(other.imageId) }
        return ids
    }
    public init(id: String, name: String, defaultVersion: Int? = nil, metadata: MetadataOptions? = nil, imageId: String? = nil,
                latestVersion: Int? = nil, latestImageId: String? = nil, containerMarker: String? = nil) {
        self.containerMarker = containerMarker
        self.latestVersion = latestVersion
        self.latestImageId = latestImageId
        self.id = id
        self.name = name
        self.defaultVersion = defaultVersion
        self.metadata = metadata
        self.imageId = imageId
    }
}

/// The AMI of one launch template version.
public struct TemplateVersionImage: Codable, Sendable, Hashable {
    public var version: Int
    public var imageId: String
    public init(version: Int, imageId: String) {
        self.version = version
        self.imageId = imageId
    }
}

/// The region's default metadata settings for new instances.
public struct IMDSDefaults: Codable, Sendable, Hashable {
    /// "required", "optional" or nil (no account-level preference).
    public var httpTokens: String?
    /// "enabled" makes EC2 refuse launches and changes that would allow IMDSv1; "disabled" or nil does not.
    public var httpTokensEnforced: String?
    public init(httpTokens: String? = nil, httpTokensEnforced: String? = nil) {
        self.httpTokens = httpTokens
        self.httpTokensEnforced = httpTokensEnforced
    }
}

/// Whether a host runs containers, from the names AWS's container services and common tools put on
/// it. Containers sit one network hop behind the host, so they need an IMDS hop limit of 2; elsewhere a
/// limit above 1 only lets the IMDSv2 token travel further than the instance.
public enum ContainerHosts {
    /// Tag keys (exact, or prefixes ending in "/") set by EKS, ECS, Karpenter and Kubernetes.
    static let tagKeys = ["eks:cluster-name", "aws:eks:cluster-name", "eks:nodegroup-name", "AmazonECSManaged",
                          "aws:ecs:clusterName", "aws:ecs:cluster-name", "karpenter.sh/nodepool", "karpenter.sh/provisioner-name",
                          "kubernetes.io/cluster/", "k8s.io/cluster-autoscaler/"]
    /// AMI name fragments of container-optimised images.
    static let imageNames = ["amazon-eks", "eks-node", "-ecs-", "ecs-optimized", "ecs-hvm", "bottlerocket"]
    /// User data lines that join a cluster (EKS bootstrap, nodeadm, the ECS agent's config).
    static let userData = ["/etc/eks/bootstrap.sh", "node.eks.aws", "ECS_CLUSTER=", "/etc/ecs/ecs.config"]

    /// "tag KEY" for the first container tag among `keys`.
    public static func marker(tagKeys keys: [String]) -> String? {
        keys.first { key in tagKeys.contains { $0.hasSuffix("/") ? key.hasPrefix($0) : key == $0 } }.map { "tag \($0)" }
    }

    /// "AMI NAME" when the image name is a container-optimised image's.
    public static func marker(imageName name: String?) -> String? {
        guard let name, imageNames.contains(where: { name.lowercased().contains($0) }) else { return nil }
        return "AMI \"\(name)\""
    }

    /// "user data joins a cluster" when the (decoded) user data does; the user data itself is never kept.
    public static func marker(userData text: String?) -> String? {
        guard let text, userData.contains(where: text.contains) else { return nil }
        return "user data joins a container cluster"
    }
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
