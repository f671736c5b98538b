import Foundation
import Hummingbird
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
        responder = DashboardResponder(pages: pages, templates: templates, gate: TokenGate(token: configuration.token))
    }

    /// The Hummingbird application. `onListening` receives the bound port (useful with port 0).
    public func application(logLevel: Logger.Level = .notice,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "mamori.serve")
        logger.logLevel = logLevel
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }
}
