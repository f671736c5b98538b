import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request. A protocol so tests can replay recorded responses and so the
/// implementation can be swapped without touching the protocol code above it.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse
}

/// The default transport: Foundation's URLSession (libcurl on Linux), no extra dependency.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(maxConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        // Never pick up a proxy for loopback test endpoints by accident; real proxies still apply.
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws(AWSError) -> HTTPResponse {
        let operation = "\(request.method) \(request.hostHeader)"
        guard let url = request.url else { throw AWSError.transport(operation: operation, reason: "invalid URL") }
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for header in request.headers where header.name.lowercased() != "host" {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            urlRequest.httpBody = request.body
        }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw AWSError.transport(operation: operation, reason: "not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            let answer = HTTPResponse(status: http.statusCode, headers: headers, body: data)
            if let shortfall = Self.truncation(of: answer, method: request.method) {
                throw AWSError.transport(operation: operation, reason: "connection closed with \(shortfall) bytes of the response missing")
            }
            return answer
        } catch let error as AWSError {
            throw error
        } catch {
            throw AWSError.transport(operation: operation, reason: error.localizedDescription)
        }
    }

    /// Bytes missing from a body shorter than its Content-Length (a dropped connection), or nil.
    /// A compressed body is decoded before we see it, so its length says nothing.
    static func truncation(of response: HTTPResponse, method: String) -> Int? {
        guard method != "HEAD", response.headers["content-encoding"] == nil,
              let declared = response.headers["content-length"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
              declared > response.body.count else { return nil }
        return declared - response.body.count
    }
}
