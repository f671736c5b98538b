import MamoriCore

/// Every posture check, with the figures from Datadog's State of AWS Security (seed 003) that
/// motivate it in the rationale.
public enum Catalog {
    public static let unusedCredentials = CheckDefinition(
        id: "iam.unused_credentials", title: "IAM user with credentials unused for 90 days", severity: .medium,
        resourceType: "AwsIamUser",
        rationale: "Unused passwords and keys are attack surface nobody watches; 39% of IAM users have one (State of AWS Security).",
        remediation: "Disable or delete the unused password and access keys (aws iam delete-login-profile / update-access-key --status Inactive), or remove the user.")
    public static let consoleWithoutMFA = CheckDefinition(
        id: "iam.console_without_mfa", title: "Console user without MFA", severity: .high, resourceType: "AwsIamUser",
        rationale: "A console password without MFA falls to phishing or reuse; 40% of organisations have such a user.",
        remediation: "Enable an MFA device for the user (aws iam enable-mfa-device), or remove the console password if it is not needed.")
    public static let oldAccessKey = CheckDefinition(
        id: "iam.access_key_older_90d", title: "Active access key older than 90 days", severity: .medium, resourceType: "AwsIamAccessKey",
        rationale: "Long-lived keys leak through code, logs and images; 60% of IAM users have an active key older than 90 days.",
        remediation: "Rotate the key: create a second key, move workloads to it, deactivate then delete the old one. Prefer roles and temporary credentials.")
    public static let staleAccessKey = CheckDefinition(
        id: "iam.access_key_stale", title: "Access key older than a year and unused for 30 days", severity: .medium, resourceType: "AwsIamAccessKey",
        rationale: "A year-old key nobody uses is pure risk: 25% of IAM users carry one.",
        remediation: "Deactivate the key (aws iam update-access-key --status Inactive) and delete it once nothing breaks.")
    public static let rootAccessKey = CheckDefinition(
        id: "iam.root_access_key", title: "Root user has an active access key", severity: .critical, resourceType: "AwsAccount",
        rationale: "Root keys cannot be limited by IAM policies; 3% of accounts still have one.",
        remediation: "Delete the root access keys (sign in as root, Security credentials, Access keys) and use IAM roles instead.")
    public static let rootRecentUse = CheckDefinition(
        id: "iam.root_recent_use", title: "Root user used recently", severity: .high, resourceType: "AwsAccount",
        rationale: "Daily work as root bypasses every guardrail; 23% of organisations used root in the last 30 days.",
        remediation: "Review the root activity in CloudTrail, then reserve root for the few tasks that need it.")
    public static let rootWithoutMFA = CheckDefinition(
        id: "iam.root_without_mfa", title: "Root user without MFA", severity: .critical, resourceType: "AwsAccount",
        rationale: "The root user can do anything, including closing the account.",
        remediation: "Enable MFA for the root user (preferably a hardware key).")
    public static let quarantinePolicy = CheckDefinition(
        id: "iam.compromised_key_quarantine", title: "AWS quarantined a principal for a leaked key", severity: .critical, resourceType: "AwsIamUser",
        rationale: "AWS attaches AWSCompromisedKeyQuarantine* when it finds an exposed access key: a key of this principal has leaked.",
        remediation: "Follow the leaked-key response (mamori respond leaked-key KEY): create a replacement key, move the workloads, deactivate then delete the exposed key, review CloudTrail and every region. Keep the policy attached until the response is complete: the seed does not recommend removing it before. AWSCompromisedKeyQuarantineV2/V3 also deny cloudtrail:LookupEvents to this identity, so run the CloudTrail review as another principal.")
    public static let publicBucket = CheckDefinition(
        id: "s3.bucket_public", title: "S3 bucket is public", severity: .critical, resourceType: "AwsS3Bucket",
        rationale: "Public buckets leak data and, through logs and config files, credentials; 36% of organisations have one.",
        remediation: "Remove the public statement or ACL grant, and turn on S3 Block Public Access for the account (aws s3control put-public-access-block).")
    public static let publicTopic = CheckDefinition(
        id: "sns.topic_public", title: "SNS topic is public", severity: .high, resourceType: "AwsSnsTopic",
        rationale: "Anyone can publish to or subscribe to a public topic; 15% of organisations have one.",
        remediation: "Restrict the topic policy's principal, or add a condition such as aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID.")
    public static let publicQueue = CheckDefinition(
        id: "sqs.queue_public", title: "SQS queue is public", severity: .high, resourceType: "AwsSqsQueue",
        rationale: "Anyone can read, inject or delete messages in a public queue; 18% of organisations have one.",
        remediation: "Restrict the queue policy's principal, or add a condition such as aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID.")
    public static let instanceIMDSv1 = CheckDefinition(
        id: "ec2.instance_imdsv2_not_required", title: "EC2 instance does not require IMDSv2", severity: .high, resourceType: "AwsEc2Instance",
        rationale: "IMDSv1 lets an SSRF steal the instance role's credentials (the Capital One breach); 93% of instances do not enforce IMDSv2.",
        remediation: "aws ec2 modify-instance-metadata-options --instance-id ID --http-tokens required --http-endpoint enabled")
    public static let templateIMDSv1 = CheckDefinition(
        id: "ec2.launch_template_imdsv2_not_required", title: "Launch template does not require IMDSv2", severity: .medium, resourceType: "AwsEc2LaunchTemplate",
        rationale: "Every instance launched from the template will accept IMDSv1.",
        remediation: "Create a template version with MetadataOptions HttpTokens=required and make it the default.")
    public static let imdsDefault = CheckDefinition(
        id: "ec2.imds_default_not_required", title: "Region default does not require IMDSv2", severity: .low, resourceType: "AwsAccount",
        rationale: "IMDSv2 is not the default for new instances; the account-level default makes it so.",
        remediation: "aws ec2 modify-instance-metadata-defaults --http-tokens required --region REGION")
    public static let imdsNotEnforced = CheckDefinition(
        id: "ec2.imds_v2_not_enforced", title: "Region does not enforce IMDSv2 at launch", severity: .low, resourceType: "AwsAccount",
        rationale: "The default only applies when a launch says nothing: a launch or a modify call that asks for HttpTokens=optional still gets IMDSv1. "
            + "HttpTokensEnforced=enabled makes EC2 refuse those. Low on its own; medium while instances in the region already accept IMDSv1, "
            + "which shows launches still opt out.",
        remediation: "After every launch path requires IMDSv2: aws ec2 modify-instance-metadata-defaults --http-tokens required --http-tokens-enforced enabled --region REGION")
    public static let instanceHopLimit = CheckDefinition(
        id: "ec2.instance_imds_hop_limit", title: "EC2 instance lets the IMDSv2 token travel more than one hop", severity: .medium,
        resourceType: "AwsEc2Instance",
        rationale: "HttpPutResponseHopLimit above 1 lets the IMDSv2 token reach anything one hop further (containers, forwarded or proxied "
            + "traffic) and with it the instance role's credentials; only container hosts need 2. Medium when IMDSv2 is required (the hop "
            + "limit is then the barrier that is missing); low when IMDSv1 is still accepted, since the hop limit only governs the token and "
            + "ec2.instance_imdsv2_not_required already reports the larger hole.",
        remediation: "aws ec2 modify-instance-metadata-options --instance-id ID --http-put-response-hop-limit 1")
    public static let templateHopLimit = CheckDefinition(
        id: "ec2.launch_template_imds_hop_limit", title: "Launch template lets the IMDSv2 token travel more than one hop", severity: .medium,
        resourceType: "AwsEc2LaunchTemplate",
        rationale: "Every instance launched from the template gets the hop limit (launch configurations: autoscaling.launch_configuration_imds_hop_limit). Medium when "
            + "the template requires IMDSv2, low when it accepts IMDSv1 (reported by ec2.launch_template_imdsv2_not_required).",
        remediation: "Create a template version with MetadataOptions HttpPutResponseHopLimit=1 and make it the default (2 only for container hosts).")
    public static let launchConfigurationHopLimit = CheckDefinition(
        id: "autoscaling.launch_configuration_imds_hop_limit", title: "Launch configuration lets the IMDSv2 token travel more than one hop",
        severity: .medium, resourceType: "AwsAutoScalingLaunchConfiguration",
        rationale: "Every instance the Auto Scaling group launches from the configuration gets HttpPutResponseHopLimit above 1, so the IMDSv2 "
            + "token and the instance role's credentials reach anything one hop further; only container hosts need 2. FSBP AutoScaling.4 "
            + "rates it high without looking further; Mamori rates it medium when the configuration requires IMDSv2 (the hop limit is then "
            + "the barrier that is missing) and low when it accepts IMDSv1, the larger hole, and passes container hosts (an EKS/ECS AMI).",
        remediation: "Launch configurations cannot be changed: create a launch template with MetadataOptions HttpPutResponseHopLimit=1 "
            + "(2 only for container hosts) and move the group to it (aws autoscaling update-auto-scaling-group --launch-template ...).")
    public static let noCloudTrail = CheckDefinition(
        id: "cloudtrail.no_multi_region_trail", title: "No multi-region CloudTrail trail is logging", severity: .high, resourceType: "AwsAccount",
        rationale: "Without a trail, a leaked key's activity cannot be reconstructed beyond 90 days of event history.",
        remediation: "aws cloudtrail create-trail --is-multi-region-trail ... && aws cloudtrail start-logging --name TRAIL")
    public static let guardDutyOff = CheckDefinition(
        id: "guardduty.disabled", title: "GuardDuty is not enabled", severity: .medium, resourceType: "AwsAccount",
        rationale: "GuardDuty detects credential misuse and crypto-mining, the usual first signs of a leaked key.",
        remediation: "aws guardduty create-detector --enable --region REGION (or enable it organisation-wide).")
    public static let securityHubOff = CheckDefinition(
        id: "securityhub.disabled", title: "Security Hub is not enabled", severity: .low, resourceType: "AwsAccount",
        rationale: "AWS asks for at least one of MFA, Security Hub or GuardDuty after a key incident.",
        remediation: "aws securityhub enable-security-hub --region REGION")
    public static let securityGuardrails = CheckDefinition(
        id: "account.security_guardrails", title: "None of MFA for users, GuardDuty or Security Hub is on", severity: .medium, resourceType: "AwsAccount",
        rationale: "After an exposed key, AWS asks the account to have at least one of MFA for its IAM users, Security Hub or GuardDuty (seed 004): "
            + "with none, a stolen key is used unchallenged and unnoticed.",
        remediation: "Enable GuardDuty in every region you use (aws guardduty create-detector --enable --region REGION), or Security Hub, "
            + "and require MFA for every IAM user with a console password.")
    public static let bucketACLsEnabled = CheckDefinition(
        id: "s3.bucket_acls_enabled", title: "S3 bucket still uses ACLs (Object Ownership is not BucketOwnerEnforced)", severity: .low, resourceType: "AwsS3Bucket",
        rationale: "With ACLs enabled, objects uploaded by other accounts stay theirs and an object or bucket ACL can grant access the bucket policy "
            + "does not show; AWS disables ACLs on new buckets since April 2023 and recommends it for all (seed 004's guardrails).",
        remediation: "Check nothing relies on ACLs (the bucket's and objects' grants), then aws s3api put-bucket-ownership-controls --bucket BUCKET "
            + "--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'.")
    public static let usersWithoutIdentityCenter = CheckDefinition(
        id: "iam.users_long_term_credentials", title: "IAM users sign in with long-term credentials instead of IAM Identity Center", severity: .info, resourceType: "AwsAccount",
        rationale: "IAM users' passwords and access keys do not expire on their own and are what leaks; IAM Identity Center gives people short-lived "
            + "credentials from one place (an organisation instance covers every member account).",
        remediation: "Move people to IAM Identity Center (permission sets per role) and remove their IAM users' passwords and keys; keep IAM users "
            + "only for workloads that cannot use roles.")
    public static let costGuardrails = CheckDefinition(
        id: "account.cost_guardrails", title: "Fewer than two cost and activity guardrails", severity: .low, resourceType: "AwsAccount",
        rationale: "AWS asks for at least two of Budgets, CloudTrail, Trusted Advisor and Cost Anomaly Detection so abuse is noticed quickly.",
        remediation: "Create a budget with an alert (aws budgets create-budget) and a Cost Anomaly Detection monitor.")

