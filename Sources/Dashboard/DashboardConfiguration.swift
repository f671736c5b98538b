import Foundation

/// Where `mamori serve` listens and whether it asks for a token.
public struct DashboardConfiguration: Sendable, Hashable {
    /// Address to bind. Loopback by default: the dashboard shows every finding of every scan.
    public var host: String
    /// TCP port; 0 picks a free one (tests).
    public var port: Int
    /// When set (non-empty), every request must carry it (`Authorization: Bearer`, `?token=` or the cookie).
    public var token: String?
    /// Findings per page of the findings table.
    public var pageSize: Int
    /// Rows per section of the diff page before it points at the findings table instead.
    public var diffLimit: Int
    /// A connection that sends nothing for this long — idle between requests, or stalled half-way
    /// through one — is closed, so idle or slow clients cannot hold the server's connections.
    public var idleTimeout: Duration
    /// Open connections at most; beyond it new ones wait in the kernel's queue until one closes.
    /// High enough that hundreds of idle clients leave room for real ones, low enough to stay far
    /// under the usual 1,024 open-file limit.
    public var maxConnections: Int
    /// How long the session cookie set by a `?token=` visit stays valid.
    public var sessionLifetime: Duration

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8642
    public static let defaultIdleTimeout: Duration = .seconds(10)
    public static let defaultMaxConnections = 512
    public static let defaultSessionLifetime: Duration = .seconds(12 * 3600)

    public init(host: String = DashboardConfiguration.defaultHost, port: Int = DashboardConfiguration.defaultPort,
                token: String? = nil, pageSize: Int = 50, diffLimit: Int = 500,
                idleTimeout: Duration = DashboardConfiguration.defaultIdleTimeout,
                maxConnections: Int = DashboardConfiguration.defaultMaxConnections,
                sessionLifetime: Duration = DashboardConfiguration.defaultSessionLifetime) {
        self.host = host
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.pageSize = max(1, pageSize)
        self.diffLimit = max(1, diffLimit)
        self.idleTimeout = max(.milliseconds(100), idleTimeout)
        self.maxConnections = max(1, maxConnections)
        self.sessionLifetime = max(.seconds(1), sessionLifetime)
    }

    /// True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        let trimmed = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if trimmed == "localhost" || trimmed == "::1" || trimmed == "0:0:0:0:0:0:0:1" { return true }
        let octets = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// What the user should hear before the server starts: binding beyond loopback exposes the
    /// findings (resource names, account ids) to the network, and without a token to anyone on it.
    public var warnings: [String] {
        guard !Self.isLoopback(host) else { return [] }
        if token == nil {
            return ["warning: --bind \(host) is not a loopback address and no --token (or MAMORI_TOKEN) is set: "
                    + "anyone who can reach this port can read every stored finding. Set a token, or bind 127.0.0.1 and use an SSH tunnel."]
        }
        return ["warning: --bind \(host) is not a loopback address: the dashboard is reachable from the network "
                + "(token required, but traffic is plain HTTP; put it behind TLS or an SSH tunnel)."]
    }
}
