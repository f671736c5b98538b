import History
import PostgresNIO

/// Turns driver errors into `HistoryError`s a user can act on. PostgresNIO's own descriptions are
/// deliberately vague (they may hold query data), so the useful parts (SQLSTATE, the server's
/// message, the socket error) are picked out here. Messages name user, host, port and database,
/// never the password.
enum PostgresFailure {
    static func wrap(_ error: any Error, _ location: PostgresLocation, doing action: String) -> HistoryError {
        if let error = error as? HistoryError { return error }
        guard let error = error as? PSQLError else {
            return HistoryError(.query, "PostgreSQL history store \(location): \(action) failed: \(error)")
        }
        let at = location.address
        switch error.code {
        case .server:
            return server(error, location, doing: action)
        case .connectionError:
            return HistoryError(.open, "cannot connect to PostgreSQL at \(at): \(socketReason(error.underlying)); is the server running and accepting TCP connections there?")
        case .sslUnsupported:
            return HistoryError(.open, "PostgreSQL at \(at) does not offer TLS but the --db URL asks for sslmode=\(location.sslMode.rawValue); enable TLS on the server, or use sslmode=disable on a trusted network")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return HistoryError(.open, "TLS with PostgreSQL at \(at) failed: \(socketReason(error.underlying)); check the server certificate or the sslmode in the --db URL")
        case .authMechanismRequiresPassword:
            return HistoryError(.open, "PostgreSQL at \(at) asks user '\(location.user)' for a password; put it in the --db URL (postgres://\(location.user):PASSWORD@\(at)/\(location.database)) or in PGPASSWORD")
        case .unsupportedAuthMechanism:
            return HistoryError(.open, "PostgreSQL at \(at) wants an authentication method Mamori cannot use; allow scram-sha-256, md5 or trust for user '\(location.user)' in pg_hba.conf")
        case .saslError:
            return HistoryError(.open, "authentication failed for user '\(location.user)' at \(at); check the password in the --db URL or PGPASSWORD")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return HistoryError(.query, "the connection to PostgreSQL at \(at) closed while \(action); is the server restarting? Run the command again (a scan continues with --resume)")
        case .tooManyParameters:
            return HistoryError(.query, "\(action): too many values in one statement (a Mamori bug; please report it)")
        default:
            return HistoryError(.query, "PostgreSQL at \(at): \(action) failed (\(error.code))")
        }
    }

    /// A server error (an ErrorResponse), by SQLSTATE class.
    static func server(_ error: PSQLError, _ location: PostgresLocation, doing action: String) -> HistoryError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "unknown error"
        let at = location.address
        switch state {
        case "28P01":
            return HistoryError(.open, "authentication failed for user '\(location.user)' at \(at); check the user and password in the --db URL or PGPASSWORD")
        case "28000":
            return HistoryError(.open, "PostgreSQL at \(at) refused user '\(location.user)' for database '\(location.database)': \(message); the server's pg_hba.conf must allow this host, user and database")
        case "3D000":
            return HistoryError(.open, "database '\(location.database)' does not exist at \(at); create it (createdb -h \(location.host) -p \(location.port) -U \(location.user) \(location.database)) or fix the --db URL")
        case "42501":
            return HistoryError(.query, "user '\(location.user)' may not do this at \(at) (\(action)): \(message); see docs/history-postgres.md for the grants Mamori needs")
        case "53300":
            return HistoryError(.open, "PostgreSQL at \(at) has too many connections: \(message); try again later or raise max_connections")
        case "57P03":
            return HistoryError(.open, "PostgreSQL at \(at) is starting up or shutting down; try again in a moment")
        default:
            return HistoryError(.query, "PostgreSQL at \(at): \(action) failed: \(message) (SQLSTATE \(state))")
        }
    }

    /// The socket-level reason, short: "connection refused", "timed out", or the system's words.
    static func socketReason(_ underlying: (any Error)?) -> String {
        guard let underlying else { return "no reason given" }
        let text = String(describing: underlying)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("timeout") || text.localizedCaseInsensitiveContains("timed out") { return "timed out" }
        if text.localizedCaseInsensitiveContains("resolve") || text.localizedCaseInsensitiveContains("getaddrinfo") { return "the host name does not resolve" }
        return text
    }
}
