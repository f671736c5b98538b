import Foundation

/// IAM users, roles, groups and the root user, from the credential report and the list APIs.
public struct IAMInventory: Codable, Sendable {
    public var users: [IAMUser]
    public var roles: [IAMPrincipal]
    public var groups: [IAMPrincipal]
    public var root: RootUser?
    public var credentialReportGeneratedAt: Date?

    public init(users: [IAMUser] = [], roles: [IAMPrincipal] = [], groups: [IAMPrincipal] = [],
                root: RootUser? = nil, credentialReportGeneratedAt: Date? = nil) {
        self.users = users
        self.roles = roles
        self.groups = groups
        self.root = root
        self.credentialReportGeneratedAt = credentialReportGeneratedAt
    }
}

/// An IAM user and its credentials.
public struct IAMUser: Codable, Sendable {
    public var name: String
    /// The unique id (AIDA…), which survives renames and path moves; nil in inventories saved before it was collected.
    public var id: String?
    public var arn: String
    public var created: Date?
    public var passwordEnabled: Bool
    public var passwordLastUsed: Date?
    public var passwordLastChanged: Date?
    public var mfaActive: Bool
    public var accessKeys: [AccessKey]
    /// ARNs of managed policies attached directly.
    public var attachedPolicies: [String]
    public var groups: [String]

    public init(name: String, id: String? = nil, arn: String, created: Date? = nil, passwordEnabled: Bool = false,
                passwordLastUsed: Date? = nil, passwordLastChanged: Date? = nil, mfaActive: Bool = false,
                accessKeys: [AccessKey] = [], attachedPolicies: [String] = [], groups: [String] = []) {
        self.name = name
        self.id = id
        self.arn = arn
        self.created = created
        self.passwordEnabled = passwordEnabled
        self.passwordLastUsed = passwordLastUsed
        self.passwordLastChanged = passwordLastChanged
        self.mfaActive = mfaActive
        self.accessKeys = accessKeys
        self.attachedPolicies = attachedPolicies
        self.groups = groups
    }
}

/// An access key (the ID only; secrets are never collected).
public struct AccessKey: Codable, Sendable {
    public var id: String
    public var active: Bool
    public var created: Date?
    public var lastUsed: Date?
    public var lastUsedService: String?
    public var lastUsedRegion: String?

    public init(id: String, active: Bool, created: Date? = nil, lastUsed: Date? = nil,
                lastUsedService: String? = nil, lastUsedRegion: String? = nil) {
        self.id = id
        self.active = active
        self.created = created
        self.lastUsed = lastUsed
        self.lastUsedService = lastUsedService
        self.lastUsedRegion = lastUsedRegion
    }
}

/// A role or group with its attached managed policies.
public struct IAMPrincipal: Codable, Sendable {
    public var name: String
    public var arn: String
    public var attachedPolicies: [String]
    public init(name: String, arn: String, attachedPolicies: [String] = []) {
        self.name = name
        self.arn = arn
        self.attachedPolicies = attachedPolicies
    }
}

/// The root user, from the credential report's `<root_account>` row.
public struct RootUser: Codable, Sendable {
    public var arn: String
    public var mfaActive: Bool
    public var passwordLastUsed: Date?
    public var accessKeys: [AccessKey]
    /// False when the last-use dates are unknown (no root row in the credential report).
    public var activityKnown: Bool
    public init(arn: String, mfaActive: Bool, passwordLastUsed: Date? = nil, accessKeys: [AccessKey] = [], activityKnown: Bool = true) {
        self.arn = arn
        self.activityKnown = activityKnown
        self.mfaActive = mfaActive
        self.passwordLastUsed = passwordLastUsed
        self.accessKeys = accessKeys
    }
}
