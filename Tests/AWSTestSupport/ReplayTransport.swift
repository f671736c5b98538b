import Foundation
import AWSClient

/// Shared by the AWSClient, Collectors, Remediation and Checks tests (one replay transport, not one per target).
/// A transport that answers from a script of recorded responses and keeps every request.
public final class ReplayTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [Result<HTTPResponse, AWSError>]
    private(set) var requests: [HTTPRequest] = []

    public init(_ responses: [Result<HTTPResponse, AWSError>]) { self.responses = responses }

    public convenience init(status: Int = 200, headers: [String: String] = [:], body: String) {
        self.init([.success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))])
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
        let next: Result<HTTPResponse, AWSError> = lock.withLock {
            requests.append(request)
            return responses.isEmpty ? .failure(.transport(operation: "replay", reason: "no more recorded responses")) : responses.removeFirst()
        }
        return try next.get()
    }

    public var sent: [HTTPRequest] { lock.withLock { requests } }
}

public func testClient(_ transport: ReplayTransport, maxAttempts: Int = 3) -> AWSClient {
    let configuration = ClientConfiguration(
        endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")),
        retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.001, maxDelay: 0.01), transport: transport)
    return AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")),
                     configuration: configuration)
}

public func ok(_ body: String, headers: [String: String] = [:]) -> Result<HTTPResponse, AWSError> {
    .success(HTTPResponse(status: 200, headers: headers, body: Data(body.utf8)))
}

public func failure(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Result<HTTPResponse, AWSError> {
    .success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
}
