/// The kind of resource a policy is attached to. It decides which service's actions `*` stands for.
public enum PolicyResourceType: String, Sendable, Codable, CaseIterable {
    case s3, sns, sqs

    /// The IAM service prefix of the resource's actions.
    var servicePrefix: String { rawValue }
}
