import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient
@testable import Checks
@testable import Collectors
import Inventory
import MamoriCore

/// Allowed AMIs criteria evaluated on recorded EC2 responses: GetAllowedImagesSettings and
/// DescribeImages XML shaped per botocore's ec2 service-2.json (`GetAllowedImagesSettingsResult`:
/// `imageCriterionSet` of `ImageCriterion` — `imageProviderSet`, `imageNameSet`,
/// `marketplaceProductCodeSet`, `creationDateCondition.maximumDaysSinceCreated`,
/// `deprecationTimeCondition.maximumDaysSinceDeprecated`; `Image` — `imageOwnerId`, `imageOwnerAlias`,
/// `name`, `creationDate`, `deprecationTime`, `productCodes` of `productCode`/`type`, `imageAllowed`),
/// decoded by the collector's own calls, then judged by the offline evaluator.
struct AllowedImagesRecordedTests {
    let account = "111122223333"
    /// The moment the recorded responses were "taken": the age conditions are measured from it.
    static let now = ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z")!

    static let settingsXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <GetAllowedImagesSettingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
            <state>audit-mode</state>
            <imageCriterionSet>
                <item>
                    <imageProviderSet><item>amazon</item></imageProviderSet>
                </item>
                <item>
                    <imageProviderSet><item>099720109477</item></imageProviderSet>
                    <imageNameSet><item>ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-2026????</item></imageNameSet>
                </item>
                <item>
                    <marketplaceProductCodeSet><item>8fhj3w2pa0uwsk1w6hmy1r4vx</item></marketplaceProductCodeSet>
                </item>
                <item>
                    <imageProviderSet><item>222233334444</item></imageProviderSet>
                    <creationDateCondition><maximumDaysSinceCreated>90</maximumDaysSinceCreated></creationDateCondition>
                </item>
                <item>
                    <imageProviderSet><item>333344445555</item></imageProviderSet>
                    <deprecationTimeCondition><maximumDaysSinceDeprecated>30</maximumDaysSinceDeprecated></deprecationTimeCondition>
                </item>
            </imageCriterionSet>
            <managedBy>account</managedBy>
        </GetAllowedImagesSettingsResponse>
        """

    /// One image per criterion type (a match and a miss for each), and one EC2 disagrees about.
    static func image(_ id: String, owner: String, alias: String? = nil, name: String, created: String, deprecated: String? = nil,
                      productCode: String? = nil, allowed: Bool) -> String {
        """
                <item>
                    <imageId>\(id)</imageId>
                    <imageLocation>\(owner)/\(name)</imageLocation>
                    <imageState>available</imageState>
                    <imageOwnerId>\(owner)</imageOwnerId>
                    <creationDate>\(created)</creationDate>
                    <isPublic>true</isPublic>
                    \(productCode.map { "<productCodes><item><productCode>\($0)</productCode><type>marketplace</type></item></productCodes>" } ?? "<productCodes/>")
                    <architecture>x86_64</architecture>
                    <imageType>machine</imageType>
                    \(alias.map { "<imageOwnerAlias>\($0)</imageOwnerAlias>" } ?? "")
                    <name>\(name)</name>
                    <rootDeviceType>ebs</rootDeviceType>
                    <rootDeviceName>/dev/xvda</rootDeviceName>
                    <virtualizationType>hvm</virtualizationType>
                    <hypervisor>xen</hypervisor>
                    \(deprecated.map { "<deprecationTime>\($0)</deprecationTime>" } ?? "")
                    <imageAllowed>\(allowed)</imageAllowed>
                </item>
        """
    }

    static let imagesXML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>4a1b4b6c-0d3e-4f5a-9b8c-7d6e5f4aEXAMPLE</requestId>
            <imagesSet>
        \(image("ami-0aaaaaaaaaaaaaaa1", owner: "137112412989", alias: "amazon", name: "al2023-ami-2023.7.20260501.0-kernel-6.1-x86_64",
                created: "2026-05-01T10:00:00.000Z", allowed: true))
        \(image("ami-0bbbbbbbbbbbbbbb1", owner: "099720109477", name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260512",
                created: "2026-05-12T00:00:00.000Z", allowed: true))
        \(image("ami-0bbbbbbbbbbbbbbb2", owner: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260512",
                created: "2026-05-12T00:00:00.000Z", allowed: false))
        \(image("ami-0ccccccccccccccc1", owner: "679593333241", alias: "aws-marketplace", name: "vendor-firewall-10.2-b7",
                created: "2025-11-02T08:00:00.000Z", productCode: "8fhj3w2pa0uwsk1w6hmy1r4vx", allowed: true))
        \(image("ami-0ccccccccccccccc2", owner: "679593333241", alias: "aws-marketplace", name: "other-appliance-3.1",
                created: "2025-11-02T08:00:00.000Z", productCode: "5x7kq1other0code9zz", allowed: false))
        \(image("ami-0ddddddddddddddd1", owner: "222233334444", name: "golden-base-20260415", created: "2026-04-15T00:00:00.000Z", allowed: true))
        \(image("ami-0ddddddddddddddd2", owner: "222233334444", name: "golden-base-20251101", created: "2025-11-01T00:00:00.000Z", allowed: false))
        \(image("ami-0eeeeeeeeeeeeeee1", owner: "333344445555", name: "partner-node-7", created: "2025-01-01T00:00:00.000Z",
                deprecated: "2026-05-20T00:00:00.000Z", allowed: true))
        \(image("ami-0eeeeeeeeeeeeeee2", owner: "333344445555", name: "partner-node-6", created: "2024-06-01T00:00:00.000Z",
                deprecated: "2026-01-01T00:00:00.000Z", allowed: false))
        \(image("ami-0fffffffffffffff1", owner: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20260520",
                created: "2026-05-20T00:00:00.000Z", allowed: false))
            </imagesSet>
        </DescribeImagesResponse>
        """

