import ArgumentParser
import Checks
import Foundation
import MamoriCore

struct ChecksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every posture check.",
        discussion: """
            Compliance mappings: CIS AWS Foundations Benchmark v3.0.0 and AWS Foundational Security
            Best Practices (FSBP) control ids.
            Example:
              mamori checks list --format json --output checks.json
            """)

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Option(help: "Write the list to this file instead of standard output.")
    var output: String?

    /// One check as `checks list --format json` writes it.
    struct Entry: Encodable {
        var id: String
        var title: String
        var severity: Severity
        var service: String
        var resourceType: String
        var reads: String
        var permissions: [String]
        var compliance: [String: [String]]

        init(_ check: CheckDefinition) {
            id = check.id
            title = check.title
            severity = check.severity
            service = check.service
            resourceType = check.resourceType
            reads = check.details.reads
            permissions = check.details.permissions
            compliance = Dictionary(grouping: check.compliance, by: \.framework.rawValue).mapValues { $0.sorted().map(\.control) }
        }
    }

    func run() async throws {
        try await Console.run {
            if format.value == .json {
                try Console.writeJSON(Catalog.all.map(Entry.init), to: output)
            } else {
                try Console.writeReport(Data(Self.table().utf8), to: output)
            }
            return 0
        }
    }

    static func table() -> String {
        var out = ""
        for check in Catalog.all {
            let mappings = check.compliance.sorted().map { "\($0.framework == .cis ? "CIS" : "FSBP") \($0.control)" }
            out += "\(check.id)  [\(check.severity.rawValue)]  \(check.title)\n"
            out += "    reads: \(check.details.reads)\n"
            out += "    needs: \(check.details.permissions.joined(separator: ", "))\n"
            if !mappings.isEmpty { out += "    maps to: \(mappings.joined(separator: ", "))\n" }
        }
        out += "\n\(Catalog.all.count) checks. CIS: \(Framework.cis.title); FSBP: \(Framework.fsbp.title).\n"
        return out
    }
}
