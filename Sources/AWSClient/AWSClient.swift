import Foundation

/// How a client reaches AWS: endpoints, retries, timeouts, fan-out and transport.
public struct ClientConfiguration: Sendable {
    public var endpoints: EndpointResolver
    public var retry: RetryPolicy
    /// Seconds before one attempt gives up.
    public var timeout: TimeInterval
    /// Requests in flight at once for one client (one account).
    public var maxConcurrentRequests: Int
    /// Requests in flight at once per region within that account.
    public var maxConcurrentRequestsPerRegion: Int
    public var transport: any HTTPTransport
    public var userAgent: String
    /// `--debug`: every attempt of every call, without secrets (see `RequestLog`).
    public var requestLog: RequestLog?

    public init(endpoints: EndpointResolver = EndpointResolver(), retry: RetryPolicy = RetryPolicy(),
                timeout: TimeInterval = 30, maxConcurrentRequests: Int = 16, maxConcurrentRequestsPerRegion: Int = 8,
                transport: any HTTPTransport = AsyncHTTPTransport.shared, userAgent: String = "mamori/0.1",
                requestLog: RequestLog? = nil) {
        self.requestLog = requestLog
        self.endpoints = endpoints
        self.retry = retry
        self.timeout = timeout
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxConcurrentRequestsPerRegion = maxConcurrentRequestsPerRegion
        self.transport = transport
        self.userAgent = userAgent
    }
}

/// One account's client: signs with its credentials, retries, bounds concurrency, and speaks every
/// wire protocol Mamori needs. Errors are always `AWSError`.
public final class AWSClient: Sendable {
    public let credentials: any CredentialProvider
    public let configuration: ClientConfiguration
    private let limiter: ConcurrencyLimiter
    private let regionLimiters: LimiterPool
    /// Paces each region and service once AWS starts throttling.
    public let pacing = AdaptiveRateLimiter()

    public init(credentials: any CredentialProvider, configuration: ClientConfiguration = ClientConfiguration()) {
        self.credentials = credentials
        self.configuration = configuration
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
        self.regionLimiters = LimiterPool(limit: configuration.maxConcurrentRequestsPerRegion)
    }

    /// A client with other credentials but the same configuration (e.g. after AssumeRole).
    public func with(credentials: any CredentialProvider) -> AWSClient {
        AWSClient(credentials: credentials, configuration: configuration)
    }

    // MARK: Protocols

