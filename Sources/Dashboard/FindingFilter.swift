import Foundation
import MamoriCore

/// The findings table's filters and page, read from the query string
/// (`severity`, `check`, `account`, `region`, `status`, `q`, `page`). Bad values are 400s that
/// say which value is wrong and what would be accepted.
struct FindingFilter: Sendable, Hashable {
    var severity: Severity?
    var check: String?
    var account: String?
    var region: String?
    var status: DisplayStatus?
    /// Case-insensitive text searched in check, title, account, region, resource, type, message.
    var text: String?
    /// 1-based.
    var page: Int = 1

    init(severity: Severity? = nil, check: String? = nil, account: String? = nil, region: String? = nil,
         status: DisplayStatus? = nil, text: String? = nil, page: Int = 1) {
        self.severity = severity
        self.check = check
        self.account = account
        self.region = region
        self.status = status
        self.text = text
        self.page = page
    }

    init(_ query: QueryParameters) throws(PageError) {
        if let raw = query["severity"] {
            guard let severity = Severity(rawValue: raw.lowercased()) else {
                throw .badRequest("Unknown severity '\(raw)': use one of \(Severity.allCases.reversed().map(\.rawValue).joined(separator: ", ")).")
            }
            self.severity = severity
        }
        if let raw = query["status"] {
            guard let status = DisplayStatus(rawValue: raw.lowercased()) else {
                throw .badRequest("Unknown status '\(raw)': use one of \(DisplayStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.status = status
        }
        check = query["check"]
        account = query["account"]
        region = query["region"]
        text = query["q"]
        if let raw = query["page"] {
            guard let page = Int(raw), page >= 1 else { throw .badRequest("'page' must be a whole number from 1, not '\(raw)'.") }
            self.page = page
        }
    }

    /// One page of matches: positions into `ScanFindings.findings`, plus the total, in one pass
    /// that keeps only the rows of the requested page.
    struct Result: Sendable, Hashable {
        var rows: [Int]
        var matched: Int
        var page: Int
        var pageCount: Int
    }

    func apply(to scan: ScanFindings, pageSize: Int) throws(PageError) -> Result {
        let needle = text.map { Array($0.lowercased().utf8) }
        let first = (page - 1) * pageSize
        var rows: [Int] = []
        var matched = 0
        for index in scan.findings.indices {
            let finding = scan.findings[index].finding
            if let severity, finding.severity != severity { continue }
            if let status, scan.statuses[index] != status { continue }
            if let check, finding.check != check { continue }
            if let account, finding.account != account { continue }
            if let region, finding.region != region { continue }
            if let needle, !Self.contains(scan.searchText[index], needle) { continue }
            if matched >= first && rows.count < pageSize { rows.append(index) }
            matched += 1
        }
        let pageCount = max(1, (matched + pageSize - 1) / pageSize)
        guard page <= pageCount else {
            throw .badRequest("Page \(page) is past the end: these filters match \(matched) finding(s), \(pageCount) page(s).")
        }
        return Result(rows: rows, matched: matched, page: page, pageCount: pageCount)
    }

    /// The query string for this filter at another page (links keep the filters).
    func query(page: Int) -> String {
        Formatting.query([("severity", severity?.rawValue), ("status", status?.rawValue), ("check", check), ("account", account),
                          ("region", region), ("q", text), ("page", page == 1 ? nil : String(page))])
    }

    var isEmpty: Bool { severity == nil && status == nil && check == nil && account == nil && region == nil && text == nil }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let head = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == head {
                var offset = 1
                while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
