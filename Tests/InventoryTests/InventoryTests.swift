import Foundation
import Inventory
import MamoriCore
import Testing

/// The inventory's own rules: what counts as an AMI id in a parameter, what marks a container
/// host, an account's partition, and the saved file's round trip.
@Suite struct InventoryTests {
    @Test func amiIdsAreRecognisedExactly() {
        #expect(ParameterImage.imageId(inValue: "ami-0123456789abcdef0") == "ami-0123456789abcdef0")
        #expect(ParameterImage.imageId(inValue: "ami-1a2b3c4d") == "ami-1a2b3c4d")
        for other in ["ami-", "ami-XYZ12345", "ami-0123456789ABCDEF0", "resolve:ssm:/golden/ami", "ami-0123456789abcdef0,ami-1a2b3c4d",
                      "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2-x86/x.x.x", "ami-0123456789abcdef01234"] {
            #expect(ParameterImage.imageId(inValue: other) == nil, "\(other)")
        }
    }

    @Test func containerHostMarkers() {
        #expect(ContainerHosts.marker(tagKeys: ["Name", "kubernetes.io/cluster/prod"]) == "tag kubernetes.io/cluster/prod")
        #expect(ContainerHosts.marker(tagKeys: ["eks:cluster-name"]) == "tag eks:cluster-name")
        #expect(ContainerHosts.marker(tagKeys: ["Name", "team"]) == nil)
        #expect(ContainerHosts.marker(imageName: "bottlerocket-aws-k8s-1.30-x86_64") != nil)
        #expect(ContainerHosts.marker(imageName: "amzn2-ami-hvm-2.0-x86_64-gp2") == nil)
        #expect(ContainerHosts.marker(userData: "ECS_CLUSTER=prod >> /etc/ecs/ecs.config") == "user data joins a container cluster")
        #expect(ContainerHosts.marker(userData: nil) == nil)
    }

    /// Inventories saved before collectors filled `partition` say `aws` for every account: the
    /// regions decide then, so a re-evaluated China inventory still writes `arn:aws-cn:`.
    @Test func accountPartitionFromFieldElseRegions() {
        #expect(AccountInventory(accountId: "111122223333", partition: "aws-us-gov", regions: ["us-gov-west-1"]).arnPartition == .awsUSGov)
        #expect(AccountInventory(accountId: "111122223333", partition: "aws", regions: ["cn-north-1"]).arnPartition == .awsCN)
        #expect(AccountInventory(accountId: "111122223333", partition: "aws", regions: ["eu-west-1"]).arnPartition == .aws)
        #expect(AccountInventory(accountId: "111122223333", partition: "nonsense", regions: []).arnPartition == .aws)
    }

    @Test func savedInventoryRoundTrips() throws {
        var inventory = Inventory(collectedAt: Date(timeIntervalSince1970: 1_764_000_000), accounts: [
            AccountInventory(accountId: "111122223333", accountName: "prod", partition: "aws-cn", regions: ["cn-north-1"]),
        ])
        inventory.accounts[0].ouPath = "Root/Prod"
        let data = try StableJSON.encode(inventory)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"collectedAt\" : \"2025-11-24T16:00:00Z\""))
        #expect(text.contains("\"schema\" : \(Inventory.currentSchema)"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode(Inventory.self, from: data)
        #expect(back.accounts.map(\.accountId) == ["111122223333"])
        #expect(back.accounts[0].ouPath == "Root/Prod" && back.accounts[0].arnPartition == .awsCN)
        #expect(back.collectedAt == inventory.collectedAt)
    }
}
