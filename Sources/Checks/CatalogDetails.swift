import MamoriCore

/// A compliance framework Mamori maps its checks to.
public enum Framework: String, Sendable, Codable, CaseIterable, Comparable {
    case cis, fsbp

    /// The exact version the control ids below were taken from (control numbers change between versions).
    public var title: String {
        switch self {
        case .cis: "CIS AWS Foundations Benchmark v3.0.0"
        case .fsbp: "AWS Foundational Security Best Practices v1.0.0"
        }
    }

    /// How ASFF's `Compliance.RelatedRequirements` and Security Hub name a control of this framework.
    public func requirement(_ control: String) -> String {
        switch self {
        case .cis: "CIS AWS Foundations Benchmark v3.0.0/\(control)"
        case .fsbp: "AWS Foundational Security Best Practices v1.0.0/\(control)"
        }
    }

    public static func < (lhs: Framework, rhs: Framework) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One control of one framework that a check maps to. A failing finding fails the control; a
/// passing one covers only what the check examines (a control can ask for more).
public struct ControlMapping: Sendable, Hashable, Codable, Comparable {
    public var framework: Framework
    public var control: String

    public init(_ framework: Framework, _ control: String) {
        self.framework = framework
        self.control = control
    }

    public var requirement: String { framework.requirement(control) }

    /// Natural order: CIS 1.4 before 1.10, EC2.8 before EC2.170.
    public static func < (lhs: ControlMapping, rhs: ControlMapping) -> Bool {
        if lhs.framework != rhs.framework { return lhs.framework < rhs.framework }
        return lhs.control.compare(rhs.control, options: .numeric) == .orderedAscending
    }
}

/// What a check reads and the IAM actions that reading needs, and the controls it maps to.
public struct CheckDetails: Sendable, Hashable, Codable {
    public var reads: String
    public var permissions: [String]
    public var compliance: [ControlMapping]

    public init(reads: String, permissions: [String], compliance: [ControlMapping] = []) {
        self.reads = reads
        self.permissions = permissions
        self.compliance = compliance
    }
}

extension CheckDefinition {
    /// The AWS service a check belongs to: its id's prefix (`iam`, `s3`, `ec2`, …), what `--services` selects.
    public var service: String { String(id.prefix { $0 != "." }) }

    /// Reads, permissions and compliance mappings (Catalog.details; empty for a check missing there,
    /// which CatalogTests reports).
    public var details: CheckDetails { Catalog.details[id] ?? CheckDetails(reads: "", permissions: []) }

