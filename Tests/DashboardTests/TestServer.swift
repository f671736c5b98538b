@testable import Dashboard
import Foundation
import History
import HTTPTypes
import Hummingbird
import HummingbirdTesting
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dashboard running in-process on 127.0.0.1 and a free port, over a freshly seeded store.
struct TestServer: Sendable {
    let port: Int
    let task: Task<Void, any Error>
    let store: SQLiteHistoryStore

    var base: String { "http://127.0.0.1:\(port)" }

    static func start(token: String? = nil, pageSize: Int = 50, empty: Bool = false,
                      idleTimeout: Duration = DashboardConfiguration.defaultIdleTimeout,
                      maxConnections: Int = DashboardConfiguration.defaultMaxConnections) async throws -> TestServer {
        let store = empty ? try Fixtures.emptyStore() : try await Fixtures.store()
        let configuration = DashboardConfiguration(host: "127.0.0.1", port: 0, token: token, pageSize: pageSize,
                                                   idleTimeout: idleTimeout, maxConnections: maxConnections)
        let server = try await DashboardServer(store: store, configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = server.application(logLevel: .critical) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw TestFailure("the dashboard did not report a listening port")
        }
        return TestServer(port: port, task: task, store: store)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        await store.close()
    }

    /// Runs `body` against a fresh server, stopping it afterwards whatever happens.
    static func with(token: String? = nil, pageSize: Int = 50, empty: Bool = false,
                     idleTimeout: Duration = DashboardConfiguration.defaultIdleTimeout,
                     maxConnections: Int = DashboardConfiguration.defaultMaxConnections,
                     _ body: (TestServer) async throws -> Void) async throws {
        let server = try await start(token: token, pageSize: pageSize, empty: empty, idleTimeout: idleTimeout, maxConnections: maxConnections)
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func get(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> HTTPResult {
        try await RawHTTP.send(port: port, method: method, path: path, headers: headers)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A response as it came off the wire.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func headers(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }
}

/// HTTP/1.1 over a plain socket: no cookie jar, no redirect following, no proxy, any method —
/// the tests see exactly what the server sent.
enum RawHTTP {
    static func send(port: Int, method: String, path: String, headers: [String: String]) async throws -> HTTPResult {
        try await offPool { try blockingSend(port: port, method: method, path: path, headers: headers) }
    }

    static func blockingSend(port: Int, method: String, path: String, headers: [String: String]) throws -> HTTPResult {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        // Generous: in the full suite, end-to-end tests block concurrency threads while they wait for
        // child processes, and this in-process server then answers late, not wrongly.
        var timeout = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to 127.0.0.1:\(port)") }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        if method == "POST" { request += "Content-Length: 0\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw TestFailure("write failed") }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw TestFailure("read failed or timed out after \(response.count) bytes") }
            if n == 0 { break }
            response += buffer[0..<n]
        }
        return try parse(response)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPResult {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0...max(0, bytes.count - 4)).first(where: { Array(bytes[$0..<min(bytes.count, $0 + 4)]) == separator }) else {
            throw TestFailure("no header end in \(bytes.count) bytes")
        }
        let head = String(decoding: bytes[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(head[0])") }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return HTTPResult(status: status, headers: headers, body: String(decoding: bytes[(split + 4)...], as: UTF8.self))
    }
}

/// Runs blocking work (socket reads, waiting for a child process) on its own thread. On the
/// concurrency pool it would hold one of its few threads, and the in-process server needs those
/// to answer: with two blocked readers on a two-core machine, nothing answers at all.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// The dashboard's responder through HummingbirdTesting's router framework: the same requests and
/// answers as over a socket, without one. HTTPTests use it; the socket server above stays for what
/// only a socket shows (connection caps, idle and half-sent connections, the browser).
struct RouterServer: Sendable {
    let client: any TestClientProtocol
    let store: SQLiteHistoryStore

    static func with(pageSize: Int = 50, empty: Bool = false,
                     _ body: @Sendable @escaping (RouterServer) async throws -> Void) async throws {
        let store = empty ? try Fixtures.emptyStore() : try await Fixtures.store()
        let server = try await DashboardServer(store: store, configuration: DashboardConfiguration(host: "127.0.0.1", port: 0, token: nil, pageSize: pageSize))
        do {
            try await server.makeApplication(logLevel: .critical).test(.router) { client in
                try await body(RouterServer(client: client, store: store))
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    func get(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> HTTPResult {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { throw TestFailure("bad header name \(name)") }
            fields[field] = value
        }
        let response = try await client.execute(uri: path, method: HTTPRequest.Method(rawValue: method) ?? .get, headers: fields, body: nil)
        return HTTPResult(status: Int(response.status.code), headers: response.headers.map { ($0.name.rawName, $0.value) },
                          body: String(buffer: response.body))
    }
}
