import Foundation
import Testing
@testable import AWSClient
@testable import Collectors

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
        let sweep = try await collector(transport).ssmParameters()
        #expect(sweep.hits.map(\.resource) == ["arn:aws:ssm:us-east-1:123456789012:parameter/app/key"])
        #expect(sweep.resources == 1)
        let describe = String(decoding: transport.sent[0].body, as: UTF8.self)
        #expect(describe.contains(#""Values":["String","StringList"]"#), "\(describe)")
        let get = String(decoding: transport.sent[1].body, as: UTF8.self)
        #expect(get == #"{"Names":["\/app\/key"]}"# || get == #"{"Names":["/app/key"]}"#, "\(get)")
        #expect(!get.contains("WithDecryption"))
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
