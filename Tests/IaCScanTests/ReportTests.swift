import Foundation
import Testing
@testable import IaCScan

@Suite struct ReportTests {
    let result = IaCScanResult(
        findings: [IaCFinding(rule: .terraform, severity: .high, file: "./infra/main.tf", location: SourceLocation(line: 3, column: 1),
                              resource: "data.aws_ami.x", message: "m", fix: "f")],
        errors: [IaCFileError(file: "bad.tf", line: 2, column: 4, message: "boom")],
        filesScanned: 2)

    @Test func sarifHasRulesAndRelativeLocations() throws {
        let json = try JSONSerialization.jsonObject(with: IaCReport.sarif(result, toolVersion: "1.2.3")) as? [String: Any]
        let run = try #require((json?["runs"] as? [[String: Any]])?.first)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
        #expect(rules?.map { $0["id"] as? String } == ["IAC-AMI-001", "IAC-AMI-002", "IAC-AMI-003", "IAC-AMI-004", "IAC-AMI-005", "IAC-AMI-006", "IAC-AMI-007", "IAC-AMI-008"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.first?["level"] as? String == "error")
        let location = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "infra/main.tf")
        #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 3)
    }

    @Test func jsonUsesTheDocumentedFieldNames() throws {
        let json = try JSONSerialization.jsonObject(with: IaCReport.json(result)) as? [String: Any]
        let finding = try #require((json?["findings"] as? [[String: Any]])?.first)
        #expect(Set(finding.keys) == ["rule", "title", "severity", "file", "line", "column", "resource", "message", "fix"])
        #expect(json?["filesScanned"] as? Int == 2)
    }

    @Test func textListsFindingsErrorsAndSummary() {
        let text = IaCReport.text(result)
        #expect(text.contains("./infra/main.tf:3:1  IAC-AMI-001  HIGH  data.aws_ami.x"))
        #expect(text.contains("bad.tf:2:4: boom"))
        #expect(text.hasSuffix("1 finding (1 high) in 2 scanned files; 1 file with errors.\n"))
    }

    @Test func severityFilterDropsLowerFindings() {
        #expect(result.filtered(minimum: .critical).findings.isEmpty)
        #expect(result.filtered(minimum: .high).findings.count == 1)
    }
}
