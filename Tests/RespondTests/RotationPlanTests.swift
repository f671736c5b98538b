import Foundation
import Remediation
import Testing
@testable import Respond

@Suite struct RotationPlanTests {
    let created = Date(timeIntervalSince1970: 1_760_000_000)

    func identity(_ keys: [(String, String)]) -> KeyIdentity {
        let infos = keys.map { AccessKeyInfo(accessKeyId: $0.0, status: $0.1, createDate: created) }
        return KeyIdentity(keyId: leaked, decodedAccount: nil, callerAccount: nil, accountConfirmed: false, userName: "deployer",
                           key: infos.first { $0.accessKeyId == leaked }, userKeys: infos, lastUse: nil, ageDays: nil)
    }

    let empty = JournalHistory(files: [], entries: [])

    @Test func applyCreatesTheReplacementAndLeavesTheOldKeyActive() {
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active")]), history: empty, phase: .apply)
        #expect(steps.map(\.kind) == [.createKey, .deactivateKey, .deleteKey])
        // The seed's order: the old key is turned off only after the workloads moved, in its own phase.
        #expect(steps.map(\.state) == [.planned, .later, .later])
        #expect(steps[1].keyId == leaked)
        #expect(steps[1].detail.contains("--deactivate"))
    }

    @Test func fullSlotsNameTheInactiveKeyToDeleteFirst() {
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active"), ("AKIAOLDINACTIVE00001", "Inactive")]), history: empty, phase: .apply)
        #expect(steps[0].state == .blocked)
        #expect(steps[0].keyId == "AKIAOLDINACTIVE00001")
        #expect(steps[0].detail.contains("aws iam delete-access-key --user-name deployer --access-key-id AKIAOLDINACTIVE00001"))
        #expect(steps[1].state == .later)
    }

    @Test func anotherActiveKeyIsNotDuplicated() {
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active"), ("AKIAOTHERACTIVE00001", "Active")]), history: empty, phase: .apply)
        #expect(steps[0].state == .skipped)
        #expect(steps[0].keyId == "AKIAOTHERACTIVE00001")
    }

    @Test func journalledReplacementIsNotCreatedAgain() throws {
        let after = Journal.Entry(time: created, phase: "after", step: "create-key", region: "us-east-1", call: "iam:CreateAccessKey",
                                  parameters: ["UserName": "deployer"], result: "AKIANEWREPLACEMENT01", undo: nil)
        let history = JournalHistory(files: ["j"], entries: [after])
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active"), ("AKIANEWREPLACEMENT01", "Active")]), history: history, phase: .apply)
        #expect(steps.map(\.state) == [.done, .later, .later])
        #expect(steps[0].keyId == "AKIANEWREPLACEMENT01")
        // Everything of the first two phases done: re-running changes nothing.
        let again = RotationPlanner.plan(identity: identity([(leaked, "Inactive"), ("AKIANEWREPLACEMENT01", "Active")]), history: history, phase: .deactivate)
        #expect(again.map(\.state) == [.done, .done, .later])
    }

