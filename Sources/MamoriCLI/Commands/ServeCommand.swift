import ArgumentParser
import Dashboard
import Foundation
import History

/// `mamori serve`: the read-only web dashboard over the history store. The logic lives in the
/// Dashboard module; this only reads flags, warns about exposed binds and starts the server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a read-only web dashboard over the scan history.",
        discussion: """
            Pages: scan list with the failing-by-severity trend, scan summary (accounts, OU roll-up, what could not \
            be read), findings table with filters, finding detail with remediation, diff between two scans, and the \
            posture metrics. Listens on 127.0.0.1:8642 by default. With --token (or MAMORI_TOKEN) every request \
            needs the token: open http://127.0.0.1:8642/?token=TOKEN once, or send 'Authorization: Bearer TOKEN'.

            Examples:
              mamori serve
              mamori serve --db ./scans.sqlite --port 9000
              MAMORI_TOKEN=$(openssl rand -hex 16) mamori serve --bind 0.0.0.0
            """
    )

    @OptionGroup var history: HistoryOptions

    @Option(help: ArgumentHelp("Address to listen on. Anything but a loopback address exposes the findings to the network.", valueName: "host"))
    var bind: String = DashboardConfiguration.defaultHost

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = DashboardConfiguration.defaultPort

    @Option(help: ArgumentHelp("Require this token on every request (prefer the MAMORI_TOKEN variable: arguments show in `ps`).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close a connection that sends nothing for this many seconds (idle, or stalled mid-request).", valueName: "seconds"))
    var idleTimeout: Double = Double(DashboardConfiguration.defaultIdleTimeout.components.seconds)

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Open connections at most; more wait until one closes.", valueName: "n"))
    var maxConnections: Int = DashboardConfiguration.defaultMaxConnections

    func validate() throws {
        guard idleTimeout.isFinite, (0.1...86_400).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 0.1 and 86400 seconds, not \(idleTimeout)") }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be between 1 and 100000, not \(maxConnections)") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        guard !bind.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--bind needs an address, e.g. 127.0.0.1") }
    }

    func run() async throws {
        try await Console.run {
            let environment = ProcessInfo.processInfo.environment
            let token = self.token ?? environment["MAMORI_TOKEN"]
            let configuration = DashboardConfiguration(host: bind, port: port, token: token,
                                                       idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), maxConnections: maxConnections)
            for warning in configuration.warnings { FileHandle.standardError.write(Data("mamori: \(warning)\n".utf8)) }

            let location = history.location
            // The dashboard only reads: a mistyped path should say so, not create an empty store.
            guard HistoryDatabase.isPostgres(location) || FileManager.default.fileExists(atPath: location) else {
                throw CLIError("no history store at \(location): record scans first with `mamori scan --db \(location)`, or pass --db")
            }
            let store = try await history.open()

            let server: DashboardServer
            do { server = try await DashboardServer(store: store, configuration: configuration) }
            catch { await store.close(); throw CLIError("\(error)") }
            let host = bind.contains(":") ? "[\(bind)]" : bind
            let protected = configuration.token != nil
            do {
                try await server.run { port in
                    let hint = protected ? " (open /?token=<your token> once; the token is not printed)" : ""
                    FileHandle.standardError.write(Data("mamori: dashboard on http://\(host):\(port)/\(hint), reading \(location); Ctrl-C stops it\n".utf8))
                }
            } catch {
                await store.close()
                throw CLIError("the dashboard cannot listen on \(host):\(port): \(error)")
            }
            await store.close()
            return 0
        }
    }
}