    public var compliance: [ControlMapping] { details.compliance }
}

extension Catalog {
    /// Every check's details, by id. Control ids were checked against Security Hub's control lists
    /// for CIS v3.0.0 and FSBP (docs/checks.md names the sources); a check maps only where the
    /// control tests the same condition or its failure is implied by ours.
    public static let details: [String: CheckDetails] = {
        let report = ["iam:GenerateCredentialReport", "iam:GetCredentialReport"]
        let users = report + ["iam:GetAccountAuthorizationDetails", "iam:ListAccessKeys"]
        let root = report + ["iam:GetAccountSummary"]
        let instances = ["ec2:DescribeInstances"]
        let templates = ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"]
        let images = ["ec2:DescribeImages", "ec2:DescribeInstanceImageMetadata"]
        return [
            Catalog.unusedCredentials.id: CheckDetails(
                reads: "IAM credential report: password and access key last use", permissions: users,
                compliance: [.init(.cis, "1.12"), .init(.fsbp, "IAM.8")]),
            Catalog.consoleWithoutMFA.id: CheckDetails(
                reads: "IAM credential report: console passwords and MFA", permissions: users,
                compliance: [.init(.cis, "1.10"), .init(.fsbp, "IAM.5")]),
            Catalog.oldAccessKey.id: CheckDetails(
                reads: "IAM credential report and access keys: key age", permissions: users,
                compliance: [.init(.cis, "1.14"), .init(.fsbp, "IAM.3")]),
            Catalog.staleAccessKey.id: CheckDetails(
                reads: "IAM credential report and access keys: key age and last use", permissions: users),
            Catalog.rootAccessKey.id: CheckDetails(
                reads: "IAM credential report (or account summary): root access keys", permissions: root,
                compliance: [.init(.cis, "1.4"), .init(.fsbp, "IAM.4")]),
            Catalog.rootRecentUse.id: CheckDetails(
                reads: "IAM credential report: root password and key last use", permissions: report,
                compliance: [.init(.cis, "1.7")]),
            Catalog.rootWithoutMFA.id: CheckDetails(
                reads: "IAM credential report (or account summary): root MFA", permissions: root,
                compliance: [.init(.cis, "1.5")]),
            Catalog.quarantinePolicy.id: CheckDetails(
                reads: "IAM authorization details: policies attached to users and roles", permissions: ["iam:GetAccountAuthorizationDetails"]),
            Catalog.publicBucket.id: CheckDetails(
                reads: "S3 buckets: bucket policy, ACL, bucket and account Block Public Access",
                permissions: ["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPolicy", "s3:GetBucketAcl",
                              "s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
                compliance: [.init(.cis, "2.1.4"), .init(.fsbp, "S3.2"), .init(.fsbp, "S3.3")]),
            Catalog.publicTopic.id: CheckDetails(
                reads: "SNS topics: access policy", permissions: ["sns:ListTopics", "sns:GetTopicAttributes"],
                compliance: [.init(.fsbp, "SNS.4")]),
            Catalog.publicQueue.id: CheckDetails(
                reads: "SQS queues: access policy", permissions: ["sqs:ListQueues", "sqs:GetQueueAttributes"],
                compliance: [.init(.fsbp, "SQS.3")]),
            Catalog.instanceIMDSv1.id: CheckDetails(
                reads: "EC2 instances: metadata options", permissions: instances,
                compliance: [.init(.cis, "5.6"), .init(.fsbp, "EC2.8")]),
            Catalog.templateIMDSv1.id: CheckDetails(
                reads: "EC2 launch templates: default version's metadata options", permissions: templates,
                compliance: [.init(.fsbp, "EC2.170")]),
            Catalog.imdsDefault.id: CheckDetails(
                reads: "EC2 account-level instance metadata defaults", permissions: ["ec2:GetInstanceMetadataDefaults"]),
            Catalog.imdsNotEnforced.id: CheckDetails(
                reads: "EC2 account-level instance metadata defaults and instances",
                permissions: ["ec2:GetInstanceMetadataDefaults"] + instances),
            Catalog.instanceHopLimit.id: CheckDetails(reads: "EC2 instances: metadata hop limit", permissions: instances),
            Catalog.templateHopLimit.id: CheckDetails(reads: "EC2 launch templates: metadata hop limit", permissions: templates),
            Catalog.launchConfigurationHopLimit.id: CheckDetails(
                reads: "Auto Scaling launch configurations: metadata hop limit (and the AMI name, for container hosts)",
                permissions: ["autoscaling:DescribeLaunchConfigurations", "ec2:DescribeImages"],
                compliance: [.init(.fsbp, "AutoScaling.4")]),
            Catalog.noCloudTrail.id: CheckDetails(
                reads: "CloudTrail trails and their logging status", permissions: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"],
                compliance: [.init(.cis, "3.1"), .init(.fsbp, "CloudTrail.1")]),
            Catalog.guardDutyOff.id: CheckDetails(
                reads: "GuardDuty detectors per region", permissions: ["guardduty:ListDetectors", "guardduty:GetDetector"],
                compliance: [.init(.fsbp, "GuardDuty.1")]),
            Catalog.securityHubOff.id: CheckDetails(
                reads: "Security Hub state per region", permissions: ["securityhub:DescribeHub"],
                compliance: [.init(.cis, "4.16")]),
            Catalog.securityGuardrails.id: CheckDetails(
                reads: "IAM credential report (console users and MFA), GuardDuty and Security Hub per region",
                permissions: users + ["guardduty:ListDetectors", "guardduty:GetDetector", "securityhub:DescribeHub"]),
            Catalog.bucketACLsEnabled.id: CheckDetails(
                reads: "S3 buckets: Object Ownership (ownership controls)", permissions: ["s3:ListAllMyBuckets", "s3:GetBucketOwnershipControls"],
                compliance: [.init(.fsbp, "S3.12")]),
            Catalog.usersWithoutIdentityCenter.id: CheckDetails(
                reads: "IAM credential report and access keys: console passwords and active keys", permissions: users),
            Catalog.costGuardrails.id: CheckDetails(
                reads: "Budgets, Cost Anomaly Detection monitors, Trusted Advisor, CloudTrail",
                permissions: ["budgets:ViewBudget", "ce:GetAnomalyMonitors", "support:DescribeTrustedAdvisorChecks",
                              "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"]),
            Catalog.keyInCloudResource.id: CheckDetails(
                reads: "instance, launch template and launch configuration user data, Lambda and ECS environments, CloudFormation parameters and outputs, SSM String parameters, CodeBuild variables",
                permissions: instances + ["ec2:DescribeInstanceAttribute", "ec2:DescribeLaunchTemplateVersions", "autoscaling:DescribeLaunchConfigurations",
                                          "lambda:ListFunctions", "ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition", "cloudformation:DescribeStacks",
                                          "ssm:DescribeParameters", "ssm:GetParameters", "codebuild:ListProjects", "codebuild:BatchGetProjects"],
                compliance: [.init(.fsbp, "CodeBuild.2"), .init(.fsbp, "ECS.8")]),
            Catalog.instanceAMI.id: CheckDetails(
                reads: "EC2 instances and the owners of their AMIs", permissions: instances + images),
            Catalog.templateAMI.id: CheckDetails(
                reads: "EC2 launch templates and the owners of their AMIs", permissions: templates + ["ec2:DescribeImages"]),
            Catalog.launchConfigurationAMI.id: CheckDetails(
                reads: "Auto Scaling launch configurations and the owners of their AMIs",
                permissions: ["autoscaling:DescribeLaunchConfigurations", "ec2:DescribeImages"]),
            Catalog.groupOverrideAMI.id: CheckDetails(
                reads: "Auto Scaling groups' mixed instances policy overrides and the owners of their AMIs",
                permissions: ["autoscaling:DescribeAutoScalingGroups", "ec2:DescribeImages"]),
            Catalog.parameterAMI.id: CheckDetails(
                reads: "SSM String parameters whose value is an AMI id (the same read as the key hunt's) and the owners of those AMIs",
                permissions: ["ssm:DescribeParameters", "ssm:GetParameters", "ec2:DescribeImages"]),
            Catalog.fleetAMI.id: CheckDetails(
                reads: "EC2 Fleets' override AMIs and Spot Fleet requests' launch specification AMIs, and the owners of those AMIs",
                permissions: ["ec2:DescribeFleets", "ec2:DescribeSpotFleetRequests", "ec2:DescribeImages"]),
            Catalog.recipeAMI.id: CheckDetails(
                reads: "EC2 Image Builder image recipes' and container recipes' parent (and build instance) AMIs, and the owners of those AMIs",
                permissions: ["imagebuilder:ListImageRecipes", "imagebuilder:ListContainerRecipes", "ec2:DescribeImages"]),
            Catalog.allowedAMIs.id: CheckDetails(
                reads: "EC2 Allowed AMIs settings per region", permissions: ["ec2:GetAllowedImagesSettings"]),
            Catalog.sharedAMI.id: CheckDetails(
                reads: "AMIs executable by the account (shared into it) and, where EC2 answers, the resources referencing them",
                permissions: ["ec2:DescribeImages", "ec2:DescribeImageReferences"]),
            Catalog.sharedSnapshot.id: CheckDetails(
                reads: "EBS snapshots restorable by the account (shared into it)", permissions: ["ec2:DescribeSnapshots"]),
            Catalog.sharedDBSnapshot.id: CheckDetails(
                reads: "RDS DB and cluster snapshots shared with the account",
                permissions: ["rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"]),
            Catalog.sharedOutAMI.id: CheckDetails(
                reads: "Own AMIs and their launch permissions", permissions: ["ec2:DescribeImages", "ec2:DescribeImageAttribute"]),
            Catalog.sharedOutSnapshot.id: CheckDetails(
                reads: "Own EBS snapshots and their create-volume permissions",
                permissions: ["ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"],
                compliance: [.init(.fsbp, "EC2.1")]),
            Catalog.sharedOutDBSnapshot.id: CheckDetails(
                reads: "Own manual RDS DB and cluster snapshots and their restore attribute",
                permissions: ["rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots",
                              "rds:DescribeDBSnapshotAttributes", "rds:DescribeDBClusterSnapshotAttributes"],
                compliance: [.init(.fsbp, "RDS.1")]),
            Catalog.imageBlockPublicAccess.id: CheckDetails(
                reads: "EC2 block public access for AMIs per region", permissions: ["ec2:GetImageBlockPublicAccessState"]),
            Catalog.snapshotBlockPublicAccess.id: CheckDetails(
                reads: "EC2 block public access for EBS snapshots per region", permissions: ["ec2:GetSnapshotBlockPublicAccessState"]),
        ]
    }()
}
