import AWSClient
import Foundation
import Remediation

/// One containment change: a reversible way to stop an identity before (or instead of) the rotation.
public struct ContainmentStep: Codable, Sendable, Equatable {
    /// What a step does; the raw values are the journal's step names.
    public enum Kind: String, Codable, Sendable {
        /// An inline deny on the role for sessions issued before a time (the console's "revoke active sessions").
        case revokeSessions = "revoke-sessions"
        /// An inline deny-all policy on the user or role (`--contain`).
        case denyAll = "contain-deny-all"
        /// Deactivate (never delete) one of the user's active keys (`--contain`).
        case deactivateKey = "contain-deactivate-key"
    }
    public var kind: Kind
    /// The same states as the rotation's: `planned` runs with `--apply`.
    public var state: RotationStep.State
    public var detail: String
    /// `user/NAME` or `role/NAME`.
    public var target: String
    /// The key a `deactivateKey` step acts on.
    public var keyId: String?
}

/// The inline policies containment writes. Their names are fixed so a re-run finds them.
public enum ContainmentPolicy {
    /// The name the IAM console gives its "revoke active sessions" policy.
    public static let revokeName = "AWSRevokeOlderSessions"
    public static let denyAllName = "MamoriContainmentDenyAll"

    /// Denies everything to sessions issued before `before`: sessions obtained later (the instance's
    /// next credentials, a legitimate re-login) keep working.
    public static func revokeDocument(before: Date) -> String {
        let time = AWSDate.format(before)
        return #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"\#(time)"}}}]}"#
    }

    public static let denyAllDocument = #"{"Version":"2012-10-17","Statement":[{"Sid":"MamoriContainment","Effect":"Deny","Action":"*","Resource":"*"}]}"#

    /// True when `document` is a deny-all of ours (IAM may reformat the JSON it stores).
    static func isDenyAll(_ document: String?) -> Bool {
        guard let document else { return false }
        return document.contains("MamoriContainment") && document.contains("Deny")
    }
}

/// Decides the containment from the live state (inline policies, key states), so a re-run never repeats a change.
public enum ContainmentPlanner {
    /// What the planner needs to know about the identity now.
    public struct LiveState: Sendable {
        /// `user/NAME` or `role/NAME`; nil when the identity could not be told.
        public var target: String?
        /// Why the target is unknown, when it is.
        public var unknownReason: String?
        /// The user's keys (users only).
        public var keys: [AccessKeyInfo] = []
        /// The current deny-all and revoke documents (nil: none).
        public var denyAll: String?
        public var revoke: String?
        /// When an earlier run revoked the sessions (from its journal).
        public var revokedBefore: Date?
        public init(target: String?, unknownReason: String? = nil) {
            self.target = target
            self.unknownReason = unknownReason
        }
    }

    /// `temporary`: the key is a role session's (revoke its sessions). `contain`: also deny all and
    /// deactivate every active key of a user. `lastSeen`: the latest use of the exposed session seen.
    public static func plan(keyId: String, temporary: Bool, contain: Bool, live: LiveState, lastSeen: Date?, now: Date) -> [ContainmentStep] {
        guard temporary || contain else { return [] }
        guard let target = live.target else {
            let reason = live.unknownReason ?? "the identity of \(keyId) is unknown"
            return [ContainmentStep(kind: temporary ? .revokeSessions : .denyAll, state: .blocked, detail: reason, target: "?")]
        }
        var steps: [ContainmentStep] = []
        if temporary {
            if let before = live.revokedBefore, live.revoke != nil, before > (lastSeen ?? .distantPast) {
                steps.append(ContainmentStep(kind: .revokeSessions, state: .done,
                                             detail: "sessions of \(target) issued before \(AWSDate.format(before)) are denied (\(ContainmentPolicy.revokeName))",
                                             target: target))
            } else {
                steps.append(ContainmentStep(kind: .revokeSessions, state: .planned,
                                             detail: "deny every session of \(target) issued before the time of the run (inline policy \(ContainmentPolicy.revokeName)); "
                                                 + "sessions obtained afterwards keep working, so legitimate users and instances get new credentials"
                                                 + (live.revoke != nil ? "; replaces the existing \(ContainmentPolicy.revokeName) (kept in the journal)" : ""),
                                             target: target))
            }
        }
        if contain {
            if ContainmentPolicy.isDenyAll(live.denyAll) {
                steps.append(ContainmentStep(kind: .denyAll, state: .done, detail: "\(target) has the deny-all policy \(ContainmentPolicy.denyAllName)", target: target))
            } else {
                steps.append(ContainmentStep(kind: .denyAll, state: .planned,
                                             detail: "attach the inline deny-all policy \(ContainmentPolicy.denyAllName) to \(target): every call it makes fails, "
                                                 + "with any key or session, until `mamori respond undo` removes it",
                                             target: target))
            }
            for key in live.keys {
                if key.status == "Active" {
                    steps.append(ContainmentStep(kind: .deactivateKey, state: .planned,
                                                 detail: "deactivate (not delete) \(key.accessKeyId) of \(target)" + (key.accessKeyId == keyId ? " (the exposed key)" : ""),
                                                 target: target, keyId: key.accessKeyId))
                } else {
                    steps.append(ContainmentStep(kind: .deactivateKey, state: .skipped, detail: "\(key.accessKeyId) is already inactive",
                                                 target: target, keyId: key.accessKeyId))
                }
            }
        }
        return steps
    }

