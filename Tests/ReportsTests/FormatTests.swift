import Checks
import Foundation
import MamoriCore
@testable import Reports
import Testing

@Suite struct FormatTests {
    static func finding(_ resource: String, message: String = "m", severity: Severity = .high, status: FindingStatus = .fail) -> Finding {
        Finding(check: "s3.bucket_public", title: "S3 bucket is public", severity: severity, status: status, account: "111122223333",
                region: "eu-west-1", resource: resource, resourceType: "AwsS3Bucket", message: message, remediation: "fix it")
    }

    func object(_ data: Data) throws -> Any { try JSONSerialization.jsonObject(with: data) }

    @Test func csvQuotesAndNeutralisesFormulas() throws {
        let data = CSVReport.render([Self.finding("=HYPERLINK(\"x\")", message: "a, \"b\"\nc"), Self.finding("@SUM(1)", message: "-1+2")])
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "check,title,severity,status,account,region,resource,resourceType,message,remediation")
        #expect(lines[1] == "s3.bucket_public,S3 bucket is public,high,fail,111122223333,eu-west-1,\"'=HYPERLINK(\"\"x\"\")\",AwsS3Bucket,\"a, \"\"b\"\"\nc\",fix it")
        #expect(lines[2] == "s3.bucket_public,S3 bucket is public,high,fail,111122223333,eu-west-1,'@SUM(1),AwsS3Bucket,'-1+2,fix it")
        #expect(text.hasSuffix("\r\n"))
    }

    @Test func fixtureCSVNeutralisesTheUserName() throws {
        let text = String(decoding: try ReportFormat.csv.render(Fixture.input()), as: UTF8.self)
        // The IAM user "=1+2@evil" appears in messages only; its key id is the resource. No cell may start with "=".
        for line in text.components(separatedBy: "\r\n") {
            for cell in line.split(separator: ",") { #expect(!cell.hasPrefix("=") && !cell.hasPrefix("+")) }
        }
    }

    @Test func sarifHasRulesLevelsLogicalLocationsAndStableFingerprints() throws {
        let input = Fixture.input(all: true)
        let log = try #require(try object(SarifReport.render(input)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect((driver["rules"] as? [Any])?.count == Catalog.all.count)
        // GitHub code scanning sorts by security-severity and needs the "security" tag.
        for rule in driver["rules"] as? [[String: Any]] ?? [] {
            let properties = rule["properties"] as? [String: Any]
            #expect(Double(properties?["security-severity"] as? String ?? "") != nil, "\(rule["id"] ?? "")")
            #expect((properties?["tags"] as? [String])?.first == "security")
        }
        let rootRule = (driver["rules"] as? [[String: Any]])?.first { $0["id"] as? String == "iam.root_access_key" }
        #expect((rootRule?["properties"] as? [String: Any])?["security-severity"] as? String == "9.5")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == input.findings.count)
        let root = try #require(results.first { $0["ruleId"] as? String == "iam.root_access_key" })
        #expect(root["level"] as? String == "error")
        #expect(root["kind"] as? String == "fail")
        let location = try #require((root["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]])
        #expect(location.first?["fullyQualifiedName"] as? String == "arn:aws:iam::111122223333:root")
        // Code scanning needs a repository-relative file: every result has a pseudo path without a scheme.
        for result in results {
            let uri = ((((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                as? [String: Any])?["uri"] as? String) ?? ""
            #expect(uri.hasPrefix("aws/111122223333/"), "\(uri)")
        }
        let odd = SarifReport.pseudoPath(Self.finding("my bucket#1?x=%"))
        #expect(odd == "aws/111122223333/eu-west-1/my%20bucket%231%3Fx=%25")
        let passing = try #require(results.first { $0["kind"] as? String == "pass" })
        #expect(passing["level"] as? String == "none")
        let prints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["mamori/v1"] }
        #expect(prints.count == results.count)
        #expect(Set(prints).count == prints.count)
        // Same check, account, region and resource give the same fingerprint whatever the message says.
        let a = try #require(try object(SarifReport.render(.init(evaluation: input.evaluation, findings: [Self.finding("arn:aws:s3:::b", message: "one")], generatedAt: Fixture.now, toolVersion: "1"))) as? [String: Any])
        let b = try #require(try object(SarifReport.render(.init(evaluation: input.evaluation, findings: [Self.finding("arn:aws:s3:::b", message: "two")], generatedAt: Fixture.now, toolVersion: "2"))) as? [String: Any])
        func print(_ log: [String: Any]) -> String? {
            (((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first?["partialFingerprints"] as? [String: String])?["mamori/v1"]
        }
        #expect(print(a) != nil && print(a) == print(b))
    }

    /// OCSF 1.1 Detection Finding: the attributes the schema marks required, plus what Prowler fills.
    @Test func ocsfRequiredAttributes() throws {
        let events = try #require(try object(OCSFReport.render(Fixture.input())) as? [[String: Any]])
        #expect(events.count == Fixture.evaluation.failures.count)
        for event in events {
            for key in ["activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time", "metadata", "finding_info", "cloud", "resources", "status_id"] {
                #expect(event[key] != nil, "missing \(key)")
            }
            #expect(event["class_uid"] as? Int == 2004)
            #expect(event["category_uid"] as? Int == 2)
            #expect(event["type_uid"] as? Int == 200_401)
            #expect(event["time"] as? Int == 1_768_478_400_000)
            let metadata = try #require(event["metadata"] as? [String: Any])
            #expect(metadata["version"] as? String == "1.1.0")
            let product = try #require(metadata["product"] as? [String: Any])
            #expect(product["vendor_name"] as? String == "Mamori")
            let info = try #require(event["finding_info"] as? [String: Any])
            #expect((info["uid"] as? String)?.hasPrefix("mamori-") == true)
            #expect(info["title"] is String)
            let cloud = try #require(event["cloud"] as? [String: Any])
            #expect(cloud["provider"] as? String == "AWS")
            #expect((cloud["account"] as? [String: Any])?["uid"] as? String == "111122223333")
            // py-ocsf-models (Prowler) requires the account name; the inventory's name is "prod".
            #expect((cloud["account"] as? [String: Any])?["name"] as? String == "prod")
        }
        let root = try #require(events.first { ($0["metadata"] as? [String: Any])?["event_code"] as? String == "iam.root_access_key" })
        #expect(root["severity_id"] as? Int == 5)
        #expect(root["status_code"] as? String == "FAIL")
    }

    /// ASFF: the members botocore's securityhub model lists as required for AwsSecurityFinding.
    @Test func asffRequiredMembers() throws {
        let findings = try #require(try object(ASFFReport.render(Fixture.input())) as? [[String: Any]])
        #expect(findings.count == Fixture.evaluation.failures.count)
        for finding in findings {
            for key in ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description", "Resources"] {
                #expect(finding[key] != nil, "missing \(key)")
            }
            #expect(finding["SchemaVersion"] as? String == "2018-10-08")
            #expect(finding["CreatedAt"] as? String == "2026-01-15T12:00:00Z")
            let resource = try #require((finding["Resources"] as? [[String: Any]])?.first)
            #expect(resource["Type"] is String && resource["Id"] is String)
        }
        let root = try #require(findings.first { $0["GeneratorId"] as? String == "mamori/iam.root_access_key" })
        #expect(root["ProductArn"] as? String == "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default")
        #expect((root["Severity"] as? [String: Any])?["Label"] as? String == "CRITICAL")
        #expect((root["Compliance"] as? [String: Any])?["Status"] as? String == "FAILED")
    }

    @Test func asffRespectsLengthLimits() throws {
        let long = String(repeating: "x", count: 3000)
        let data = try ASFFReport.render(.init(evaluation: Fixture.evaluation, findings: [Self.finding("r", message: long)], generatedAt: Fixture.now, toolVersion: "1"))
        let finding = try #require((try object(data) as? [[String: Any]])?.first)
        #expect((finding["Description"] as? String)?.count == 1024)
    }

    @Test func markdownEscapesNames() throws {
        let data = MarkdownReport.render(.init(evaluation: Fixture.evaluation, findings: [Self.finding("arn:aws:s3:::a|b", message: "<script>x</script> | [link](javascript:1)")],
                                               generatedAt: Fixture.now, toolVersion: "1"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("<script>"))
        #expect(text.contains("&lt;script&gt;x&lt;/script&gt; \\| \\[link\\](javascript:1)"))
    }

    @Test func formatFileNames() throws {
        #expect(ReportFormat.ocsf.fileName == "findings.ocsf.json")
        #expect(ReportFormat.html.fileName == "report.html")
    }

    @Test func consoleLinks() {
        #expect(ConsoleLinks.url(for: Self.finding("arn:aws:s3:::public-assets")) == "https://s3.console.aws.amazon.com/s3/buckets/public-assets?region=eu-west-1")
        var instance = Self.finding("arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc")
        instance.resourceType = "AwsEc2Instance"
        #expect(ConsoleLinks.url(for: instance) == "https://console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc")
        var unknown = instance
        unknown.resourceType = "AwsSomethingElse"
        #expect(ConsoleLinks.url(for: unknown) == nil)
    }

    /// Each partition has its own console; the link follows the resource's ARN (or the region).
    @Test func consoleLinksFollowThePartition() {
        var instance = Self.finding("arn:aws-cn:ec2:cn-north-1:111122223333:instance/i-0abc")
        instance.resourceType = "AwsEc2Instance"
        instance.region = "cn-north-1"
        #expect(ConsoleLinks.url(for: instance) == "https://console.amazonaws.cn/ec2/home?region=cn-north-1#InstanceDetails:instanceId=i-0abc")
        var bucket = Self.finding("arn:aws-us-gov:s3:::gov-assets")
        bucket.region = "us-gov-west-1"
        #expect(ConsoleLinks.url(for: bucket) == "https://console.amazonaws-us-gov.com/s3/buckets/gov-assets?region=us-gov-west-1")
        var root = Self.finding("arn:aws-cn:iam::111122223333:root")
        root.resourceType = "AwsAccount"
        root.check = "guardduty.disabled"
        root.region = "global"
        // A global finding opens the partition's own global region, never us-east-1.
        #expect(ConsoleLinks.url(for: root) == "https://console.amazonaws.cn/guardduty/home?region=cn-northwest-1")
        var queue = Self.finding("arn:aws-cn:sqs:cn-north-1:111122223333:jobs")
        queue.resourceType = "AwsSqsQueue"
        queue.region = "cn-north-1"
        #expect(ConsoleLinks.url(for: queue)?.hasPrefix("https://console.amazonaws.cn/sqs/v3/home?region=cn-north-1#/queues/https%3A%2F%2Fsqs.cn-north-1.amazonaws.com.cn%2F") == true)
    }
}
