import Foundation
import History
import MamoriCore
import Mustache
import Reports

extension DashboardPages {
    struct FindingsView {
        var scanId: Int64
        var target: String
        var matched: Int
        var total: Int
        var filtered: Bool
        var rows: [FindingRowView]
        var hasRows: Bool
        var page: Int
        var pageCount: Int
        var previousLink: String?
        var nextLink: String?
        var severities: [OptionView]
        var statuses: [OptionView]
        var checks: [OptionView]
        var accounts: [OptionView]
        var regions: [OptionView]
        var text: String
    }

    /// One row of a findings table (also used by the diff page).
    struct FindingRowView {
        var severity: String
        var status: String
        var check: String
        var title: String
        var account: String
        var region: String
        var resource: String
        var message: String
        var link: String
        var consoleURL: String?
        var mutedReason: String?
        var previousResource: String?
    }

    /// `/scans/{id}/findings`: the findings table, filtered and paged on the server.
    func findingsTable(_ id: Int64, query: QueryParameters) async throws(PageError) -> Page {
        let filter = try FindingFilter(query)
        let scan = try await self.scan(id)
        let findings = try await cache.findings(of: scan)
        let result = try filter.apply(to: findings, pageSize: configuration.pageSize)
        let base = "/scans/\(id)/findings?"
        func options(_ values: [String], selected: String?, any: String) -> [OptionView] {
            [OptionView(value: "", label: any, selected: selected == nil)]
                + values.map { OptionView(value: $0, label: $0, selected: $0 == selected) }
        }
        let view = FindingsView(
            scanId: id, target: scan.target, matched: result.matched, total: findings.findings.count, filtered: !filter.isEmpty,
            rows: result.rows.map { Self.row(findings.findings[$0], status: findings.statuses[$0], scan: id, partitions: findings.partitions) },
            hasRows: !result.rows.isEmpty, page: result.page, pageCount: result.pageCount,
            previousLink: result.page > 1 ? base + filter.query(page: result.page - 1) : nil,
            nextLink: result.page < result.pageCount ? base + filter.query(page: result.page + 1) : nil,
            severities: options(Severity.allCases.reversed().map(\.rawValue), selected: filter.severity?.rawValue, any: "All severities"),
            statuses: options(DisplayStatus.allCases.map(\.rawValue), selected: filter.status?.rawValue, any: "All statuses"),
            checks: options(findings.checks, selected: filter.check, any: "All checks"),
            accounts: options(findings.accounts, selected: filter.account, any: "All accounts"),
            regions: options(findings.regions, selected: filter.region, any: "All regions"),
            text: filter.text ?? "")
        return Page(title: "Findings of scan #\(id)", template: "findings", view: view)
    }

    static func row(_ stored: StoredFinding, status: DisplayStatus, scan: Int64, previousResource: String? = nil,
                    partitions: [String: Partition] = [:]) -> FindingRowView {
        let f = stored.finding
        return FindingRowView(severity: f.severity.rawValue, status: status.rawValue, check: f.check, title: f.title,
                              account: f.account, region: f.region, resource: f.resource, message: f.message,
                              link: "/scans/\(scan)/findings/\(stored.fingerprint)",
                              consoleURL: Formatting.safeConsoleURL(ConsoleLinks.url(for: f, accounts: partitions)),
                              mutedReason: stored.mutedReason, previousResource: previousResource)
    }
}

/// Rows are looked up by name without reflection: Mustache's Mirror lookup costs tens of
/// microseconds a field, which made a 1,500-row diff page take over a second.
extension DashboardPages.FindingRowView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "severity": severity
        case "status": status
        case "check": check
        case "title": title
        case "account": account
        case "region": region
        case "resource": resource
        case "message": message
        case "link": link
        case "consoleURL": consoleURL
        case "mutedReason": mutedReason
        case "previousResource": previousResource
        default: nil
        }
    }
}
