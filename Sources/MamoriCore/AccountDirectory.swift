import Foundation
import StreamIO

/// The user's own names for AWS accounts: from `--accounts FILE` (`id,name[,ou-path]` lines) or
/// from the organisation (`--org`). One lookup for every command that shows a decoded or actor
/// account (`secrets`, `hunt`), so an account reads "belongs to prod-payments (Root/Workloads)"
/// the same way everywhere.
public struct AccountDirectory: Sendable, Hashable {
    public struct Entry: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        /// OU names from the root (`Root/Workloads/Payments`), when known.
        public var ouPath: String?

        public init(id: String, name: String, ouPath: String? = nil) {
            self.id = id
            self.name = name
            self.ouPath = ouPath.flatMap { $0.isEmpty ? nil : $0 }
        }

        /// `prod-payments (Root/Workloads)`, or the name alone.
        public var label: String { ouPath.map { "\(name) (\($0))" } ?? name }
        /// `belongs to prod-payments (Root/Workloads)`.
        public var belongsTo: String { "belongs to \(label)" }
    }

    /// Largest `--accounts` file read (a large organisation's list is well under this).
    public static let maxFileBytes = 16 << 20

    public private(set) var entries: [String: Entry] = [:]

    public init(_ entries: [Entry] = []) {
        for e in entries { self.entries[e.id] = e }
    }

    public var isEmpty: Bool { entries.isEmpty }

    public func entry(for account: String) -> Entry? { entries[account] }

    /// Adds `other`'s entries; where both name an account, `other` wins (a file's names over the
    /// organisation's, when both are given).
    public mutating func merge(_ other: AccountDirectory) {
        entries.merge(other.entries) { _, new in new }
    }

    /// Reads an `--accounts` file.
    public static func load(path: String) throws(AccountDirectoryError) -> AccountDirectory {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, maxBytes: maxFileBytes) } catch {
            throw AccountDirectoryError(message: "--accounts \(path): \(error)")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path)
    }

    /// `id,name` or `id,name,ou-path` per line; blank lines and `#` comments are skipped, and so
    /// is a header line (`id,name…`). Anything else is an error naming `file:line`.
    public static func parse(_ text: String, file: String) throws(AccountDirectoryError) -> AccountDirectory {
        var directory = AccountDirectory()
        var lineOf: [String: Int] = [:]
        var sawData = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(clean)
            func fail(_ why: String) -> AccountDirectoryError {
                AccountDirectoryError(message: "\(file):\(number): \(why) (expected `ACCOUNT_ID,NAME` or `ACCOUNT_ID,NAME,OU_PATH`)")
            }
            if !sawData, ["id", "account", "account_id", "accountid", "account id"].contains(fields[0].lowercased()) {
                sawData = true
                continue
            }
            sawData = true
            guard fields.count >= 2 else { throw fail("'\(TerminalText.sanitize(String(line.prefix(80))))' has no name") }
            let id = fields[0]
            guard AccountID.isValid(id) else {
                throw fail("'\(TerminalText.sanitize(String(id.prefix(40))))' is not a 12-digit AWS account ID")
            }
            guard !fields[1].isEmpty else { throw fail("account \(id) has an empty name") }
            if let first = lineOf[id] { throw fail("account \(id) is already named on line \(first)") }
            lineOf[id] = number
            directory.entries[id] = Entry(id: id, name: fields[1], ouPath: fields.count > 2 ? fields[2] : nil)
        }
        return directory
    }

    private static func clean(_ field: Substring) -> String {
        var s = field.trimmingCharacters(in: .whitespaces)
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        return s
    }
}

/// A bad `--accounts` file: the message names the file and line.
public struct AccountDirectoryError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
