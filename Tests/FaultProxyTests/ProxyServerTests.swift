import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import FaultProxy

/// The NIO server itself, in process: canned faults and an unreachable upstream.
@Suite(.serialized)
struct ProxyServerTests {
    /// Starts a proxy, runs `body` against its base URL, then stops it.
    func withProxy(_ arguments: [String], _ body: (URL) async throws -> Void) async throws {
        let options = try ProxyOptions.parse(arguments)
        let server = try FaultProxyServer(options: options)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run { continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(try #require(URL(string: "http://127.0.0.1:\(port)/")))
    }

    func request(_ url: URL, service: String, body: String, contentType: String = "application/x-www-form-urlencoded; charset=utf-8") -> URLRequest {
        // Generous: in the full suite, end-to-end tests block concurrency threads while they wait for
        // child processes, and the in-process servers then answer late, not wrongly.
        var request = URLRequest(url: url, timeoutInterval: 300)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/\(service)/aws4_request, SignedHeaders=host, Signature=0",
                         forHTTPHeaderField: "Authorization")
        request.httpBody = Data(body.utf8)
        return request
    }

    @Test func throttlesAQueryCallLikeTheService() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fault-proxy-\(UUID().uuidString).log").path
        try await withProxy(["--upstream", "http://127.0.0.1:9", "--rate", "0", "--service", "sns=1", "--faults", "throttle", "--log", log]) { url in
            let (data, response) = try await URLSession.shared.data(for: request(url, service: "sns", body: "Action=ListTopics&Version=2010-03-31"))
            #expect((response as? HTTPURLResponse)?.statusCode == 400)
            #expect(String(decoding: data, as: UTF8.self).contains("<Code>Throttling</Code>"))
            // Another service passes through to the upstream, which is down here: 502 from the proxy.
            let (_, passed) = try await URLSession.shared.data(for: request(url, service: "ec2", body: "Action=DescribeRegions"))
            #expect((passed as? HTTPURLResponse)?.statusCode == 502)
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["sns\tListTopics\tthrottle", "ec2\tDescribeRegions\tupstream-error"])
    }

    @Test func resetLeavesTheClientWithoutAResponse() async throws {
        try await withProxy(["--upstream", "http://127.0.0.1:9", "--rate", "1", "--faults", "reset"]) { url in
            await #expect(throws: (any Error).self) {
                _ = try await URLSession.shared.data(for: request(url, service: "iam", body: "Action=ListUsers"))
            }
        }
    }
}
