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
        #expect(rules?.map { $0["id"] as? String } == ["IAC-AMI-001", "IAC-AMI-002", "IAC-AMI-003", "IAC-AMI-004", "IAC-AMI-005", "IAC-AMI-006", "IAC-AMI-007", "IAC-AMI-008", "IAC-AMI-009"])
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

/// File names and HCL labels come from the scanned tree: the text report shows their control
/// characters escaped and never lets a newline start a line of its own.
@Suite struct HostileTextTests {
    static let hostile = "evil\u{1B}]8;;https://attacker.example\u{07}x\u{1B}[2J\r\u{08}\u{9B}31m\u{202E}fdp.tf\u{2066}\nFAKE ROW"

    @Test func textEscapesHostileFileNamesAndLabels() throws {
        let result = IaCScanResult(
            findings: [IaCFinding(rule: .terraform, severity: .high, file: "./\(Self.hostile).tf", location: SourceLocation(line: 1, column: 1),
                                  resource: "data.aws_ami.\(Self.hostile)", message: "name filter \(Self.hostile)", fix: "f")],
            errors: [IaCFileError(file: Self.hostile, line: 1, column: 1, message: Self.hostile)],
            filesScanned: 1)
        let text = IaCReport.text(result)
        let raw = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
        #expect(raw.isEmpty)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(text.contains("evil\\x1b]8;;https://attacker.example\\x07x\\x1b[2J\\r\\x08\\u{9B}31m\\u{202E}fdp.tf\\u{2066}\\nFAKE ROW"))
    }

    @Test func hostileLabelInARealFileIsEscaped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-iac-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("ami\u{1B}[2J\u{9B}\nFAKE ROW.tf")
        try """
            data "aws_ami" "x\u{1B}]0;pwned\u{07}" {
              most_recent = true
              filter {
                name   = "name"
                values = ["ubuntu-\u{202E}*"]
              }
            }
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await IaCScanner().scan(paths: [dir.path])
        #expect(!result.findings.isEmpty, "the wildcard lookup is a finding")
        let text = IaCReport.text(result)
        let raw = text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x202E, 0x2066].contains($0.value)) }
        #expect(raw.isEmpty, "\(text)")
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(text.contains("ami\\x1b[2J\\u{9B}\\nFAKE ROW.tf"), "\(text)")
    }
}
