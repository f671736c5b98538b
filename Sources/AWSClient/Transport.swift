import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends one HTTP request. A protocol so tests can replay recorded responses and so the
/// implementation can be swapped without touching the protocol code above it.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse
}

/// The default transport: AsyncHTTPClient on SwiftNIO, with a connection pool per endpoint and
/// explicit connect and read timeouts.
///
/// It replaced URLSession (libcurl on Linux) for two measured reasons: cancelling a Swift task while
/// swift-corelibs-foundation's `URLSession.data(for:)` completed could deadlock the process (Ctrl-C
/// hung a scan), and a reset on a reused POST connection stalled for libcurl's 30 s timeout before
/// it was retried. Callers never cancel a request through it either: `AWSClient` abandons requests
/// on cancellation (see `Abandoning`).
public final class AsyncHTTPTransport: HTTPTransport {
    /// Largest response body read into memory. API answers are far smaller; S3 objects are read by
    /// callers that set their own limits below this.
    public static let maxBodyBytes = 512 << 20

    /// What a transport is built from: proxies and extra trust roots come from the environment.
    public struct Settings: Sendable, Hashable {
        /// PEM file of extra certificate authorities (`AWS_CA_BUNDLE`, profile `ca_bundle`).
        public var caBundle: String?
        /// `HTTPS_PROXY` (or `https_proxy`) as host and port.
        public var httpsProxy: ProxyAddress?
        /// `HTTP_PROXY` for plain-HTTP endpoints.
        public var httpProxy: ProxyAddress?
        /// Hosts that bypass the proxies (`NO_PROXY`): exact names, `.suffix` domains, `*`.
        public var noProxy: [String]
        public var maxConnectionsPerHost: Int

        public init(caBundle: String? = nil, httpsProxy: ProxyAddress? = nil, httpProxy: ProxyAddress? = nil,
                    noProxy: [String] = [], maxConnectionsPerHost: Int = 16) {
            self.caBundle = caBundle
            self.httpsProxy = httpsProxy
            self.httpProxy = httpProxy
            self.noProxy = noProxy
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }

        /// Proxies from the usual variables (upper or lower case, as curl and the AWS CLI read them);
        /// the CA bundle from `AWS_CA_BUNDLE`, else the profile's `ca_bundle` (`profileCABundle`).
        public static func fromEnvironment(_ environment: [String: String], profileCABundle: String? = nil) -> Settings {
            func value(_ name: String) -> String? {
                (environment[name] ?? environment[name.lowercased()]).flatMap { $0.isEmpty ? nil : $0 }
            }
            let noProxy = value("NO_PROXY").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty } } ?? []
            return Settings(caBundle: value("AWS_CA_BUNDLE") ?? profileCABundle, httpsProxy: value("HTTPS_PROXY").flatMap(ProxyAddress.init),
                            httpProxy: value("HTTP_PROXY").flatMap(ProxyAddress.init), noProxy: noProxy)
        }

        /// Whether requests to `host` skip the proxy. Loopback always does: an emulator on
        /// 127.0.0.1 must never be sent through a corporate proxy by accident.
        public func bypassesProxy(_ host: String) -> Bool {
            let host = host.lowercased()
            if host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" { return true }
            for entry in noProxy {
                if entry == "*" { return true }
                let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
                if host == bare || host.hasSuffix("." + bare) { return true }
            }
            return false
        }
    }

    /// A proxy given as `http://host:port` (or `host:port`).
    public struct ProxyAddress: Sendable, Hashable {
        public var host: String
        public var port: Int
        public init?(_ text: String) {
            let withScheme = text.contains("://") ? text : "http://\(text)"
            guard let url = URL(string: withScheme), let host = url.host, !host.isEmpty else { return nil }
            self.host = host
            self.port = url.port ?? (url.scheme == "https" ? 443 : 80)
        }
    }

    private let direct: HTTPClient
    private let viaProxy: HTTPClient?
    private let settings: Settings

    /// The process-wide default transport (no proxy, system trust roots).
    public static let shared: AsyncHTTPTransport = {
        // The default settings cannot fail: no files are read.
        try! AsyncHTTPTransport.make(Settings())
    }()

    /// One transport per distinct settings, kept for the life of the process: an `HTTPClient` must be
    /// shut down before it is released, and a CLI run needs only one or two.
    public static func make(_ settings: Settings) throws(AWSError) -> AsyncHTTPTransport {
        try cache.transport(for: settings)
    }

    private static let cache = TransportCache()

    fileprivate init(settings: Settings) throws(AWSError) {
        self.settings = settings
        var tls = TLSConfiguration.makeClientConfiguration()
        if let bundle = settings.caBundle {
            guard FileManager.default.isReadableFile(atPath: bundle) else {
                throw AWSError.credentials("cannot read the CA bundle \(bundle) (AWS_CA_BUNDLE or ca_bundle)")
            }
            do {
                let extra = try NIOSSLCertificate.fromPEMFile(bundle)
                tls.additionalTrustRoots = [.certificates(extra)]
            } catch {
                throw AWSError.credentials("the CA bundle \(bundle) is not a PEM certificate file: \(error)")
            }
        }
        func client(proxy: HTTPClient.Configuration.Proxy?) -> HTTPClient {
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10), read: .seconds(60)),
                connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.maxConnectionsPerHost),
                proxy: proxy, decompression: .disabled)
            // A dropped connection is retried by the client's retry policy, which counts attempts;
            // the pool retrying on its own would hide them.
            configuration.connectionPool.retryConnectionEstablishment = false
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        direct = client(proxy: nil)
        if let proxy = settings.httpsProxy ?? settings.httpProxy {
            viaProxy = client(proxy: .server(host: proxy.host, port: proxy.port))
        } else {
            viaProxy = nil
        }
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
        let operation = "\(request.method) \(request.hostHeader)"
        guard let url = request.url else { throw AWSError.transport(operation: operation, reason: "invalid URL") }
        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers where header.name.lowercased() != "host" {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        outgoing.headers.replaceOrAdd(name: "Host", value: request.hostHeader)
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let client = (viaProxy != nil && !settings.bypassesProxy(request.host)) ? viaProxy! : direct
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(max(timeout, 0.1) * 1000)))
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            var headers: [String: String] = [:]
            for header in response.headers where headers[header.name.lowercased()] == nil {
                headers[header.name.lowercased()] = header.value
            }
            let answer = HTTPResponse(status: Int(response.status.code), headers: headers,
                                      body: Data(body.readableBytesView))
            if let shortfall = ResponseIntegrity.truncation(of: answer, method: request.method) {
                throw AWSError.transport(operation: operation, reason: "connection closed with \(shortfall) bytes of the response missing")
            }
            return answer
        } catch let error as AWSError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw AWSError.transport(operation: operation, reason: "timed out after \(Int(timeout)) s")
        } catch let error as NIOTooManyBytesError {
            throw AWSError.transport(operation: operation, reason: "response larger than \(Self.maxBodyBytes >> 20) MB: \(error)")
        } catch {
            throw AWSError.transport(operation: operation, reason: String(describing: error))
        }
    }
}

