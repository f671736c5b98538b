import Foundation
import History
import MamoriCore

extension DashboardPages {
    struct DiffView {
        var chosen: Bool
        var a: Int64
        var b: Int64
        var aLabel: String
        var bLabel: String
        var differentTargets: Bool
        var newCount: Int
        var fixedCount: Int
        var openCount: Int
        var movedCount: Int
        var new: [FindingRowView]
        var fixed: [FindingRowView]
        var open: [FindingRowView]
        var newTruncated: Bool
        var fixedTruncated: Bool
        var openTruncated: Bool
        var limit: Int
        var unreadable: String?
        var older: [OptionView]
        var newer: [OptionView]
    }

    /// `/diff?a=&b=`: new, fixed and still-open failing findings from scan `a` (before) to `b`
    /// (after). Renamed or moved resources are still open, marked with where they were.
    /// Without parameters the page offers the two latest scans.
    func diff(query: QueryParameters) async throws(PageError) -> Page {
        let a = try query.positiveInteger("a")
        let b = try query.positiveInteger("b")
        let scans = try await read { () async throws(HistoryError) in try await store.scans(limit: Self.listedScans) }
        func options(selected: Int64?) -> [OptionView] {
            scans.map { OptionView(value: String($0.id), label: "#\($0.id) \($0.target) \(Formatting.timestamp($0.startedAt))", selected: $0.id == selected) }
        }
        guard let a, let b else {
            if a != nil || b != nil { throw .badRequest("A diff needs both 'a' (the earlier scan) and 'b' (the later scan).") }
            let view = DiffView(chosen: false, a: 0, b: 0, aLabel: "", bLabel: "", differentTargets: false, newCount: 0, fixedCount: 0,
                                openCount: 0, movedCount: 0, new: [], fixed: [], open: [], newTruncated: false, fixedTruncated: false,
                                openTruncated: false, limit: configuration.diffLimit, unreadable: nil,
                                older: options(selected: scans.count > 1 ? scans[1].id : nil), newer: options(selected: scans.first?.id))
            return Page(title: "Compare scans", template: "diff", view: view)
        }
        let before = try await scan(a)
        let after = try await scan(b)
        let old = try await cache.findings(of: before)
        let new = try await cache.findings(of: after)
        // The same comparison as `mamori diff` (ScanDiff's rule), with findings from the page cache.
        let diff = ScanDiff.compare(old: old.findings, oldAccounts: try await accounts(a), new: new.findings, newAccounts: try await accounts(b))
        let limit = configuration.diffLimit
        let view = DiffView(
            chosen: true, a: a, b: b, aLabel: Self.label(before), bLabel: Self.label(after),
            differentTargets: before.target != after.target || before.kind != after.kind,
            newCount: diff.new.count, fixedCount: diff.fixed.count, openCount: diff.open.count, movedCount: diff.moved.count,
            new: diff.new.prefix(limit).map { Self.row($0, status: .fail, scan: b, partitions: new.partitions) },
            fixed: diff.fixed.prefix(limit).map { Self.row($0, status: .fail, scan: a, partitions: old.partitions) },
            // Moved and renamed first: they are the ones a reader would otherwise miss.
            open: (diff.moved + diff.open.filter { $0.previousResource == nil }).prefix(limit)
                .map { Self.row($0.finding, status: .fail, scan: b, previousResource: $0.previousResource, partitions: new.partitions) },
            newTruncated: diff.new.count > limit, fixedTruncated: diff.fixed.count > limit, openTruncated: diff.open.count > limit,
            limit: limit, unreadable: diff.uncomparableAccounts.isEmpty ? nil : diff.uncomparableAccounts.joined(separator: ", "),
            older: options(selected: a), newer: options(selected: b))
        return Page(title: "Scan #\(a) → #\(b)", template: "diff", view: view)
    }

    func accounts(_ scan: Int64) async throws(PageError) -> [AccountRecord] {
        try await read { () async throws(HistoryError) in try await store.accounts(scan: scan) }
    }

    static func label(_ scan: ScanRecord) -> String {
        "#\(scan.id) \(scan.target), \(Formatting.timestamp(scan.startedAt)) (\(scan.state.rawValue))"
    }
}
