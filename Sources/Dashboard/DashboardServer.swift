import Foundation
import Hummingbird
import HummingbirdCore
import History
import Logging

/// `mamori serve`: a read-only web dashboard over a history store (scan list and trend, scan
/// summary, findings table, finding detail, diff, posture metrics). Server-rendered HTML, no
/// script; see docs/dashboard.md.
public struct DashboardServer: Sendable {
    public let configuration: DashboardConfiguration
    let responder: DashboardResponder

    /// Loads the templates; the store stays open for the server's lifetime.
    public init(store: any HistoryStore, configuration: DashboardConfiguration) async throws(DashboardError) {
        self.configuration = configuration
        let templates = try await DashboardTemplates.load()
        let pages = DashboardPages(store: store, cache: FindingsCache(store: store), configuration: configuration)
        responder = DashboardResponder(pages: pages, templates: templates, gate: TokenGate(token: configuration.token, sessionLifetime: configuration.sessionLifetime),
                                      bodyDeadline: configuration.idleTimeout)
    }

    /// The Hummingbird application. `onListening` receives the bound port (useful with port 0).
    public func application(logLevel: Logger.Level = .notice,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        makeApplication(logLevel: logLevel, onListening: onListening)
    }

    /// The concrete application, for HummingbirdTesting (it needs to see the request context type).
    func makeApplication(logLevel: Logger.Level = .notice,
                         onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> Application<DashboardResponder> {
        var logger = Logger(label: "mamori.serve")
        logger.logLevel = logLevel
        // The idle timeout also closes connections stalled half-way through a request: Hummingbird
        // counts from the last bytes read, and a partial request head produces none.
        return Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }
}

extension Duration {
    /// Whole nanoseconds (saturating), for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
