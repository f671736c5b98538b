import Foundation
import SigmaEngine
import LogReaders
@_exported import MamoriTestSupport
import StreamIO

import LogDetect

/// Scans `text` (written to a temp file) with the built-in rule plus `extraRules`.
func scanText(_ text: String, name: String = "x.log", format: LogFormat? = nil, onlySource: [String] = [],
              ignoreSource: [String] = [], config: ImdsConfig = ImdsConfig(), prefilter: Bool = true) async throws -> ScanReport {
    try await scanFile(try writeTemp(text, name: name), format: format, onlySource: onlySource, ignoreSource: ignoreSource, config: config, prefilter: prefilter)
}

func scanFile(_ path: String, format: LogFormat? = nil, onlySource: [String] = [], ignoreSource: [String] = [],
              config: ImdsConfig = ImdsConfig(), prefilter: Bool = true) async throws -> ScanReport {
    let options = ScanOptions(
        rules: [CompiledRule(try BuiltInRules.imdsRule())], format: format,
        onlySource: onlySource.compactMap(CIDR.init), ignoreSource: ignoreSource.compactMap(CIDR.init),
        config: config, prefilter: prefilter
    )
    return await Scanner(options: options).scan(paths: [path])
}

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
