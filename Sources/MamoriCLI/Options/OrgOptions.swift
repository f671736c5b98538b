import AWSClient
import ArgumentParser
import Checks
import Collectors
import Foundation
import Inventory
import MamoriCore

/// Options for scanning a whole AWS Organization from its management (or delegated admin) account.
struct OrgOptions: ParsableArguments {
    @Flag(help: "Scan every active account of the organisation, assuming --role-name in each.")
    var org = false

    @Option(help: "Role to assume in each member account.")
    var roleName = "OrganizationAccountAccessRole"

    @Option(help: "External ID for the member-account role, if it requires one.")
    var externalId: String?

    @Option(help: "Accounts scanned at once.")
    var maxAccounts = 4

    @Option(help: "Scan only the account IDs in this file (one per line, # comments).")
    var accounts: String?

    @Option(name: .customLong("exclude-account"), help: "Skip this account (repeatable).")
    var excludeAccounts: [String] = []

    @Option(name: .customLong("ou"), help: "Scan only accounts under this OU id (repeatable), e.g. ou-ab12-34cd56ef.")
    var ous: [String] = []

    @Flag(name: .customLong("no-org-trust"),
          help: "Do not trust the organisation's accounts as owners of AMIs and shared resources (trusted by default with --org); `trust:` in the config still applies.")
    var noOrgTrust = false

    @Flag(help: "Continue the last interrupted --org scan with the same parameters: only unfinished accounts are scanned.")
    var resume = false

    @Option(help: ArgumentHelp("Scan only shard I of N (I from 0, as Kubernetes' JOB_COMPLETION_INDEX and AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX): accounts are split by a hash of their id. Needs --run.",
                               valueName: "I/N"))
    var shard: Shard?

    @Option(help: "A name for this scan shared by all its shards (and by --resume): workers with the same --run write into one stored scan.")
    var run: String?

    func validate() throws {
        if maxAccounts < 1 || maxAccounts > 64 { throw ValidationError("--max-accounts must be between 1 and 64") }
        if !org && (accounts != nil || !excludeAccounts.isEmpty || !ous.isEmpty || resume || shard != nil || run != nil || noOrgTrust) {
            throw ValidationError("--accounts, --exclude-account, --ou, --no-org-trust, --resume, --shard and --run go with --org")
        }
        if shard != nil && run == nil { throw ValidationError("--shard needs --run NAME, the scan all shards write into") }
    }

    /// The parameters that make two organisation scans "the same scan" for --resume.
    var fingerprint: String {
        ["role=\(roleName)", "accounts=\(accounts ?? "")", "exclude=\(excludeAccounts.sorted().joined(separator: ","))",
         "ou=\(ous.sorted().joined(separator: ","))", "shard=\(shard.map { "\($0.index)/\($0.count)" } ?? "")"].joined(separator: ";")
            + (noOrgTrust ? ";org-trust=off" : "")  // absent when on, so earlier stored scans still resume
    }

    /// The organisation accounts an org scan trusts: all members unless --no-org-trust (or
    /// `trust: {organization: true}` asks for them anyway), else the members under `trust: {ous:}`.
    func trust(_ members: [MemberAccount], config: MamoriConfig) -> OrganizationTrust? {
        if !noOrgTrust || config.trustOrganization {
            return OrganizationTrust(source: noOrgTrust ? "trust.organization" : "scan --org", accounts: members.map(\.id).sorted())
        }
        guard !config.trustOUs.isEmpty else { return nil }
        let ous = Set(config.trustOUs)
        return OrganizationTrust(source: "trust.ous \(config.trustOUs.joined(separator: ", "))",
                                 accounts: members.filter { !ous.isDisjoint(with: $0.ouIds) }.map(\.id).sorted())
    }

    /// The accounts to scan and those skipped with the reason.
    func select(_ members: [MemberAccount]) throws -> (scan: [MemberAccount], skipped: [(MemberAccount, String)]) {
        var allowList: Set<String>?
        if let accounts {
            guard let text = try? String(contentsOfFile: accounts, encoding: .utf8) else { throw CLIError("cannot read --accounts file \(accounts)") }
            let ids = text.split(whereSeparator: \.isNewline).map { $0.split(separator: "#").first.map(String.init) ?? "" }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for id in ids where !(id.count == 12 && id.allSatisfy(\.isNumber)) {
                throw CLIError("--accounts file \(accounts): '\(id)' is not a 12-digit account ID")
            }
            allowList = Set(ids)
        }
        var scan: [MemberAccount] = []
        var skipped: [(MemberAccount, String)] = []
        for member in members {
            if !member.isActive { skipped.append((member, "account is \(member.status.lowercased())")) }
            else if excludeAccounts.contains(member.id) { skipped.append((member, "excluded with --exclude-account")) }
            else if let allowList, !allowList.contains(member.id) { skipped.append((member, "not in --accounts")) }
            else if !ous.isEmpty, !ous.contains(where: member.ouIds.contains) { skipped.append((member, "outside --ou")) }
            else { scan.append(member) }
        }
        return (scan, skipped)
    }
}

