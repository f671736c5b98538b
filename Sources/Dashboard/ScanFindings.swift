import Foundation
import History
import MamoriCore

/// How a stored finding shows in the dashboard: open failure, muted by configuration, or passing.
enum DisplayStatus: String, Sendable, CaseIterable {
    case fail, muted, pass

    init(_ finding: StoredFinding) {
        if finding.mutedReason != nil { self = .muted } else { self = finding.finding.status == .fail ? .fail : .pass }
    }

    var rank: Int {
        switch self {
        case .fail: 0
        case .muted: 1
        case .pass: 2
        }
    }
}

/// One scan's findings, sorted once (most severe and open first) with what the filters need:
/// lowercased search text per finding, the distinct checks, accounts and regions, and an index by
/// fingerprint. Built once per scan and kept by `FindingsCache`, so paging through 50,000
/// findings is a scan of an array, not a query per click.
struct ScanFindings: Sendable {
    let scan: ScanRecord
    let findings: [StoredFinding]
    let statuses: [DisplayStatus]
    let searchText: [[UInt8]]
    let checks: [String]
    let accounts: [String]
    let regions: [String]
    let byFingerprint: [String: Int]
    /// Each account's partition as its findings show it: console links of account-wide findings.
    let partitions: [String: Partition]

    init(scan: ScanRecord, findings unsorted: [StoredFinding]) {
        let sorted = unsorted.map { ($0, DisplayStatus($0)) }.sorted { a, b in
            let x = a.0.finding, y = b.0.finding
            if x.severity != y.severity { return x.severity > y.severity }
            if a.1 != b.1 { return a.1.rank < b.1.rank }
            return (x.check, x.account, x.region, x.resource) < (y.check, y.account, y.region, y.resource)
        }
        self.scan = scan
        findings = sorted.map(\.0)
        statuses = sorted.map(\.1)
        searchText = findings.map { stored in
            let f = stored.finding
            return Array([f.check, f.title, f.account, f.region, f.resource, f.resourceType, f.message, stored.mutedReason ?? ""]
                .joined(separator: "\u{1F}").lowercased().utf8)
        }
        checks = Set(findings.map(\.finding.check)).sorted()
        accounts = Set(findings.map(\.finding.account)).sorted()
        regions = Set(findings.map(\.finding.region)).sorted()
        var index: [String: Int] = [:]
        index.reserveCapacity(findings.count)
        for (position, finding) in findings.enumerated() where index[finding.fingerprint] == nil {
            index[finding.fingerprint] = position
        }
        byFingerprint = index
        partitions = Partition.byAccount(findings.lazy.map(\.finding))
    }

    func finding(_ fingerprint: String) -> StoredFinding? {
        byFingerprint[fingerprint].map { findings[$0] }
    }
}
