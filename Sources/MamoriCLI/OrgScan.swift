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

    func validate() throws {
        if maxAccounts < 1 || maxAccounts > 64 { throw ValidationError("--max-accounts must be between 1 and 64") }
        if !org && (accounts != nil || !excludeAccounts.isEmpty || !ous.isEmpty) {
            throw ValidationError("--accounts, --exclude-account and --ou go with --org")
        }
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

/// Scans member accounts with bounded concurrency, evaluating and releasing each account's
/// inventory as soon as it is collected so memory does not grow with the organisation.
struct OrgScan {
    let base: AWSClient
    let options: OrgOptions
    let scope: RegionScope
    let homeRegion: String
    let config: MamoriConfig
    let progress: @Sendable (String) -> Void

    func run() async throws -> (Evaluation, [AccountInventory]) {
        let identity = try await AccountCollector(client: base, homeRegion: homeRegion).identity()
        let members: [MemberAccount]
        do { members = try await OrganizationLister(client: base, region: homeRegion).accounts() }
        catch { throw CLIError("cannot list the organisation's accounts from \(identity.account) (run from the management or a delegated administrator account): \(error)") }
        let (targets, skipped) = try options.select(members)
        var evaluation = Evaluation()
        for (member, reason) in skipped {
            evaluation.accounts[member.id] = AccountLabel(name: member.name, ouPath: member.ouPath)
            evaluation.errors[member.id, default: []].append(CollectionError(kind: .failed, service: "organizations", operation: "ListAccounts",
                                                                             region: "global", message: "not scanned: \(reason)"))
        }
        let results = await withTaskGroup(of: Evaluation.self) { group in
            var next = 0
            var collected: [Evaluation] = []
            func add() {
                let member = targets[next]
                next += 1
                group.addTask { await scanOne(member, management: identity.account) }
            }
            while next < min(options.maxAccounts, targets.count) { add() }
            while let result = await group.next() {
                collected.append(result)
                if next < targets.count { add() }
            }
            return collected
        }
        for result in results { evaluation.merge(result) }
        return (evaluation, [])
    }

    func scanOne(_ member: MemberAccount, management: String) async -> Evaluation {
        progress("\(member.id) (\(member.name))")
        let client: AWSClient
        if member.id == management {
            client = base
        } else {
            let role = "arn:aws:iam::\(member.id):role/\(options.roleName)"
            client = base.with(credentials: RefreshingCredentialProvider(AssumeRoleCredentialProvider(
                roleArn: role, sessionName: "mamori-org-scan", externalId: options.externalId,
                source: base.credentials, configuration: base.configuration, region: homeRegion)))
        }
        let label = AccountLabel(name: member.name, ouPath: member.ouPath)
        do {
            var inventory = try await AccountCollector(client: client, homeRegion: homeRegion, progress: { _ in }).collect(regions: scope)
            inventory.accountName = member.name
            inventory.ouPath = member.ouPath
            var result = Evaluator.evaluate(Inventory(accounts: [inventory]), config: config)
            result.accounts[member.id] = label
            return result
        } catch {
            return Evaluation(errors: [member.id: [CollectionError(kind: .credentials, service: "sts", operation: "AssumeRole", region: "global",
                                                                   message: "cannot scan \(member.id): \(error)")]],
                              accounts: [member.id: label])
        }
    }
}
