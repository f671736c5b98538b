import History
import PostgresNIO

/// One leased connection with the statements the store needs: `HistoryValue`s in, `RowValues` out,
/// errors already turned into `HistoryError`s.
struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let location: PostgresLocation
    let logger: Logger

    /// Runs a statement and collects its rows.
    @discardableResult
    func rows(_ sql: String, _ values: [HistoryValue] = [], doing action: String) async throws(HistoryError) -> [PostgresRow] {
        let query = PostgresQuery(unsafeSQL: sql, binds: Self.bindings(values))
        do {
            return try await connection.query(query, logger: logger).collect()
        } catch {
            throw PostgresFailure.wrap(error, location, doing: action)
        }
    }

    /// Runs `body` between BEGIN and COMMIT; any error rolls back and is rethrown as it was.
    func transaction<T: Sendable>(doing action: String, _ body: (PostgresSession) async throws(HistoryError) -> T) async throws(HistoryError) -> T {
        try await rows("BEGIN", doing: action)
        do {
            let value = try await body(self)
            try await rows("COMMIT", doing: action)
            return value
        } catch {
            _ = try? await rows("ROLLBACK", doing: action)
            throw error
        }
    }

    /// Inserts many rows with multi-row VALUES lists: one round trip per batch, not per row.
    /// Batches stay under PostgreSQL's 65,535 bound parameters per statement.
    func insert(_ table: String, _ columns: String, _ rows: [[HistoryValue]], doing action: String) async throws(HistoryError) {
        let width = columns.split(separator: ",").count
        guard width > 0, !rows.isEmpty else { return }
        let perBatch = max(1, min(1000, 65_535 / width))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perBatch)]
            var tuples: [String] = []
            tuples.reserveCapacity(batch.count)
            var values: [HistoryValue] = []
            values.reserveCapacity(batch.count * width)
            for row in batch {
                let first = values.count
                tuples.append("(" + (1...width).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
                values.append(contentsOf: row)
            }
            try await self.rows("INSERT INTO \(table) (\(columns)) VALUES " + tuples.joined(separator: ", "), values, doing: action)
            start += perBatch
        }
    }

    static func bindings(_ values: [HistoryValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): bindings.append(text)
            case .real(let real): bindings.append(real)
            case .integer(let integer): bindings.append(integer)
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }

    /// Reads a row by column name; a missing column or a value of another type reads as nil
    /// (RowCoding then names the column in its error).
    static func values(_ row: PostgresRow) -> RowValues {
        let access = row.makeRandomAccess()
        return RowValues(
            text: { access.contains($0) ? (try? access[$0].decode(String?.self)) ?? nil : nil },
            real: { access.contains($0) ? (try? access[$0].decode(Double?.self)) ?? nil : nil },
            integer: { access.contains($0) ? (try? access[$0].decode(Int64?.self)) ?? nil : nil })
    }
}
