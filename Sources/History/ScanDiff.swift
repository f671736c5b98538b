import Foundation
import MamoriCore

/// What changed between two scans: failing, not muted findings matched by fingerprint.
public struct ScanDiff: Sendable, Hashable {
    /// A finding open in both scans; `previous` is set when the resource was renamed or moved
    /// (same unique id or same IAM name, different ARN or path).
    public struct StillOpen: Sendable, Hashable {
        public var finding: StoredFinding
        public var previousResource: String?
    }

    public var new: [StoredFinding]
    public var fixed: [StoredFinding]
    public var open: [StillOpen]

    /// Findings whose resource changed name or place between the scans.
    public var moved: [StillOpen] { open.filter { $0.previousResource != nil } }

    /// Compares `old` (the earlier scan) with `new` (the later one). Findings that were muted,
    /// passing, or in an account the later scan could not read are not "fixed": an unreadable
    /// account is left out of both sides so a failed scan never looks like a clean-up.
    public static func compare(old: [StoredFinding], new: [StoredFinding], unreadableAccounts: Set<String> = []) -> ScanDiff {
        func failing(_ findings: [StoredFinding]) -> [String: StoredFinding] {
            var byPrint: [String: StoredFinding] = [:]
            for finding in findings where finding.isOpenFailure && !unreadableAccounts.contains(finding.finding.account) {
                byPrint[finding.fingerprint] = byPrint[finding.fingerprint] ?? finding
            }
            return byPrint
        }
        let before = failing(old)
        let after = failing(new)
        var added: [StoredFinding] = []
        var open: [StillOpen] = []
        for (print, finding) in after {
            if let earlier = before[print] {
                let moved = earlier.finding.resource != finding.finding.resource ? earlier.finding.resource : nil
                open.append(StillOpen(finding: finding, previousResource: moved))
            } else {
                added.append(finding)
            }
        }
        let fixed = before.filter { after[$0.key] == nil }.map(\.value)
        let order: (StoredFinding, StoredFinding) -> Bool = { a, b in
            if a.finding.severity != b.finding.severity { return a.finding.severity > b.finding.severity }
            return (a.finding.check, a.finding.account, a.finding.region, a.finding.resource)
                < (b.finding.check, b.finding.account, b.finding.region, b.finding.resource)
        }
        return ScanDiff(new: added.sorted(by: order), fixed: fixed.sorted(by: order),
                        open: open.sorted { order($0.finding, $1.finding) })
    }
}
