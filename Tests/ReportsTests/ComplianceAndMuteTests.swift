import Checks
import Foundation
import MamoriCore
import Reports
import Testing

/// Muted findings in machine formats (with --all) and compliance mappings in every format that carries them.
@Suite struct ComplianceAndMuteTests {
    func json(_ format: ReportFormat, all: Bool = true) throws -> Any {
        try JSONSerialization.jsonObject(with: format.render(Fixture.input(all: all)))
    }

    @Test func mutedFindingsAppearOnlyWithAll() throws {
        let all = try #require(try json(.json) as? [[String: Any]])
        let muted = all.filter { $0["status"] as? String == "muted" }
        #expect(muted.count == 1)
        #expect(muted.first?["check"] as? String == "guardduty.disabled")
        #expect(muted.first?["mutedReason"] as? String == "sandbox <b>only</b> & \"test\"")
        // Every other finding keeps exactly the ten published fields.
        for finding in all where finding["status"] as? String != "muted" { #expect(finding.count == 10) }
        let failing = try #require(try json(.json, all: false) as? [[String: Any]])
        #expect(!failing.contains { $0["status"] as? String == "muted" })
    }

    @Test func csvAddsAReasonColumnOnlyWhenMutedFindingsAreShown() throws {
        let withMuted = String(decoding: try ReportFormat.csv.render(Fixture.input(all: true)), as: UTF8.self)
        #expect(withMuted.hasPrefix("check,title,severity,status,account,region,resource,resourceType,message,remediation,mutedReason\r\n"))
        #expect(withMuted.contains(",muted,") && withMuted.contains("sandbox <b>only</b>"))
        let failing = String(decoding: try ReportFormat.csv.render(Fixture.input()), as: UTF8.self)
        #expect(failing.hasPrefix("check,title,severity,status,account,region,resource,resourceType,message,remediation\r\n"))
    }

    @Test func sarifSuppressesMutedResultsAndCarriesMappingsOnRules() throws {
        let log = try #require(try json(.sarif) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.map { $0["ruleId"] as? String } == ["guardduty.disabled"])
        let suppression = try #require((suppressed.first?["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["kind"] as? String == "external" && suppression["justification"] as? String == "sandbox <b>only</b> & \"test\"")
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let imds = try #require(rules.first { $0["id"] as? String == "ec2.instance_imdsv2_not_required" })
        let properties = try #require(imds["properties"] as? [String: Any])
        #expect(properties["compliance"] as? [String] == ["CIS AWS Foundations Benchmark v3.0.0/5.6",
                                                         "AWS Foundational Security Best Practices v1.0.0/EC2.8"])
        #expect((properties["tags"] as? [String])?.contains("fsbp:EC2.8") == true)
        #expect(properties["security-severity"] as? String == "8.0")
    }

    @Test func ocsfAndASFFCarryCompliance() throws {
        let ocsf = try #require(try json(.ocsf) as? [[String: Any]])
        let imds = try #require(ocsf.first { ($0["metadata"] as? [String: Any])?["event_code"] as? String == "ec2.instance_imdsv2_not_required" })
        let compliance = try #require(imds["compliance"] as? [String: Any])
        #expect(compliance["requirements"] as? [String] == ["CIS AWS Foundations Benchmark v3.0.0/5.6",
                                                           "AWS Foundational Security Best Practices v1.0.0/EC2.8"])
        #expect(compliance["status"] as? String == "Fail")
        let mutedEvent = try #require(ocsf.first { $0["status"] as? String == "Suppressed" })
        #expect((mutedEvent["unmapped"] as? [String: String])?["muted_reason"] == "sandbox <b>only</b> & \"test\"")

        let asff = try #require(try json(.asff) as? [[String: Any]])
        let root = try #require(asff.first { $0["GeneratorId"] as? String == "mamori/iam.root_access_key" })
        #expect((root["Compliance"] as? [String: Any])?["RelatedRequirements"] as? [String] == [
            "CIS AWS Foundations Benchmark v3.0.0/1.4", "AWS Foundational Security Best Practices v1.0.0/IAM.4"])
        let suppressed = try #require(asff.first { ($0["Workflow"] as? [String: Any])?["Status"] as? String == "SUPPRESSED" })
        #expect((suppressed["ProductFields"] as? [String: String])?["mamori/mutedReason"] == "sandbox <b>only</b> & \"test\"")
    }

    @Test func complianceSummaryCountsPerControl() throws {
        let summary = ComplianceSummary(framework: .fsbp, evaluation: Fixture.evaluation)
        let ec2 = try #require(summary.controls.first { $0.id == "EC2.8" })
        #expect(ec2.checks == ["ec2.instance_imdsv2_not_required"])
        #expect(ec2.failed + ec2.passed == 2)  // the fixture has two instances
        let guardDuty = try #require(summary.controls.first { $0.id == "GuardDuty.1" })
        #expect(guardDuty.muted == 1 && guardDuty.failed == 0)
        #expect(summary.controls.map(\.id).firstIndex(of: "EC2.1")! < summary.controls.map(\.id).firstIndex(of: "EC2.8")!)

        var input = Fixture.input()
        input.compliance = .cis
        let markdown = String(decoding: try ReportFormat.markdown.render(input), as: UTF8.self)
        #expect(markdown.contains("## Compliance: CIS AWS Foundations Benchmark v3.0.0"))
        #expect(markdown.contains("| CIS 1.4 | `iam.root_access_key` | 0 | 1 | 0 | fail |"))
        #expect(markdown.contains("### CIS 1.4 (1 failing)"))
        let html = String(decoding: try ReportFormat.html.render(input), as: UTF8.self)
        #expect(html.contains("<section id=\"compliance\"><h2>Compliance: CIS AWS Foundations Benchmark v3.0.0</h2>"))
    }
}
