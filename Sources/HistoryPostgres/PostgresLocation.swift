import Foundation
import History

/// Where the PostgreSQL history store lives, parsed from a `--db` URL:
/// `postgres://user:password@host:port/database?sslmode=require&schema=mamori`.
///
/// The password may also come from `PGPASSWORD`, so it need not appear in a command line or
/// shell history. `description` never contains it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How to use TLS, with libpq's names and meanings.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS always, without checking the certificate.
        case require
        /// TLS always; the certificate must chain to a trusted root.
        case verifyCA = "verify-ca"
        /// TLS always; the certificate must chain to a trusted root and name the host.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A schema to keep the tables in (created when missing); nil uses the user's default search path.
    public var schema: String?
    public var connectTimeout: Int
    public var applicationName: String

    /// Query parameters Mamori understands; anything else is refused rather than silently ignored.
    static let knownParameters = ["sslmode", "schema", "connect_timeout", "application_name"]

    /// Parses a `postgres://` or `postgresql://` URL. `environment` supplies `PGPASSWORD` and the
    /// default user (`PGUSER`, then `USER`), as libpq does.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(HistoryError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw HistoryError(.open, "'\(Self.redacted(url))' is not a PostgreSQL URL; use postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw HistoryError(.open, "the --db URL \(Self.redacted(url)) has no host; use postgres://user@host:5432/database")
        }
        self.host = host
        self.port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw HistoryError(.open, "the --db URL has port \(port); ports are 1 to 65535") }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"]
        guard let user, !user.isEmpty else {
            throw HistoryError(.open, "the --db URL \(Self.redacted(url)) has no user; use postgres://user@\(host):\(port)/database")
        }
        self.user = user
        self.password = components.password ?? environment["PGPASSWORD"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw HistoryError(.open, "the --db URL path '\(path)' is not a database name; use postgres://user@host:5432/database")
        }
        self.database = path.isEmpty ? user : path
        self.sslMode = .prefer
        self.schema = nil
        self.connectTimeout = 10
        self.applicationName = "mamori"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw HistoryError(.open, "sslmode '\(value)' is not supported; use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "schema":
                guard Self.isIdentifier(value) else {
                    throw HistoryError(.open, "schema '\(value)' is not a plain PostgreSQL name (lower-case letters, digits and _, at most 63, not starting with a digit)")
                }
                schema = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw HistoryError(.open, "connect_timeout '\(value)' is not a positive number of seconds")
                }
                connectTimeout = seconds
            case "application_name":
                applicationName = value
            default:
                throw HistoryError(.open, "the --db URL parameter '\(item.name)' is not supported; Mamori understands \(Self.knownParameters.joined(separator: ", "))")
            }
        }
    }

    /// `user@host:port/database`, for messages: never the password.
    public var description: String {
        "postgres://\(user)@\(address)/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    /// The server's address, for messages.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A lower-case, unquoted PostgreSQL identifier: safe to splice into SQL without quoting.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy { rest.contains($0) }
    }

    /// The URL with any password replaced, for messages about URLs that did not parse.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://")?.upperBound, schemeEnd < at else { return url }
        let credentials = url[schemeEnd..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
