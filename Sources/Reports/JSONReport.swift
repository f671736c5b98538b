import Foundation
import MamoriCore

/// `--format json`: an array of findings with exactly the ten published fields; a muted finding
/// (status `muted`, only with `--all`) adds an eleventh, `mutedReason`.
public enum JSONReport {
    public static func render(_ findings: [Finding]) throws -> Data {
        try render(findings.map { Entry(finding: $0, mutedReason: nil) })
    }

    public static func render(_ input: ReportInput) throws -> Data {
        try render(input.findings.map { Entry(finding: $0, mutedReason: input.muteReason($0)) })
    }

    static func render(_ entries: [Entry]) throws -> Data {
        var data = try StableJSON.encode(entries)
        data.append(0x0A)
        return data
    }

    struct Entry: Encodable {
        var finding: Finding
        var mutedReason: String?

        enum CodingKeys: String, CodingKey { case mutedReason }

        func encode(to encoder: Encoder) throws {
            try finding.encode(to: encoder)
            guard let mutedReason else { return }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(mutedReason, forKey: .mutedReason)
        }
    }
}
