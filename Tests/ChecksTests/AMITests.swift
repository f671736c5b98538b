import Foundation
import Testing
@testable import Checks
import Inventory
import MamoriCore

/// whoAMI classification, the Allowed AMIs checks and the rollout plan on hand-built inventories.
struct AMITests {
    let account = "111122223333"

    func region(_ images: [AMIRecord], instances: [(String, String)], allowed: AllowedImagesState? = nil) -> RegionInventory {
        var region = RegionInventory(region: "eu-west-1")
        region.instances = instances.map { EC2Instance(id: $0.0, state: "running", imageId: $0.1, metadata: MetadataOptions(httpTokens: "required")) }
        var inventory = ImageInventory(images: Dictionary(uniqueKeysWithValues: images.map { ($0.id, $0) }))
        inventory.allowedImages = allowed
        region.images = inventory
        return region
    }

    static let images = [
        AMIRecord(id: "ami-aws", ownerId: "137112412989", ownerAlias: "amazon", isPublic: true),
        AMIRecord(id: "ami-mkt", ownerId: "679593333241", ownerAlias: "aws-marketplace", isPublic: true),
        AMIRecord(id: "ami-own", ownerId: "111122223333", isPublic: false),
        AMIRecord(id: "ami-trusted", ownerId: "222233334444", isPublic: false),
        AMIRecord(id: "ami-partner", ownerId: "555566667777", isPublic: false),
        AMIRecord(id: "ami-canonical", ownerId: "099720109477", isPublic: true),
        AMIRecord(id: "ami-evil", ownerId: "444455556666", name: "amzn2-ami-hvm-x86_64-gp2", isPublic: true),
    ]

    @Test func classification() {
        let trust = AMITrust(account: account, trusted: ["222233334444"])
        let inventory = region(Self.images, instances: []).images
        let origins = Self.images.map { trust.classify($0.id, images: inventory).origin }
        #expect(origins == [.verified, .verified, .own, .trusted, .shared, .publicVendor, .publicUnknown])
        #expect(trust.classify("ami-missing", images: inventory).origin == .unknown)
        #expect(trust.classify("ami-canonical", images: inventory).vendor == "Canonical")
        #expect(AMIOrigin.publicUnknown.severity == .critical)
    }

    @Test func allowedCriteriaMakeAnOwnerAllowed() {
        let allowed = AllowedImagesState(state: "audit-mode", providers: [["amazon", "555566667777"]])
        let trust = AMITrust(account: account, trusted: [])
        #expect(trust.classify("ami-partner", images: region(Self.images, instances: [], allowed: allowed).images).origin == .allowed)
        let disabled = AllowedImagesState(state: "disabled", providers: [["555566667777"]])
        #expect(trust.classify("ami-partner", images: region(Self.images, instances: [], allowed: disabled).images).origin == .shared)
    }

