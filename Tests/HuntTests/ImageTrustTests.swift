import Foundation
import Hunt
import Inventory
import Testing

@Suite struct ImageTrustTests {
    @Test func ownersComeFromTheInventoryAndTrustFromTheTrustList() {
        var region = RegionInventory(region: "us-east-1")
        region.images = ImageInventory(images: [
            "ami-0aaaaaaaaaaaaaaaa": AMIRecord(id: "ami-0aaaaaaaaaaaaaaaa", ownerId: "999988887777", name: "ubuntu-noble", isPublic: true),
            "ami-0bbbbbbbbbbbbbbbb": AMIRecord(id: "ami-0bbbbbbbbbbbbbbbb", ownerId: "111122223333", name: "golden"),
            "ami-0cccccccccccccccc": AMIRecord(id: "ami-0cccccccccccccccc", ownerId: "137112412989", ownerAlias: "amazon", name: "al2023"),
        ])
        var account = AccountInventory(accountId: "123456789012")
        account.regional = [region]
        let trust = ImageTrust(trusted: ["111122223333"], inventory: Inventory(accounts: [account]))
        #expect(trust.verdict(imageId: "ami-0aaaaaaaaaaaaaaaa", account: "123456789012") ==
                ImageVerdict(imageId: "ami-0aaaaaaaaaaaaaaaa", owner: "999988887777", trust: "untrusted"))
        #expect(trust.verdict(imageId: "ami-0bbbbbbbbbbbbbbbb", account: "123456789012").trust == "trusted")
        #expect(trust.verdict(imageId: "ami-0cccccccccccccccc", account: "123456789012").trust == "trusted")
        #expect(trust.verdict(imageId: "ami-0dddddddddddddddd", account: "123456789012") == ImageVerdict(imageId: "ami-0dddddddddddddddd", trust: "unknown"))
    }
}
