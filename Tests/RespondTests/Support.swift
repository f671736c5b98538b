import AWSClient
import Foundation

/// Answers each request by operation name from recorded responses (one queue per operation) and keeps every request.
final class RecordedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [String: [HTTPResponse]]
    private(set) var requests: [(operation: String, request: HTTPRequest)] = []

    init(_ responses: [String: [String]]) {
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

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
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

    static func operation(of request: HTTPRequest) -> String {
        if let target = request.header("X-Amz-Target") { return String(target.split(separator: ".").last ?? "") }
        let body = String(decoding: request.body, as: UTF8.self)
        for pair in body.split(separator: "&") where pair.hasPrefix("Action=") { return String(pair.dropFirst(7)) }
        return "\(request.method) \(request.path)"
    }

    func bodies(_ operation: String) -> [String] {
        lock.withLock { requests.filter { $0.operation == operation }.map { String(decoding: $0.request.body, as: UTF8.self) } }
    }
}

func recordedClient(_ transport: RecordedTransport) -> AWSClient {
    let configuration = ClientConfiguration(
        endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")),
        retry: RetryPolicy(maxAttempts: 1, baseDelay: 0.001, maxDelay: 0.01), transport: transport)
    return AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")),
                     configuration: configuration)
}

/// A CloudTrail record as AWS writes it.
func trailRecord(_ name: String, key: String, user: String? = nil, role: String? = nil, time: String,
                 request: String = "null", response: String = "null", id: String) -> String {
    let identity: String
    if let role {
        identity = #"{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/\#(role)/s","accessKeyId":"\#(key)","sessionContext":{"sessionIssuer":{"type":"Role","userName":"\#(role)"}}}"#
    } else {
        identity = #"{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/\#(user ?? "x")","userName":"\#(user ?? "x")","accessKeyId":"\#(key)"}"#
    }
    return #"{"eventTime":"\#(time)","eventName":"\#(name)","eventSource":"iam.amazonaws.com","awsRegion":"us-east-1","userIdentity":\#(identity),"requestParameters":\#(request),"responseElements":\#(response),"eventID":"\#(id)"}"#
}
