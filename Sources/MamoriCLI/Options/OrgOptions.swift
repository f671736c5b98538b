import AWSClient
import ArgumentParser
import Checks
import Collectors
import Foundation
import Inventory
import MamoriCore
import ScanEngine

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

    /// The engine's view of these flags.
    var engine: OrgScanOptions {
        OrgScanOptions(roleName: roleName, externalId: externalId, maxAccounts: maxAccounts, accountsFile: accounts,
                       excludeAccounts: excludeAccounts, ous: ous, noOrgTrust: noOrgTrust, resume: resume, shard: shard, run: run)
    }
}
