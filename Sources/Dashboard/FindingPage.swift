import Checks
import Foundation
import History
import MamoriCore
import ScanEngine
import Reports

extension DashboardPages {
    /// Earlier scans searched for where a finding first appeared: each is one findings load
    /// (cached), so the walk is bounded.
    static let firstSeenDepth = 10

    struct FindingView {
        var scanId: Int64
        var fingerprint: String
        var severity: String
        var status: String
        var check: String
        var title: String
        var account: String
        var accountName: String?
        var region: String
        var resource: String
        var resourceType: String
        var resourceUid: String?
        var message: String
        var remediation: String
        var rationale: String?
        var consoleURL: String?
        var mutedReason: String?
        var firstSeen: String
        var firstSeenLink: String?
    }

    /// `/scans/{id}/findings/{fingerprint}`: one finding with its fix, console link and first sighting.
    func findingDetail(_ id: Int64, fingerprint: String) async throws(PageError) -> Page {
        let scan = try await self.scan(id)
        let findings = try await cache.findings(of: scan)
        guard let stored = findings.finding(fingerprint) else {
            throw .notFound("Scan #\(id) has no finding with fingerprint \(fingerprint). It may belong to another scan: open it from that scan's findings table.")
        }
        let f = stored.finding
        let accounts = try await read { () async throws(HistoryError) in try await store.accounts(scan: id) }
        let (firstSeen, firstLink) = try await self.firstSeen(stored, in: scan)
        let view = FindingView(
            scanId: id, fingerprint: fingerprint, severity: f.severity.rawValue, status: DisplayStatus(stored).rawValue,
            check: f.check, title: f.title, account: f.account,
            accountName: accounts.first { $0.accountId == f.account }?.name, region: f.region, resource: f.resource,
            resourceType: f.resourceType, resourceUid: stored.resourceUid, message: f.message, remediation: f.remediation,
            rationale: Self.rationale[f.check], consoleURL: Formatting.safeConsoleURL(ConsoleLinks.url(for: f, accounts: findings.partitions)),
            mutedReason: stored.mutedReason, firstSeen: firstSeen, firstSeenLink: firstLink)
        return Page(title: f.title, template: "finding", view: view)
    }

    /// Why each check matters, from the catalog.
    static let rationale: [String: String] = Dictionary(Catalog.all.map { ($0.id, $0.rationale) }, uniquingKeysWith: { first, _ in first })

    /// Walks back through earlier scans of the same target while the finding is there with the
    /// same status (a check that failed, then passed, then failed again is "new" again).
    func firstSeen(_ stored: StoredFinding, in scan: ScanRecord) async throws(PageError) -> (String, String?) {
        let fingerprint = stored.fingerprint, status = DisplayStatus(stored)
        let scans = try await read { () async throws(HistoryError) in try await store.scans(limit: Self.listedScans) }
        let earlier = scans.filter { ScanHistory.precedes($0, scan) }
        var first = scan
        for candidate in earlier.prefix(Self.firstSeenDepth) {
            let earlierFinding = try await cache.findings(of: candidate).finding(fingerprint)
            guard let earlierFinding, DisplayStatus(earlierFinding) == status else {
                return first.id == scan.id
                    ? ("New in this scan (not in scan #\(candidate.id)).", nil)
                    : ("First seen in scan #\(first.id), \(Formatting.timestamp(first.startedAt)).", "/scans/\(first.id)/findings/\(fingerprint)")
            }
            first = candidate
        }
        if first.id == scan.id { return ("In the first recorded scan of \(scan.target).", nil) }
        let limit = earlier.count > Self.firstSeenDepth ? " (or earlier: only \(Self.firstSeenDepth) scans back were searched)" : ""
        return ("First seen in scan #\(first.id), \(Formatting.timestamp(first.startedAt))\(limit).", "/scans/\(first.id)/findings/\(fingerprint)")
    }
}
