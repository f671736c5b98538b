/// The kind of resource a policy is attached to. It decides which service's actions `*` stands for.
public enum PolicyResourceType: String, Sendable, Codable, CaseIterable {
    case s3, sns, sqs

    /// The IAM service prefix of the resource's actions.
    var servicePrefix: String { rawValue }
}

/// The answer to "is this resource public, and why".
public struct PolicyVerdict: Sendable, Codable, Equatable {
    /// True when anyone (anonymous or any AWS account) can perform at least one action.
    public var isPublic: Bool
    /// Human sentences: which statement (Sid or index), which principal, which actions,
    /// which condition is missing or what neutralised the grant. Public grants come first.
    public var reasons: [String]

    public init(isPublic: Bool, reasons: [String]) {
        self.isPublic = isPublic
        self.reasons = reasons
    }
}
