import Foundation
import History
import MamoriCore
import ScanEngine

extension DashboardPages {
    struct ScanView {
        var id: Int64
        var target: String
        var kind: String
        var state: String
        var started: String
        var finished: String?
        var duration: String?
        var toolVersion: String
        var parameters: String?
        var runId: String?
        var partial: Bool
        var chart: String
        var failing: SeverityCountsView
        var severityLinks: [SeverityLinkView]
        var muted: Int
        var passed: Int
        var accountCount: Int
        var accounts: [AccountRowView]
        var hasOUs: Bool
        var ous: [OURowView]
        var errorCount: Int
        var hasErrors: Bool
        var errors: [ErrorRowView]
        var diffLink: String?
    }

    struct SeverityLinkView {
        var severity: String
        var count: Int
        var link: String
    }

    struct AccountRowView {
        var id: String
        var name: String?
        var ouPath: String?
        var state: String
        var failed: Bool
        var failing: SeverityCountsView
        var link: String
        var inventory: String
        var errors: Int
    }

    struct OURowView {
        var path: String
        var depth: Int
        var indent: Int
        var accounts: Int
        var failing: SeverityCountsView
    }

    struct ErrorRowView {
        var account: String
        var region: String
        var call: String
        var kind: String
        var resource: String?
        var message: String
    }

    /// `/scans/{id}`: what the scan covered, how bad it is per account and per OU, and what it could not read.
    func scanSummary(_ id: Int64) async throws(PageError) -> Page {
        let scan = try await self.scan(id)
        let findings = try await cache.findings(of: scan)
        let accounts = try await read { () async throws(HistoryError) in try await store.accounts(scan: id) }
        let errors = try await read { () async throws(HistoryError) in try await store.errors(scan: id) }
        let previous = try await previousScan(of: scan)

        var perAccount: [String: [Severity: Int]] = [:]
        var passed = 0
        for (index, stored) in findings.findings.enumerated() {
            switch findings.statuses[index] {
            case .fail: perAccount[stored.finding.account, default: [:]][stored.finding.severity, default: 0] += 1
            case .pass: passed += 1
            case .muted: break
            }
        }
        var errorsPerAccount: [String: Int] = [:]
        for error in errors { errorsPerAccount[error.account, default: 0] += 1 }
        // Accounts that have findings but no account row (older stores) still get a row.
        var records = accounts
        let known = Set(accounts.map(\.accountId))
        for account in Set(findings.accounts).subtracting(known).sorted() {
            records.append(AccountRecord(accountId: account, state: .done, finishedAt: scan.finishedAt ?? scan.startedAt))
        }
        let rows = records.map { record in
            AccountRowView(id: record.accountId, name: record.name, ouPath: record.ouPath.flatMap { $0.isEmpty ? nil : $0 },
                           state: record.state.rawValue, failed: record.state == .failed,
                           failing: SeverityCountsView(perAccount[record.accountId] ?? [:]),
                           link: "/scans/\(id)/findings?" + FindingFilter(account: record.accountId, status: .fail).query(page: 1),
                           inventory: record.inventory.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                               .map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: ", "),
                           errors: errorsPerAccount[record.accountId] ?? 0)
        }.sorted { ($0.failing.total, $1.id) > ($1.failing.total, $0.id) }

        let counts = Formatting.failing(scan)
        let view = ScanView(
            id: id, target: scan.target, kind: scan.kind.rawValue, state: scan.state.rawValue,
            started: Formatting.timestamp(scan.startedAt), finished: scan.finishedAt.map(Formatting.timestamp),
            duration: Formatting.duration(scan.startedAt, scan.finishedAt), toolVersion: scan.toolVersion,
            parameters: scan.parameters.isEmpty ? nil : scan.parameters, runId: scan.runId,
            partial: scan.state == .partial || !errors.isEmpty, chart: Charts.severity(counts),
            failing: SeverityCountsView(counts),
            severityLinks: Severity.allCases.reversed().map { severity in
                SeverityLinkView(severity: severity.rawValue, count: counts[severity] ?? 0,
                                 link: "/scans/\(id)/findings?" + FindingFilter(severity: severity, status: .fail).query(page: 1))
            },
            muted: scan.muted, passed: passed, accountCount: records.count, accounts: rows,
            hasOUs: records.contains { !($0.ouPath ?? "").isEmpty },
            ous: Self.ouRollUp(records, perAccount: perAccount),
            errorCount: errors.count, hasErrors: !errors.isEmpty,
            errors: errors.map { stored in
                let e = stored.error
                return ErrorRowView(account: stored.account, region: e.region, call: e.service + ":" + e.operation,
                                    kind: e.kind.rawValue, resource: e.resource, message: e.message)
            },
            diffLink: previous.map { "/diff?a=\($0.id)&b=\(id)" })
        return Page(title: "Scan #\(id)", template: "scan", view: view)
    }

    /// Failing counts summed up the OU tree: an account in `Root/Prod/Web` counts for `Root`,
    /// `Root/Prod` and `Root/Prod/Web`, so a parent OU shows everything below it.
    static func ouRollUp(_ accounts: [AccountRecord], perAccount: [String: [Severity: Int]]) -> [OURowView] {
        var totals: [String: (accounts: Int, failing: [Severity: Int])] = [:]
        for account in accounts {
            guard let path = account.ouPath, !path.isEmpty else { continue }
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            for depth in 1...max(1, parts.count) {
                let prefix = parts.prefix(depth).joined(separator: "/")
                var entry = totals[prefix] ?? (0, [:])
                entry.accounts += 1
                for (severity, count) in perAccount[account.accountId] ?? [:] { entry.failing[severity, default: 0] += count }
                totals[prefix] = entry
            }
        }
        return totals.keys.sorted().map { path in
            let depth = path.split(separator: "/").count
            return OURowView(path: path, depth: depth, indent: (depth - 1) * 16, accounts: totals[path]?.accounts ?? 0,
                             failing: SeverityCountsView(totals[path]?.failing ?? [:]))
        }
    }

    /// The latest earlier scan of the same target, the natural "before" of a diff.
    func previousScan(of scan: ScanRecord) async throws(PageError) -> ScanRecord? {
        let scans = try await read { () async throws(HistoryError) in try await store.scans(limit: Self.listedScans) }
        return ScanHistory.previous(of: scan, in: scans)
    }
}
