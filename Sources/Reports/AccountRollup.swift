import Checks
import MamoriCore

/// Failing findings rolled up per account and per OU, for organisation scans' summaries
/// (terminal and HTML). An OU's row counts the accounts directly in it and below it.
public struct AccountRollup: Sendable, Hashable {
    /// One account or OU line.
    public struct Row: Sendable, Hashable {
        /// The account id, or the OU path.
        public var key: String
        /// Account name, or the number of accounts for an OU.
        public var label: String
        public var ouPath: String
        public var failing: Int
        public var worst: Severity?
        /// Parts that could not be read.
        public var unread: Int
    }

    public var accounts: [Row]
    public var ous: [Row]

    public init(_ evaluation: Evaluation) {
        var failing: [String: [Finding]] = [:]
        for finding in evaluation.failures { failing[finding.account, default: []].append(finding) }
        let ids = Set(evaluation.accounts.keys).union(failing.keys)
        accounts = ids.map { id in
            let label = evaluation.accounts[id]
            let list = failing[id] ?? []
            return Row(key: id, label: label?.name ?? "", ouPath: label?.ouPath ?? "", failing: list.count,
                       worst: list.map(\.severity).max(), unread: evaluation.errors[id]?.count ?? 0)
        }.sorted { ($0.ouPath, $0.key) < ($1.ouPath, $1.key) }

        var byOU: [String: (accounts: Int, failing: Int, worst: Severity?, unread: Int)] = [:]
        for row in accounts where !row.ouPath.isEmpty {
            // "Root/Prod/Payments" counts for Root, Root/Prod and Root/Prod/Payments.
            let parts = row.ouPath.split(separator: "/").map(String.init)
            for depth in 1...parts.count {
                let path = parts.prefix(depth).joined(separator: "/")
                var entry = byOU[path] ?? (0, 0, nil, 0)
                entry.accounts += 1
                entry.failing += row.failing
                entry.worst = [entry.worst, row.worst].compactMap { $0 }.max()
                entry.unread += row.unread
                byOU[path] = entry
            }
        }
        ous = byOU.map { path, entry in
            Row(key: path, label: "\(entry.accounts) account(s)", ouPath: path, failing: entry.failing, worst: entry.worst, unread: entry.unread)
        }.sorted { $0.key < $1.key }
    }
}
