import History
@testable import HistoryPostgres
import Testing

/// Parsing `--db postgres://…` URLs: defaults as libpq has them, clear refusals, no password in messages.
@Suite("PostgreSQL --db URLs")
struct PostgresLocationTests {
    @Test func fullURL() throws {
        let location = try PostgresLocation(url: "postgres://mamori:s3cr%40t@db.internal:6543/history?sslmode=verify-full&schema=team_a&connect_timeout=3&application_name=nightly",
                                            environment: [:])
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.user == "mamori")
        #expect(location.password == "s3cr@t")
        #expect(location.database == "history")
        #expect(location.sslMode == .verifyFull)
        #expect(location.schema == "team_a")
        #expect(location.connectTimeout == 3)
        #expect(location.applicationName == "nightly")
        #expect(location.description == "postgres://mamori@db.internal:6543/history?schema=team_a")
    }

    @Test func defaultsFollowLibpq() throws {
        let location = try PostgresLocation(url: "postgresql://127.0.0.1", environment: ["USER": "ops", "PGPASSWORD": "from-env"])
        #expect(location.port == 5432)
        #expect(location.user == "ops")
        #expect(location.database == "ops")
        #expect(location.password == "from-env")
        #expect(location.sslMode == .prefer)
        #expect(location.schema == nil)
        #expect(location.connectTimeout == 10)
        // PGUSER wins over USER; a password in the URL wins over PGPASSWORD.
        let named = try PostgresLocation(url: "postgres://:inline@127.0.0.1/db", environment: ["USER": "ops", "PGUSER": "scanner", "PGPASSWORD": "env"])
        #expect(named.user == "scanner")
        #expect(named.password == "inline")
    }

    @Test func refusals() {
        func message(_ url: String) -> String? {
            do { _ = try PostgresLocation(url: url, environment: ["USER": "ops"]); return nil } catch { return error.description }
        }
        #expect(message("mysql://u@127.0.0.1/db") == "'mysql://u@127.0.0.1/db' is not a PostgreSQL URL; use postgres://user:password@host:5432/database")
        #expect(message("postgres://u:hunter2@127.0.0.1/db?sslmode=maybe")
                == "sslmode 'maybe' is not supported; use one of disable, prefer, require, verify-ca, verify-full")
        #expect(message("postgres://u@127.0.0.1/db?sslrootcert=/x")
                == "the --db URL parameter 'sslrootcert' is not supported; Mamori understands sslmode, schema, connect_timeout, application_name")
        #expect(message("postgres://u@127.0.0.1/db?schema=Team-A")?.hasPrefix("schema 'Team-A' is not a plain PostgreSQL name") == true)
        #expect(message("postgres://u@127.0.0.1/db?schema=1abc")?.hasPrefix("schema '1abc' is not a plain PostgreSQL name") == true)
        #expect(message("postgres://u@127.0.0.1/db?connect_timeout=0") == "connect_timeout '0' is not a positive number of seconds")
        #expect(message("postgres://u@127.0.0.1/a/b")?.hasPrefix("the --db URL path 'a/b' is not a database name") == true)
        #expect(message("postgres:///db")?.contains("has no host") == true)
    }

    @Test func passwordsAreRedacted() {
        #expect(PostgresLocation.redacted("pg://alice:hunter2@127.0.0.1/db") == "pg://alice:***@127.0.0.1/db")
        #expect(PostgresLocation.redacted("pg://alice@127.0.0.1/db") == "pg://alice@127.0.0.1/db")
        do {
            _ = try PostgresLocation(url: "pgsql://alice:hunter2@127.0.0.1/db", environment: [:])
            Issue.record("a pgsql:// URL was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("pgsql://alice:***@127.0.0.1/db"))
        }
    }

    /// No server needed: nothing listens on port 1 of the loopback address.
    @Test func refusedConnectionSaysWhereAndNotThePassword() async {
        let error = await #expect(throws: HistoryError.self) {
            _ = try await PostgresHistoryStore(url: "postgres://alice:hunter2@127.0.0.1:1/history?sslmode=disable")
        }
        #expect(error?.kind == .open)
        #expect(error?.description == "cannot connect to PostgreSQL at 127.0.0.1:1: connection refused; is the server running and accepting TCP connections there?")
        #expect(error?.description.contains("hunter2") == false)
    }
}
