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
        /// Belongs to a later phase (`--deactivate`, `--finish`); `detail` says when and how.
        case later
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
        // Undo journals sort after phase journals by name: order every line by its time.
        entries.sort { $0.time < $1.time }
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

/// The response's phases, in the seed's order: the replacement first, the old key turned off only
/// after the workloads moved, and deleted only once nothing broke.
public enum ResponsePhase: String, Codable, Sendable {
    /// Dry run: show the plan.
    case plan
    /// `--apply`: create the replacement and hand over its secret. The old key stays active.
    case apply
    /// `--deactivate`: turn the old key off, after the workloads moved to the replacement.
    case deactivate
    /// `--finish`: delete the deactivated key.
    case finish
}

/// When `--deactivate` refuses: the old key was used too recently, or there is nothing to move to.
public struct DeactivationGuard: Sendable {
    /// The old key must not have been used for this many minutes (`--quiet-minutes`).
    public var quietMinutes: Int
    /// `--force`: deactivate anyway.
    public var force: Bool
    public var now: Date

    public init(quietMinutes: Int = 15, force: Bool = false, now: Date = Date()) {
        self.quietMinutes = quietMinutes
        self.force = force
        self.now = now
    }
}

/// Decides the rotation from the live state of the user's keys and the journal of earlier runs,
/// so re-running is idempotent: a step already done is never repeated. Only the steps of `phase`
/// are ever `planned`; the others are `later`, `done`, `skipped` or `blocked`.
public enum RotationPlanner {
    /// IAM allows two access keys per user.
    static let keyLimit = 2

    public static func plan(identity: KeyIdentity, history: JournalHistory, phase: ResponsePhase,
                            guard deactivation: DeactivationGuard = DeactivationGuard()) -> [RotationStep] {
        let exposed = identity.keyId
        guard let user = identity.userName else { return [] }
        guard let key = identity.key else {
            return [RotationStep(kind: .deleteKey, state: .done, detail: "\(exposed) no longer exists for \(user)", keyId: exposed)]
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
        } else if phase == .apply || phase == .plan {
            steps.append(RotationStep(kind: .createKey, state: .planned, detail: "create a new access key for \(user)", keyId: nil))
        } else {
            steps.append(RotationStep(kind: .createKey, state: .later,
                                      detail: "no replacement yet: create it with `mamori respond leaked-key \(exposed) --apply`", keyId: nil))
        }
        let replacement = steps[0].state == .done || steps[0].state == .skipped ? steps[0].keyId : nil
        steps.append(deactivateStep(key: key, user: user, identity: identity, replacement: replacement, phase: phase, guard: deactivation))
        switch (phase, key.status) {
        case (.finish, "Active"):
            steps.append(RotationStep(kind: .deleteKey, state: .blocked,
                                      detail: "\(exposed) is still active: move the workloads, run --deactivate, check that nothing broke, then --finish",
                                      keyId: exposed))
        case (.finish, _):
            steps.append(RotationStep(kind: .deleteKey, state: .planned, detail: "delete the deactivated key \(exposed) of \(user)", keyId: exposed))
        default:
            steps.append(RotationStep(kind: .deleteKey, state: .later,
                                      detail: "once nothing broke without it: `mamori respond leaked-key \(exposed) --finish` deletes \(exposed)", keyId: exposed))
        }
        return steps
    }

    static func deactivateStep(key: AccessKeyInfo, user: String, identity: KeyIdentity, replacement: String?,
                               phase: ResponsePhase, guard g: DeactivationGuard) -> RotationStep {
        let exposed = key.accessKeyId
        if key.status != "Active" {
            return RotationStep(kind: .deactivateKey, state: .done, detail: "\(exposed) is inactive", keyId: exposed)
        }
        guard phase == .deactivate else {
            return RotationStep(kind: .deactivateKey, state: .later,
                                detail: "after every workload uses \(replacement ?? "the replacement"): `mamori respond leaked-key \(exposed) --deactivate`",
                                keyId: exposed)
        }
        let lastUse = identity.lastUse?.date
        let used = lastUse.map { "last used \(AWSDate.format($0)) (\(identity.lastUse?.service ?? "?") in \(identity.lastUse?.region ?? "?"))" }
            ?? "never used (as far as IAM recorded)"
        var refusals: [String] = []
        if let lastUse, g.now.timeIntervalSince(lastUse) < Double(g.quietMinutes) * 60 {
            let minutes = max(0, Int(g.now.timeIntervalSince(lastUse) / 60))
            refusals.append("\(exposed) was used \(minutes) minute(s) ago (\(identity.lastUse?.service ?? "?") in \(identity.lastUse?.region ?? "?")), "
                + "within the last \(g.quietMinutes): a workload may still use it. Move it to \(replacement ?? "the replacement") and try again later")
        }
        if replacement == nil {
            refusals.append("\(user) has no other active key: deactivating \(exposed) leaves its workloads without a key. "
                + "Create the replacement first with `mamori respond leaked-key \(exposed) --apply`")
        }
        if refusals.isEmpty || g.force {
            return RotationStep(kind: .deactivateKey, state: .planned,
                                detail: "deactivate (not delete) \(exposed); \(used)" + (refusals.isEmpty ? "" : "; --force: " + refusals.joined(separator: "; ")),
                                keyId: exposed)
        }
        return RotationStep(kind: .deactivateKey, state: .blocked,
                            detail: refusals.joined(separator: "; ") + " (or pass --force to deactivate anyway)", keyId: exposed)
    }
}
