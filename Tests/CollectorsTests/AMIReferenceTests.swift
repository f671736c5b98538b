import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient
@testable import Collectors
import Inventory

/// AMI references moto cannot show (Image Builder is not emulated; Spot Fleet template configs),
/// against responses shaped from botocore's ec2 and imagebuilder models.
struct AMIReferenceTests {
    func collector(_ transport: ReplayTransport) -> ImageCollector {
        ImageCollector(context: CollectionContext(client: testClient(transport), accountId: "123456789012", errors: ErrorLog(),
                                                  progress: { _ in }, fanOut: 2), region: "us-east-1")
    }

    @Test func ec2FleetOverridesAndTemplates() async throws {
        let transport = ReplayTransport(body: """
            <DescribeFleetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <fleetSet><item>
                <fleetId>fleet-1</fleetId><fleetState>active</fleetState><type>maintain</type><createTime>2025-01-02T03:04:05.000Z</createTime>
                <launchTemplateConfigs><item>
                  <launchTemplateSpecification><launchTemplateId>lt-1</launchTemplateId><version>$Latest</version></launchTemplateSpecification>
                  <overrides>
                    <item><instanceType>t3.micro</instanceType><imageId>ami-0aaaaaaaaaaaaaaaa</imageId></item>
                    <item><instanceType>t3.small</instanceType></item>
                    <item><instanceType>t3.large</instanceType><imageId>ami-0aaaaaaaaaaaaaaaa</imageId></item>
                  </overrides>
                </item></launchTemplateConfigs>
                <tagSet><item><key>aws:cloudformation:stack-name</key><value>batch</value></item></tagSet>
              </item>
              <item><fleetId>fleet-2</fleetId><fleetState>deleted</fleetState>
                <launchTemplateConfigs><item><launchTemplateSpecification><launchTemplateName>plain</launchTemplateName></launchTemplateSpecification></item></launchTemplateConfigs>
              </item></fleetSet>
            </DescribeFleetsResponse>
            """)
        let fleets = try await collector(transport).fetchEC2Fleets()
        #expect(fleets.count == 2)
        let first = try #require(fleets.first)
        #expect(first.imageIds == ["ami-0aaaaaaaaaaaaaaaa"])
        #expect(first.launchTemplates == ["lt-1 version $Latest"])
        #expect(first.stackName == "batch" && first.kind == "ec2-fleet" && first.type == "maintain" && first.launches)
        #expect(fleets[1].imageIds.isEmpty && fleets[1].launchTemplates == ["plain"] && !fleets[1].launches)
        let sent = String(decoding: transport.sent[0].body, as: UTF8.self)
        #expect(sent.contains("Action=DescribeFleets"))
    }

    @Test func spotFleetLaunchSpecificationsAndRole() async throws {
        let transport = ReplayTransport(body: """
            <DescribeSpotFleetRequestsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <spotFleetRequestConfigSet><item>
                <spotFleetRequestId>sfr-1</spotFleetRequestId><spotFleetRequestState>cancelled_running</spotFleetRequestState>
                <createTime>2025-01-02T03:04:05.000Z</createTime>
                <spotFleetRequestConfig>
                  <iamFleetRole>arn:aws:iam::123456789012:role/fleet</iamFleetRole><type>request</type>
                  <launchSpecifications><item><imageId>ami-0bbbbbbbbbbbbbbbb</imageId></item><item><imageId>ami-0cccccccccccccccc</imageId></item></launchSpecifications>
                  <launchTemplateConfigs><item><launchTemplateSpecification><launchTemplateId>lt-2</launchTemplateId><version>3</version></launchTemplateSpecification></item></launchTemplateConfigs>
                </spotFleetRequestConfig>
              </item></spotFleetRequestConfigSet>
            </DescribeSpotFleetRequestsResponse>
            """)
        let fleet = try #require(try await collector(transport).fetchSpotFleets().first)
        #expect(fleet.imageIds == ["ami-0bbbbbbbbbbbbbbbb", "ami-0cccccccccccccccc"])
        #expect(fleet.fleetRole == "arn:aws:iam::123456789012:role/fleet")
        #expect(fleet.launchTemplates == ["lt-2 version 3"])
        #expect(fleet.kind == "spot-fleet" && fleet.type == "request")
        #expect(!fleet.launches, "a cancelled request launches no more instances")
    }

