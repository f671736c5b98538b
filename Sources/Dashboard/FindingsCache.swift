import Foundation
import History

/// Recently viewed scans' findings, so the table, its pages and the detail pages of one scan load
/// the findings once. Bounded by the number of findings held (not scans), least recently used
/// first out; a running scan is never cached because it is still growing. Concurrent requests
/// for the same scan share one load.
actor FindingsCache {
    private struct Entry {
        var signature: String
        var load: Task<Result<ScanFindings, HistoryError>, Never>
        var size: Int
        var lastUse: UInt64
    }

    private let store: any HistoryStore
    private let capacity: Int
    private var entries: [Int64: Entry] = [:]
    private var clock: UInt64 = 0

    /// - Parameter capacity: findings kept across all cached scans (at least one scan is always kept).
    init(store: any HistoryStore, capacity: Int = 200_000) {
        self.store = store
        self.capacity = capacity
    }

    func findings(of scan: ScanRecord) async throws(PageError) -> ScanFindings {
        clock += 1
        let signature = Self.signature(scan)
        if scan.state == .running {
            return try Self.unwrap(await Self.load(store, scan))
        }
        if let entry = entries[scan.id], entry.signature == signature {
            entries[scan.id]?.lastUse = clock
            return try Self.unwrap(await entry.load.value)
        }
        let store = self.store
        let load = Task { await Self.load(store, scan) }
        entries[scan.id] = Entry(signature: signature, load: load, size: 0, lastUse: clock)
        let result = await load.value
        switch result {
        case .success(let findings):
            if entries[scan.id]?.signature == signature { entries[scan.id]?.size = findings.findings.count }
            evict(keeping: scan.id)
        case .failure:
            // A failed read is not remembered: the next request tries again.
            if entries[scan.id]?.signature == signature { entries[scan.id] = nil }
        }
        return try Self.unwrap(result)
    }

    private func evict(keeping id: Int64) {
        var total = entries.values.reduce(0) { $0 + $1.size }
        while total > capacity, let oldest = entries.filter({ $0.key != id }).min(by: { $0.value.lastUse < $1.value.lastUse }) {
            total -= oldest.value.size
            entries[oldest.key] = nil
        }
    }

    private static func load(_ store: any HistoryStore, _ scan: ScanRecord) async -> Result<ScanFindings, HistoryError> {
        do { return .success(ScanFindings(scan: scan, findings: try await store.findings(scan: scan.id))) }
        catch { return .failure(error) }
    }

    private static func unwrap(_ result: Result<ScanFindings, HistoryError>) throws(PageError) -> ScanFindings {
        switch result {
        case .success(let findings): return findings
        case .failure(let error): throw PageError(.internalError, error.description)
        }
    }

    /// What changes when a scan gains or replaces results: a different signature reloads.
    static func signature(_ scan: ScanRecord) -> String {
        let counts = scan.failing.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "\(scan.state.rawValue)|\(scan.accounts)|\(scan.muted)|\(scan.errors)|\(counts)|\(scan.finishedAt?.timeIntervalSince1970 ?? 0)"
    }
}
