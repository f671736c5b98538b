import ArgumentParser
import Collectors
import Foundation
import MamoriCore

/// `--accounts FILE` and `--org`: the user's names for accounts, shared by `secrets` and `hunt`
/// so a decoded or actor account reads "belongs to NAME (OU path)" the same in both.
struct AccountNamingOptions: ParsableArguments {
    @Option(name: .customLong("accounts"),
            help: ArgumentHelp("Names for account IDs: `ID,NAME` or `ID,NAME,OU_PATH` lines (# comments and blank lines allowed); an account found is shown as \"belongs to NAME (OU path)\".",
                               valueName: "FILE"))
    var accountsFile: String?

    @Flag(name: .customLong("org"),
          help: "Name accounts from the organisation (Organizations ListAccounts, ListParents, DescribeOrganizationalUnit: the management or a delegated administrator account's credentials).")
    var org = false

    var wanted: Bool { accountsFile != nil || org }

    /// The directory asked for, or nil. The organisation's names come first and a file's override
    /// them. A bad file or an organisation that cannot be listed is an error: the user asked for names.
    func load(aws: AWSOptions) async throws -> AccountDirectory? {
        try await loadWithMembers(aws: aws).directory
    }

    /// The directory and, with `--org`, the organisation's member accounts from the same one
    /// listing (hunt uses them for shares out; a second ListAccounts walk would repeat the calls).
    func loadWithMembers(aws: AWSOptions) async throws -> (directory: AccountDirectory?, members: Set<String>) {
        guard wanted else { return (nil, []) }
        var directory = AccountDirectory()
        var memberIDs = Set<String>()
        if org {
            do {
                let members = try await OrganizationLister(client: try aws.client(), region: aws.homeRegion()).accounts()
                memberIDs = Set(members.map(\.id))
                directory.merge(AccountDirectory(members.map { AccountDirectory.Entry(id: $0.id, name: $0.name, ouPath: $0.ouPath) }))
            } catch {
                throw CLIError("--org: cannot list the organisation's accounts (\(error)); run with the management or a delegated "
                    + "administrator account's credentials, or name accounts with --accounts FILE")
            }
        }
        if let accountsFile {
            directory.merge(try AccountDirectory.load(path: accountsFile))
        }
        return (directory, memberIDs)
    }
}
