import Foundation
import MamoriCore

/// The findings block of the HTML report: lookup tables plus one compact array per finding,
/// sorted by severity and check so the page can group without sorting 50,000 rows.
struct HTMLData: Encodable {
    var checks: [CheckInfo]
    var accounts: [String]
    var regions: [String]
    /// [check, severity (0 info … 4 critical), status (0 fail, 1 pass, 2 muted), account, region, resource, type, message, console URL or "", muted reason or ""]
    var findings: [Row]

    struct CheckInfo: Encodable {
        var id: String
        var title: String
        var rationale: String
        var remediation: String
    }

    struct Row: Encodable {
        var check: Int
        var severity: Int
        var status: Int
        var account: Int
        var region: Int
        var resource: String
        var type: String
        var message: String
        var url: String
        var reason: String

        func encode(to encoder: Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(check)
            try container.encode(severity)
            try container.encode(status)
            try container.encode(account)
            try container.encode(region)
            try container.encode(resource)
            try container.encode(type)
            try container.encode(message)
            try container.encode(url)
            try container.encode(reason)
        }
    }

    init(_ input: ReportInput) {
        let rows: [(Finding, Int, String)] = input.findings.filter { $0.status != .muted }.map { ($0, $0.status == .fail ? 0 : 1, "") }
            + input.evaluation.muted.map { ($0.finding, 2, $0.reason) }
        let sorted = rows.sorted { a, b in
            if a.0.severity != b.0.severity { return a.0.severity > b.0.severity }
            if a.0.check != b.0.check { return a.0.check < b.0.check }
            if a.1 != b.1 { return a.1 < b.1 }
            return (a.0.account, a.0.region, a.0.resource) < (b.0.account, b.0.region, b.0.resource)
        }
        var checkIndex: [String: Int] = [:]
        var accountIndex: [String: Int] = [:]
        var regionIndex: [String: Int] = [:]
        var checks: [CheckInfo] = []
        var accounts: [String] = []
        var regions: [String] = []
        func index(_ key: String, _ table: inout [String: Int], _ list: inout [String]) -> Int {
            if let existing = table[key] { return existing }
            table[key] = list.count
            list.append(key)
            return list.count - 1
        }
        var out: [Row] = []
        out.reserveCapacity(sorted.count)
        for (finding, status, reason) in sorted {
            let check: Int
            if let existing = checkIndex[finding.check] { check = existing } else {
                check = checks.count
                checkIndex[finding.check] = check
                checks.append(CheckInfo(id: finding.check, title: finding.title,
                                        rationale: ReportText.checks[finding.check]?.rationale ?? "", remediation: finding.remediation))
            }
            out.append(Row(check: check, severity: Severity.allCases.firstIndex(of: finding.severity) ?? 0, status: status,
                           account: index(finding.account, &accountIndex, &accounts),
                           region: index(finding.region, &regionIndex, &regions),
                           resource: finding.resource, type: finding.resourceType, message: finding.message,
                           url: ConsoleLinks.url(for: finding, accounts: input.partitions) ?? "", reason: reason))
        }
        self.checks = checks
        self.accounts = accounts
        self.regions = regions
        self.findings = out
    }

    /// JSON safe inside a <script> element: no "<", ">" or "&" survive, so "</script>" or "<!--" in a
    /// bucket name or policy cannot end the block; U+2028/2029 are escaped for old parsers.
    static func encode(_ input: ReportInput) throws -> String {
        let data = try StableJSON.encode(HTMLData(input), .compact)
        // Byte-level rewrite: 50,000 findings make tens of megabytes, so no per-character String work.
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 50)
        let lessThan = Array("\\u003c".utf8), greaterThan = Array("\\u003e".utf8), ampersand = Array("\\u0026".utf8)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                switch byte {
                case 0x3C: out.append(contentsOf: lessThan)
                case 0x3E: out.append(contentsOf: greaterThan)
                case 0x26: out.append(contentsOf: ampersand)
                case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    // U+2028 / U+2029 as \u2028 / \u2029.
                    out.append(contentsOf: Array((bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                    index += 2
                default: out.append(byte)
                }
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}