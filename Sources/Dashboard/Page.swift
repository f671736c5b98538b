import Foundation
import History
import MamoriCore

/// A rendered page's ingredients: which template, the values it shows, and the status.
struct Page {
    var title: String
    var template: String
    /// The view values: structs of stored properties (Mustache reads them by reflection).
    var view: Any
    var status: Int = 200
}

/// The request→page logic: one method per page, each in its own file (`ScanListPage.swift`, …).
/// Reads go through the history store; a scan's findings through the shared cache.
struct DashboardPages: Sendable {
    let store: any HistoryStore
    let cache: FindingsCache
    let configuration: DashboardConfiguration

    /// The scan, or a 404 that says how to find the right id.
    func scan(_ id: Int64) async throws(PageError) -> ScanRecord {
        guard let scan = try await read({ () async throws(HistoryError) in try await store.scan(id) }) else {
            throw .notFound("There is no scan #\(id) in this history store. The scan list shows the ids that exist.")
        }
        return scan
    }

    /// A store read with its failure turned into a 500 page that repeats the store's own message.
    func read<T>(_ body: () async throws(HistoryError) -> T) async throws(PageError) -> T {
        do { return try await body() } catch { throw PageError(.internalError, error.description) }
    }
}

/// `<option>` of a select.
struct OptionView {
    var value: String
    var label: String
    var selected: Bool
}

/// Counts per severity, most severe first, for table cells.
struct SeverityCountsView {
    var critical: Int
    var high: Int
    var medium: Int
    var low: Int
    var info: Int
    var total: Int

    init(_ counts: [Severity: Int]) {
        critical = counts[.critical] ?? 0
        high = counts[.high] ?? 0
        medium = counts[.medium] ?? 0
        low = counts[.low] ?? 0
        info = counts[.info] ?? 0
        total = critical + high + medium + low + info
    }
}
