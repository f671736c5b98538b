import Foundation
import Testing

/// Issue 16, "AWS as it really is": a moto estate in the China partition (cn-north-1, where moto
/// answers with `arn:aws-cn:` ARNs) scanned through the real binary gives only `arn:aws-cn:`
/// resources in every machine format, with the partition fields saying `aws-cn`.
@Suite(.serialized)
struct PartitionTests {
    static let estate: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "china") }

    func scan(_ format: String, _ extra: [String] = []) throws -> Run {
        let estate = try Self.estate.get()
        return try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "cn-north-1",
                               "--format", format, "--all", "--quiet"] + extra)
    }

    @Test func chinaEstateGivesOnlyChinaARNs() throws {
        let dir = Mamori.tempDir()
        let run = try scan("json", ["--save", "\(dir)/inventory.json"])
        #expect(run.status == 1 || run.status == 3, "stderr: \(run.stderr)")
        let findings = try run.json()
        #expect(!findings.isEmpty)
        #expect(!run.stdout.contains("arn:aws:"), "\(run.stdout.components(separatedBy: "\n").filter { $0.contains("arn:aws:") }.prefix(5))")
        let arns = findings.compactMap { $0["resource"] as? String }.filter { $0.hasPrefix("arn:") }
        #expect(!arns.isEmpty && arns.allSatisfy { $0.hasPrefix("arn:aws-cn:") }, "\(arns)")
        // The ARNs Mamori builds itself (not read from AWS): root, instance, launch template, bucket, parameter.
        for built in ["arn:aws-cn:iam::123456789012:root", "arn:aws-cn:ec2:cn-north-1:123456789012:instance/",
                      "arn:aws-cn:ec2:cn-north-1:123456789012:launch-template/", "arn:aws-cn:s3:::cn-public"] {
            #expect(arns.contains { $0.hasPrefix(built) }, "no finding on \(built)…")
        }
        let inventory = try String(contentsOfFile: "\(dir)/inventory.json", encoding: .utf8)
        #expect(inventory.contains("\"partition\" : \"aws-cn\"") || inventory.contains("\"partition\":\"aws-cn\""))
        #expect(!inventory.contains("arn:aws:"))
        // The saved inventory re-evaluates to the same findings offline.
        let check = try Mamori.run(["check", "--inventory", "\(dir)/inventory.json", "--format", "json", "--all"],
                                   environment: Mamori.environment(extra: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"]))
        #expect(check.stdout == run.stdout, "\(check.stderr)")
    }

    @Test func asffNamesTheChinaPartition() throws {
        let run = try scan("asff")
        let findings = try run.json()
        #expect(!findings.isEmpty)
        #expect(!run.stdout.contains("arn:aws:"))
        for finding in findings {
            let productArn = finding["ProductArn"] as? String ?? ""
            #expect(productArn.hasPrefix("arn:aws-cn:securityhub:cn-"), "\(productArn)")
            let resources = finding["Resources"] as? [[String: Any]] ?? []
            #expect(resources.allSatisfy { $0["Partition"] as? String == "aws-cn" })
            // Account-wide findings go to the partition's own region, never us-east-1.
            #expect((finding["Region"] as? String ?? "").hasPrefix("cn-"))
        }
    }

    @Test func ocsfNamesTheChinaPartition() throws {
        let run = try scan("ocsf")
        let findings = try run.json()
        #expect(!findings.isEmpty)
        #expect(!run.stdout.contains("arn:aws:"))
        for finding in findings {
            let resources = finding["resources"] as? [[String: Any]] ?? []
            #expect(!resources.isEmpty && resources.allSatisfy { $0["cloud_partition"] as? String == "aws-cn" })
        }
    }

    /// Console links (Markdown, HTML, dashboard) point at the China console, never the commercial one,
    /// and the advice text names no `arn:aws:` either.
    @Test func markdownLinksToTheChinaConsole() throws {
        let run = try scan("markdown")
        #expect(run.stdout.contains("](https://console.amazonaws.cn/"), "\(run.stdout.prefix(2000))")
        #expect(!run.stdout.contains("console.aws.amazon.com"))
        #expect(!run.stdout.contains("arn:aws:"))
    }
}
