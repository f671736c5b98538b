import Foundation
import Yams

/// Publicly documented AWS account IDs of vendors and AWS services, bundled with Mamori from
/// fwdcloudsec/known_aws_accounts (Apache-2.0; see Resources/known-aws-accounts.SOURCE.md).
/// Never fetched at run time, so Mamori works offline.
public struct KnownAccounts: Sendable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// "aws" when the account belongs to an AWS service.
        public var type: String?
        public var sources: [String]
    }

    public let byAccount: [String: Entry]

    public init(byAccount: [String: Entry]) { self.byAccount = byAccount }

    /// The bundled list (empty, never a crash, if the resource is unreadable).
    public static let bundled: KnownAccounts = {
        guard let url = Bundle.module.url(forResource: "Resources/known-aws-accounts", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8),
              let parsed = try? parse(text) else { return KnownAccounts(byAccount: [:]) }
        return parsed
    }()

    public func name(of account: String) -> String? { byAccount[account]?.name }

    public static func parse(_ text: String) throws -> KnownAccounts {
        struct Raw: Decodable {
            var name: String
            var type: String?
            var source: [String]?
            var accounts: [String]
        }
        try YAMLLimits.check(text)
        let entries = try YAMLDecoder().decode([Raw].self, from: text)
        var map: [String: Entry] = [:]
        for entry in entries {
            for account in entry.accounts where map[account] == nil {
                map[account] = Entry(name: entry.name, type: entry.type, sources: entry.source ?? [])
            }
        }
        return KnownAccounts(byAccount: map)
    }
}
