import Foundation
import LogReaders
import SigmaEngine

/// Writes the bulletin's noise reduction (suppress by source subnet) into the rule itself, so the
/// SIGMA rule and every converted query carry it, not only `imds scan`.
///
/// `--ignore-source` ranges (real EC2/VPC networks) become a `filter_cloud_subnets` selection and
/// the condition gains `and not filter_cloud_subnets`; `--only-source` ranges (on-premises subnets
/// and VLANs) become `source_onprem_subnets` and `and source_onprem_subnets`. Each selection tests
/// every source-address field `imds scan` reads the alert's source from (plus the config's
/// `source_fields`). The YAML is edited as text so the rule's comments and layout stay.
public enum RuleSuppression {
    public static let ignoreSelection = "filter_cloud_subnets"
    public static let onlySelection = "source_onprem_subnets"

    /// `yaml` with the suppression selections added; unchanged when both lists are empty.
    public static func apply(to yaml: String, file: String, ignoreSource: [CIDR], onlySource: [CIDR],
                             sourceFields: [String] = []) throws(LogDetectError) -> String {
        if ignoreSource.isEmpty && onlySource.isEmpty { return yaml }
        var lines = yaml.components(separatedBy: "\n")
        // The single `condition:` line of the detection block (its indentation is the block's).
        let conditionLines = lines.indices.filter { i in
            let t = lines[i].drop(while: { $0 == " " })
            return t.hasPrefix("condition:") && lines[i].first == " "
        }
        guard conditionLines.count == 1, let at = conditionLines.first else {
            throw .invalidRule(file: file, reason: "suppression needs a rule with one single-line detection condition (found \(conditionLines.count))")
        }
        let indent = String(lines[at].prefix(while: { $0 == " " }))
        var condition = lines[at].drop(while: { $0 == " " }).dropFirst("condition:".count).trimmingCharacters(in: .whitespaces)
        if let hash = condition.range(of: " #") { condition = String(condition[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
        if condition.count >= 2, let q = condition.first, q == "'" || q == "\"", condition.last == q {
            condition = String(condition.dropFirst().dropLast())
        }
        guard !condition.isEmpty, !condition.hasPrefix("|"), !condition.hasPrefix(">"), !condition.hasPrefix("-") else {
            throw .invalidRule(file: file, reason: "suppression needs the detection condition written on one line")
        }
        var fields = ProductFields.sourceAddressFields
        for f in sourceFields where !fields.contains(f) { fields.append(f) }
        var block: [String] = []
        var newCondition = "(\(condition))"
        func selection(_ name: String, _ ranges: [CIDR], comment: String) {
            block.append("\(indent)# \(comment)")
            block.append("\(indent)\(name):")
            for f in fields {
                block.append("\(indent)    - \(yamlKey(f + "|cidr")):")
                for r in ranges { block.append("\(indent)          - '\(r.description)'") }
            }
        }
        if !onlySource.isEmpty {
            selection(onlySelection, onlySource, comment: "Alert only for sources in on-premises subnets/VLANs (mamori imds rule --only-source).")
            newCondition += " and \(onlySelection)"
        }
        if !ignoreSource.isEmpty {
            selection(ignoreSelection, ignoreSource, comment: "Sources in real EC2/VPC ranges are not alerts (mamori imds rule --ignore-source).")
            newCondition += " and not \(ignoreSelection)"
        }
        block.append("\(indent)condition: \(newCondition)")
        lines.replaceSubrange(at...at, with: block)
        let out = lines.joined(separator: "\n")
        _ = try SigmaParser.parse(yaml: out, file: file)  // the edited rule must still be a valid rule
        return out
    }

    /// A field name as a YAML key (quoted when YAML would read it otherwise).
    static func yamlKey(_ f: String) -> String {
        f.allSatisfy { $0.isLetter || $0.isNumber || "._-()|".contains($0) } ? f : "'" + f.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
