import Foundation
import StreamIO

/// Writes `bytes` to a fresh temporary file and returns its path.
func writeTemp(_ bytes: [UInt8], name: String = "input") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-imds-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func writeTemp(_ text: String, name: String = "input") throws -> String {
    try writeTemp(Array(text.utf8), name: name)
}

/// Reads every line of `path` as (number, text, truncated).
func allLines(_ path: String, bufferSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) throws -> [(Int, String, Bool)] {
    let reader = try LineReader(path: path, bufferSize: bufferSize, maxLineLength: maxLineLength)
    var out: [(Int, String, Bool)] = []
    while let line = try reader.next() {
        out.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.isTruncated))
    }
    return out
}

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
