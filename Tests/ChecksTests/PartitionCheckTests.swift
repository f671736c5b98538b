import Foundation
import Testing
import Checks
import Inventory
import MamoriCore

/// Every ARN a check builds comes from the partition: regional ones from the region, account-wide
/// ones from the account (and, for inventories saved before the field was filled, its regions).
struct PartitionCheckTests {
    static func account(partition: String, region: String) -> AccountInventory {
        var regional = RegionInventory(region: region)
        regional.instances = [EC2Instance(id: "i-1", state: "running", imageId: "ami-1", metadata: MetadataOptions(httpTokens: "optional"))]
        regional.guardDuty = ServiceState(enabled: false)
        var account = AccountInventory(accountId: "111122223333", partition: partition, regions: [region], regional: [regional])
        account.s3 = S3Inventory(buckets: [S3Bucket(name: "b", region: region)])
        return account
    }

    @Test(arguments: [("aws-us-gov", "us-gov-west-1"), ("aws-cn", "cn-north-1"), ("aws", "cn-north-1")])
    func arnsFollowThePartition(_ partition: String, _ region: String) {
        let findings = Evaluator.evaluate(Inventory(collectedAt: Date(), accounts: [Self.account(partition: partition, region: region)]))
        let expected = Partition(region: region).name
        let arns = (findings.findings + findings.muted.map(\.finding)).map(\.resource).filter { $0.hasPrefix("arn:") }
        #expect(!arns.isEmpty)
        #expect(arns.allSatisfy { $0.hasPrefix("arn:\(expected):") }, "\(arns)")
        #expect(arns.contains("arn:\(expected):ec2:\(region):111122223333:instance/i-1"))
        #expect(arns.contains("arn:\(expected):iam::111122223333:root"))
        #expect(arns.contains("arn:\(expected):s3:::b"))
    }
}

/// MamoriCore's AccountID: twelve ASCII digits, nothing else.
struct AccountIDTests {
    @Test func twelveAsciiDigits() {
        #expect(AccountID("123456789012")?.value == "123456789012")
        #expect(AccountID("12345678901") == nil)
        #expect(AccountID("1234567890123") == nil)
        #expect(AccountID("12345678901a") == nil)
        // Other scripts' digits are numbers to Character.isNumber, not account IDs.
        #expect(AccountID("١٢٣٤٥٦٧٨٩٠١٢") == nil)
        #expect(AccountDecoder.account(fromKeyId: "AKIAIOSFODNN7EXAMPLE") != nil)
    }
}
