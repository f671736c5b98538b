import MamoriCore

/// The rules `mamori iac` applies, one per kind of code that can look up an AMI.
public struct IaCRule: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var description: String

    /// Terraform `data "aws_ami"` / `data "aws_ami_ids"` (HCL or JSON).
    public static let terraform = IaCRule(
        id: "IAC-AMI-001", title: "Terraform AMI data source without pinned owners",
        description: "data \"aws_ami\" / \"aws_ami_ids\" selects an image by name or most_recent without owners or an owner-id, owner-alias or image-id filter, so any AWS account can publish a public AMI that matches (whoAMI).")
    /// Packer `source_ami_filter` blocks and `data "amazon-ami"` (HCL or legacy JSON).
    public static let packer = IaCRule(
        id: "IAC-AMI-002", title: "Packer source AMI filter without pinned owners",
        description: "A Packer source_ami_filter or amazon-ami data source selects the base image by name or most_recent without owners, so the build can start from a stranger's public AMI.")
    /// `aws ec2 describe-images` in shell scripts, Makefiles, CI YAML and Dockerfiles.
    public static let awsCLI = IaCRule(
        id: "IAC-AMI-003", title: "aws ec2 describe-images without --owners",
        description: "An AWS CLI call looks images up by name without --owners, --image-ids or an owner filter, so it also returns public AMIs from any account.")
    /// AWS SDK calls: boto3 `describe_images` / `images.filter`, JavaScript `DescribeImagesCommand`, Go `DescribeImages`.
    public static let sdk = IaCRule(
        id: "IAC-AMI-004", title: "SDK DescribeImages by name without Owners",
        description: "An AWS SDK DescribeImages call filters on the image name without Owners, ImageIds or an owner filter, so the result includes public AMIs from any account.")
    /// Pulumi `getAmi` / `get_ami` / `LookupAmi` / `GetAmi.Invoke`.
    public static let pulumi = IaCRule(
        id: "IAC-AMI-005", title: "Pulumi AMI look-up without owners",
        description: "A Pulumi aws.ec2.getAmi look-up selects by name or mostRecent without owners, so any AWS account can publish a matching public AMI.")
    /// AWS CDK `MachineImage.lookup` / `LookupMachineImage`, and CDK for Terraform `DataAwsAmi`.
    public static let cdk = IaCRule(
        id: "IAC-AMI-006", title: "CDK machine image look-up without owners",
        description: "An AWS CDK MachineImage.lookup / LookupMachineImage (or CDKTF DataAwsAmi) picks the newest image with a matching name from any account because owners is not set.")

    /// Ansible `amazon.aws.ec2_ami_info` (and the older `ec2_ami_facts` / `ec2_ami_find`).
    public static let ansible = IaCRule(
        id: "IAC-AMI-007", title: "Ansible AMI look-up without owners",
        description: "An Ansible ec2_ami_info task filters images by name without owners, image_ids or an owner filter, so it also returns public AMIs from any account.")

    /// Terraform AWS provider v6 `allow_unsafe_filter = true` / Pulumi `allowUnsafeFilter` on a look-up
    /// whose owners are pinned (an unpinned one is reported by its own rule, which says so too).
    public static let unsafeFilter = IaCRule(
        id: "IAC-AMI-008", title: "AMI look-up turns off the provider's whoAMI guard",
        description: "allow_unsafe_filter = true (Terraform AWS provider v6) or allowUnsafeFilter (Pulumi) silences the provider's own error for most_recent look-ups without owners, so a later edit that drops the owners goes through without a word.")

    /// CloudFormation `ImageId` from a parameter of Type String or a custom resource (JSON or YAML templates).
    public static let cloudFormation = IaCRule(
        id: "IAC-AMI-009", title: "CloudFormation ImageId from an unchecked parameter or a custom look-up",
        description: "A template's ImageId comes from a parameter of Type String (no check that it is an AMI id; a name default means something resolves it at deploy time) or from a custom resource's look-up, instead of AWS::EC2::Image::Id, an SSM public parameter or {{resolve:ssm:...}}.")

    public static let all: [IaCRule] = [terraform, packer, awsCLI, sdk, pulumi, cdk, ansible, unsafeFilter, cloudFormation]
}

/// One unpinned AMI look-up found in a file.
public struct IaCFinding: Sendable, Hashable, Codable {
    public var rule: String
    public var title: String
    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// What was found, e.g. `data.aws_ami.ubuntu` or `aws ec2 describe-images`.
    public var resource: String
    public var message: String
    /// How to pin the owner, with a snippet to paste.
    public var fix: String

    public init(rule: IaCRule, severity: Severity, file: String, location: SourceLocation,
                resource: String, message: String, fix: String) {
        self.rule = rule.id
        self.title = rule.title
        self.severity = severity
        self.file = file
        self.line = location.line
        self.column = location.column
        self.resource = resource
        self.message = message
        self.fix = fix
    }
}

/// A file that could not be read or parsed: the scan went on, and the file is named in the output.
public struct IaCFileError: Sendable, Hashable, Codable, Error {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:col: message`, the form compilers use, so editors can jump to it.
    public var display: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
