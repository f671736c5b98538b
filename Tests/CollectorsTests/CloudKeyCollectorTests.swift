import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient
@testable import Collectors
import Inventory

/// The key hunt's reads where moto cannot show the case: AWS masks NoEcho parameters (moto does
/// not), and a SecureString must never be requested or scanned even if a service listed it.
struct CloudKeyCollectorTests {
    static let key = "AKIABZPUZDIKGVQ7WTZM"

    func collector(_ transport: ReplayTransport) -> CloudKeyCollector {
        CloudKeyCollector(context: CollectionContext(client: testClient(transport), accountId: "123456789012", errors: ErrorLog(),
                                                     progress: { _ in }, fanOut: 2), region: "us-east-1")
    }

    @Test func secureStringsAreNeverRequestedNorScanned() async throws {
        // DescribeParameters as if the Type filter had been ignored; GetParameters as if it returned one anyway.
        let transport = ReplayTransport([
            ok(#"{"Parameters":[{"Name":"/app/key","Type":"String"},{"Name":"/app/secret","Type":"SecureString"}]}"#),
            ok(#"{"Parameters":[{"Name":"/app/key","Type":"String","Value":"\#(Self.key)","ARN":"arn:aws:ssm:us-east-1:123456789012:parameter/app/key"},"#
               + #"{"Name":"/app/secret","Type":"SecureString","Value":"AKIADCH6YDSYWVK6DWPN"}]}"#),
        ])
        let keys = collector(transport)
        let read = try #require(await ParameterReader(context: keys.context, region: "us-east-1").read())
        let sweep = try #require(await keys.ssmParameters(read))
        #expect(read.calls == 2)
        #expect(sweep.hits.map(\.resource) == ["arn:aws:ssm:us-east-1:123456789012:parameter/app/key"])
        #expect(sweep.resources == 1)
        let describe = String(decoding: transport.sent[0].body, as: UTF8.self)
        #expect(describe.contains(#""Values":["String","StringList"]"#), "\(describe)")
        let get = String(decoding: transport.sent[1].body, as: UTF8.self)
        #expect(get == #"{"Names":["\/app\/key"]}"# || get == #"{"Names":["/app/key"]}"#, "\(get)")
        #expect(!get.contains("WithDecryption"))
    }

    /// The same read yields the AMI references: String parameters whose whole value is an AMI id
    /// (whitespace trimmed), never a StringList, a name or an id inside a longer text.
    @Test func parametersHoldingAnAMIIdAreReferences() async throws {
        let transport = ReplayTransport([
            ok(#"{"Parameters":[{"Name":"/golden/ami","Type":"String","LastModifiedUser":"arn:aws:iam::123456789012:user/ci"},"#
               + #"{"Name":"/golden/list","Type":"StringList"},{"Name":"/golden/note","Type":"String"},{"Name":"/golden/padded","Type":"String"}]}"#),
            ok(#"{"Parameters":[{"Name":"/golden/ami","Type":"String","Value":"ami-0123456789abcdef0","DataType":"aws:ec2:image","LastModifiedDate":1.7E9},"#
               + #"{"Name":"/golden/list","Type":"StringList","Value":"ami-0123456789abcdef0,ami-0fedcba9876543210"},"#
               + #"{"Name":"/golden/note","Type":"String","Value":"use ami-0123456789abcdef0"},"#
               + #"{"Name":"/golden/padded","Type":"String","Value":" ami-1a2b3c4d\n"}]}"#),
        ])
        let read = try #require(await ParameterReader(context: collector(transport).context, region: "us-east-1").read())
        let images = read.images
        #expect(images.map(\.name) == ["/golden/ami", "/golden/padded"])
        #expect(images.map(\.imageId) == ["ami-0123456789abcdef0", "ami-1a2b3c4d"])
        #expect(images.first?.dataType == "aws:ec2:image")
        #expect(images.first?.lastModifiedUser == "arn:aws:iam::123456789012:user/ci")
        #expect(images.first?.lastModified == "2023-11-14T22:13:20Z")
        #expect(images.first?.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami")
    }

    @Test func noEchoParametersAreSkippedAndOutputsRead() async throws {
        let transport = ReplayTransport(body: """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult><Stacks><member>
                <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/app/1</StackId><StackName>app</StackName>
                <Parameters>
                  <member><ParameterKey>DbPassword</ParameterKey><ParameterValue>****</ParameterValue></member>
                  <member><ParameterKey>Owner</ParameterKey><ParameterValue>platform</ParameterValue></member>
                </Parameters>
                <Outputs><member><OutputKey>DeployKey</OutputKey><OutputValue>\(Self.key)</OutputValue></member></Outputs>
              </member></Stacks></DescribeStacksResult>
            </DescribeStacksResponse>
            """)
        let sweep = try await collector(transport).cloudFormationStacks()
        #expect(sweep.resources == 1)
        #expect(sweep.hits.map(\.field) == ["Outputs.DeployKey"])
        #expect(sweep.hits.first?.keyId == "AKIA…WTZM" && sweep.hits.first?.account == "123456789012")
    }
}
