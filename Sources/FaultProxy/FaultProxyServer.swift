import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The proxy: an HTTP/1.1 server on loopback that forwards every request unchanged to the
/// upstream (moto) and, by seeded random choice, answers some with faults instead.
public struct FaultProxyServer: Sendable {
    typealias ServerConnection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    typealias UpstreamConnection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    public let options: ProxyOptions
    private let state: ProxyState

    public init(options: ProxyOptions) throws(ProxyOptionError) {
        self.options = options
        self.state = try ProxyState(options: options)
    }

    /// Listens, calls `ready` with the bound port, then serves until the process ends.
    public func run(ready: @Sendable (Int) -> Void) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: options.listenHost, port: options.listenPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try ServerConnection(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ProxyFailure("the listening socket has no port") }
        ready(port)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await serve(connection) }
                }
            }
        }
    }

    /// Serves one client connection, request after request (keep-alive), until a fault or the
    /// client closes it.
    private func serve(_ connection: ServerConnection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let received):
                        head = received
                        body.clear()
                        // libcurl waits a second for this before sending larger bodies.
                        if received.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                            try await outbound.write(.head(HTTPResponseHead(version: received.version, status: .continue)))
                        }
                    case .body(var chunk):
                        body.writeBuffer(&chunk)
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let keepOpen = try await respond(to: request, body: body, outbound: outbound, channel: connection.channel)
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            // The client went away or a fault closed the connection: nothing to report.
        }
    }

    /// Answers one request; returns false when the connection must close afterwards.
    private func respond(to head: HTTPRequestHead, body: ByteBuffer, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                         channel: any Channel) async throws -> Bool {
        let info = RequestInfo.classify(method: head.method.rawValue, uri: head.uri,
                                        headers: head.headers.map { ($0.name, $0.value) }, body: Array(body.readableBytesView))
        let (fault, number) = await state.decide(info)
        if let fault, let canned = FaultResponses.response(for: fault, request: info, requestId: requestId(number)) {
            var headers = HTTPHeaders()
            for header in canned.headers { headers.add(name: header.name, value: header.value) }
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: canned.status, reasonPhrase: canned.reason), headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: canned.body))))
            try await outbound.write(.end(nil))
            await state.record(info, outcome: fault.logName)
            return head.isKeepAlive
        }
        if fault == .reset {
            await state.record(info, outcome: FaultKind.reset.logName)
            // SO_LINGER 0: close() sends a RST instead of a FIN, as a dropped connection does.
            if let provider = channel as? any SocketOptionProvider {
                try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            return false
        }
        if fault == .slow {
            try await Task.sleep(nanoseconds: UInt64(options.slowMilliseconds) * 1_000_000)
        }
        let upstream: (head: HTTPResponseHead, body: ByteBuffer)
        do { upstream = try await forward(head, body: body) }
        catch {
            await state.record(info, outcome: "upstream-error")
            let message = "mamori-fault-proxy: upstream \(options.upstreamHost):\(options.upstreamPort) failed: \(error)"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain")
            headers.add(name: "Content-Length", value: String(message.utf8.count))
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .badGateway, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: message))))
            try await outbound.write(.end(nil))
            return false
        }
        await state.record(info, outcome: fault?.logName ?? "pass")
        var responseHead = HTTPResponseHead(version: head.version, status: upstream.head.status, headers: upstream.head.headers)
        // The body is buffered whole: send it with a length, and keep the client's connection ours to manage.
        responseHead.headers.remove(name: "Transfer-Encoding")
        responseHead.headers.remove(name: "Connection")
        responseHead.headers.remove(name: "Keep-Alive")
        if head.method != .HEAD || !responseHead.headers.contains(name: "Content-Length") {
            responseHead.headers.replaceOrAdd(name: "Content-Length", value: String(upstream.body.readableBytes))
        }
        if fault == .truncate, head.method != .HEAD {
            // The full length promised, part of the body sent, then the connection drops.
            if upstream.body.readableBytes == 0 { responseHead.headers.replaceOrAdd(name: "Content-Length", value: "1") }
            let kept = FaultResponses.truncatedLength(of: upstream.body.readableBytes)
            try await outbound.write(.head(responseHead))
            if kept > 0 { try await outbound.write(.body(.byteBuffer(upstream.body.getSlice(at: upstream.body.readerIndex, length: kept) ?? ByteBuffer()))) }
            return false
        }
        try await outbound.write(.head(responseHead))
        if upstream.body.readableBytes > 0 { try await outbound.write(.body(.byteBuffer(upstream.body))) }
        try await outbound.write(.end(nil))
        return head.isKeepAlive
    }

    /// Sends the request upstream on a fresh connection, unchanged but for `Expect` (the whole
    /// body is already here), and reads the whole answer.
    private func forward(_ head: HTTPRequestHead, body: ByteBuffer) async throws -> (head: HTTPResponseHead, body: ByteBuffer) {
        let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: options.upstreamHost, port: options.upstreamPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try UpstreamConnection(wrappingChannelSynchronously: channel)
                }
            }
        return try await upstream.executeThenClose { inbound, outbound in
            var request = head
            request.headers.remove(name: "Expect")
            try await outbound.write(.head(request))
            if body.readableBytes > 0 { try await outbound.write(.body(.byteBuffer(body))) }
            try await outbound.write(.end(nil))
            var responseHead: HTTPResponseHead?
            var responseBody = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received) where received.status.code < 200:
                    continue  // 100 Continue and other interim answers
                case .head(let received):
                    responseHead = received
                case .body(var chunk):
                    responseBody.writeBuffer(&chunk)
                case .end:
                    guard let responseHead else { throw ProxyFailure("upstream sent a body without a status line") }
                    return (responseHead, responseBody)
                }
            }
            throw ProxyFailure("upstream closed the connection before a complete response")
        }
    }

    private func requestId(_ number: Int) -> String {
        let digits = String(number)
        return "fa017000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}

/// The proxy itself failed (not an injected fault).
public struct ProxyFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
