import Foundation

/// AWS keys found inside one region's resources (user data, environment variables, parameters,
/// stack outputs). Only what the check needs is kept: the key ID redacted, a fingerprint, the
/// decoded account, the resource and the field. Never the value and never the secret, so a saved
/// inventory or the history store cannot leak what the scan found.
public struct CloudKeyInventory: Codable, Sendable {
    public var hits: [CloudKeyHit]
    /// Resources whose values were read, per source ("EC2 instance user data": 12).
    public var resourcesScanned: [String: Int]
    /// API calls the hunt cost in this region (user data is one call per instance).
    public var apiCalls: Int

    public init(hits: [CloudKeyHit] = [], resourcesScanned: [String: Int] = [:], apiCalls: Int = 0) {
        self.hits = hits
        self.resourcesScanned = resourcesScanned
        self.apiCalls = apiCalls
    }

    public var resourceCount: Int { resourcesScanned.values.reduce(0, +) }
}

/// One key (or lone secret access key) in one field of one resource.
public struct CloudKeyHit: Codable, Sendable, Hashable {
    /// ARN (or id, where the resource has no ARN) of the resource.
    public var resource: String
    /// ASFF resource type ("AwsEc2Instance", "AwsLambdaFunction"…).
    public var resourceType: String
    /// The field, e.g. "UserData" or "Environment.Variables.AWS_ACCESS_KEY_ID".
    public var field: String
    /// "aws-access-key-id", "aws-temporary-access-key-id"… as `mamori secrets` names them.
    public var type: String
    /// First 4 and last 4 characters; nil for a secret access key found without its key ID.
    public var keyId: String?
    /// One-way fingerprint of the key ID (or lone secret): the same key in two resources matches.
    public var fingerprint: String
    /// The account decoded offline from the key ID.
    public var account: String?
    /// Who publicly owns that account (a vendor or AWS service), when known.
    public var accountOwner: String?
    /// The honeytoken service when the account issues canary keys.
    public var canaryService: String?
    /// True when the secret access key sat next to the key ID (a usable credential).
    public var paired: Bool

    public init(resource: String, resourceType: String, field: String, type: String, keyId: String?, fingerprint: String,
                account: String? = nil, accountOwner: String? = nil, canaryService: String? = nil, paired: Bool = false) {
        self.resource = resource
        self.resourceType = resourceType
        self.field = field
        self.type = type
        self.keyId = keyId
        self.fingerprint = fingerprint
        self.account = account
        self.accountOwner = accountOwner
        self.canaryService = canaryService
        self.paired = paired
    }
}

extension CloudKeyInventory {
    /// The scan summary's line for the key hunt: what it read and what it cost in API calls.
    public static func summary(_ regions: [RegionInventory]) -> String? {
        let hunted = regions.compactMap(\.cloudKeys)
        guard !hunted.isEmpty else { return nil }
        let resources = hunted.reduce(0) { $0 + $1.resourceCount }
        let calls = hunted.reduce(0) { $0 + $1.apiCalls }
        let found = Set(hunted.flatMap { $0.hits.map(\.resource) }).count
        return "keys in cloud resources: \(resources) resource(s) read in \(hunted.count) region(s) with \(calls) API call(s); "
            + "\(found) hold an AWS key"
    }
}
