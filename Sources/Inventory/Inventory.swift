import Foundation
import MamoriCore

/// Everything a scan collected: plain values, saved with `--save` and re-evaluated offline by
/// `mamori check`. A nil field means "not read"; `errors` says why.
public struct Inventory: Codable, Sendable {
    public static let currentSchema = 1
    public var schema: Int
    public var collectedAt: Date
    public var tool: String
    public var accounts: [AccountInventory]

    public init(collectedAt: Date = Date(), tool: String = "mamori", accounts: [AccountInventory] = []) {
        self.schema = Self.currentSchema
        self.collectedAt = collectedAt
        self.tool = tool
        self.accounts = accounts
    }
}

/// One account's inventory.
public struct AccountInventory: Codable, Sendable {
    public var accountId: String
    public var accountName: String?
    /// OU path in the organisation ("Root/Prod"), for organisation scans.
    public var ouPath: String?
    public var partition: String
    /// Regions that were scanned.
    public var regions: [String]
    public var iam: IAMInventory?
    public var s3: S3Inventory?
    public var regional: [RegionInventory]
    /// Account-wide cost and support guardrails.
    public var guardrails: GuardrailInventory
    /// What could not be read, and why.
    public var errors: [CollectionError]
    /// Organisation accounts this scan trusts (scan --org, `trust: {organization: true}` or `ous:`);
    /// nil when organisation trust was not asked for. Kept so a saved inventory re-evaluates the same.
    public var organizationTrust: OrganizationTrust?

    public init(accountId: String, accountName: String? = nil, partition: String = "aws", regions: [String] = [],
                iam: IAMInventory? = nil, s3: S3Inventory? = nil, regional: [RegionInventory] = [],
                guardrails: GuardrailInventory = GuardrailInventory(), errors: [CollectionError] = []) {
        self.accountId = accountId
        self.accountName = accountName
        self.partition = partition
        self.regions = regions
        self.iam = iam
        self.s3 = s3
        self.regional = regional
        self.guardrails = guardrails
        self.errors = errors
    }
}

extension AccountInventory {
    /// The account's partition: as collected, else from its regions (inventories saved before
    /// collectors filled the field say `aws` even for China or GovCloud regions).
    public var arnPartition: Partition {
        if let named = Partition(named: partition), named != .aws { return named }
        return Partition(region: regions.first ?? regional.first?.region ?? "")
    }
}

/// The organisation accounts a scan trusts, and why.
public struct OrganizationTrust: Codable, Sendable, Hashable {
    /// "scan --org", "trust.organization" or "trust.ous ou-…, ou-…".
    public var source: String
    public var accounts: [String]
    public init(source: String, accounts: [String]) {
        self.source = source
        self.accounts = accounts
    }
}

/// Why a part of the inventory is missing.
public struct CollectionError: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case accessDenied = "access-denied"
        case unsupported
        case regionDisabled = "region-disabled"
        case credentials
        case failed
    }

    public var kind: Kind
    public var service: String
    public var operation: String
    public var region: String
    public var resource: String?
    public var message: String

    public init(kind: Kind, service: String, operation: String, region: String, resource: String? = nil, message: String) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.region = region
        self.resource = resource
        self.message = message
    }
}

/// Regional resources and services.
public struct RegionInventory: Codable, Sendable {
    public var region: String
    public var instances: [EC2Instance]?
    public var launchTemplates: [LaunchTemplate]?
    /// Account default for new instances (`GetInstanceMetadataDefaults`); nil when unknown.
    public var imdsDefaults: IMDSDefaults?
    public var topics: [SNSTopic]?
    public var queues: [SQSQueue]?
    public var trails: [Trail]?
    public var guardDuty: ServiceState?
    public var securityHub: ServiceState?
    public var images: ImageInventory?
    /// AWS keys inside the region's resources (`secrets.key_in_cloud_resource`); nil when not hunted.
    public var cloudKeys: CloudKeyInventory?

    public init(region: String) { self.region = region }
}

/// Whether a detective service is on in a region.
public struct ServiceState: Codable, Sendable, Hashable {
    public var enabled: Bool
    public var detail: String?
    public init(enabled: Bool, detail: String? = nil) {
        self.enabled = enabled
        self.detail = detail
    }
}

/// Budgets, Cost Anomaly Detection and Trusted Advisor: nil means unknown.
public struct GuardrailInventory: Codable, Sendable {
    public var budgets: Int?
    public var anomalyMonitors: Int?
    public var trustedAdvisor: Bool?
    public init(budgets: Int? = nil, anomalyMonitors: Int? = nil, trustedAdvisor: Bool? = nil) {
        self.budgets = budgets
        self.anomalyMonitors = anomalyMonitors
        self.trustedAdvisor = trustedAdvisor
    }
}
