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
