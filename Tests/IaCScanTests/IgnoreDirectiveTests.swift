import Foundation
import Testing
@testable import IaCScan

@Suite struct IgnoreDirectiveTests {
    func scan(_ text: String, name: String) async throws -> IaCScanResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-iac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return try await IaCScanner().scan(paths: [dir.path])
    }

    static let lookup = "data \"aws_ami\" \"a\" {\n  most_recent = true\n  name_regex = \"^x\"\n}\n"

    @Test func commentAboveSuppressesAndIsCounted() async throws {
        let result = try await scan("# mamori:ignore IAC-AMI-001 -- our own build account shares it\n" + Self.lookup, name: "a.tf")
        #expect(result.findings.isEmpty)
        #expect(result.suppressed.map(\.rule) == ["IAC-AMI-001"])
        #expect(IaCReport.text(result).contains("1 suppressed by mamori:ignore"))
    }

    @Test func otherRuleIdDoesNotSuppress() async throws {
        let result = try await scan("# mamori:ignore IAC-AMI-003\n" + Self.lookup, name: "a.tf")
        #expect(result.findings.count == 1)
        #expect(result.suppressed.isEmpty)
    }

    @Test func bareDirectiveOnTheSameLineSuppressesAnyRule() async throws {
        let result = try await scan("aws ec2 describe-images --filters Name=name,Values=x-*  # mamori:ignore\n", name: "s.sh")
        #expect(result.findings.isEmpty)
        #expect(result.suppressed.count == 1)
    }

    @Test func binaryFileWithScannableNameIsListedAsSkipped() async throws {
        let result = try await scan("abc\u{0}def", name: "weird.tf")
        #expect(result.skipped.map(\.message) == ["binary file, not scanned"])
        #expect(result.filesScanned == 0)
    }

    @Test func explicitFileOfUnknownTypeIsNamedAsSkipped() async throws {
        let result = try await IaCScanner().scan(paths: [CorpusTests.corpus + "/manifest.tsv"])
        #expect(result.skipped.map(\.message) == ["not a file type mamori iac reads (see docs/iac.md)"])
    }

    @Test func javaScriptSDKFixUsesTheSDKFieldName() {
        let text = "new DescribeImagesCommand({ Filters: [{ Name: \"name\", Values: [\"x-*\"] }] })\n"
        let f = CodeAMIRules.lookups(in: text, file: "a.ts", language: .typeScript).compactMap { $0.finding() }
        #expect(f.first?.fix.contains("Owners: [\"<publisher-account-id>\"]") == true)
        #expect(f.first?.severity == .medium)
    }
}
