import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Idle and half-sent connections: they are closed after the idle timeout and, below the cap, do
/// not delay real requests. A socket test: the point is what happens to TCP connections.
@Suite("Dashboard connections", .serialized)
struct ConnectionLimitTests {
    @Test func idleConnectionsNeitherStarveRequestsNorStayOpen() async throws {
        try await TestServer.with(token: "t", idleTimeout: .seconds(2)) { server in
            // 300 clients without a token: 200 connect and say nothing, 100 stop half-way through a request head.
            let idle = try await offPool { try (0..<300).map { index in
                let socket = try IdleSocket(port: server.port)
                if index % 3 == 0 { try socket.send("GET /scans/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") }
                return socket
            } }
            defer { idle.forEach { $0.close() } }
            let clock = ContinuousClock()
            let start = clock.now
            let page = try await server.get("/scans/2", headers: ["Authorization": "Bearer t"])
            #expect(page.status == 200)
            // Answered while every idle connection is still open (the idle timeout is 2 s).
            #expect(clock.now - start < .milliseconds(1_500), "a real request waited behind idle connections")
            // All of them closed by the server soon after the idle timeout.
            let closed = try await offPool { idle.map { $0.waitForClose(seconds: 8) } }
            #expect(closed.filter { $0 }.count == 300, "\(closed.filter { !$0 }.count) idle connections still open")
        }
    }

    /// A body sent a byte at a time keeps the connection active, so it gets a fixed deadline instead.
    @Test func trickledBodyIsCutOff() async throws {
        try await TestServer.with(token: "t", idleTimeout: .seconds(1)) { server in
            let socket = try await offPool { try IdleSocket(port: server.port) }
            defer { socket.close() }
            let clock = ContinuousClock()
            let start = clock.now
            try socket.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
            let closed = try await offPool { () -> Bool in
                // One byte every 300 ms: never idle for a whole second.
                for _ in 0..<30 {
                    if (try? socket.send("x")) == nil { return true }
                    Thread.sleep(forTimeInterval: 0.3)
                    if socket.isClosed() { return true }
                }
                return false
            }
            #expect(closed, "the trickled body kept the connection open for 9 s")
            #expect(clock.now - start < .seconds(6))
        }
    }

    @Test func connectionsAreCapped() async throws {
        try await TestServer.with(idleTimeout: .seconds(1), maxConnections: 4) { server in
            let idle = try await offPool { try (0..<4).map { _ in try IdleSocket(port: server.port) } }
            defer { idle.forEach { $0.close() } }
            // Let the server accept the four before the real request queues behind them.
            try await Task.sleep(for: .milliseconds(300))
            let clock = ContinuousClock()
            let start = clock.now
            let page = try await server.get("/")
            #expect(page.status == 200)
            // It waited for an idle connection to time out, and then was served.
            #expect(clock.now - start >= .milliseconds(500))
        }
    }
}

/// A blocking TCP client on 127.0.0.1 that can send part of a request and notice when the server hangs up.
final class IdleSocket: Sendable {
    let fd: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw TestFailure("cannot connect to 127.0.0.1:\(port)")
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        // MSG_NOSIGNAL: writing to a connection the server closed must fail, not kill the test process.
        guard bytes.withUnsafeBufferPointer({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestFailure("write failed")
        }
    }

    /// True once a read sees end of file or a reset within `seconds`.
    func waitForClose(seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    /// True when the server has closed the connection (without waiting).
    func isClosed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBufferPointer { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET || errno == EPIPE }
        }
    }

    func close() { Glibc.close(fd) }
}