    @Test func instanceFindingsCarryTheOriginSeverity() {
        let r = region(Self.images, instances: [("i-evil", "ami-evil"), ("i-aws", "ami-aws"), ("i-partner", "ami-partner")])
        let evaluation = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])]))
        let failing = evaluation.failures.filter { $0.check == "ec2.instance_ami_untrusted" }
        #expect(Set(failing.map { $0.resource.split(separator: "/").last! }) == ["i-evil", "i-partner"])
        #expect(failing.first { $0.resource.hasSuffix("i-evil") }?.severity == .critical)
        #expect(failing.first { $0.resource.hasSuffix("i-partner") }?.severity == .high)
    }

    @Test func allowedAMIsStates() {
        func finding(_ state: AllowedImagesState?) -> Finding? {
            var images = Self.images
            images[6].allowed = false
            let r = region(images, instances: [("i-evil", "ami-evil")], allowed: state)
            return Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])]), config: MamoriConfig())
                .findings.first { $0.check == "ec2.allowed_amis_not_enabled" }
        }
        #expect(finding(nil) == nil, "unknown is never reported as compliant (nor as a finding)")
        #expect(finding(AllowedImagesState(state: "disabled"))?.status == .fail)
        let audit = finding(AllowedImagesState(state: "audit-mode", providers: [["amazon"]]))
        #expect(audit?.severity == .low)
        #expect(audit?.message.contains("ami-evil") == true)
        #expect(finding(AllowedImagesState(state: "enabled", providers: [["amazon"]]))?.status == .pass)
    }

    @Test func planKeepsInUseImagesAndLeavesOutUnknownPublicOwners() throws {
        var r = region(Self.images, instances: [("i-evil", "ami-evil"), ("i-aws", "ami-aws"), ("i-mkt", "ami-mkt"),
                                                ("i-partner", "ami-partner"), ("i-own", "ami-own")])
        r.launchTemplates = [LaunchTemplate(id: "lt-1", name: "web", imageId: "ami-evil")]
        r.images?.autoScalingGroups = [AutoScalingGroup(name: "web-asg", launchTemplateId: "lt-1")]
        let plan = AMIPlanner.plan(AccountInventory(accountId: account, regional: [r]), trusted: ["222233334444", "555566667777"])
        #expect(plan.providers == ["amazon", "aws-marketplace", "222233334444", "555566667777"])
        #expect(plan.excluded.map(\.imageId) == ["ami-evil"])
        #expect(plan.regions[0].affectedInstances == ["i-evil"])
        #expect(plan.regions[0].affectedTemplates == ["web (lt-1)"])
        #expect(plan.regions[0].affectedGroups == ["web-asg"])
        #expect(plan.blocksInUse)
        let criteria = try JSONSerialization.jsonObject(with: Data(plan.criteriaJSON.utf8)) as? [String: [[String: [String]]]]
        #expect(criteria?["ImageCriteria"]?.first?["ImageProviders"] == plan.providers)
        let declarative = plan.declarativePolicyJSON(state: "audit-mode")
        #expect(declarative.contains("\"audit_mode\""))
        #expect(declarative.contains("\"aws_marketplace\""))
        #expect(!declarative.contains("aws-marketplace"))
        #expect(plan.scpJSON.contains("\"111122223333\""), "the SCP must not deny the account's own AMIs")
        #expect(plan.scpJSON.contains("arn:aws:ec2:*::image/*"))
    }

    /// `ec2.shared_ami_untrusted` flags an in-use AMI shared by an untrusted account and says to block
    /// it with the plan's ec2:Owner policy: the plan must not allow that owner behind the user's back.
    @Test func planNeverPutsAnUntrustedOwnerIntoThePolicy() throws {
        var r = region(Self.images, instances: [("i-aws", "ami-aws"), ("i-partner", "ami-partner"), ("i-canonical", "ami-canonical"),
                                                ("i-evil", "ami-evil"), ("i-gone", "ami-missing")])
        r.launchTemplates = [LaunchTemplate(id: "lt-2", name: "batch", imageId: "ami-aws", latestImageId: "ami-partner")]
        r.images?.launchConfigurations = [LaunchConfiguration(name: "legacy", imageId: "ami-partner")]
        r.images?.autoScalingGroups = [AutoScalingGroup(name: "batch-asg", launchTemplateId: "lt-2"),
                                       AutoScalingGroup(name: "legacy-asg", launchConfiguration: "legacy")]
        r.images?.sharedImages = [Self.images[4]]
        let inventory = AccountInventory(accountId: account, regional: [r])
        let plan = AMIPlanner.plan(inventory, trusted: [])
        #expect(plan.providers == ["amazon"])
        for owner in ["555566667777", "099720109477", "444455556666"] {
            #expect(!plan.criteriaJSON.contains(owner))
            #expect(!plan.scpJSON.contains(owner))
            #expect(!plan.declarativePolicyJSON(state: "audit-mode").contains(owner))
        }
        #expect(plan.untrustedOwners.map(\.ownerId) == ["099720109477", "444455556666", "555566667777"])
        #expect(plan.untrustedOwners.map(\.origin) == ["public-known-vendor", "public-unknown", "shared"])
        let partner = try #require(plan.untrustedOwners.last)
        #expect(partner.images.map(\.imageId) == ["ami-partner"])
        #expect(partner.wouldBreak == ["eu-west-1 instance i-partner", "eu-west-1 launch template batch (lt-2)",
                                       "eu-west-1 launch configuration legacy", "eu-west-1 Auto Scaling group batch-asg",
                                       "eu-west-1 Auto Scaling group legacy-asg"])
        #expect(Set(plan.excluded.map(\.imageId)) == ["ami-partner", "ami-canonical", "ami-evil", "ami-missing"])
        #expect(Set(plan.regions[0].affectedInstances) == ["i-partner", "i-canonical", "i-evil", "i-gone"])
        #expect(plan.blocksInUse)

        // The check that flags the shared AMI and the plan agree.
        let flagged = Evaluator.evaluate(Inventory(accounts: [inventory])).failures.filter { $0.check == "ec2.shared_ami_untrusted" }
        #expect(flagged.map(\.resource) == ["arn:aws:ec2:eu-west-1::image/ami-partner"])
        #expect(flagged.first?.severity == .high)

        // Trusting the owner explicitly is what puts it into the policy.
        let trusted = AMIPlanner.plan(inventory, trusted: ["555566667777"])
        #expect(trusted.providers == ["amazon", "555566667777"])
        #expect(trusted.scpJSON.contains("\"555566667777\""))
        #expect(!trusted.untrustedOwners.contains { $0.ownerId == "555566667777" })
        #expect(!trusted.regions[0].affectedInstances.contains("i-partner"))
    }

    /// Seed 002: IAM cannot express "deny volume creation except from approved snapshot owners", and the
    /// receiving account cannot delete what was shared into it. The advice must say both, and promise nothing else.
    @Test func sharedResourceAdviceSaysWhatIAMCanAndCannotDo() {
        let ebs = Catalog.sharedSnapshot.remediation
        #expect(!ebs.localizedCaseInsensitiveContains("approved sources"))
        #expect(!ebs.localizedCaseInsensitiveContains("except from"))
        #expect(ebs.contains("no condition key restricts ec2:CreateVolume by the snapshot's owner"))
        #expect(ebs.contains("also blocks volumes from your own snapshots"))
        #expect(ebs.contains("cannot delete or unshare"))
        #expect(ebs.contains("ask the owner"))
        #expect(Catalog.sharedDBSnapshot.remediation.contains("cannot delete or unshare"))
        #expect(!Catalog.sharedDBSnapshot.remediation.contains("outside your organisation"), "no policy for that was shown to work")
        #expect(Catalog.sharedAMI.remediation.contains("cannot deregister or unshare"))

        var r = region(Self.images, instances: [])
        r.images?.sharedSnapshots = [SharedSnapshot(id: "snap-1", ownerId: "555566667777", kind: "ebs")]
        r.images?.sharedDBSnapshots = [SharedSnapshot(id: "db-export", arn: "arn:aws:rds:eu-west-1:555566667777:snapshot:db-export", ownerId: "555566667777", kind: "rds")]
        let findings = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])])).failures
        let snapshot = findings.first { $0.check == "ec2.shared_snapshot_untrusted" }
        #expect(snapshot?.message.contains("Only the owner can unshare it") == true)
        #expect(snapshot?.message.contains("deny ec2:CreateVolume on arn:aws:ec2:eu-west-1::snapshot/snap-1") == true)
        #expect(snapshot?.remediation == Catalog.sharedSnapshot.remediation)
        #expect(findings.first { $0.check == "rds.shared_snapshot_untrusted" }?.message.contains("Only the owner can unshare it") == true)
    }

    /// Owners are own, organisation, trusted, known vendor or unknown; only the last two fail.
    @Test func organisationTrustClassifiesAndPasses() throws {
        let member = "555566667777", vendor = "099720109477", stranger = "444455556666"
        let trust = AMITrust(account: account, trusted: ["222233334444"], organization: [member])
        #expect([account, member, "222233334444", vendor, stranger].map(trust.owner) == [.own, .organization, .trusted, .knownVendor, .unknown])
        #expect(trust.describe(vendor).contains("Canonical"))
        let inventory = region(Self.images, instances: []).images
        #expect(trust.classify("ami-partner", images: inventory).origin == .organization)

        var r = region(Self.images, instances: [("i-partner", "ami-partner")])
        r.images?.sharedImages = [Self.images[4]]
        r.images?.sharedSnapshots = [SharedSnapshot(id: "snap-member", ownerId: member, kind: "ebs"),
                                     SharedSnapshot(id: "snap-vendor", ownerId: vendor, kind: "ebs"),
                                     SharedSnapshot(id: "snap-stranger", ownerId: stranger, kind: "ebs")]
        r.images?.sharedDBSnapshots = [SharedSnapshot(id: "db-member", arn: "arn:aws:rds:eu-west-1:\(member):snapshot:db-member", ownerId: member, kind: "rds")]
        var inventoryAccount = AccountInventory(accountId: account, regional: [r])
        let without = Evaluator.evaluate(Inventory(accounts: [inventoryAccount])).failures
        #expect(without.contains { $0.check == "ec2.shared_ami_untrusted" })
        #expect(without.contains { $0.check == "ec2.instance_ami_untrusted" })

        // The organisation recorded in the inventory (scan --org, or trust: {organization: true}).
        inventoryAccount.organizationTrust = OrganizationTrust(source: "scan --org", accounts: [account, member])
        let evaluation = Evaluator.evaluate(Inventory(accounts: [inventoryAccount]))
        let failing = evaluation.failures
        #expect(!failing.contains { $0.check == "ec2.shared_ami_untrusted" || $0.check == "ec2.instance_ami_untrusted" || $0.check == "rds.shared_snapshot_untrusted" })
        #expect(failing.filter { $0.check == "ec2.shared_snapshot_untrusted" }.map { String($0.resource.split(separator: "/").last!) }.sorted()
                == ["snap-stranger", "snap-vendor"])
        #expect(failing.first { $0.resource.hasSuffix("snap-vendor") }?.message.contains("known vendor account 099720109477 (Canonical)") == true)
        #expect(failing.first { $0.resource.hasSuffix("snap-stranger") }?.message.contains("unknown account 444455556666") == true)
        let pass = evaluation.findings.first { $0.check == "ec2.instance_ami_untrusted" && $0.status == .pass }
        #expect(pass?.message.contains("organisation account 555566667777") == true)

        // The plan allows organisation owners.
        let plan = AMIPlanner.plan(inventoryAccount, trusted: [])
        #expect(plan.providers == ["amazon", member])
        #expect(plan.untrustedOwners.isEmpty)
    }

    /// Sharing out: own AMIs and snapshots public or shared outside the trust, and block public access.
    @Test func sharingOutAndBlockPublicAccess() {
        var r = region([], instances: [])
        r.images?.sharedOutImages = [SharedOutResource(id: "ami-pub", kind: "ami", name: "internal-app", isPublic: true),
                                     SharedOutResource(id: "ami-org", kind: "ami", accounts: ["555566667777"]),
                                     SharedOutResource(id: "ami-ou", kind: "ami", organizations: ["arn:aws:organizations::999988887777:ou/o-abc/ou-ab12-34cd56ef"])]
        r.images?.sharedOutSnapshots = [SharedOutResource(id: "snap-out", kind: "ebs", accounts: ["444455556666", "222233334444"]),
                                        SharedOutResource(id: "snap-pub", kind: "ebs", isPublic: true)]
        r.images?.sharedOutDBSnapshots = [SharedOutResource(id: "ledger", arn: "arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:ledger",
                                                            kind: "rds-cluster", isPublic: true),
                                          SharedOutResource(id: "orders", kind: "rds", accounts: ["099720109477"])]
        r.images?.imageBlockPublicAccess = "unblocked"
        r.images?.snapshotBlockPublicAccess = "block-new-sharing"
        var inventory = AccountInventory(accountId: account, regional: [r])
        inventory.organizationTrust = OrganizationTrust(source: "trust.organization", accounts: ["555566667777"])
        let evaluation = Evaluator.evaluate(Inventory(accounts: [inventory]), config: MamoriConfig(trust: ["222233334444"]))
        func finding(_ suffix: String) -> Finding? { evaluation.findings.first { $0.resource.hasSuffix(suffix) && $0.check.hasSuffix("shared_out") } }
        #expect(finding("image/ami-pub")?.severity == .high)
        #expect(finding("image/ami-pub")?.message.contains("public") == true)
        #expect(finding("image/ami-org")?.status == .pass, "shared with an organisation account only")
        #expect(finding("image/ami-ou")?.severity == .low)
        let out = finding("snapshot/snap-out")
        #expect(out?.status == .fail && out?.severity == .medium)
        #expect(out?.message.contains("unknown account 444455556666") == true)
        #expect(out?.message.contains("Also shared with trusted account 222233334444, which is fine.") == true)
        #expect(finding("snapshot/snap-pub")?.severity == .critical)
        #expect(finding("cluster-snapshot:ledger")?.severity == .critical)
        #expect(finding("cluster-snapshot:ledger")?.check == "rds.snapshot_shared_out")
        #expect(finding("snapshot:orders")?.message.contains("known vendor account 099720109477 (Canonical)") == true)
        let bpa = evaluation.findings.filter { $0.check.hasSuffix("block_public_access_off") }
        #expect(bpa.first { $0.check == "ec2.image_block_public_access_off" }?.status == .fail)
        #expect(bpa.first { $0.check == "ec2.snapshot_block_public_access_off" }?.status == .pass)
        #expect(bpa.allSatisfy { $0.resourceType == "AwsAccount" })

        // Not answered (an emulator, no permission): no finding either way.
        r.images?.imageBlockPublicAccess = nil
        r.images?.snapshotBlockPublicAccess = nil
        r.images?.sharedOutSnapshots = nil
        let unknown = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])]))
        #expect(!unknown.findings.contains { $0.check.hasSuffix("block_public_access_off") || $0.check == "ec2.snapshot_shared_out" })
    }

    /// Any launch template version can be launched by number: an untrusted AMI only in an old
    /// version is still a way in, and the plan counts it.
    @Test func everyLaunchTemplateVersionCounts() {
        var r = region(Self.images, instances: [])
        r.launchTemplates = [LaunchTemplate(id: "lt-9", name: "api", defaultVersion: 3, imageId: "ami-aws", latestVersion: 5,
                                            latestImageId: "ami-own")]
        r.launchTemplates?[0].otherVersionImages = [TemplateVersionImage(version: 1, imageId: "ami-evil"), TemplateVersionImage(version: 2, imageId: "ami-evil"),
                                                    TemplateVersionImage(version: 4, imageId: "ami-aws")]
        #expect(r.launchTemplates?[0].allImageIds == ["ami-aws", "ami-own", "ami-evil"])
        let inventory = AccountInventory(accountId: account, regional: [r])
        let failing = Evaluator.evaluate(Inventory(accounts: [inventory])).failures.filter { $0.check == "ec2.launch_template_ami_untrusted" }
        #expect(failing.count == 1)
        #expect(failing.first?.message.contains("versions 1, 2 (neither default nor latest, but launchable by number)") == true)
        #expect(failing.first?.severity == .critical)
        let plan = AMIPlanner.plan(inventory, trusted: [])
        #expect(plan.regions[0].affectedTemplates == ["api (lt-9)"])
        #expect(plan.untrustedOwners.first?.wouldBreak == ["eu-west-1 launch template api (lt-9)"])
        #expect(AMIPlanner.inUse(r).contains("ami-evil"))
    }

    /// A mixed instances policy override's ImageId, or its own launch template, is a reference too.
    @Test func autoScalingOverridesCount() {
        var r = region(Self.images, instances: [])
        r.launchTemplates = [LaunchTemplate(id: "lt-base", name: "base", defaultVersion: 1, imageId: "ami-aws"),
                             LaunchTemplate(id: "lt-alt", name: "alt", defaultVersion: 1, imageId: "ami-partner")]
        r.images?.autoScalingGroups = [AutoScalingGroup(name: "workers", launchTemplateId: "lt-base", overrideImageIds: ["ami-evil", "ami-evil"]),
                                       AutoScalingGroup(name: "mixed", launchTemplateId: "lt-base", overrideTemplateIds: ["lt-alt"])]
        let inventory = AccountInventory(accountId: account, regional: [r])
        let failing = Evaluator.evaluate(Inventory(accounts: [inventory])).failures.filter { $0.check == "autoscaling.group_override_ami_untrusted" }
        #expect(failing.count == 1)
        #expect(failing.first?.resource.hasSuffix("autoScalingGroupName/workers") == true)
        #expect(failing.first?.severity == .critical)
        #expect(AMIPlanner.inUse(r).contains("ami-evil"))
        let plan = AMIPlanner.plan(inventory, trusted: [])
        #expect(Set(plan.regions[0].affectedGroups) == ["workers", "mixed"])
        #expect(plan.untrustedOwners.first { $0.ownerId == "444455556666" }?.wouldBreak == ["eu-west-1 Auto Scaling group workers"])
    }

    /// SSM parameters, fleets and Image Builder recipes reference AMIs nothing may run yet: each is
    /// checked, says where the reference came from, and the plan lists it as something that would break.
    @Test func parameterFleetAndRecipeReferencesAreChecked() {
        var r = region(Self.images, instances: [])
        r.images?.parameterImages = [ParameterImage(name: "/golden/ami", imageId: "ami-evil", dataType: "aws:ec2:image",
                                                    lastModifiedUser: "arn:aws:iam::111122223333:user/ci", lastModified: "2026-03-01T10:00:00Z"),
                                     ParameterImage(name: "/golden/base", imageId: "ami-aws")]
        r.images?.fleets = [FleetImages(id: "fleet-1", kind: "ec2-fleet", state: "active", type: "maintain", created: "2026-03-02T10:00:00Z",
                                        imageIds: ["ami-evil"], launchTemplates: ["lt-1 version 2"], stackName: "batch"),
                            FleetImages(id: "sfr-1", kind: "spot-fleet", state: "active", imageIds: ["ami-partner"],
                                        fleetRole: "arn:aws:iam::111122223333:role/fleet"),
                            FleetImages(id: "sfr-old", kind: "spot-fleet", state: "cancelled_terminating", imageIds: ["ami-evil"])]
        r.images?.recipeImages = [RecipeImage(arn: "arn:aws:imagebuilder:eu-west-1:111122223333:image-recipe/web/1.0.0", name: "web",
                                              kind: "image", imageId: "ami-canonical", field: "parentImage"),
                                  RecipeImage(arn: "arn:aws:imagebuilder:eu-west-1:111122223333:container-recipe/app/1.0.0", name: "app",
                                              kind: "container", imageId: "ami-own", field: "instanceImage")]
        let inventory = AccountInventory(accountId: account, regional: [r])
        let findings = Evaluator.evaluate(Inventory(accounts: [inventory])).findings
        func of(_ check: String) -> [Finding] { findings.filter { $0.check == check } }

        let parameters = of("ssm.parameter_ami_untrusted")
        #expect(parameters.map(\.status) == [.fail, .pass])
        let parameter = parameters[0]
        #expect(parameter.resource == "arn:aws:ssm:eu-west-1:111122223333:parameter/golden/ami" && parameter.severity == .critical)
        #expect(parameter.message.hasPrefix("SSM parameter /golden/ami uses AMI ami-evil"))
        #expect(parameter.message.hasSuffix(" The value was last changed 2026-03-01T10:00:00Z by arn:aws:iam::111122223333:user/ci. "
                                            + "Its data type is aws:ec2:image, so EC2 checked the id exists, not who owns it."), "\(parameter.message)")

        let fleets = of("ec2.fleet_ami_untrusted")
        #expect(fleets.count == 2, "the cancelled Spot Fleet request launches nothing more")
        #expect(fleets[0].resource == "arn:aws:ec2:eu-west-1:111122223333:fleet/fleet-1" && fleets[0].severity == .critical)
        #expect(fleets[0].message.hasSuffix(" It was created 2026-03-02T10:00:00Z, by CloudFormation stack batch, launching from launch template lt-1 version 2. It is active (maintain)."),
                "\(fleets[0].message)")
        #expect(fleets[1].resource == "arn:aws:ec2:eu-west-1:111122223333:spot-fleet-request/sfr-1" && fleets[1].severity == .high)
        #expect(fleets[1].message.contains("Spot Fleet request sfr-1 (a launch specification) uses AMI ami-partner")
                && fleets[1].message.contains("with fleet role arn:aws:iam::111122223333:role/fleet"))

        let recipes = of("imagebuilder.recipe_ami_untrusted")
        #expect(recipes.map(\.status) == [.fail, .pass])
        #expect(recipes[0].message.hasPrefix("Image Builder image recipe web (parent image) uses AMI ami-canonical") && recipes[0].severity == .medium)
        #expect(recipes[1].message.hasPrefix("Image Builder container recipe app (build instance image) uses AMI ami-own"))

        #expect(Set(AMIPlanner.inUse(r)).isSuperset(of: ["ami-evil", "ami-partner", "ami-canonical", "ami-own"]))
        let plan = AMIPlanner.plan(inventory, trusted: [])
        #expect(plan.untrustedOwners.first { $0.ownerId == "444455556666" }?.wouldBreak == ["eu-west-1 SSM parameter /golden/ami", "eu-west-1 EC2 Fleet fleet-1"])
        #expect(plan.untrustedOwners.first { $0.ownerId == "099720109477" }?.wouldBreak == ["eu-west-1 Image Builder image recipe web"])
    }

    /// Where DescribeImageReferences answered, a shared-in AMI's finding names what references it.
    @Test func sharedAMIFindingNamesItsReferences() {
        var r = region(Self.images, instances: [])
        r.images?.sharedImages = [Self.images[4]]
        r.images?.imageReferences = ["ami-partner": ["arn:aws:ssm:eu-west-1:111122223333:parameter/base"]]
        let finding = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])])).failures
            .first { $0.check == "ec2.shared_ami_untrusted" }
        #expect(finding?.severity == .high)
        #expect(finding?.message.contains("It is in use in this region, referenced by arn:aws:ssm:eu-west-1:111122223333:parameter/base (DescribeImageReferences).") == true,
                "\(finding?.message ?? "")")
        r.images?.imageReferences = nil
        let unused = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])])).failures
            .first { $0.check == "ec2.shared_ami_untrusted" }
        #expect(unused?.severity == .medium && unused?.message.contains("Nothing in this region uses it.") == true)
    }

    /// Template findings say who created the version holding the AMI, and the template's stack;
    /// instance findings name the service that launched them.
    @Test func templateAndInstanceFindingsSayWhoLaunched() {
        var r = region(Self.images, instances: [])
        var template = LaunchTemplate(id: "lt-9", name: "api", defaultVersion: 1, imageId: "ami-aws", latestVersion: 3, latestImageId: "ami-evil")
        template.stackName = "api-stack"
        template.versionOrigins = ["1": "created 2026-01-01T00:00:00.000Z by arn:aws:iam::111122223333:role/deploy",
                                   "3": "created 2026-03-01T00:00:00.000Z by arn:aws:sts::111122223333:assumed-role/dev/alice"]
        r.launchTemplates = [template]
        var instance = EC2Instance(id: "i-evil", state: "running", imageId: "ami-evil", metadata: MetadataOptions(httpTokens: "required"))
        instance.launchedBy = "Auto Scaling group workers"
        r.instances = [instance]
        var group = AutoScalingGroup(name: "workers", overrideImageIds: ["ami-evil"])
        group.created = "2026-02-01T00:00:00Z"
        group.stackName = "workers-stack"
        group.serviceRole = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        r.images?.autoScalingGroups = [group]
        var config = LaunchConfiguration(name: "legacy", imageId: "ami-evil")
        config.created = "2020-01-01T00:00:00Z"
        r.images?.launchConfigurations = [config]
        let failures = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])])).failures
        #expect(failures.first { $0.check == "autoscaling.group_override_ami_untrusted" }?.message.hasSuffix(
            " The group was created 2026-02-01T00:00:00Z, by CloudFormation stack workers-stack, launching with "
                + "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling.") == true)
        #expect(failures.first { $0.check == "autoscaling.launch_configuration_ami_untrusted" }?.message.hasSuffix(
            " It was created 2020-01-01T00:00:00Z (launch configurations cannot change).") == true)
        let templateFinding = failures.first { $0.check == "ec2.launch_template_ami_untrusted" }
        #expect(templateFinding?.message.hasSuffix(" Version 3 was created 2026-03-01T00:00:00.000Z by arn:aws:sts::111122223333:assumed-role/dev/alice; "
                                                   + "the template belongs to CloudFormation stack api-stack.") == true, "\(templateFinding?.message ?? "")")
        let instanceFinding = failures.first { $0.check == "ec2.instance_ami_untrusted" }
        #expect(instanceFinding?.message.hasSuffix(" It was launched by Auto Scaling group workers.") == true, "\(instanceFinding?.message ?? "")")
    }

    /// The finding says how the instance came to run the AMI.
    @Test func instanceFindingsSayHowTheAMICameIn() {
        var r = region(Self.images, instances: [])
        var instance = EC2Instance(id: "i-evil", state: "running", imageId: "ami-evil", launched: ISO8601DateFormatter().date(from: "2026-03-01T10:00:00Z"),
                                   metadata: MetadataOptions(httpTokens: "required"), launchTemplateId: "lt-1")
        instance.launchTemplateVersion = "4"
        instance.stackName = "payments-prod"
        r.instances = [instance]
        r.launchTemplates = [LaunchTemplate(id: "lt-1", name: "web", imageId: "ami-aws")]
        let finding = Evaluator.evaluate(Inventory(accounts: [AccountInventory(accountId: account, regional: [r])])).failures
            .first { $0.check == "ec2.instance_ami_untrusted" }
        #expect(finding?.message.hasSuffix(" It was launched 2026-03-01T10:00:00Z, from launch template web (lt-1) version 4, by CloudFormation stack payments-prod.") == true,
                "\(finding?.message ?? "")")
    }

    /// --apply: a declarative policy is changed in Organizations, never through the API; enabling
    /// needs audit mode for long enough.
    @Test func applyRefusals() {
        func plan(_ state: String, since: String? = nil, managedBy: String? = nil) -> AMIRolloutPlan {
            var region = AMIRolloutPlan.RegionPlan(region: "eu-west-1", currentState: state, managedBy: managedBy,
                                                   affectedInstances: [], affectedTemplates: [], affectedGroups: [])
            region.auditModeSince = since
            return AMIRolloutPlan(account: account, providers: ["amazon"], regions: [region], excluded: [], untrustedOwners: [])
        }
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        let declarative = plan("audit-mode", managedBy: "declarative-policy").refusal(apply: "enabled", auditDays: 30, force: true, now: now)
        #expect(declarative?.contains("managed by an Organizations declarative policy") == true)
        #expect(declarative?.contains("\"allowed_images_settings\"") == true && declarative?.contains("\"enabled\"") == true)
        #expect(plan("disabled").refusal(apply: "audit-mode", auditDays: 30, force: false, now: now) == nil)
        #expect(plan("disabled").refusal(apply: "enabled", auditDays: 30, force: false, now: now)?.contains("not in audit mode") == true)
        let young = plan("audit-mode", since: "2026-05-20T00:00:00Z").refusal(apply: "enabled", auditDays: 30, force: false, now: now)
        #expect(young?.contains("for 12 day(s)") == true)
        #expect(young?.contains("seasonal peaks") == true)
        #expect(plan("audit-mode", since: "2026-05-20T00:00:00Z").refusal(apply: "enabled", auditDays: 10, force: false, now: now) == nil)
        #expect(plan("audit-mode").refusal(apply: "enabled", auditDays: 30, force: false, now: now)?.contains("unknown date") == true)
        #expect(plan("audit-mode").refusal(apply: "enabled", auditDays: 30, force: true, now: now) == nil)
    }

    /// `--apply enabled` counts what launches later too: an AMI outside the criteria named only by an SSM
    /// parameter, a fleet, an Image Builder recipe or a launch configuration no group uses still blocks.
    @Test func enablingRefusesForReferencesNothingRunsYet() {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        func plan(_ edit: (inout RegionInventory) -> Void) -> AMIRolloutPlan {
            var r = region(Self.images, instances: [("i-aws", "ami-aws")], allowed: AllowedImagesState(state: "audit-mode", providers: [["amazon"]]))
            edit(&r)
            var plan = AMIPlanner.plan(AccountInventory(accountId: account, regional: [r]), trusted: [])
            plan.regions[0].auditModeSince = "2026-01-01T00:00:00Z"  // long enough: only the references can refuse
            return plan
        }
        let clean = plan { _ in }
        #expect(!clean.blocksInUse)
        #expect(clean.refusal(apply: "enabled", auditDays: 30, force: false, now: now) == nil)
        let cases: [(String, (inout RegionInventory) -> Void)] = [
            ("SSM parameter /golden/ami", { $0.images?.parameterImages = [ParameterImage(name: "/golden/ami", imageId: "ami-evil")] }),
            ("Spot Fleet request sfr-1", { $0.images?.fleets = [FleetImages(id: "sfr-1", kind: "spot-fleet", state: "active", imageIds: ["ami-partner"])] }),
            ("EC2 Fleet fleet-1", { $0.images?.fleets = [FleetImages(id: "fleet-1", kind: "ec2-fleet", state: "active", imageIds: ["ami-evil"])] }),
            ("Image Builder image recipe web", {
                $0.images?.recipeImages = [RecipeImage(arn: "arn:aws:imagebuilder:eu-west-1:111122223333:image-recipe/web/1.0.0", name: "web",
                                                       kind: "image", imageId: "ami-canonical", field: "parentImage")]
            }),
            ("launch configuration legacy", { $0.images?.launchConfigurations = [LaunchConfiguration(name: "legacy", imageId: "ami-partner")] }),
        ]
        for (label, edit) in cases {
            let blocked = plan(edit)
            #expect(blocked.regions[0].affectedReferences == [label])
            #expect(blocked.blocksInUse, "\(label)")
            #expect(blocked.refusal(apply: "enabled", auditDays: 30, force: false, now: now)?.contains("AMIs in use would be blocked") == true, "\(label)")
            #expect(blocked.refusal(apply: "enabled", auditDays: 30, force: true, now: now) == nil)
        }
        // A cancelled fleet launches nothing: it does not block.
        let cancelled = plan { $0.images?.fleets = [FleetImages(id: "sfr-old", kind: "spot-fleet", state: "cancelled_terminating", imageIds: ["ami-evil"])] }
        #expect(!cancelled.blocksInUse)
    }

    /// The plan proposes name, product-code and age conditions, in botocore's ImageCriterionRequest shape,
    /// and evaluates them with the offline evaluator: what they leave out is listed per phase, never dropped silently.
    @Test func planProposesConditionsAndShowsWhatTheyBlock() throws {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        var vendorA = AMIRecord(id: "ami-va", ownerId: "099720109477", name: "vendor/appliance-7.2-20260501", isPublic: true, created: "2026-05-01T00:00:00.000Z")
        vendorA.productCodes = ["prodcode7"]
        var vendorB = AMIRecord(id: "ami-vb", ownerId: "099720109477", name: "vendor/appliance-7.2-20260415", isPublic: true, created: "2026-04-15T00:00:00.000Z")
        vendorB.productCodes = ["prodcode7"]
        let oldAmazon = AMIRecord(id: "ami-old-aws", ownerId: "137112412989", ownerAlias: "amazon", name: "al2023-ami-2023.1", isPublic: true,
                                  created: "2025-01-01T00:00:00.000Z")
        let freshAmazon = AMIRecord(id: "ami-new-aws", ownerId: "137112412989", ownerAlias: "amazon", name: "al2023-ami-2023.9", isPublic: true,
                                    created: "2026-05-20T00:00:00.000Z")
        let ownOld = AMIRecord(id: "ami-own-old", ownerId: account, name: "golden-2020", created: "2020-01-01T00:00:00.000Z")
        var r = region([vendorA, vendorB, oldAmazon, freshAmazon, ownOld],
                       instances: [("i-va", "ami-va"), ("i-new", "ami-new-aws"), ("i-own", "ami-own-old")])
        r.launchTemplates = [LaunchTemplate(id: "lt-old", name: "legacy", imageId: "ami-old-aws")]
        r.images?.parameterImages = [ParameterImage(name: "/vendor/next", imageId: "ami-vb")]
        let inventory = AccountInventory(accountId: account, regional: [r])

        // Default: providers only; the vendor is untrusted and listed with its family and product code.
        let plain = AMIPlanner.plan(inventory, trusted: [], options: .init(now: now))
        #expect(plain.criteria == [ImageCriterion(providers: ["amazon"])])
        let vendor = try #require(plain.untrustedOwners.first)
        #expect(vendor.suggestedCriterion == ImageCriterion(providers: ["099720109477"], names: ["vendor/appliance-7.2-*"], productCodes: ["prodcode7"]))
        #expect(vendor.allowedByFamily == nil)
        #expect(Set(plain.excluded.map(\.imageId)) == ["ami-va", "ami-vb"])

        // The user allows the vendor by family only, and asks for a 90-day age limit.
        let plan = AMIPlanner.plan(inventory, trusted: [], options: .init(familyOwners: ["099720109477"], maxDaysSinceCreated: 90,
                                                                           maxDaysSinceDeprecated: 30, now: now))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.criteriaJSON.utf8)) as? [String: [[String: Any]]])
        let criteria = try #require(json["ImageCriteria"])
        #expect(criteria.count == 2)
        #expect(criteria[0]["ImageProviders"] as? [String] == ["amazon"])
        #expect((criteria[0]["CreationDateCondition"] as? [String: Int])?["MaximumDaysSinceCreated"] == 90)
        #expect((criteria[0]["DeprecationTimeCondition"] as? [String: Int])?["MaximumDaysSinceDeprecated"] == 30)
        #expect(criteria[1]["ImageProviders"] as? [String] == ["099720109477"])
        #expect(criteria[1]["ImageNames"] as? [String] == ["vendor/appliance-7.2-*"])
        #expect(criteria[1]["MarketplaceProductCodes"] as? [String] == ["prodcode7"])
        #expect(Set(criteria.flatMap { $0.keys }).isSubset(of: ["ImageProviders", "ImageNames", "MarketplaceProductCodes",
                                                                "CreationDateCondition", "DeprecationTimeCondition"]), "botocore's member names")
        #expect(plan.hasConditions)
        // The vendor is in the criteria, never in the SCP (ec2:Owner cannot say "only this family") nor in the
        // declarative policy (whose name-condition keys are not confirmed: its providers alone would allow everything).
        #expect(!plan.declarativePolicyJSON(state: "audit-mode").contains("099720109477"))
        #expect(plan.declarativePolicyJSON(state: "audit-mode").contains("\"amazon\""))
        #expect(!plan.scpJSON.contains("099720109477"))
        #expect(plan.untrustedOwners.first?.allowedByFamily == true)
        #expect(plan.untrustedOwners.first?.wouldBreak == [], "its images in use are all in the family")
        // The age condition blocks the old Amazon AMI the template uses: named, with the reason.
        #expect(plan.excluded.map(\.imageId) == ["ami-old-aws"])
        #expect(plan.excluded.first?.reason.contains("MaximumDaysSinceCreated 90 (created 516 days ago)") == true)
        #expect(plan.regions[0].affectedTemplates == ["legacy (lt-old)"])
        #expect(plan.regions[0].affectedInstances.isEmpty, "own AMIs are always allowed, however old")
        #expect(plan.blocksInUse)
        #expect(plan.refusal(apply: "enabled", auditDays: 0, force: false, now: now)?.contains("AMIs in use would be blocked") == true)
        // The same criteria through the API's query parameters.
        let parameters = plan.criteriaParameters
        #expect(parameters["ImageCriterion.1.ImageProvider.1"] == "amazon")
        #expect(parameters["ImageCriterion.1.CreationDateCondition.MaximumDaysSinceCreated"] == "90")
        #expect(parameters["ImageCriterion.1.DeprecationTimeCondition.MaximumDaysSinceDeprecated"] == "30")
        #expect(parameters["ImageCriterion.2.ImageName.1"] == "vendor/appliance-7.2-*")
        #expect(parameters["ImageCriterion.2.MarketplaceProductCode.1"] == "prodcode7")
        // The plan's own prediction and the evaluator agree image by image.
        let state = AllowedImagesState(state: "enabled", criteria: plan.proposedCriteria)
        for image in [vendorA, vendorB, freshAmazon, ownOld] {
            #expect(AllowedImagesCriteria.allows(image, state, account: account, now: now), "\(image.id)")
        }
        #expect(!AllowedImagesCriteria.allows(oldAmazon, state, account: account, now: now))
        // An unknown public owner cannot be let in by family: nothing is proposed for it.
        let evil = AMIRecord(id: "ami-evil", ownerId: "444455556666", name: "al2023-ami-2023.9", isPublic: true)
        let lookalike = AMIPlanner.plan(AccountInventory(accountId: account, regional: [region([evil], instances: [("i-e", "ami-evil")])]),
                                        trusted: [], options: .init(familyOwners: ["444455556666"], now: now))
        #expect(lookalike.proposedCriteria == [ImageCriterion(providers: ["amazon"])])
        #expect(lookalike.excluded.map(\.imageId) == ["ami-evil"])
    }

    /// Every Allowed AMIs criterion, evaluated offline like EC2 does, and compared with ImageAllowed.
    @Test func allowedImagesCriteriaEvaluation() {
        let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!
        var canonical = AMIRecord(id: "ami-ubuntu", ownerId: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20260501",
                                  isPublic: true, created: "2026-05-01T00:00:00.000Z")
        var old = AMIRecord(id: "ami-old", ownerId: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101",
                            isPublic: true, created: "2024-01-01T00:00:00.000Z")
        old.deprecationTime = "2026-01-01T00:00:00.000Z"
        var market = AMIRecord(id: "ami-mkt", ownerId: "679593333241", ownerAlias: "aws-marketplace", name: "vendor-appliance", isPublic: true)
        market.productCodes = ["abc123prod"]
        let own = AMIRecord(id: "ami-own", ownerId: account, name: "anything")
        func allows(_ criterion: ImageCriterion, _ image: AMIRecord) -> Bool {
            AllowedImagesCriteria.allows(image, AllowedImagesState(state: "enabled", criteria: [criterion]), account: account, now: now)
        }
        let byName = ImageCriterion(providers: ["099720109477"], names: ["ubuntu/images/hvm-ssd/ubuntu-noble-*"])
        #expect(allows(byName, canonical))
        #expect(!allows(byName, old), "the name condition must hold too")
        #expect(!allows(ImageCriterion(names: ["ubuntu/images/*"]), AMIRecord(id: "ami-x", ownerId: "1", name: nil)))
        #expect(allows(ImageCriterion(productCodes: ["abc123prod"]), market))
        #expect(!allows(ImageCriterion(productCodes: ["other"]), market))
        #expect(allows(ImageCriterion(maxDaysSinceCreated: 60), canonical))
        #expect(!allows(ImageCriterion(maxDaysSinceCreated: 60), old))
        #expect(!allows(ImageCriterion(maxDaysSinceCreated: 60), market), "no creation date: the condition cannot hold")
        #expect(allows(ImageCriterion(maxDaysSinceDeprecated: 365), old))
        #expect(!allows(ImageCriterion(maxDaysSinceDeprecated: 30), old))
        #expect(allows(ImageCriterion(maxDaysSinceDeprecated: 0), canonical), "not deprecated")
        #expect(allows(ImageCriterion(providers: ["aws-marketplace"]), market))
        #expect(allows(ImageCriterion(providers: ["amazon"]), own), "own AMIs are always allowed")
        // Criteria are alternatives.
        let settings = AllowedImagesState(state: "audit-mode", providers: [["099720109477"], []],
                                          criteria: [byName, ImageCriterion(productCodes: ["abc123prod"])])
        #expect(AllowedImagesCriteria.allows(market, settings, account: account, now: now))
        #expect(!AllowedImagesCriteria.allows(old, settings, account: account, now: now))

        // Audit mode: a disagreement with what EC2 reports is named in the finding.
        canonical.allowed = false  // EC2 says no although the name criterion matches
        old.allowed = false
        market.allowed = true
        var r = region([canonical, old, market], instances: [("i-1", "ami-ubuntu"), ("i-2", "ami-old"), ("i-3", "ami-mkt")], allowed: settings)
        r.images?.allowedImages = settings
        let evaluation = Evaluator.evaluate(Inventory(collectedAt: now, accounts: [AccountInventory(accountId: account, regional: [r])]))
        let finding = evaluation.findings.first { $0.check == "ec2.allowed_amis_not_enabled" }
        #expect(finding?.message.contains("disagree with EC2 for: ami-ubuntu (criteria say allowed, EC2 says ImageAllowed=false)") == true)
        #expect(finding?.message.contains("ami-old (") == false)
        // The classification follows the criteria: the name-matched image is "allowed", the old one is not.
        let trust = AMITrust(account: account, trusted: [], now: now)
        #expect(trust.classify("ami-ubuntu", images: r.images).origin == .allowed)
        #expect(trust.classify("ami-old", images: r.images).origin == .publicVendor)
    }

    /// The plan proposes a name condition for an owner you may decide to trust.
    @Test func planSuggestsANameFamilyForAnUntrustedOwner() {
        let images = [AMIRecord(id: "ami-a", ownerId: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20260501", isPublic: true),
                      AMIRecord(id: "ami-b", ownerId: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20260415", isPublic: true),
                      AMIRecord(id: "ami-c", ownerId: "444455556666", name: "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20260601", isPublic: true)]
        let r = region(images, instances: [("i-a", "ami-a"), ("i-b", "ami-b"), ("i-c", "ami-c")])
        let plan = AMIPlanner.plan(AccountInventory(accountId: account, regional: [r]), trusted: [])
        let canonical = plan.untrustedOwners.first { $0.ownerId == "099720109477" }
        #expect(canonical?.suggestedCriterion == ImageCriterion(providers: ["099720109477"], names: ["ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-*"]))
        #expect(plan.untrustedOwners.first { $0.ownerId == "444455556666" }?.suggestedCriterion == nil, "an unknown public owner is the whoAMI case")
        #expect(AMIPlanner.namePrefix(["amzn2-ami-hvm-2.0.20260101-x86_64-gp2"]) == "amzn2-ami-hvm-2.0.20260101-x86_64-")
    }
}
