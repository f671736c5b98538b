import Foundation
import MamoriCore

/// `--format json`: an array of findings with exactly the ten published fields.
public enum JSONReport {
    public static func render(_ findings: [Finding]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(findings)
        data.append(0x0A)
        return data
    }
}
