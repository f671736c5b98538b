import Collectors
import Foundation
import Inventory
import MamoriCore

/// What an organisation scan was asked to do: the values behind `scan --org`'s flags.
public struct OrgScanOptions: Sendable, Hashable {
    /// Role assumed in each member account.
    public var roleName: String
    public var externalId: String?
    /// Accounts scanned at once.
    public var maxAccounts: Int
    /// `--accounts FILE`: scan only the account IDs it lists.
    public var accountsFile: String?
    public var excludeAccounts: [String]
    /// `--ou`: only accounts under one of these OU ids.
    public var ous: [String]
    public var noOrgTrust: Bool
    /// Continue the last unfinished scan with the same parameters.
    public var resume: Bool
    public var shard: Shard?
    /// The name every shard (and `--resume`) of one scan shares.
    public var run: String?

    public init(roleName: String = "OrganizationAccountAccessRole", externalId: String? = nil, maxAccounts: Int = 4,
                accountsFile: String? = nil, excludeAccounts: [String] = [], ous: [String] = [], noOrgTrust: Bool = false,
                resume: Bool = false, shard: Shard? = nil, run: String? = nil) {
        self.roleName = roleName
        self.externalId = externalId
        self.maxAccounts = maxAccounts
        self.accountsFile = accountsFile
        self.excludeAccounts = excludeAccounts
        self.ous = ous
        self.noOrgTrust = noOrgTrust
        self.resume = resume
        self.shard = shard
        self.run = run
    }

    /// The parameters that make two organisation scans "the same scan" for --resume. Stored with
    /// every scan: changing this text makes earlier interrupted scans impossible to resume.
    public var fingerprint: String {
        ["role=\(roleName)", "accounts=\(accountsFile ?? "")", "exclude=\(excludeAccounts.sorted().joined(separator: ","))",
         "ou=\(ous.sorted().joined(separator: ","))", "shard=\(shard.map { "\($0.index)/\($0.count)" } ?? "")"].joined(separator: ";")
            + (noOrgTrust ? ";org-trust=off" : "")  // absent when on, so earlier stored scans still resume
    }

    /// The accounts trusted as owners of AMIs and shared resources: the whole organisation unless
    /// `--no-org-trust` (then only `trust:` in the config), or the accounts under `trust.ous`.
    public func trust(_ members: [MemberAccount], config: MamoriConfig) -> OrganizationTrust? {
        if !noOrgTrust || config.trustOrganization {
            return OrganizationTrust(source: noOrgTrust ? "trust.organization" : "scan --org", accounts: members.map(\.id).sorted())
        }
        guard !config.trustOUs.isEmpty else { return nil }
        let ous = Set(config.trustOUs)
        return OrganizationTrust(source: "trust.ous \(config.trustOUs.joined(separator: ", "))",
                                 accounts: members.filter { !ous.isDisjoint(with: $0.ouIds) }.map(\.id).sorted())
    }

    /// The accounts to scan and those skipped with the reason (reads `--accounts FILE`).
    public func select(_ members: [MemberAccount]) throws(ScanEngineError) -> AccountSelection {
        var allowList: Set<String>?
        if let accountsFile {
            guard let text = try? String(contentsOfFile: accountsFile, encoding: .utf8) else { throw .unreadableAccountList(path: accountsFile) }
            allowList = try AccountSelection.allowList(text, source: accountsFile)
        }
        return AccountSelection(members, allowList: allowList, excluded: excludeAccounts, ous: ous, shard: shard)
    }
}

/// Which member accounts a run scans, and why the others are not scanned.
public struct AccountSelection: Sendable {
    public var scan: [MemberAccount]
    /// Accounts not scanned and the reason, stored as the account's error so reports name them.
    /// Accounts of other shards are neither scanned nor skipped: their shard reports them.
    public var skipped: [(MemberAccount, String)]

    /// Inactive accounts, `--exclude-account`, accounts missing from `--accounts` and outside
    /// every `--ou` are skipped, in that order of reasons; a shard keeps only its own accounts.
    public init(_ members: [MemberAccount], allowList: Set<String>?, excluded: [String], ous: [String], shard: Shard? = nil) {
        var scan: [MemberAccount] = []
        var skipped: [(MemberAccount, String)] = []
        for member in members {
            if !member.isActive { skipped.append((member, "account is \(member.status.lowercased())")) }
            else if excluded.contains(member.id) { skipped.append((member, "excluded with --exclude-account")) }
            else if let allowList, !allowList.contains(member.id) { skipped.append((member, "not in --accounts")) }
            else if !ous.isEmpty, !ous.contains(where: member.ouIds.contains) { skipped.append((member, "outside --ou")) }
            else { scan.append(member) }
        }
        if let shard {
            scan = scan.filter { shard.contains($0.id) }
            skipped = skipped.filter { shard.contains($0.0.id) }
        }
        self.scan = scan
        self.skipped = skipped
    }

    /// The account IDs of an `--accounts` file: one per line, `#` starts a comment.
    public static func allowList(_ text: String, source: String) throws(ScanEngineError) -> Set<String> {
        // Not omitting empty parts: a line that starts with `#` is all comment (it was read as an id).
        let ids = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "#", omittingEmptySubsequences: false).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for id in ids where !AccountID.isValid(id) {
            throw .notAnAccountId(path: source, value: id)
        }
        return Set(ids)
    }
}
