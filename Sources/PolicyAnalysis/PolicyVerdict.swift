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