    @Test func imageBuilderRecipesOwnedByTheAccount() async throws {
        let transport = ReplayTransport([
            ok(#"{"imageRecipeSummaryList":[{"arn":"arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/web/1.0.0","name":"web","#
               + #""owner":"123456789012","parentImage":"ami-0dddddddddddddddd","dateCreated":"2025-01-02T03:04:05.000Z"},"#
               + #"{"arn":"arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/managed/1.0.0","name":"managed","#
               + #""parentImage":"arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x"}],"nextToken":"t2"}"#),
            ok(#"{"imageRecipeSummaryList":[]}"#),
            ok(#"{"containerRecipeSummaryList":[{"arn":"arn:aws:imagebuilder:us-east-1:123456789012:container-recipe/app/1.0.0","name":"app","#
               + #""parentImage":"amazonlinux:latest","instanceImage":"ami-0eeeeeeeeeeeeeeee"}]}"#),
        ])
        let recipes = try #require(await collector(transport).fetchRecipes())
        #expect(recipes.map(\.imageId) == ["ami-0dddddddddddddddd", "ami-0eeeeeeeeeeeeeeee"])
        #expect(recipes.map(\.field) == ["parentImage", "instanceImage"])
        #expect(recipes.map(\.kind) == ["image", "container"])
        #expect(recipes.first?.name == "web" && recipes.first?.created == "2025-01-02T03:04:05.000Z")
        let paths = transport.sent.map(\.path)
        #expect(paths.filter { $0 == "/ListImageRecipes" }.count == 2 && paths.contains("/ListContainerRecipes"), "\(paths)")
        let body = String(decoding: transport.sent[0].body, as: UTF8.self)
        #expect(body.contains(#""owner":"Self""#), "\(body)")
    }

    /// DescribeImageReferences, where answered, names the users of the shared-in images (10 ids per call).
    @Test func describeImageReferencesNamesTheUsers() async throws {
        let ids = (1...11).map { String(format: "ami-%017x", $0) }
        let transport = ReplayTransport([
            ok("""
               <DescribeImageReferencesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                 <imageReferenceSet>
                   <item><imageId>\(ids[0])</imageId><resourceType>ssm:Parameter</resourceType><arn>arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami</arn></item>
                   <item><imageId>\(ids[0])</imageId><resourceType>ec2:Instance</resourceType><arn>arn:aws:ec2:us-east-1:123456789012:instance/i-1</arn></item>
                 </imageReferenceSet><nextToken>more</nextToken>
               </DescribeImageReferencesResponse>
               """),
            ok(#"<DescribeImageReferencesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><imageReferenceSet/></DescribeImageReferencesResponse>"#),
            ok(#"<DescribeImageReferencesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><imageReferenceSet/></DescribeImageReferencesResponse>"#),
        ])
        let (references, path) = await collector(transport).imageReferences(ids)
        #expect(path == "describe-image-references")
        #expect(references == [ids[0]: ["arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami"]])
        let bodies = transport.sent.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 3)
        #expect(bodies[0].contains("IncludeAllResourceTypes=true") && bodies[0].contains("ImageId.10=") && !bodies[0].contains("ImageId.11="))
        #expect(bodies[1].contains("NextToken=more"))
        #expect(bodies[2].contains("ImageId.1=\(ids[10])"))
    }

    /// Where EC2 does not answer it, the enumeration alone decides and the summary says why; no scan error.
    @Test func describeImageReferencesFallsBackToTheEnumeration() async throws {
        let transport = ReplayTransport(status: 400, body: """
            <Response><Errors><Error><Code>UnsupportedOperation</Code><Message>The operation is not supported in this region.</Message></Error></Errors><RequestID>r</RequestID></Response>
            """)
        let errors = ErrorLog()
        let images = ImageCollector(context: CollectionContext(client: testClient(transport), accountId: "123456789012", errors: errors,
                                                               progress: { _ in }, fanOut: 2), region: "ap-east-2")
        let (references, path) = await images.imageReferences(["ami-0aaaaaaaaaaaaaaaa"])
        #expect(references == nil)
        #expect(path == "enumeration: not supported here")
        #expect(await errors.entries.isEmpty)
        var region = RegionInventory(region: "ap-east-2")
        region.images = ImageInventory()
        region.images?.referencePath = path
        var other = RegionInventory(region: "us-east-1")
        other.images = ImageInventory()
        other.images?.referencePath = "describe-image-references"
        #expect(ImageInventory.referenceSummary([region, other])
                == "AMI references to shared-in images: DescribeImageReferences and enumeration in us-east-1; enumeration only in ap-east-2 (DescribeImageReferences: not supported here)")
    }
}
