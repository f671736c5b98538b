import Checks
import Foundation
import MamoriCore

/// `--format sarif`: SARIF 2.1.0 built on the shared MamoriCore model. Findings have no file, so
/// each result gets a logical location (the resource ARN) added to the shared model's JSON.
public enum SarifReport {
    public static func render(_ input: ReportInput) throws -> Data {
        let rules = Catalog.all.map { check in
            SarifRule(id: check.id, name: check.title, shortDescription: check.title, fullDescription: check.rationale,
                      help: check.remediation, level: SarifLevel(check.severity), severity: check.severity,
                      tags: ["aws", String(check.id.split(separator: ".").first ?? "")])
        }
        let results = input.findings.map { finding in
            SarifResult(ruleId: finding.check, level: finding.status == .pass ? .none : SarifLevel(finding.severity),
                        message: finding.message, fingerprint: ReportText.fingerprint(finding))
        }
        let log = SarifLog(runs: [SarifRun(toolName: "mamori", version: input.toolVersion, rules: rules, results: results)])
        // The shared model has no logical locations, result kinds or properties: add them in place.
        guard var root = try JSONSerialization.jsonObject(with: log.encoded()) as? [String: Any],
              var runs = root["runs"] as? [[String: Any]], var run = runs.first,
              var encoded = run["results"] as? [[String: Any]], encoded.count == input.findings.count
        else { throw ReportError.encoding("SARIF") }
        // Rule properties carry the compliance mappings (CIS/FSBP control ids) next to security-severity and tags.
        if var tool = run["tool"] as? [String: Any], var driver = tool["driver"] as? [String: Any],
           var encodedRules = driver["rules"] as? [[String: Any]], encodedRules.count == Catalog.all.count {
            for (index, check) in Catalog.all.enumerated() where !check.compliance.isEmpty {
                var properties = encodedRules[index]["properties"] as? [String: Any] ?? [:]
                let mappings = check.compliance.sorted()
                properties["compliance"] = mappings.map(\.requirement)
                properties["tags"] = (properties["tags"] as? [String] ?? []) + mappings.map { "\($0.framework.rawValue):\($0.control)" }
                encodedRules[index]["properties"] = properties
            }
            driver["rules"] = encodedRules
            tool["driver"] = driver
            run["tool"] = tool
        }
        for (index, finding) in input.findings.enumerated() {
            var result = encoded[index]
            result["kind"] = finding.status == .pass ? "pass" : "fail"
            if let reason = input.muteReason(finding) {
                // SARIF's own form for a silenced result: code scanning shows it as dismissed.
                result["suppressions"] = [["kind": "external", "status": "accepted", "justification": reason]]
            }
            result["locations"] = [[
                // GitHub code scanning rejects results without a non-empty repository-relative
                // artifactLocation.uri, and a cloud resource has no file: a stable pseudo path
                // (aws/ACCOUNT/REGION/RESOURCE, never starting with a scheme) stands in for one.
                "physicalLocation": ["artifactLocation": ["uri": Self.pseudoPath(finding)]],
                "logicalLocations": [["fullyQualifiedName": finding.resource, "kind": "resource"]],
                "message": ["text": "\(finding.resourceType) in account \(finding.account), region \(finding.region)"],
            ]]
            result["properties"] = [
                "account": finding.account, "region": finding.region, "resourceType": finding.resourceType,
                "severity": finding.severity.rawValue, "remediation": finding.remediation,
            ]
            encoded[index] = result
        }
        run["results"] = encoded
        run["invocations"] = [["executionSuccessful": !input.evaluation.isPartial,
                               "endTimeUtc": ReportText.iso(input.generatedAt)]]
        runs[0] = run
        root["runs"] = runs
        var data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// `aws/ACCOUNT/REGION/RESOURCE`, percent-encoded as a URI path (spaces, `#`, `?` and `%`
    /// in resource names must not end the path or start a query).
    static func pseudoPath(_ finding: Finding) -> String {
        var allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~/:@!$&'()*+,;="))
        allowed.remove(charactersIn: "\u{80}"..."\u{10FFFF}")
        let raw = "aws/\(finding.account.isEmpty ? "unknown-account" : finding.account)/\(finding.region.isEmpty ? "global" : finding.region)/\(finding.resource)"
        return raw.addingPercentEncoding(withAllowedCharacters: allowed) ?? raw
    }
}

/// A report could not be produced.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case encoding(String)
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .encoding(let format): "internal error: the \(format) report could not be encoded"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