    /// Reads what the planner needs: the inline policies of `target` and, for a user, its keys.
    public static func live(target: String?, unknownReason: String?, history: JournalHistory,
                            client: AWSClient, region: String, notes: inout [StepNote]) async -> LiveState {
        var live = LiveState(target: target, unknownReason: unknownReason)
        guard let target, let principal = principal(target) else { return live }
        do {
            live.denyAll = try await InlinePolicyChange.current(principal, policyName: ContainmentPolicy.denyAllName, client: client, region: region)
            if case .role = principal {
                live.revoke = try await InlinePolicyChange.current(principal, policyName: ContainmentPolicy.revokeName, client: client, region: region)
            }
            if case let .user(name) = principal { live.keys = try await KeyOwnerLookup.listKeys(name, client: client, region: region) }
        } catch {
            notes.append(StepNote(step: "contain", level: .error, message: "cannot read the state of \(target): \(error)"))
            live.target = nil
            live.unknownReason = "cannot read the state of \(target) (\(error)): nothing is changed blind"
        }
        live.revokedBefore = history.entries.last { $0.step == ContainmentStep.Kind.revokeSessions.rawValue && $0.phase == "after" }
            .flatMap { $0.parameters["RevokedBefore"] }.flatMap(AWSDate.parse)
        return live
    }

    static func principal(_ target: String) -> InlinePolicyChange.Principal? {
        if target.hasPrefix("user/") { return .user(String(target.dropFirst(5))) }
        if target.hasPrefix("role/") { return .role(String(target.dropFirst(5))) }
        return nil
    }
}

/// Runs the planned containment steps through Remediation (which journals every call).
public struct ContainmentExecutor: Sendable {
    public var client: AWSClient
    public var region: String
    public var now: Date

    public init(client: AWSClient, region: String, now: Date) {
        self.client = client
        self.region = region
        self.now = now
    }

    /// Runs `steps` in order (StepRunner: a failed step blocks the ones after it; never deactivate keys around a deny that failed).
    public func run(_ steps: [ContainmentStep], live: ContainmentPlanner.LiveState, journal: Journal, notes: inout [StepNote]) async throws -> [ContainmentStep] {
        let policies = InlinePolicyChange(client: client, journal: journal, region: region)
        let keys = AccessKeyChange(client: client, journal: journal, region: region)
        let now = now
        return try await StepRunner.run(steps, notes: &notes) { step in
            guard let principal = ContainmentPlanner.principal(step.target) else { return false }
            switch step.kind {
            case .revokeSessions:
                try await policies.put(principal, policyName: ContainmentPolicy.revokeName, document: ContainmentPolicy.revokeDocument(before: now),
                                       previous: live.revoke, step: step.kind.rawValue, extra: ["RevokedBefore": AWSDate.format(now)])
                step.detail = "sessions of \(step.target) issued before \(AWSDate.format(now)) are denied (\(ContainmentPolicy.revokeName))"
            case .denyAll:
                try await policies.put(principal, policyName: ContainmentPolicy.denyAllName, document: ContainmentPolicy.denyAllDocument,
                                       previous: live.denyAll, step: step.kind.rawValue)
            case .deactivateKey:
                try await keys.setStatus(user: principal.name, key: step.keyId ?? "", active: false, step: step.kind.rawValue)
            }
            return true
        }
    }
}
