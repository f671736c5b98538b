import ArgumentParser
import Foundation
import LogDetect
import MamoriCore
import SigmaEngine
import LogReaders

/// `mamori imds rule --target …`
struct ImdsRuleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rule",
        abstract: "Print the IMDS SIGMA rule (or --rule FILE) as a SIEM query.",
        discussion: """
            Targets: \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", ")). qradar, sentinel-asim and
            sentinel-cef use the product's own field names; the others the rule's. --ignore-source/--only-source
            (or the imds: section of --config) write the source-subnet suppression into the rule and the query.
            See docs/imds.md for how each differs from pySigma.
            Example:
              mamori imds rule --target sentinel-asim --ignore-source 172.31.0.0/16
              mamori imds rule --target splunk --output imds.spl
            """
    )

    @Option(help: "Query language: \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: String = "sigma"

    @Option(help: "Write the query to this file instead of standard output.")
    var output: String?

    @Option(help: "Convert this SIGMA rule file instead of the built-in one.")
    var rule: String?

    @Option(name: .customLong("ignore-source"), help: "Sources in this CIDR (real EC2/VPC ranges) are not alerts: adds a filter_cloud_subnets selection (repeatable).")
    var ignoreSource: [String] = []

    @Option(name: .customLong("only-source"), help: "Alert only for sources in this CIDR (on-premises subnets/VLANs): adds a source_onprem_subnets selection (repeatable).")
    var onlySource: [String] = []

    @Option(help: "mamori.yml whose imds: section gives ignore_source, only_source and source_fields.")
    var config: String?

    func run() async throws {
        guard let t = QueryTarget(rawValue: target.lowercased()) else {
            throw CLIError.command("imds", "--target \(target): use one of \(QueryTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let result = Result { () throws(LogDetectError) -> String in try convert(t) }
        switch result {
        case let .success(query):
            do { try Console.writeReport(Data((query.hasSuffix("\n") ? query : query + "\n").utf8), to: output) }
            catch { throw CLIError.command("imds", "\(error)") }
        case let .failure(error): throw CLIError.command("imds", error.description)
        }
    }

    private func convert(_ t: QueryTarget) throws(LogDetectError) -> String {
        var source = BuiltInRules.imdsNonEC2Network
        if let rule { source = try RuleLoader.readText(rule) }
        let file = rule ?? BuiltInRules.imdsFileName
        let cfg = try config.map(ImdsConfig.load) ?? ImdsConfig()
        source = try RuleSuppression.apply(
            to: source, file: file,
            ignoreSource: try RuleLoader.cidrs(cfg.ignoreSource + ignoreSource),
            onlySource: try RuleLoader.cidrs(cfg.onlySource + onlySource),
            sourceFields: cfg.sourceFields
        )
        let parsed = try SigmaParser.parse(yaml: source, file: file)
        let unmapped = QueryConverter.unmappedFields(parsed, to: t)
        if !unmapped.isEmpty {
            // Said on stderr so the query on stdout stays pasteable.
            FileHandle.standardError.write(Data("mamori imds rule: \(t.rawValue) has no field for \(unmapped.joined(separator: ", ")); tests on them are left out\n".utf8))
        }
        return try QueryConverter.convert(parsed, to: t, source: source)
    }
}