    @Test func interruptedCreateIsFlaggedNotRepeated() throws {
        let before = Journal.Entry(time: created.addingTimeInterval(-1), phase: "before", step: "create-key", region: "us-east-1",
                                   call: "iam:CreateAccessKey", parameters: ["UserName": "deployer"], result: nil, undo: nil)
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active"), ("AKIAORPHAN0000000001", "Active")]),
                                         history: JournalHistory(files: ["j"], entries: [before]), phase: .apply)
        #expect(steps[0].state == .blocked)
        #expect(steps[0].keyId == "AKIAORPHAN0000000001")
    }

    /// `--deactivate` shows the last use and refuses while the key was used within the quiet period, unless `--force`.
    @Test func deactivateRefusesWhileTheKeyIsInUse() {
        var id = identity([(leaked, "Active"), ("AKIANEWREPLACEMENT01", "Active")])
        let now = created.addingTimeInterval(86_400)
        id.lastUse = LastUse(date: now.addingTimeInterval(-5 * 60), region: "eu-west-1", service: "s3")
        let refused = RotationPlanner.plan(identity: id, history: empty, phase: .deactivate, guard: DeactivationGuard(quietMinutes: 15, now: now))
        #expect(refused[1].state == .blocked)
        #expect(refused[1].detail.contains("was used 5 minute(s) ago (s3 in eu-west-1), within the last 15"))
        #expect(refused[1].detail.contains("--force"))
        let quiet = RotationPlanner.plan(identity: id, history: empty, phase: .deactivate, guard: DeactivationGuard(quietMinutes: 4, now: now))
        #expect(quiet[1].state == .planned)
        #expect(quiet[1].detail.contains("last used"))
        let forced = RotationPlanner.plan(identity: id, history: empty, phase: .deactivate, guard: DeactivationGuard(quietMinutes: 15, force: true, now: now))
        #expect(forced[1].state == .planned)
    }

    /// Without a replacement, deactivating would leave the workloads with no key: refused unless `--force`.
    @Test func deactivateNeedsAReplacement() {
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Active")]), history: empty, phase: .deactivate)
        #expect(steps.map(\.state) == [.later, .blocked, .later])
        #expect(steps[1].detail.contains("has no other active key"))
        let forced = RotationPlanner.plan(identity: identity([(leaked, "Active")]), history: empty, phase: .deactivate, guard: DeactivationGuard(force: true))
        #expect(forced[1].state == .planned)
    }

    @Test func finishNeedsAnInactiveKey() {
        #expect(RotationPlanner.plan(identity: identity([(leaked, "Active")]), history: empty, phase: .finish).last?.state == .blocked)
        let steps = RotationPlanner.plan(identity: identity([(leaked, "Inactive")]), history: empty, phase: .finish)
        #expect(steps.map(\.kind) == [.createKey, .deactivateKey, .deleteKey])
        #expect(steps.map(\.state) == [.later, .done, .planned])
    }

    @Test func keyIdsAreValidatedBeforeAnyCall() {
        // A temporary key is a valid input now (its role's sessions are revoked); its shape is checked the same way.
        #expect(throws: Never.self) { try KeyOwnerLookup.validate("ASIAIOSFODNN7EXAMPLE") }
        #expect(throws: RespondInputError.self) { try KeyOwnerLookup.validate("ASIAIOSFODNN7EXAMPL1") }
        #expect(throws: RespondInputError.self) { try KeyOwnerLookup.validate("AKIA123") }
        #expect(throws: RespondInputError.self) { try KeyOwnerLookup.validate("AKIAIOSFODNN7EXAMPL1") }
        #expect(throws: Never.self) { try KeyOwnerLookup.validate(leaked) }
    }

    @Test func quarantineDeniesAreReadFromTheDocument() {
        let document = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%5B%22iam%3ACreateAccessKey%22%2C%22ec2%3ARunInstances%22%5D%2C%22Resource%22%3A%22*%22%7D%2C%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%7D%5D%7D"
        #expect(QuarantineCheck.deniedActions(in: document) == ["iam:CreateAccessKey", "ec2:RunInstances"])
    }

    @Test func findingsGiveUniqueLongTermKeys() throws {
        let json = #"[{"keyId":"AKIAIOSFODNN7EXAMPLE","file":"a"},{"keyId":"AKIAIOSFODNN7EXAMPLE","file":"b"},{"keyId":"ASIAIOSFODNN7EXAMPLE"},{"type":"aws-secret-access-key"}]"#
        let found = try FindingsInput.keyIds(from: Data(json.utf8), origin: "f.json")
        #expect(found.keys == ["AKIAIOSFODNN7EXAMPLE"])
        #expect(found.skipped == ["ASIAIOSFODNN7EXAMPLE"])
        #expect(throws: RespondInputError.self) { try FindingsInput.keyIds(from: Data(#"{"keyId":"x"}"#.utf8), origin: "f.json") }
    }
}
