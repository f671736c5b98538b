import AWSClient
import Foundation
import Remediation

/// One change of a journal and how it is (or cannot be) reversed.
public struct UndoAction: Codable, Sendable {
    /// Where an undo stands.
    public enum State: String, Codable, Sendable {
        /// Will run with `--apply`.
        case planned
        case done
        /// Nothing to do: already reversed.
        case skipped
        /// Refused (it would break something); `--force` overrides where it says so.
        case refused
        /// Cannot be reversed (a deleted key, a terminated instance).
        case impossible
        case failed
    }
    public var step: String
    public var state: State
    public var detail: String
}

/// `mamori respond undo JOURNAL`: reverses the changes a `respond leaked-key` journal recorded, newest
/// first, from the live state (a change already reversed is skipped). Its own calls are journaled
/// through Remediation in a new journal next to the one undone.
public enum JournalUndo {
    /// Two policy documents are the same policy (IAM may re-format the JSON it stores).
    static func sameDocument(_ a: String, _ b: String) -> Bool {
        func parsed(_ text: String) -> NSObject? { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSObject }
        if let x = parsed(a), let y = parsed(b) { return x.isEqual(y) }
        return a == b
    }

    public static func run(journal path: String, apply: Bool, force: Bool, client: AWSClient, region: String) async throws -> (actions: [UndoAction], journal: String?) {
        let entries = try Journal.read(path)
        let done = entries.filter { $0.phase == "after" }.reversed()
        if done.isEmpty { return ([UndoAction(step: "-", state: .skipped, detail: "\(path) records no completed change")], nil) }
        var actions: [UndoAction] = []
        var calls: [(index: Int, user: String, key: String, reactivate: Bool)] = []
        // Inline policies to delete (previous nil) or put back as they were.
        var policyCalls: [(index: Int, principal: InlinePolicyChange.Principal, name: String, previous: String?)] = []
        // Keys this undo re-activates before it reaches an older create-key line (newest first).
        var reactivated = Set<String>()
        for entry in done {
            let user = entry.parameters["UserName"] ?? ""
            switch entry.step {
            case RotationStep.Kind.createKey.rawValue:
                guard let created = entry.result else { continue }
                let keys = try await KeyOwnerLookup.listKeys(user, client: client, region: region)
                if !keys.contains(where: { $0.accessKeyId == created }) {
                    actions.append(UndoAction(step: entry.step, state: .skipped, detail: "replacement \(created) of \(user) no longer exists"))
                } else if !keys.contains(where: { $0.accessKeyId != created && ($0.status == "Active" || reactivated.contains($0.accessKeyId)) }) && !force {
                    actions.append(UndoAction(step: entry.step, state: .refused,
                                              detail: "deleting the replacement \(created) would leave \(user) without an active key: "
                                                  + "re-activate the old key first (undo the --deactivate journal), or pass --force"))
                } else {
                    calls.append((actions.count, user, created, false))
                    actions.append(UndoAction(step: entry.step, state: .planned, detail: "delete the replacement \(created) of \(user)"))
                }
            case ContainmentStep.Kind.revokeSessions.rawValue, ContainmentStep.Kind.denyAll.rawValue:
                let principal: InlinePolicyChange.Principal
                if let user = entry.parameters["UserName"] { principal = .user(user) }
                else if let role = entry.parameters["RoleName"] { principal = .role(role) }
                else { continue }
                let name = entry.parameters["PolicyName"] ?? ""
                let previous = entry.parameters["Previous"].flatMap { $0.isEmpty ? nil : $0 }
                let current = try await InlinePolicyChange.current(principal, policyName: name, client: client, region: region)
                let what = entry.step == ContainmentStep.Kind.revokeSessions.rawValue
                    ? "sessions of \(principal.name) issued before \(entry.parameters["RevokedBefore"] ?? "the revocation") work again (the exposed one too, until it expires)"
                    : "\(principal.name) is no longer denied everything"
                if current == nil && previous == nil {
                    actions.append(UndoAction(step: entry.step, state: .skipped, detail: "\(name) is no longer on \(principal.name)"))
                } else if let current, !sameDocument(current, entry.parameters["PolicyDocument"] ?? "") && !force {
                    actions.append(UndoAction(step: entry.step, state: .refused,
                                              detail: "\(name) on \(principal.name) was changed after this journal: left as it is (--force restores the journal's previous state)"))
                } else {
                    policyCalls.append((actions.count, principal, name, previous))
                    actions.append(UndoAction(step: entry.step, state: .planned,
                                              detail: (previous == nil ? "delete the inline policy \(name) of \(principal.name)" : "put back the earlier \(name) of \(principal.name)")
                                                  + ": \(what)"))
                }
            case ContainmentStep.Kind.deactivateKey.rawValue:
                let key = entry.parameters["AccessKeyId"] ?? ""
                let keys = try await KeyOwnerLookup.listKeys(user, client: client, region: region)
                switch keys.first(where: { $0.accessKeyId == key })?.status {
                case nil: actions.append(UndoAction(step: entry.step, state: .impossible, detail: "\(key) of \(user) was deleted: it cannot be re-activated"))
                case "Active": actions.append(UndoAction(step: entry.step, state: .skipped, detail: "\(key) of \(user) is already active"))
                default:
                    calls.append((actions.count, user, key, true))
                    actions.append(UndoAction(step: entry.step, state: .planned, detail: "re-activate \(key) of \(user) (deactivated by --contain)"))
                }
            case RotationStep.Kind.deactivateKey.rawValue:
                let key = entry.parameters["AccessKeyId"] ?? ""
                let keys = try await KeyOwnerLookup.listKeys(user, client: client, region: region)
                switch keys.first(where: { $0.accessKeyId == key })?.status {
                case nil: actions.append(UndoAction(step: entry.step, state: .impossible, detail: "\(key) of \(user) was deleted: it cannot be re-activated"))
                case "Active": actions.append(UndoAction(step: entry.step, state: .skipped, detail: "\(key) of \(user) is already active"))
                default:
                    calls.append((actions.count, user, key, true))
                    reactivated.insert(key)
                    actions.append(UndoAction(step: entry.step, state: .planned, detail: "re-activate \(key) of \(user)"))
                }
            case RotationStep.Kind.deleteKey.rawValue:
                actions.append(UndoAction(step: entry.step, state: .impossible,
                                          detail: "\(entry.parameters["AccessKeyId"] ?? "the key") was deleted: a deleted key cannot be restored "
                                              + "(create another: aws iam create-access-key --user-name \(user))"))
            case "remove-resource":
                actions.append(UndoAction(step: entry.step, state: .impossible,
                                          detail: "\(entry.result ?? "a resource") was removed (\(entry.call)): Mamori cannot restore it"))
            default:
                actions.append(UndoAction(step: entry.step, state: .skipped, detail: "\(entry.step) is not reversed (an undo is not undone: run the phase again)"))
            }
        }
        guard apply, !calls.isEmpty || !policyCalls.isEmpty else { return (actions, nil) }
        // The undo journal sits next to the one undone, under the same key's name, so later runs read it.
        let directory = (path as NSString).deletingLastPathComponent
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = base.hasPrefix("respond-AKIA") || base.hasPrefix("respond-ASIA") ? String(base.prefix("respond-".count + 20)) : "respond-undo"
        let journal = try Journal(directory: directory.isEmpty ? "." : directory, name: name)
        let change = AccessKeyChange(client: client, journal: journal, region: region)
        let policies = InlinePolicyChange(client: client, journal: journal, region: region)
        // Policies first: a deny-all is lifted before the keys it covered come back.
        for call in policyCalls {
            do {
                if let previous = call.previous {
                    let current = try await InlinePolicyChange.current(call.principal, policyName: call.name, client: client, region: region)
                    try await policies.put(call.principal, policyName: call.name, document: previous, previous: current, step: "undo-policy")
                } else {
                    try await policies.delete(call.principal, policyName: call.name, step: "undo-policy")
                }
                actions[call.index].state = .done
            } catch let error as JournalError {
                throw error
            } catch {
                actions[call.index].state = .failed
                actions[call.index].detail += ": failed: \(error)"
            }
        }
        for call in calls {
            do {
                if call.reactivate { try await change.setStatus(user: call.user, key: call.key, active: true, step: "undo-deactivate-key") }
                else { try await change.delete(user: call.user, key: call.key, step: "undo-create-key") }
                actions[call.index].state = .done
            } catch let error as JournalError {
                throw error
            } catch {
                actions[call.index].state = .failed
                actions[call.index].detail += ": failed: \(error)"
            }
        }
        return (actions, journal.path)
    }
}
