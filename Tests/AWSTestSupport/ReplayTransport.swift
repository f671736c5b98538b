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

public func testClient(_ transport: any HTTPTransport, maxAttempts: Int = 3) -> AWSClient {
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

/// Answers each request by operation name from recorded responses (one queue per operation) and keeps every request.
public final class RecordedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [String: [HTTPResponse]]
    public private(set) var requests: [(operation: String, request: HTTPRequest)] = []

    public init(_ responses: [String: [String]]) {
        // A recorded body may start with "HTTP 403 " to record an error status.
        self.responses = responses.mapValues { bodies in
            bodies.map { body in
                if body.hasPrefix("HTTP "), let status = Int(body.dropFirst(5).prefix(3)) {
                    return HTTPResponse(status: status, body: Data(body.dropFirst(9).utf8))
                }
                return HTTPResponse(status: 200, body: Data(body.utf8))
            }
        }
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
        let operation = Self.operation(of: request)
        let next: Result<HTTPResponse, AWSError> = lock.withLock {
            requests.append((operation, request))
            guard var queue = responses[operation], !queue.isEmpty else {
                return .failure(AWSError.transport(operation: operation, reason: "no recorded response"))
            }
            let next = queue.removeFirst()
            responses[operation] = queue
            return .success(next)
        }
        return try next.get()
    }

    public static func operation(of request: HTTPRequest) -> String {
        if let target = request.header("X-Amz-Target") { return String(target.split(separator: ".").last ?? "") }
        let body = String(decoding: request.body, as: UTF8.self)
        for pair in body.split(separator: "&") where pair.hasPrefix("Action=") { return String(pair.dropFirst(7)) }
        return "\(request.method) \(request.path)"
    }

    public func bodies(_ operation: String) -> [String] {
        lock.withLock { requests.filter { $0.operation == operation }.map { String(decoding: $0.request.body, as: UTF8.self) } }
    }
}

/// A client on a ``RecordedTransport`` that never retries (a recorded error is the answer).
public func recordedClient(_ transport: RecordedTransport) -> AWSClient {
    testClient(transport, maxAttempts: 1)
}
