import History
import PostgresNIO

/// A few reusable connections to one server.
///
/// Not `PostgresClient`: its pool keeps retrying a connection that cannot be made (server down,
/// wrong password, missing database) and leaves the query waiting forever (postgres-nio issues
/// #489, #565, #602). A CLI must fail with a reason instead, so each connection here is opened on
/// demand with `PostgresConnection.connect`, whose errors reach the caller.
actor ConnectionPool {
    let configuration: PostgresConnection.Configuration
    let location: PostgresLocation
    let logger: Logger
    let maximum: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(configuration: PostgresConnection.Configuration, location: PostgresLocation, logger: Logger, maximum: Int) {
        self.configuration = configuration
        self.location = location
        self.logger = logger
        self.maximum = max(1, maximum)
    }

    /// A connection for the caller alone, until `release`.
    func lease() async throws(HistoryError) -> PostgresConnection {
        while true {
            if closed { throw HistoryError(.query, "the PostgreSQL history store \(location) is closed") }
            if let connection = idle.popLast() {
                if connection.isClosed { open -= 1; continue }
                return connection
            }
            if open < maximum {
                open += 1
                nextID += 1
                do {
                    return try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
                } catch {
                    open -= 1
                    wakeOne()
                    throw PostgresFailure.wrap(error, location, doing: "connecting")
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Returns a connection. `reusable: false` (after an error mid-statement or mid-transaction)
    /// closes it, so no later caller inherits a half-finished transaction.
    func release(_ connection: PostgresConnection, reusable: Bool) async {
        if reusable && !closed && !connection.isClosed {
            idle.append(connection)
        } else {
            open -= 1
            try? await connection.close()
        }
        wakeOne()
    }

    func close() async {
        closed = true
        let connections = idle
        idle = []
        open -= connections.count
        for connection in connections { try? await connection.close() }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