/// The process's transports by settings (see `AsyncHTTPTransport.make`).
private final class TransportCache: @unchecked Sendable {
    private let lock = NSLock()
    private var transports: [AsyncHTTPTransport.Settings: AsyncHTTPTransport] = [:]

    func transport(for settings: AsyncHTTPTransport.Settings) throws(AWSError) -> AsyncHTTPTransport {
        lock.lock()
        defer { lock.unlock() }
        if let existing = transports[settings] { return existing }
        let made = try AsyncHTTPTransport(settings: settings)
        transports[settings] = made
        return made
    }
}

/// Checks on a whole response that every transport shares.
public enum ResponseIntegrity {
    /// Bytes missing from a body shorter than its Content-Length (a dropped connection), or nil.
    /// A compressed body is decoded before we see it, so its length says nothing.
    public static func truncation(of response: HTTPResponse, method: String) -> Int? {
        guard method != "HEAD", response.headers["content-encoding"] == nil,
              let declared = response.headers["content-length"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
              declared > response.body.count else { return nil }
        return declared - response.body.count
    }
}

/// Runs work so that cancelling the caller never cancels the work itself: on cancellation the
/// caller is answered `AWSError.cancelled` at once and the work's eventual result is dropped.
///
/// Why: a cancellation handler runs on the cancelling thread under the task's status lock. A
/// transport that does blocking work when cancelled (URLSession's `task.cancel()` takes a dispatch
/// queue synchronously) can deadlock against its own completion, which needs that same lock.
/// Abandoning needs no cooperation from the transport; the abandoned request ends by its timeout.
public enum Abandoning {
    public static func run<T: Sendable>(operation name: String,
                                        _ work: @escaping @Sendable () async throws(AWSError) -> T) async throws(AWSError) -> T {
        if Task.isCancelled { throw AWSError.cancelled(operation: name) }
        let slot = ResultSlot<T>()
        let result: Result<T, AWSError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, AWSError>, Never>) in
                guard slot.install(continuation) else {
                    continuation.resume(returning: .failure(.cancelled(operation: name)))
                    return
                }
                // Unstructured on purpose: it does not inherit the caller's cancellation.
                Task {
                    let outcome: Result<T, AWSError>
                    do throws(AWSError) { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                    slot.take()?.resume(returning: outcome)
                }
            }
        } onCancel: {
            // Only non-blocking work here: take the continuation under a short lock, resume outside it.
            slot.take()?.resume(returning: .failure(.cancelled(operation: name)))
        }
        return try result.get()
    }

    /// Hands the continuation to whichever comes first, the result or the cancellation.
    private final class ResultSlot<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Result<T, AWSError>, Never>?
        private var closed = false

        /// False when cancellation came first (the caller resumes at once).
        func install(_ continuation: CheckedContinuation<Result<T, AWSError>, Never>) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if closed { return false }
            self.continuation = continuation
            return true
        }

        func take() -> CheckedContinuation<Result<T, AWSError>, Never>? {
            lock.lock()
            defer { lock.unlock() }
            closed = true
            let taken = continuation
            continuation = nil
            return taken
        }
    }
}
