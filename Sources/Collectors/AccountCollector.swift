import AWSClient
import Foundation
import MamoriCore
import Inventory

/// Which regions to scan.
public enum RegionScope: Sendable {
    /// Every region enabled for the account (DescribeRegions).
    case enabled
    /// Every region AWS has, reporting those not opted in.
    case all
    /// Exactly these.
    case explicit([String])
}

/// The account-wide collectors a scan runs. A check selection without IAM, S3 or cost-guardrail
/// checks skips their collectors (`nil` in the inventory, like a part nobody could read, but with
/// no error: nothing was asked). Regional collectors always run: several checks share them.
public struct CollectionParts: Sendable, Equatable {
    public var iam: Bool
    public var s3: Bool
    public var guardrails: Bool
    /// Keys inside resources (user data, environments, stacks, parameters, build projects): one call per
    /// instance and several per region, so skipped when `secrets.key_in_cloud_resource` is not selected.
    public var cloudKeys: Bool
    /// AMIs referenced by SSM parameters, fleets and Image Builder recipes, each read only when a
    /// selected check (or the key hunt, for SSM parameters) needs it.
    public var amiReferences: AMIReferenceParts

    public init(iam: Bool = true, s3: Bool = true, guardrails: Bool = true, cloudKeys: Bool = true, amiReferences: AMIReferenceParts = .all) {
        self.iam = iam
        self.s3 = s3
        self.guardrails = guardrails
        self.cloudKeys = cloudKeys
        self.amiReferences = amiReferences
    }

    public static let all = CollectionParts()
}

/// Collects one account's inventory, read-only, with bounded fan-out. Parts that cannot be read
/// are listed in `AccountInventory.errors`; only failing to learn who we are is fatal.
public struct AccountCollector: Sendable {
    let client: AWSClient
    let homeRegion: String
    let fanOut: Int
    let progress: @Sendable (String) -> Void
    let parts: CollectionParts

    public init(client: AWSClient, homeRegion: String, fanOut: Int = 8, parts: CollectionParts = .all,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        self.homeRegion = homeRegion
        self.fanOut = max(1, fanOut)
        self.parts = parts
        self.progress = progress
    }

    /// `sts:GetCallerIdentity`: the account and the caller's ARN.
    public func identity() async throws -> (account: String, arn: String) {
        let caller = try await client.callerIdentity(region: homeRegion)
        return (caller.account, caller.arn)
    }

    /// Throws `AWSError` when the account cannot be identified (wrong or missing credentials).
    public func collect(regions scope: RegionScope) async throws -> AccountInventory {
        progress("identifying the account")
        let (account, callerARN) = try await identity()
        let context = CollectionContext(client: client, accountId: account, errors: ErrorLog(), progress: progress, fanOut: fanOut)
        let regions = await resolveRegions(scope, context: context)
        // The caller's ARN names the partition (arn:aws-cn:…); the home region when it does not.
        let partition = Partition(arn: callerARN) ?? Partition(region: homeRegion)
        var inventory = AccountInventory(accountId: account, partition: partition.name, regions: regions)
        let parts = self.parts
        async let iam = parts.iam ? IAMCollector(context: context, region: homeRegion).collect() : nil
        async let s3 = parts.s3 ? S3Collector(context: context, homeRegion: homeRegion).collect() : nil
        async let guardrails = parts.guardrails ? guardrails(context) : GuardrailInventory()
        // Regions run a few at a time; within a region, services run side by side.
        let regional = await boundedMap(regions, limit: max(1, fanOut / 2)) { region in
            await RegionCollector(context: context, region: region, cloudKeys: parts.cloudKeys, amiReferences: parts.amiReferences).collect()
        }
        inventory.iam = await iam
        inventory.s3 = await s3
        inventory.guardrails = await guardrails
        inventory.regional = regional
        inventory.errors = await context.errors.entries
        return inventory
    }

    func resolveRegions(_ scope: RegionScope, context: CollectionContext) async -> [String] {
        switch scope {
        case .explicit(let regions):
            return regions
        case .enabled, .all:
            let params = if case .all = scope { ["AllRegions": "true"] } else { [String: String]() }
            let listed = await context.attempt(.ec2, "DescribeRegions", region: homeRegion) {
                try await client.query(.ec2, region: homeRegion, action: "DescribeRegions", params).list("regionInfo")
            }
            guard let listed else { return [homeRegion] }
            var regions: [String] = []
            for item in listed {
                guard let name = item.string("regionName") else { continue }
                if item.string("optInStatus") == "not-opted-in" {
                    await context.errors.add(CollectionError(kind: .regionDisabled, service: "ec2", operation: "DescribeRegions",
                                                             region: name, message: "region \(name) is not enabled for this account (opt-in region)"))
                } else {
                    regions.append(name)
                }
            }
            return regions.sorted()
        }
    }

    func guardrails(_ context: CollectionContext) async -> GuardrailInventory {
        var result = GuardrailInventory()
        let account = context.accountId
        result.budgets = await context.attempt(.budgets, "DescribeBudgets", region: homeRegion) {
            var count = 0
            try await jsonPages(context, .budgets, region: homeRegion, operation: "DescribeBudgets", ["AccountId": .string(account)]) { page in
                count += page["Budgets"]?.array.count ?? 0
            }
            return count
        }
        result.anomalyMonitors = await context.attempt(.costExplorer, "GetAnomalyMonitors", region: homeRegion) {
            var count = 0
            try await jsonPages(context, .costExplorer, region: homeRegion, operation: "GetAnomalyMonitors",
                                inputToken: "NextPageToken", outputToken: "NextPageToken") { page in
                count += page["AnomalyMonitors"]?.array.count ?? 0
            }
            return count
        }
        result.trustedAdvisor = await context.attempt(.support, "DescribeTrustedAdvisorChecks", region: homeRegion) { () async throws -> Bool in
            do {
                let checks = try await client.json(.support, region: homeRegion, operation: "DescribeTrustedAdvisorChecks", ["language": "en"])
                return !(checks["checks"]?.array.isEmpty ?? true)
            } catch let error as AWSError where error.code == "SubscriptionRequiredException" {
                return false
            }
        }
        return result
    }
}
