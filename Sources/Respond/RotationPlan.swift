import Foundation
import Remediation

/// One change of the rotation, with what will happen or happened to it.
public struct RotationStep: Codable, Sendable, Equatable {
    /// What a step is for; the raw values are the journal's step names.
    public enum Kind: String, Codable, Sendable { case createKey = "create-key", deactivateKey = "deactivate-key", deleteKey = "delete-key" }
    /// Where a step stands.
    public enum State: String, Codable, Sendable {
        /// Will run with `--apply` (or `--finish`).
        case planned
        /// Done, in this run or an earlier one.
        case done
        /// Not needed.
        case skipped
        /// Needs a human first; `detail` says what.
        case blocked
        case failed
    }
    public var kind: Kind
    public var state: State
    public var detail: String
    /// The key the step acts on (the new key's ID once created).
    public var keyId: String?
}

/// What earlier runs recorded for this key, read from `.mamori/journal/respond-KEY-*.jsonl`.
public struct JournalHistory: Sendable {
    public var files: [String]
    public var entries: [Journal.Entry]

    /// Reads every journal of earlier runs for `keyId` under `directory`, oldest first.
    public static func load(directory: String, keyId: String) throws -> JournalHistory {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("respond-\(keyId)-") && $0.hasSuffix(".jsonl") }.sorted()
        var entries: [Journal.Entry] = []
        for name in names { entries += try Journal.read("\(directory)/\(name)") }
        return JournalHistory(files: names.map { "\(directory)/\($0)" }, entries: entries)
    }

    /// Replacement keys that a completed create-key step returned.
    public var createdKeys: [String] {
        entries.filter { $0.step == RotationStep.Kind.createKey.rawValue && $0.phase == "after" }.compactMap(\.result)
    }

    /// Steps whose "before" line has no "after" or "failed" line after it: the run stopped inside the call.
    public var interrupted: [Journal.Entry] {
        var open: [String: Journal.Entry] = [:]
        for entry in entries {
            let id = "\(entry.step) \(entry.parameters["AccessKeyId"] ?? "")"
            if entry.phase == "before" { open[id] = entry } else { open[id] = nil }
        }
        return open.values.sorted { $0.time < $1.time }
    }

    /// Step names with an "after" line, in order.
    public var completedSteps: [String] { entries.filter { $0.phase == "after" }.map(\.step) }
}

/// Decides the rotation from the live state of the user's keys and the journal of earlier runs,
/// so re-running is idempotent: a step already done is never repeated.
public enum RotationPlanner {
    /// IAM allows two access keys per user.
    static let keyLimit = 2

    public static func plan(identity: KeyIdentity, history: JournalHistory, finish: Bool) -> [RotationStep] {
        let exposed = identity.keyId
        guard let user = identity.userName else { return [] }
        guard let key = identity.key else {
            let state: RotationStep.State = .done
            return [RotationStep(kind: finish ? .deleteKey : .deactivateKey, state: state,
                                 detail: "\(exposed) no longer exists for \(user)", keyId: exposed)]
        }
        if finish {
            if key.status == "Active" {
                return [RotationStep(kind: .deleteKey, state: .blocked,
                                     detail: "\(exposed) is still active: run with --apply first, check that nothing broke, then --finish", keyId: exposed)]
            }
            return [RotationStep(kind: .deleteKey, state: .planned, detail: "delete the deactivated key \(exposed) of \(user)", keyId: exposed)]
        }
        var steps: [RotationStep] = []
        let others = identity.userKeys.filter { $0.accessKeyId != exposed }
        let ours = history.createdKeys.filter { id in others.contains { $0.accessKeyId == id } }
        let lost = history.interrupted.filter { $0.step == RotationStep.Kind.createKey.rawValue }
        if let replacement = ours.last {
            steps.append(RotationStep(kind: .createKey, state: .done,
                                      detail: "replacement key \(replacement) was created by an earlier run", keyId: replacement))
        } else if let stopped = lost.last, let orphan = others.first(where: { ($0.createDate ?? .distantPast) >= stopped.time.addingTimeInterval(-5) }) {
            steps.append(RotationStep(kind: .createKey, state: .blocked,
                                      detail: "an interrupted run created \(orphan.accessKeyId) but its secret was not saved: delete it "
                                          + "(aws iam delete-access-key --user-name \(user) --access-key-id \(orphan.accessKeyId)) and run again",
                                      keyId: orphan.accessKeyId))
        } else if let active = others.first(where: { $0.status == "Active" }) {
            steps.append(RotationStep(kind: .createKey, state: .skipped,
                                      detail: "\(user) already has another active key \(active.accessKeyId): make sure it was not exposed too, and use it as the replacement",
                                      keyId: active.accessKeyId))
        } else if identity.userKeys.count >= keyLimit, let inactive = others.first {
            steps.append(RotationStep(kind: .createKey, state: .blocked,
                                      detail: "\(user) has no free key slot: delete the inactive key \(inactive.accessKeyId) first "
                                          + "(aws iam delete-access-key --user-name \(user) --access-key-id \(inactive.accessKeyId))",
                                      keyId: inactive.accessKeyId))
        } else {
            steps.append(RotationStep(kind: .createKey, state: .planned, detail: "create a new access key for \(user)", keyId: nil))
        }
        if key.status == "Active" {
            steps.append(RotationStep(kind: .deactivateKey, state: .planned,
                                      detail: "deactivate (not delete) \(exposed); delete it later with --finish", keyId: exposed))
        } else {
            steps.append(RotationStep(kind: .deactivateKey, state: .done, detail: "\(exposed) is already inactive", keyId: exposed))
        }
        return steps
    }
}
