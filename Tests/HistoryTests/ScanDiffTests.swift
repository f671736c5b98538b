import History
import MamoriCore
import Testing

/// ScanDiff on hand-made findings: what is new, fixed and still open, and which changes of name or
/// place still count as the same finding.
@Suite("ScanDiff")
struct ScanDiffTests {
    static let alice = "arn:aws:iam::111122223333:user/alice"

    func stored(_ finding: Finding, muted: String? = nil) -> StoredFinding { StoredFinding(finding: finding, mutedReason: muted) }

    @Test func newFixedAndOpen() {
        let a = Sample.finding("a-check", severity: .medium)
        let b = Sample.finding("b-check", severity: .critical)
        let c = Sample.finding("c-check", severity: .low)
        let d = Sample.finding("d-check", severity: .high)
        let e = Sample.finding("e-check", severity: .high)
        var cPassing = c
        cPassing.status = .pass
        let old = [stored(a), stored(b), stored(cPassing), stored(d, muted: "accepted risk")]
        let new = [stored(b), stored(c), stored(e)]
        let diff = ScanDiff.compare(old: old, new: new)
        // c passed before and fails now: new. e is new. Sorted most severe first: e (high), c (low).
        #expect(diff.new.map(\.finding.check) == ["e-check", "c-check"])
        // a failed before and is gone: fixed. d was muted, so its disappearance is not a fix.
        #expect(diff.fixed.map(\.finding.check) == ["a-check"])
        #expect(diff.open.map(\.finding.finding.check) == ["b-check"])
        #expect(diff.open.first?.previousResource == nil)
        #expect(diff.moved.isEmpty)
    }

    @Test func mutedLaterIsNotNewAndNotOpen() {
        let a = Sample.finding("a-check")
        let diff = ScanDiff.compare(old: [stored(a)], new: [stored(a, muted: "ticket SEC-7")])
        // Muting takes it out of the failing set: it is reported as fixed (no longer an open failure).
        #expect(diff.new.isEmpty)
        #expect(diff.open.isEmpty)
        #expect(diff.fixed.map(\.finding.check) == ["a-check"])
    }

    @Test func renamedUserWithSameUniqueIdIsStillOpen() {
        let before = Sample.finding(resource: Self.alice, uid: "AIDAEXAMPLEUSER1")
        let after = Sample.finding(resource: "arn:aws:iam::111122223333:user/alice.smith", uid: "AIDAEXAMPLEUSER1")
        let diff = ScanDiff.compare(old: [stored(before)], new: [stored(after)])
        #expect(diff.new.isEmpty)
        #expect(diff.fixed.isEmpty)
        #expect(diff.open.count == 1)
        #expect(diff.open.first?.finding.finding.resource == "arn:aws:iam::111122223333:user/alice.smith")
        #expect(diff.open.first?.previousResource == Self.alice)
        #expect(diff.moved.count == 1)
    }

    @Test func differentUniqueIdSameNameIsANewUser() {
        // alice deleted and re-created: same name, new unique id, so a new finding and a fixed one.
        let before = Sample.finding(resource: Self.alice, uid: "AIDAEXAMPLEUSER1")
        let after = Sample.finding(resource: Self.alice, uid: "AIDAEXAMPLEUSER2")
        let diff = ScanDiff.compare(old: [stored(before)], new: [stored(after)])
        #expect(diff.new.map(\.resourceUid) == ["AIDAEXAMPLEUSER2"])
        #expect(diff.fixed.map(\.resourceUid) == ["AIDAEXAMPLEUSER1"])
        #expect(diff.open.isEmpty)
    }

    @Test func iamPathMoveIsStillOpen() {
        let before = Sample.finding(resource: "arn:aws:iam::111122223333:user/dev/alice")
        let after = Sample.finding(resource: "arn:aws:iam::111122223333:user/ops/alice")
        #expect(before.fingerprint == after.fingerprint)
        let diff = ScanDiff.compare(old: [stored(before)], new: [stored(after)])
        #expect(diff.new.isEmpty && diff.fixed.isEmpty)
        #expect(diff.open.first?.previousResource == "arn:aws:iam::111122223333:user/dev/alice")
        #expect(diff.moved.map(\.finding.finding.resource) == ["arn:aws:iam::111122223333:user/ops/alice"])
    }

