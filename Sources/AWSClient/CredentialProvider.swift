import Foundation

/// Something that can hand out credentials, possibly fetching or refreshing them.
public protocol CredentialProvider: Sendable {
    func credentials() async throws(AWSError) -> Credentials
}

/// Fixed credentials.
public struct StaticCredentialProvider: CredentialProvider {
    public let value: Credentials
    public init(_ value: Credentials) { self.value = value }
    public func credentials() async throws(AWSError) -> Credentials { value }
}

/// Caches another provider's credentials and refreshes them `margin` seconds before they expire,
/// so a scan that outlives a role session keeps going. Concurrent callers share one refresh.
public actor RefreshingCredentialProvider: CredentialProvider {
    private let source: any CredentialProvider
    private let margin: TimeInterval
    private var cached: Credentials?
    private var refreshing: Task<Credentials, any Error>?

    public init(_ source: any CredentialProvider, margin: TimeInterval = 300) {
        self.source = source
        self.margin = margin
    }

    public func credentials() async throws(AWSError) -> Credentials {
        if let cached, !cached.expires(within: margin) { return cached }
        let task: Task<Credentials, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let source = self.source
            task = Task { try await source.credentials() }
            refreshing = task
        }
        do {
            let fresh = try await task.value
            cached = fresh
            refreshing = nil
            return fresh
        } catch {
            refreshing = nil
            throw (error as? AWSError) ?? AWSError.credentials("\(error)")
        }
    }
}

/// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    let environment: [String: String]
    public init(environment: [String: String]) { self.environment = environment }

    /// True when the environment names a key at all.
    public var isConfigured: Bool { environment["AWS_ACCESS_KEY_ID"].map { !$0.isEmpty } ?? false }

    public func credentials() async throws(AWSError) -> Credentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty else {
            throw AWSError.credentials("AWS_ACCESS_KEY_ID is not set")
        }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"] ?? environment["AWS_SECRET_KEY"], !secret.isEmpty else {
            throw AWSError.credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
        return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil,
                           source: "environment")
    }
}
