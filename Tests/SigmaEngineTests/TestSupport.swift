import Foundation
import LogReaders
@_exported import MamoriTestSupport
import SigmaEngine

/// Parses a small rule from YAML.
func rule(_ detection: String) throws -> CompiledRule {
    let yaml = "title: t\nid: t\nlogsource:\n  category: network\ndetection:\n" + detection
    return CompiledRule(try SigmaParser.parse(yaml: yaml, file: "test.yml"))
}

/// Evaluates `rule` on a record made of `fields`.
func matches(_ rule: CompiledRule, _ fields: [String: String], line: String = "") -> Bool {
    var record = Record()
    for (k, v) in fields { record[k] = Array(v.utf8) }
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBytes { rule.evaluate(record, line: $0) != nil }
}
