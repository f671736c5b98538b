import AWSTestSupport
import Foundation
import Testing
@testable import AWSClient
@testable import Collectors

/// The Allowed AMIs calls moto does not serve, against responses shaped from botocore's ec2 model.
struct AllowedImagesTests {
    @Test func readsStateCriteriaAndManager() async throws {
        let transport = ReplayTransport(body: """
            <GetAllowedImagesSettingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
              <state>audit-mode</state>
              <imageCriterionSet>
                <item><imageProviderSet><item>amazon</item><item>123456789012</item></imageProviderSet></item>
                <item><imageProviderSet><item>aws-backup-vault</item></imageProviderSet></item>
              </imageCriterionSet>
              <managedBy>declarative-policy</managedBy>
            </GetAllowedImagesSettingsResponse>
            """)
        let client = testClient(transport)
        let context = CollectionContext(client: client, accountId: "111122223333", errors: ErrorLog(), progress: { _ in }, fanOut: 2)
        let state = try await ImageCollector(context: context, region: "eu-west-1").fetchAllowedImages()
        #expect(state.state == "audit-mode")
        #expect(state.providers == [["amazon", "123456789012"], ["aws-backup-vault"]])
        #expect(state.managedBy == "declarative-policy")
    }

    @Test func instanceImageMetadataFallback() async throws {
        let transport = ReplayTransport(body: """
            <DescribeInstanceImageMetadataResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <instanceImageMetadataSet><item>
                <instanceId>i-1</instanceId>
                <imageMetadata><imageId>ami-gone</imageId><name>old-base</name><imageOwnerId>444455556666</imageOwnerId>
                  <imageState>deregistered</imageState><isPublic>true</isPublic><imageAllowed>false</imageAllowed></imageMetadata>
              </item></instanceImageMetadataSet>
            </DescribeInstanceImageMetadataResponse>
            """)
        let context = CollectionContext(client: testClient(transport), accountId: "111122223333", errors: ErrorLog(), progress: { _ in }, fanOut: 2)
        let records = try await ImageCollector(context: context, region: "us-east-1").instanceImageMetadata(["i-1"])
        #expect(records.count == 1)
        #expect(records[0].ownerId == "444455556666")
        #expect(records[0].allowed == false)
        #expect(records[0].source == "instance-image-metadata")
        #expect(String(decoding: transport.sent[0].body, as: UTF8.self).contains("InstanceId.1=i-1"))
    }
}

/// Shared RDS snapshots: the owner comes from the ARN (botocore rds model shapes).
struct SharedDBSnapshotTests {
    @Test func ownerFromARNAndOwnSnapshotsDropped() async throws {
        let transport = ReplayTransport([
            ok("""
                <DescribeDBSnapshotsResponse><DescribeDBSnapshotsResult><DBSnapshots>
                  <DBSnapshot><DBSnapshotIdentifier>partner-export</DBSnapshotIdentifier>
                    <DBSnapshotArn>arn:aws:rds:eu-west-1:555566667777:snapshot:partner-export</DBSnapshotArn><SnapshotType>shared</SnapshotType></DBSnapshot>
                  <DBSnapshot><DBSnapshotIdentifier>own</DBSnapshotIdentifier>
                    <DBSnapshotArn>arn:aws:rds:eu-west-1:111122223333:snapshot:own</DBSnapshotArn></DBSnapshot>
                </DBSnapshots></DescribeDBSnapshotsResult></DescribeDBSnapshotsResponse>
                """),
            ok("""
                <DescribeDBClusterSnapshotsResponse><DescribeDBClusterSnapshotsResult><DBClusterSnapshots>
                  <DBClusterSnapshot><DBClusterSnapshotIdentifier>aurora-share</DBClusterSnapshotIdentifier>
                    <DBClusterSnapshotArn>arn:aws:rds:eu-west-1:444455556666:cluster-snapshot:aurora-share</DBClusterSnapshotArn></DBClusterSnapshot>
                </DBClusterSnapshots></DescribeDBClusterSnapshotsResult></DescribeDBClusterSnapshotsResponse>
                """),
        ])
        let context = CollectionContext(client: testClient(transport), accountId: "111122223333", errors: ErrorLog(), progress: { _ in }, fanOut: 2)
        let snapshots = try await ImageCollector(context: context, region: "eu-west-1").fetchSharedDBSnapshots()
        #expect(snapshots.map(\.id) == ["partner-export", "aurora-share"])
        #expect(snapshots.map(\.ownerId) == ["555566667777", "444455556666"])
        #expect(snapshots.map(\.kind) == ["rds", "rds-cluster"])
        let body = String(decoding: transport.sent[0].body, as: UTF8.self)
        #expect(body.contains("SnapshotType=shared") && body.contains("IncludeShared=true"))
    }
}
