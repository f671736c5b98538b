import Checks
import Foundation
import MamoriCore
import Reports
import Testing

@Suite struct HTMLTests {
    func html(_ input: ReportInput) throws -> String { String(decoding: try HTMLReport.render(input), as: UTF8.self) }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func selfContainedAndEscaped() throws {
        let page = try html(Fixture.input())
        // Nothing is fetched at view time.
        #expect(!page.contains("src=\"http"))
        #expect(!page.contains("href=\"http"))
        #expect(!page.contains("<link"))
        // Two script elements and no third "</script>": the attacker text in the error message and muted reason stays inert.
        #expect(count("</script>", in: page) == 2)
        #expect(page.contains("denied &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; by SCP"))
        #expect(!page.contains("<img"))
        let data = try #require(page.components(separatedBy: "<script type=\"application/json\" id=\"mamori-data\">").last?.components(separatedBy: "</script>").first)
        #expect(!data.contains("<") && !data.contains(">") && !data.contains("&"))
        // "<" is escaped, so "</" (the only way out of a script element) cannot occur even with slashes left as they are.
        #expect(data.contains(#"sandbox \u003cb\u003eonly\u003c/b\u003e \u0026 \"test\""#))
        // Metrics, charts, muted and errors are all there.
        #expect(page.contains("<section id=\"metrics\">"))
        #expect(page.contains("Console users without MFA</td><td>1/4 (25%)</td><td>11% of all IAM users</td><td class=\"verdict worse\">worse</td>"))
        #expect(page.contains("aria-label=\"Failing findings by severity\""))
        #expect(page.contains("No earlier scans recorded yet"))
        #expect(page.contains("<section id=\"errors\">"))
    }

    @Test func trendUsesPastScans() throws {
        var input = Fixture.input()
        input.history = [ScanSummary(date: Fixture.now.addingTimeInterval(-86_400 * 7), failing: [.high: 20, .low: 5]),
                         ScanSummary(date: Fixture.now.addingTimeInterval(-86_400), failing: [.critical: 1])]
        let page = try html(input)
        #expect(page.contains("<polyline"))
        #expect(count("<circle", in: page) == 3)
        #expect(page.contains("<title>2026-01-08T12:00:00Z: 25 failing</title>"))
        #expect(!page.contains("No earlier scans recorded yet"))
    }

    /// 50,000 findings: the page stays one file of bounded size and its static DOM does not grow
    /// with the findings (rows are built by the script one page at a time).
    @Test func fiftyThousandFindings() throws {
        let regions = ["us-east-1", "eu-west-1", "ap-northeast-1"]
        let findings = (0..<50_000).map { i in
            Finding(check: i % 2 == 0 ? "ec2.instance_imdsv2_not_required" : "s3.bucket_public", title: "t", severity: Severity.allCases[i % 5],
                    status: .fail, account: String(100_000_000_000 + i % 7), region: regions[i % 3],
                    resource: "arn:aws:ec2:\(regions[i % 3]):\(100_000_000_000 + i % 7):instance/i-\(String(i, radix: 16))",
                    resourceType: "AwsEc2Instance", message: "Instance \(i) accepts IMDSv1: HttpTokens is optional with the metadata endpoint enabled.",
                    remediation: "aws ec2 modify-instance-metadata-options --http-tokens required")
        }
        let evaluation = Evaluation(findings: findings, muted: [], errors: [:])
        let started = Date()
        let data = try HTMLReport.render(ReportInput(evaluation: evaluation, findings: findings, generatedAt: Fixture.now, toolVersion: "1"))
        print("rendered 50,000 findings in \(Date().timeIntervalSince(started)) s")
        #expect(data.count < 25_000_000, "report.html is \(data.count) bytes")
        let page = String(decoding: data, as: UTF8.self)
        print("checked at \(Date().timeIntervalSince(started)) s")
        // The only rows in the markup are the header rows: findings live in the JSON block.
        #expect(count("<tr", in: page) < 5)
        #expect(page.contains("const PAGE_SIZE = 100;"))
        #expect(count("/i-c34f\"", in: page) == 1) // finding 49999 (hex c34f) is in the data once, plus its console link
        #expect(count("instanceId=i-c34f\"", in: page) == 1)
    }
}
