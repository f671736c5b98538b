import Foundation
import MamoriCore

/// What changed between two scans: failing, not muted findings matched by fingerprint.
///
/// The one rule for comparing scans, used by `mamori diff`, `scan --fail-on new` and the dashboard:
/// an account that could not be read in *either* scan cannot be compared, so its findings are left
/// out of both sides (neither new, fixed nor still open) and listed in `uncomparableAccounts`.
/// Otherwise an account that failed only in the earlier scan would make all its findings "new",
/// and one that failed only in the later scan would make them all "fixed".
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
    /// Accounts left out because either scan could not read them, sorted.
    public var uncomparableAccounts: [String] = []

    /// Findings whose resource changed name or place between the scans.
    public var moved: [StillOpen] { open.filter { $0.previousResource != nil } }

    /// Accounts that cannot be compared: those either scan could not read at all.
    public static func uncomparableAccounts(earlier: [AccountRecord], later: [AccountRecord]) -> Set<String> {
        Set((earlier + later).filter { $0.state == .failed }.map(\.accountId))
    }

    /// Compares two stored scans, `earlier` before `later`: the comparison every caller uses.
    public static func compare(_ store: any HistoryStore, from earlier: Int64, to later: Int64) async throws(HistoryError) -> ScanDiff {
        compare(old: try await store.findings(scan: earlier), oldAccounts: try await store.accounts(scan: earlier),
                new: try await store.findings(scan: later), newAccounts: try await store.accounts(scan: later))
    }

    /// Compares two scans' findings given each scan's accounts (for callers that already hold the
    /// findings, such as the dashboard's cache).
    public static func compare(old: [StoredFinding], oldAccounts: [AccountRecord],
                               new: [StoredFinding], newAccounts: [AccountRecord]) -> ScanDiff {
        compare(old: old, new: new, unreadableAccounts: uncomparableAccounts(earlier: oldAccounts, later: newAccounts))
    }

    /// Compares `old` (the earlier scan) with `new` (the later one), leaving out `unreadableAccounts`
    /// on both sides. Findings that were muted or passing are not "fixed".
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
                        open: open.sorted { order($0.finding, $1.finding) }, uncomparableAccounts: unreadableAccounts.sorted())
    }
}
