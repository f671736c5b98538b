import Foundation
import Testing
@testable import IaCScan

/// Runs the scanner over the whole corpus and compares every file with the verdict in manifest.tsv,
/// which was written by hand from the rule definitions, not from scanner output.
@Suite struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    struct Case { var path: String; var expected: String }

    static func manifest() throws -> [Case] {
        let text = try String(contentsOfFile: corpus + "/manifest.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            let parts = $0.split(separator: "\t")
            return Case(path: String(parts[0]), expected: String(parts[1]))
        }
    }

    @Test func corpusHasAtLeastThirtyCases() throws {
        let cases = try Self.manifest()
        #expect(cases.count >= 30)
        #expect(cases.filter { $0.expected == "clean" }.count >= 10)
    }

    @Test func everyCaseMatchesItsExpectedVerdict() async throws {
        let result = try await IaCScanner().scan(paths: [Self.corpus])
        for c in try Self.manifest() {
            let file = Self.corpus + "/" + c.path
            let findings = result.findings.filter { $0.file == file }
            let errors = result.errors.filter { $0.file == file }
            switch c.expected {
            case "clean":
                #expect(findings.isEmpty && errors.isEmpty, "\(c.path): expected clean, got \(findings.map(\.message))")
            case "error":
                #expect(errors.count == 1 && findings.isEmpty, "\(c.path): expected a parse error")
            default:
                let got = findings.map { "\($0.rule):\($0.severity.rawValue)" }
                #expect(got == [c.expected], "\(c.path): expected \(c.expected), got \(got)")
            }
        }
        // Nothing outside the manifest produced output.
        let known = Set(try Self.manifest().map { Self.corpus + "/" + $0.path })
        #expect(result.findings.allSatisfy { known.contains($0.file) })
    }

    @Test func malformedFileIsLocatedAndTheScanContinues() async throws {
        let result = try await IaCScanner().scan(paths: [Self.corpus + "/broken", Self.corpus + "/terraform/tf01_most_recent_name_wildcard.tf"])
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.line == 5)
        #expect(result.errors.first?.column == 15)
        #expect(result.findings.count == 1)
    }

    @Test func findingLocationPointsAtTheLookUp() async throws {
        let result = try await IaCScanner().scan(paths: [Self.corpus + "/scripts/sh01_describe_images_sort.sh"])
        let f = try #require(result.findings.first)
        // `AMI_ID=$(aws ec2 describe-images \` — `aws` starts at column 10 of line 4.
        #expect(f.line == 4 && f.column == 10)
        #expect(f.fix.contains("--owners 099720109477"))
    }

    @Test func missingPathIsAnError() async {
        await #expect(throws: IaCScanError.pathNotFound("/nonexistent/iac")) {
            _ = try await IaCScanner().scan(paths: ["/nonexistent/iac"])
        }
    }
}
