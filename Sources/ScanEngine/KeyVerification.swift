import AWSClient
import Foundation

/// The outcome of asking STS who a found key pair belongs to.
public enum KeyVerification: Sendable, Equatable {
    case active(arn: String, account: String)
    case inactive(reason: String)
    case error(String)
}

/// Calls `sts:GetCallerIdentity` with a found key pair. Never logs the secret: errors carry
/// only AWS's code and message, which do not echo it.
public func verifyAccessKey(keyId: String, secret: String, endpoint: String?) async -> KeyVerification {
    let environment = ProcessInfo.processInfo.environment
    let configuration = ClientConfiguration(endpoints: EndpointResolver.fromEnvironment(environment, explicit: endpoint),
                                            retry: RetryPolicy(maxAttempts: 3))
    let client = AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: keyId, secretAccessKey: secret, source: "found key")),
                           configuration: configuration)
    do {
        let caller = try await client.callerIdentity(region: environment["AWS_REGION"] ?? "us-east-1")
        return .active(arn: caller.arn, account: caller.account)
    } catch {
        if error.isCredentialProblem { return .inactive(reason: error.code ?? "rejected") }
        return .error(error.description)
    }
}