    @Test func samePathOtherUserIsNotAMove() {
        let before = Sample.finding(resource: "arn:aws:iam::111122223333:user/dev/alice")
        let after = Sample.finding(resource: "arn:aws:iam::111122223333:user/dev/bob")
        let diff = ScanDiff.compare(old: [stored(before)], new: [stored(after)])
        #expect(diff.new.map(\.finding.resource) == ["arn:aws:iam::111122223333:user/dev/bob"])
        #expect(diff.fixed.map(\.finding.resource) == ["arn:aws:iam::111122223333:user/dev/alice"])
        #expect(diff.open.isEmpty)
    }

    @Test func unreadableAccountIsNotFixed() {
        let readable = Sample.finding("a-check")
        let lost = Sample.finding("b-check", account: Sample.other, resource: "arn:aws:iam::444455556666:user/carol")
        let old = [stored(readable), stored(lost)]
        let new = [stored(readable)]
        // Without knowing the account was unreadable, the missing finding looks fixed ...
        #expect(ScanDiff.compare(old: old, new: new).fixed.map(\.finding.account) == [Sample.other])
        // ... with it, nothing is fixed.
        let diff = ScanDiff.compare(old: old, new: new, unreadableAccounts: [Sample.other])
        #expect(diff.fixed.isEmpty)
        #expect(diff.new.isEmpty)
        #expect(diff.open.map(\.finding.finding.check) == ["a-check"])
    }

    /// An account unreadable in either scan is left out: one that failed only in the earlier scan
    /// does not make its findings "new" (what `mamori diff` did when it looked at the later scan only).
    @Test func accountUnreadableInEitherScanIsLeftOut() async throws {
        let database = TestDatabase(.sqlite)
        let store = try await database.open()
        let readable = Sample.finding("a-check")
        let back = Sample.finding("b-check", account: Sample.other, resource: "arn:aws:iam::444455556666:user/carol")
        let earlier = try await store.beginScan(Sample.newScan(kind: .org, target: "org:1"))
        try await store.record(AccountResult(account: Sample.accountRecord(state: .done), findings: [stored(readable)], errors: []), scan: earlier.id)
        try await store.record(AccountResult(account: Sample.accountRecord(Sample.other, state: .failed), findings: [], errors: []), scan: earlier.id)
        let later = try await store.beginScan(Sample.newScan(kind: .org, target: "org:1", startedAt: Sample.start.addingTimeInterval(60)))
        try await store.record(AccountResult(account: Sample.accountRecord(state: .done), findings: [stored(readable)], errors: []), scan: later.id)
        try await store.record(AccountResult(account: Sample.accountRecord(Sample.other, state: .done), findings: [stored(back)], errors: []), scan: later.id)
        let diff = try await ScanDiff.compare(store, from: earlier.id, to: later.id)
        #expect(diff.new.isEmpty)
        #expect(diff.fixed.isEmpty)
        #expect(diff.open.map(\.finding.finding.check) == ["a-check"])
        #expect(diff.uncomparableAccounts == [Sample.other])
        #expect(ScanDiff.uncomparableAccounts(earlier: [Sample.accountRecord(state: .failed)], later: [Sample.accountRecord(Sample.other, state: .failed)])
                == [Sample.account, Sample.other])
        await store.close()
    }

    @Test func orderIsSeverityThenCheckAccountRegionResource() {
        let findings = [
            Sample.finding("z-check", severity: .low),
            Sample.finding("b-check", severity: .critical, resource: "arn:aws:iam::111122223333:user/zed"),
            Sample.finding("b-check", severity: .critical, resource: "arn:aws:iam::111122223333:user/amy"),
            Sample.finding("a-check", severity: .medium),
        ]
        let diff = ScanDiff.compare(old: [], new: findings.map { stored($0) })
        #expect(diff.new.map { "\($0.finding.check) \($0.finding.resource.split(separator: "/").last ?? "")" }
                == ["b-check amy", "b-check zed", "a-check alice", "z-check alice"])
    }
}