    /// AWS query or EC2 query call. Returns the `<ActionResult>` element (or the root for EC2).
    public func query(_ service: AWSService, region: String, action: String,
                      _ params: [String: String] = [:]) async throws(AWSError) -> XElement {
        var form = [QueryItem("Action", action), QueryItem("Version", service.apiVersion)]
        form += params.sorted { $0.key < $1.key }.map { QueryItem($0.key, $0.value) }
        let body = form.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }.joined(separator: "&")
        let request = makeRequest(service, region: region, method: "POST", path: "/",
                                  headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Data(body.utf8))
        return try await perform(request, service: service, region: region, operation: action) { response throws(AWSError) in
            let root = try XElement.parse(response.body)
            return root.child("\(action)Result") ?? root
        }
    }

    /// JSON 1.0/1.1 call (`X-Amz-Target`).
    public func json(_ service: AWSService, region: String, operation: String,
                     _ body: JSONValue = .object([:])) async throws(AWSError) -> JSONValue {
        guard case let .json(version, prefix) = service.wire else {
            throw AWSError.decoding("\(service.id) does not speak the JSON protocol")
        }
        let request = makeRequest(service, region: region, method: "POST", path: "/", headers: [
            HTTPHeader("Content-Type", "application/x-amz-json-\(version)"),
            HTTPHeader("X-Amz-Target", "\(prefix).\(operation)"),
        ], body: body.serialized())
        return try await perform(request, service: service, region: region, operation: operation) { response throws(AWSError) in
            try JSONValue.parse(response.body)
        }
    }

    /// REST-JSON call; `path` is decoded (labels are encoded on the wire).
    public func restJSON(_ service: AWSService, region: String, method: String, path: String,
                         query: [QueryItem] = [], body: JSONValue? = nil, operation: String) async throws(AWSError) -> JSONValue {
        var headers: [HTTPHeader] = []
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let request = makeRequest(service, region: region, method: method, path: path, query: query,
                                  headers: headers, body: body?.serialized() ?? Data())
        return try await perform(request, service: service, region: region, operation: operation) { response throws(AWSError) in
            try JSONValue.parse(response.body)
        }
    }

    /// REST-XML call (S3). Returns the raw response: some S3 calls answer JSON (`?policy`).
    /// With `bucket`, the request is path-style against an override and virtual-hosted against AWS.
    public func restXML(_ service: AWSService, region: String, method: String = "GET", bucket: String? = nil,
                        path: String = "/", query: [QueryItem] = [], headers: [HTTPHeader] = [],
                        operation: String) async throws(AWSError) -> HTTPResponse {
        var request = makeRequest(service, region: region, method: method, path: path, query: query, headers: headers, body: Data())
        if let bucket {
            if configuration.endpoints.overrideURL(for: service) != nil || bucket.contains(".") {
                request.path = "/\(bucket)\(path == "/" ? "" : path)"
            } else {
                request.host = "\(bucket).\(request.host)"
            }
        }
        return try await perform(request, service: service, region: region, operation: operation) { response throws(AWSError) in
            try Self.checkDocument(response, operation: operation)
            return response
        }
    }

    /// Callers parse REST-XML answers themselves, after the retry loop; a document cut short by a
    /// dropped connection is caught here so it is retried rather than reported as unreadable.
    /// JSON documents (`?policy`) are checked up to 1 MB; larger objects are data, not API answers.
    private static func reason(_ error: AWSError) -> String {
        if case let .decoding(reason) = error { return reason }
        return error.description
    }

    static func checkDocument(_ response: HTTPResponse, operation: String) throws(AWSError) {
        let body = response.body
        guard let first = body.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return }
        let type = (response.headers["content-type"] ?? "").lowercased()
        if first == UInt8(ascii: "<"), type.isEmpty || type.contains("xml") {
            do throws(AWSError) { _ = try XElement.parse(body) }
            catch { throw AWSError.decoding("\(operation): \(Self.reason(error))") }
        } else if first == UInt8(ascii: "{"), type.isEmpty || type.contains("json"), body.count <= 1 << 20 {
            do throws(AWSError) { _ = try JSONValue.parse(body) }
            catch { throw AWSError.decoding("\(operation): \(Self.reason(error))") }
        }
    }

    // MARK: Core

    private func makeRequest(_ service: AWSService, region: String, method: String, path: String,
                             query: [QueryItem] = [], headers: [HTTPHeader], body: Data) -> HTTPRequest {
        let endpoint = configuration.endpoints.endpoint(for: service, region: signingRegion(service, region))
        var all = headers
        all.append(HTTPHeader("User-Agent", configuration.userAgent))
        return HTTPRequest(method: method, scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                           path: path, query: query, headers: all, body: body)
    }

    func signingRegion(_ service: AWSService, _ region: String) -> String {
        configuration.endpoints.signingRegion(for: service, region: region)
    }

    /// Signs, sends and decodes with retries. Decoding is inside the retry loop: a body cut short
    /// by a dropped connection is malformed and worth another attempt.
    private func perform<T>(_ template: HTTPRequest, service: AWSService, region: String, operation: String,
                            decode: (HTTPResponse) throws(AWSError) -> T) async throws(AWSError) -> T {
        let policy = configuration.retry
        let log = configuration.requestLog
        var attempt = 0
        while true {
            attempt += 1
            var started = ContinuousClock.now
            var sent = false
            // A cancelled scan (Ctrl-C) sends nothing more and reports an interruption, not an AWS error.
            if Task.isCancelled { throw AWSError.cancelled(operation: operation) }
            do throws(AWSError) {
                let creds = try await credentials.credentials()
                var request = template
                let options = service.wire == .restXML ? SigningOptions.s3 : SigningOptions()
                SigV4Signer(credentials: creds, region: signingRegion(service, region), service: service.signingName,
                            options: options).sign(&request)
                let paceKey = "\(region)/\(service.id)"
                await pacing.acquire(paceKey)
                // Bounded per region first, then per account.
                let regional = await regionLimiters.limiter(for: region)
                await regional.acquire()
                await limiter.acquire()
                let result: Result<HTTPResponse, AWSError>
                let transport = configuration.transport, timeout = configuration.timeout, sending = request
                started = ContinuousClock.now
                sent = true
                // Abandoned, never cancelled, when the caller is cancelled (see `Abandoning`).
                do { result = .success(try await Abandoning.run(operation: operation) { () async throws(AWSError) -> HTTPResponse in
                    try await transport.send(sending, timeout: timeout)
                }) }
                catch { result = .failure(error) }
                await limiter.release()
                await regional.release()
                let response = try result.get()
                if response.status >= 300 {
                    let error = ErrorDecoder.decode(response, wire: service.wire, operation: operation,
                                                    emulator: configuration.endpoints.overrideURL(for: service) != nil)
                    if error.isThrottling && policy.paces { await pacing.throttled(paceKey) }
                    throw error
                }
                await pacing.succeeded(paceKey)
                let value = try decode(response)
                log?.record(method: template.method, host: template.host, service: service, operation: operation, region: region,
                            outcome: .status(response.status), started: started, attempt: attempt, retryIn: nil)
                return value
            } catch {
                let retrying = error.isRetryable && attempt < policy.maxAttempts
                let delay = retrying ? policy.delay(afterAttempt: attempt, throttled: error.isThrottling) : 0
                // Attempts that never reached the network (no credentials, cancelled) are not requests.
                if sent {
                    log?.record(method: template.method, host: template.host, service: service, operation: operation, region: region,
                                outcome: .failed(error), started: started, attempt: attempt, retryIn: retrying ? delay : nil)
                }
                guard retrying else { throw error }
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                if Task.isCancelled { throw AWSError.cancelled(operation: operation) }
            }
        }
    }
}
