import Foundation
import History
import MamoriCore
import Testing
@testable import ScanEngine

/// A fresh SQLite history store in a temporary folder.
func withStore(_ body: (any HistoryStore) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scanengine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try SQLiteHistoryStore(path: folder.appendingPathComponent("history.sqlite").path)
    do { try await body(store) } catch { await store.close(); throw error }
    await store.close()
}

/// Which stored scan a rerun continues (`--resume`, `--run`), and the previous scan of a target.
@Suite("Resume identity and the previous scan")
struct HistoryWorkflowTests {
    static let started = Date(timeIntervalSince1970: 1_760_000_000)
    static let target = OrgScan.target(management: "111111111111")

    func open(_ store: any HistoryStore, _ options: OrgScanOptions, parameters: String) async throws -> ScanRecord? {
        try await OrgScan.openScan(store, options: options, target: Self.target, parameters: parameters, started: Self.started, toolVersion: "test")
    }

    @Test func targetAndParameters() {
        #expect(Self.target == "org:111111111111")
        let parameters = OrgScan.parameters(OrgScanOptions(), scope: .explicit(["us-east-1", "eu-west-1"]), config: MamoriConfig())
        #expect(parameters == "role=OrganizationAccountAccessRole;accounts=;exclude=;ou=;shard=;regions=eu-west-1,us-east-1")
    }

    @Test func resumeContinuesTheUnfinishedScanWithTheSameParameters() async throws {
        try await withStore { store in
            let first = try #require(try await open(store, OrgScanOptions(), parameters: "p1"))
            try await store.finishScan(first.id, state: .interrupted, finishedAt: Self.started, metrics: nil)
            let other = try #require(try await open(store, OrgScanOptions(), parameters: "p2"))
            try await store.finishScan(other.id, state: .interrupted, finishedAt: Self.started, metrics: nil)
            // Without --resume, always a new scan.
            let fresh = try #require(try await open(store, OrgScanOptions(), parameters: "p1"))
            #expect(fresh.id != first.id)
            try await store.finishScan(fresh.id, state: .complete, finishedAt: Self.started, metrics: nil)
            // With it, the newest unfinished scan of the same target and parameters.
            #expect(try await open(store, OrgScanOptions(resume: true), parameters: "p1")?.id == first.id)
            #expect(try await open(store, OrgScanOptions(resume: true), parameters: "p2")?.id == other.id)
        }
    }

    @Test func resumeWithNothingToResumeStartsANewScanAndSaysSo() async throws {
        try await withStore { store in
            let events = EventLog()
            let scan = try await OrgScan.openScan(store, options: OrgScanOptions(resume: true), target: Self.target, parameters: "p1",
                                                  started: Self.started, toolVersion: "test", events: { events.append($0) })
            #expect(scan != nil)
            #expect(events.all == [.nothingToResume(target: Self.target)])
        }
    }

    @Test func runWithOtherParametersIsRefused() async throws {
        try await withStore { store in
            let options = OrgScanOptions(resume: true, shard: Shard(index: 0, count: 2), run: "nightly")
            let first = try #require(try await open(store, options, parameters: "p1"))
            #expect(try await open(store, options, parameters: "p1")?.id == first.id)
            await #expect(throws: ScanEngineError.resumeParametersDiffer(scan: first.id, run: "nightly", stored: "p1")) {
                _ = try await open(store, options, parameters: "p2")
            }
        }
    }

    /// Done and skipped accounts are not scanned again; pending and failed ones are.
    @Test func resumedScanSkipsFinishedAccounts() async throws {
        try await withStore { store in
            let scan = try #require(try await open(store, OrgScanOptions(), parameters: "p1"))
            for (id, state) in [("111111111111", AccountState.done), ("222222222222", .skipped), ("333333333333", .pending), ("444444444444", .failed)] {
                try await store.record(AccountResult(account: AccountRecord(accountId: id, state: state, finishedAt: Self.started), findings: [], errors: []),
                                       scan: scan.id)
            }
            #expect(try await OrgScan.finishedAccounts(store, scan: scan.id) == ["111111111111", "222222222222"])
        }
    }

    static func record(_ id: Int64, _ target: String, _ state: ScanState, kind: ScanKind = .account) -> ScanRecord {
        ScanRecord(id: id, kind: kind, target: target, startedAt: started, state: state, toolVersion: "test")
    }

    @Test func previousScanIsTheNewestFinishedEarlierScanOfTheSameTarget() {
        let scans = [
            Self.record(1, "111111111111", .complete),
            Self.record(2, "111111111111", .partial),
            Self.record(3, "222222222222", .complete),
            Self.record(4, "111111111111", .running),
            Self.record(5, "111111111111", .complete, kind: .org),
            Self.record(6, "111111111111", .interrupted),
            Self.record(7, "111111111111", .complete),
        ]
        #expect(ScanHistory.previous(of: scans[6], in: scans)?.id == 6)
        #expect(ScanHistory.previous(of: scans[6], in: scans.reversed())?.id == 6)
        #expect(ScanHistory.previous(of: scans[5], in: scans)?.id == 2)  // 4 is running, 5 another kind
        #expect(ScanHistory.previous(of: scans[2], in: scans) == nil)
        #expect(ScanHistory.previous(of: scans[0], in: scans) == nil)
        // The scan list's one-pass map agrees with the rule for every scan.
        let map = ScanHistory.previousIds(in: scans.reversed())
        for scan in scans { #expect(map[scan.id] == ScanHistory.previous(of: scan, in: scans)?.id) }
    }

    @Test func failOnExitCodes() {
        #expect(FailOn.any.exitCode(reportCode: 1) == 1)
        #expect(FailOn.none.exitCode(reportCode: 1) == 0)
        #expect(FailOn.none.exitCode(reportCode: 3) == 3)
        let current = Self.record(2, "111111111111", .complete)
        let first = NewFindingsCheck(current: current, previous: nil, diff: nil)
        #expect(first.exitCode(reportCode: 1) == 1)  // no earlier scan: every finding is new
        let none = NewFindingsCheck(current: current, previous: Self.record(1, "111111111111", .complete),
                                    diff: ScanDiff.compare(old: [], new: []))
        #expect(none.exitCode(reportCode: 1) == 0)
        #expect(none.exitCode(reportCode: 3) == 3)
        #expect(none.exitCode(reportCode: 2) == 2)
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [OrgScanEvent] = []
    func append(_ event: OrgScanEvent) { lock.withLock { events.append(event) } }
    var all: [OrgScanEvent] { lock.withLock { events } }
}
