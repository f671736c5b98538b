import AWSClient
import Collectors
import Foundation
import Inventory
import MamoriCore

/// `trust: {organization: true}` / `ous: [...]` for commands that scan one account: resolved once
/// from Organizations and recorded in the inventory, so a saved inventory re-evaluates the same.
enum OrganizationTrustStep {
    /// A failure (not the management or a delegated administrator account, no permission) is recorded
    /// as a collection error, making the scan partial, and only the listed accounts stay trusted.
    static func resolve(_ account: inout AccountInventory, config: MamoriConfig, client: AWSClient, region: String) async {
        guard config.wantsOrganizationTrust else { return }
        do {
            let trust = try await OrganizationLister(client: client, region: region).trust(organization: config.trustOrganization, ous: config.trustOUs)
            account.organizationTrust = trust
            Console.error("trust: \(trust.accounts.count) organisation account(s) from \(trust.source)")
        } catch {
            account.errors.append(CollectionError(kind: .failed, service: "organizations",
                operation: config.trustOrganization ? "ListAccounts" : "ListAccountsForParent", region: "global",
                message: "cannot resolve the organisation accounts to trust (\(error)); only the listed trust accounts are trusted"))
        }
    }
}