    public static let instanceAMI = CheckDefinition(
        id: "ec2.instance_ami_untrusted", title: "Instance runs an AMI from an untrusted owner", severity: .high, resourceType: "AwsEc2Instance",
        rationale: "whoAMI: automation that looks AMIs up by name without pinning the owner can launch an attacker's public look-alike image.",
        remediation: "Replace the instance from an AMI of a trusted owner, pin owners in the code that chose it (mamori iac), and enable Allowed AMIs.")
    public static let templateAMI = CheckDefinition(
        id: "ec2.launch_template_ami_untrusted", title: "Launch template uses an AMI from an untrusted owner", severity: .high, resourceType: "AwsEc2LaunchTemplate",
        rationale: "Every instance launched from the template runs the image.",
        remediation: "Create a template version with an AMI from a trusted owner and make it the default.")
    public static let launchConfigurationAMI = CheckDefinition(
        id: "autoscaling.launch_configuration_ami_untrusted", title: "Launch configuration uses an AMI from an untrusted owner", severity: .high,
        resourceType: "AwsAutoScalingLaunchConfiguration",
        rationale: "Auto Scaling keeps launching the image whenever it scales out.",
        remediation: "Move the group to a launch template with an AMI from a trusted owner.")
    public static let groupOverrideAMI = CheckDefinition(
        id: "autoscaling.group_override_ami_untrusted", title: "Auto Scaling group override uses an AMI from an untrusted owner", severity: .high,
        resourceType: "AwsAutoScalingAutoScalingGroup",
        rationale: "A mixed instances policy override's ImageId replaces the template's AMI whenever the group launches that instance type.",
        remediation: "Point the override at an AMI of a trusted owner (aws autoscaling update-auto-scaling-group --mixed-instances-policy …), or drop its ImageId.")
    public static let parameterAMI = CheckDefinition(
        id: "ssm.parameter_ami_untrusted", title: "SSM parameter holds an AMI from an untrusted owner", severity: .high, resourceType: "AwsSsmParameter",
        rationale: "Launch automation resolves AMI ids from parameters (resolve:ssm:NAME, AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>, "
            + "Image Builder's ssm: references): the next launch, stack update or scale-out runs whatever image the parameter names, "
            + "and nothing else in the account references it until then.",
        remediation: "Put an AMI of a trusted owner in the parameter (aws ssm put-parameter --name NAME --value AMI-ID --overwrite "
            + "--data-type aws:ec2:image), find out who wrote the untrusted one (the parameter's history, CloudTrail PutParameter), "
            + "restrict ssm:PutParameter on it, and enable Allowed AMIs so an untrusted id cannot be launched.")
    public static let fleetAMI = CheckDefinition(
        id: "ec2.fleet_ami_untrusted", title: "EC2 Fleet or Spot Fleet request uses an AMI from an untrusted owner", severity: .high,
        resourceType: "Other",
        rationale: "An EC2 Fleet override's ImageId or a Spot Fleet launch specification's ImageId is launched every time the fleet "
            + "replaces or adds capacity, whatever the launch template says.",
        remediation: "Modify the fleet to an AMI of a trusted owner (EC2 Fleet: aws ec2 modify-fleet --launch-template-configs …; Spot Fleet "
            + "launch specifications cannot be changed: cancel the request with aws ec2 cancel-spot-fleet-requests and request a new one).")
    public static let recipeAMI = CheckDefinition(
        id: "imagebuilder.recipe_ami_untrusted", title: "Image Builder recipe builds from an AMI of an untrusted owner", severity: .high,
        resourceType: "Other",
        rationale: "Every image the pipeline builds inherits the parent AMI (and a container recipe's build instance runs its instance image): "
            + "an untrusted base spreads into every AMI the account produces and then trusts as its own.",
        remediation: "Create a new recipe version whose parentImage (or instanceImage) is an AMI of a trusted owner, an Image Builder "
            + "managed image ARN or an ssm: parameter you control, point the pipelines at it, and rebuild the images built from the old one.")
    public static let allowedAMIs = CheckDefinition(
        id: "ec2.allowed_amis_not_enabled", title: "EC2 Allowed AMIs is not enforced", severity: .medium, resourceType: "AwsAccount",
        rationale: "Allowed AMIs stops launches from image providers you did not list; without it any public AMI can be launched.",
        remediation: "Run `mamori amis plan`, enable audit mode, watch it for about a month, then enable.")
    public static let sharedAMI = CheckDefinition(
        id: "ec2.shared_ami_untrusted", title: "AMI shared into the account by an untrusted account", severity: .medium, resourceType: "AwsEc2Image",
        rationale: "Any account can share an AMI with yours without consent; a malicious image can be shared in and launched by mistake.",
        remediation: "Block its use with an IAM/SCP condition on ec2:Owner for ec2:RunInstances (mamori amis plan prints it; it never lists an untrusted owner). "
            + "This account cannot deregister or unshare an AMI shared into it: stop using it and ask the owner to remove the launch permission.")
    public static let sharedSnapshot = CheckDefinition(
        id: "ec2.shared_snapshot_untrusted", title: "EBS snapshot shared into the account by an untrusted account", severity: .medium, resourceType: "AwsEc2Snapshot",
        rationale: "Shared snapshots can carry malicious data into volumes; sharing cannot be refused.",
        // Seed 002: IAM has no way to say "only snapshots owned by these accounts" for CreateVolume,
        // so the advice must not promise an exception it cannot express.
        remediation: "Stop using it: create no volumes from it and replace volumes already made from it. This account cannot delete or unshare a snapshot "
            + "shared into it; only the owner can, so ask the owner to remove the create-volume permission. What IAM can express: a Deny of "
            + "ec2:CreateVolume (and ec2:CopySnapshot, which would make a copy your own) on this snapshot's ARN, arn:PARTITION:ec2:REGION::snapshot/SNAPSHOT-ID (PARTITION: aws, aws-cn in China, aws-us-gov in GovCloud), "
            + "one snapshot at a time. What it cannot: no condition key restricts ec2:CreateVolume by the snapshot's owner and snapshot ARNs carry no "
            + "account ID, so there is no deny-except-trusted-owners policy; a blanket Deny on arn:PARTITION:ec2:*::snapshot/* also blocks volumes from "
            + "your own snapshots (restores, AWS Backup).")
    public static let sharedDBSnapshot = CheckDefinition(
        id: "rds.shared_snapshot_untrusted", title: "RDS snapshot shared into the account by an untrusted account", severity: .medium, resourceType: "AwsRdsDbSnapshot",
        rationale: "A database restored from a foreign snapshot runs someone else's data and users.",
        remediation: "Do not restore or copy it. This account cannot delete or unshare a snapshot shared into it; only the owner can, so ask the owner "
            + "to remove this account from the snapshot's restore attribute. RDS snapshot ARNs carry the owner's account ID, so a Deny of "
            + "rds:RestoreDBInstanceFromDBSnapshot, rds:RestoreDBClusterFromSnapshot, rds:CopyDBSnapshot and rds:CopyDBClusterSnapshot on "
            + "arn:PARTITION:rds:*:OWNER-ACCOUNT:snapshot:* and arn:PARTITION:rds:*:OWNER-ACCOUNT:cluster-snapshot:* (PARTITION: aws, aws-cn in China, "
            + "aws-us-gov in GovCloud) blocks that owner's snapshots without touching yours.")
    public static let sharedOutAMI = CheckDefinition(
        id: "ec2.ami_shared_out", title: "Own AMI is public or shared outside the trust", severity: .high, resourceType: "AwsEc2Image",
        rationale: "An AMI carries its snapshots' data (keys, configuration, code); anyone it is launchable by can read all of it.",
        remediation: "aws ec2 modify-image-attribute --image-id ID --launch-permission \"Remove=[{Group=all}]\" (or Remove=[{UserId=ACCOUNT}]); "
            + "then turn on block public access for AMIs (aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing).")
    public static let sharedOutSnapshot = CheckDefinition(
        id: "ec2.snapshot_shared_out", title: "Own EBS snapshot is public or shared outside the trust", severity: .high, resourceType: "AwsEc2Snapshot",
        rationale: "Anyone a snapshot is restorable by can create a volume from it and read the whole disk; public snapshots are scanned for secrets within hours.",
        remediation: "aws ec2 modify-snapshot-attribute --snapshot-id ID --attribute createVolumePermission --operation-type remove --group-names all "
            + "(or --user-ids ACCOUNT); then block public sharing (aws ec2 enable-snapshot-block-public-access --state block-all-sharing).")
    public static let sharedOutDBSnapshot = CheckDefinition(
        id: "rds.snapshot_shared_out", title: "Own RDS snapshot is public or shared outside the trust", severity: .high, resourceType: "AwsRdsDbSnapshot",
        rationale: "Anyone a DB snapshot is restorable by can restore the database with all its data.",
        remediation: "aws rds modify-db-snapshot-attribute (or modify-db-cluster-snapshot-attribute) --attribute-name restore --values-to-remove all (or the account id).")
    public static let imageBlockPublicAccess = CheckDefinition(
        id: "ec2.image_block_public_access_off", title: "Block public access for AMIs is off", severity: .medium, resourceType: "AwsAccount",
        rationale: "Without it, one modify-image-attribute call makes an AMI and its data public.",
        remediation: "aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing --region REGION")
    public static let snapshotBlockPublicAccess = CheckDefinition(
        id: "ec2.snapshot_block_public_access_off", title: "Block public access for EBS snapshots is off", severity: .medium, resourceType: "AwsAccount",
        rationale: "Without it, one modify-snapshot-attribute call makes a disk public; block-all-sharing also hides snapshots already public.",
        remediation: "aws ec2 enable-snapshot-block-public-access --state block-all-sharing --region REGION (block-new-sharing keeps existing public snapshots public)")
    public static let keyInCloudResource = CheckDefinition(
        id: "secrets.key_in_cloud_resource", title: "AWS access key stored in a cloud resource", severity: .critical, resourceType: "AwsAccount",
        rationale: "Keys baked into user data, function and task environments, stack parameters and outputs, plain SSM parameters or build "
            + "projects are readable by everyone with read access to the resource (ec2:DescribeInstanceAttribute, lambda:ListFunctions…) "
            + "and survive in every copy and template version; seed 004 lists them among the usual leaks. Critical when the key belongs "
            + "to the scanned account or its organisation, high otherwise.",
        remediation: "Treat the key as exposed: run `mamori respond leaked-key KEY-ID` (the full key ID is in the named field) to replace, "
            + "deactivate and delete it. Then remove it from the resource: a new launch template version without it (and delete the old "
            + "versions), new user data (instances: stop, aws ec2 modify-instance-attribute --user-data, start), a new task definition revision "
            + "(deregister the old ones), updated function or project variables, a stack update. Give the workload an IAM role (instance "
            + "profile, task role, execution role) instead of a key; keep unavoidable secrets in Secrets Manager or SecureString parameters.")

    public static let all: [CheckDefinition] = [
        unusedCredentials, consoleWithoutMFA, oldAccessKey, staleAccessKey, rootAccessKey, rootRecentUse, rootWithoutMFA,
        quarantinePolicy, publicBucket, publicTopic, publicQueue, instanceIMDSv1, templateIMDSv1, imdsDefault,
        imdsNotEnforced, instanceHopLimit, templateHopLimit, launchConfigurationHopLimit,
        noCloudTrail, guardDutyOff, securityHubOff, costGuardrails, securityGuardrails, bucketACLsEnabled, usersWithoutIdentityCenter,
        instanceAMI, templateAMI, launchConfigurationAMI, groupOverrideAMI, parameterAMI, fleetAMI, recipeAMI, allowedAMIs, sharedAMI, sharedSnapshot, sharedDBSnapshot,
        sharedOutAMI, sharedOutSnapshot, sharedOutDBSnapshot, imageBlockPublicAccess, snapshotBlockPublicAccess,
        keyInCloudResource,
    ]
}
