import Checks
import Foundation
import MamoriCore
@testable import Reports
import Testing

/// ASFF and OCSF name the finding's partition: from its region, else its resource ARN, else the
/// account's other findings; account-wide ASFF findings go to the partition's global region.
@Suite struct PartitionReportTests {
    static func finding(region: String, resource: String, check: String = "s3.bucket_public") -> Finding {
        Finding(check: check, title: "t", severity: .high, status: .fail, account: "111122223333",
                region: region, resource: resource, resourceType: "AwsIamAccessKey", message: "m", remediation: "r")
    }

    func render(_ findings: [Finding], _ format: (ReportInput) throws -> Data) throws -> [[String: Any]] {
        let input = ReportInput(evaluation: Fixture.evaluation, findings: findings, generatedAt: Fixture.now, toolVersion: "1")
        return try #require(try JSONSerialization.jsonObject(with: format(input)) as? [[String: Any]])
    }

    @Test func govCloudFindingsNameAwsUsGov() throws {
        // A regional finding, an account-wide one with an ARN, and one with only a key ID (partition from the account's other findings).
        let findings = [Self.finding(region: "us-gov-west-1", resource: "arn:aws-us-gov:ec2:us-gov-west-1:111122223333:instance/i-1"),
                        Self.finding(region: "global", resource: "arn:aws-us-gov:iam::111122223333:root"),
                        Self.finding(region: "global", resource: "AKIAEXAMPLEKEY000000")]
        let asff = try render(findings, ASFFReport.render)
        for finding in asff {
            #expect((finding["ProductArn"] as? String)?.hasPrefix("arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:") == true)
            #expect(finding["Region"] as? String == "us-gov-west-1")
            #expect(((finding["Resources"] as? [[String: Any]])?.first?["Partition"] as? String) == "aws-us-gov")
        }
        let ocsf = try render(findings, OCSFReport.render)
        #expect(ocsf.allSatisfy { (($0["resources"] as? [[String: Any]])?.first?["cloud_partition"] as? String) == "aws-us-gov" })
    }

    @Test func chinaAccountWideFindingsUseTheChinaGlobalRegion() throws {
        let asff = try render([Self.finding(region: "global", resource: "arn:aws-cn:iam::111122223333:root")], ASFFReport.render)
        #expect(asff.first?["ProductArn"] as? String == "arn:aws-cn:securityhub:cn-northwest-1:111122223333:product/111122223333/default")
    }

    @Test func commercialStaysAsItWas() throws {
        let asff = try render([Self.finding(region: "global", resource: "AKIAEXAMPLEKEY000000")], ASFFReport.render)
        #expect(asff.first?["ProductArn"] as? String == "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default")
        #expect(((asff.first?["Resources"] as? [[String: Any]])?.first?["Partition"] as? String) == "aws")
    }
}