    /// The collector's calls against the recorded responses: GetAllowedImagesSettings, then DescribeImages.
    func decoded() async throws -> (AllowedImagesState, [String: AMIRecord], [String]) {
        let transport = ReplayTransport([ok(Self.settingsXML), ok(Self.imagesXML)])
        let client = testClient(transport, maxAttempts: 1)
        let context = CollectionContext(client: client, accountId: account, errors: ErrorLog(), progress: { _ in }, fanOut: 1)
        let collector = ImageCollector(context: context, region: "eu-west-1")
        let settings = try await collector.fetchAllowedImages()
        let records = try await collector.describeOnce(["ami-0aaaaaaaaaaaaaaa1"])  // the recorded page answers whatever was asked
        return (settings, Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) }), transport.sent.map { String(decoding: $0.body, as: UTF8.self) })
    }

    @Test func everyCriterionTypeFromRecordedResponses() async throws {
        let (settings, images, bodies) = try await decoded()
        #expect(bodies[0].contains("Action=GetAllowedImagesSettings"))
        #expect(bodies[1].contains("Action=DescribeImages") && bodies[1].contains("IncludeDeprecated=true"))
        // The five criteria as the collector decodes them.
        let criteria = try #require(settings.criteria)
        #expect(settings.state == "audit-mode" && settings.managedBy == "account")
        #expect(criteria == [
            ImageCriterion(providers: ["amazon"]),
            ImageCriterion(providers: ["099720109477"], names: ["ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-2026????"]),
            ImageCriterion(productCodes: ["8fhj3w2pa0uwsk1w6hmy1r4vx"]),
            ImageCriterion(providers: ["222233334444"], maxDaysSinceCreated: 90),
            ImageCriterion(providers: ["333344445555"], maxDaysSinceDeprecated: 30),
        ])
        #expect(images.count == 10)
        #expect(images["ami-0ccccccccccccccc1"]?.productCodes == ["8fhj3w2pa0uwsk1w6hmy1r4vx"])
        #expect(images["ami-0eeeeeeeeeeeeeee2"]?.deprecationTime == "2026-01-01T00:00:00.000Z")
        #expect(images["ami-0aaaaaaaaaaaaaaa1"]?.ownerAlias == "amazon")

        func allows(_ criterion: Int, _ id: String) throws -> Bool {
            let image = try #require(images[id])
            return AllowedImagesCriteria.allows(image, AllowedImagesState(state: "enabled", criteria: [criteria[criterion]]), account: account, now: Self.now)
        }
        // Providers: the alias, not the owner account number alone.
        #expect(try allows(0, "ami-0aaaaaaaaaaaaaaa1"))
        #expect(try !allows(0, "ami-0bbbbbbbbbbbbbbb1"))
        // Names with wildcards: `*` spans "/" and "-gp3", `?` is one character each.
        #expect(try allows(1, "ami-0bbbbbbbbbbbbbbb1"))
        #expect(try !allows(1, "ami-0bbbbbbbbbbbbbbb2"), "jammy is not the noble family")
        // Product codes.
        #expect(try allows(2, "ami-0ccccccccccccccc1"))
        #expect(try !allows(2, "ami-0ccccccccccccccc2"))
        // Creation age: 47 days old passes 90, 212 days old does not.
        #expect(try allows(3, "ami-0ddddddddddddddd1"))
        #expect(try !allows(3, "ami-0ddddddddddddddd2"))
        // Deprecation age: deprecated 12 days ago passes 30, 151 days ago does not.
        #expect(try allows(4, "ami-0eeeeeeeeeeeeeee1"))
        #expect(try !allows(4, "ami-0eeeeeeeeeeeeeee2"))

        // All five together (alternatives), compared with what EC2 recorded in imageAllowed: every image
        // agrees except ami-0fffffffffffffff1, which the name criterion allows and EC2 reports as not allowed.
        var disagree: [String] = []
        for (id, image) in images.sorted(by: { $0.key < $1.key }) {
            let predicted = AllowedImagesCriteria.allows(image, settings, account: account, now: Self.now)
            if predicted != image.allowed { disagree.append(id) }
        }
        #expect(disagree == ["ami-0fffffffffffffff1"])

        // The audit finding names that disagreement, image by image, from the same decoded data.
        var region = RegionInventory(region: "eu-west-1")
        region.instances = images.keys.sorted().enumerated().map { EC2Instance(id: "i-\($0.offset)", state: "running", imageId: $0.element,
                                                                                   metadata: MetadataOptions(httpTokens: "required")) }
        var inventory = ImageInventory(images: images)
        inventory.allowedImages = settings
        region.images = inventory
        let evaluation = Evaluator.evaluate(Inventory(collectedAt: Self.now, accounts: [AccountInventory(accountId: account, regional: [region])]))
        let finding = try #require(evaluation.findings.first { $0.check == "ec2.allowed_amis_not_enabled" })
        #expect(finding.message.contains("disagree with EC2 for: ami-0fffffffffffffff1 (criteria say allowed, EC2 says ImageAllowed=false)"))
        #expect(!finding.message.contains("ami-0bbbbbbbbbbbbbbb2 ("))
    }
}
