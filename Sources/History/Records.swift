import Foundation
import Inventory
import MamoriCore

/// What a stored scan covered: one account, or an organisation.
public enum ScanKind: String, Codable, Sendable {
    case account, org
}

/// Where a stored scan stands. `running` and `interrupted` scans can be resumed.
public enum ScanState: String, Codable, Sendable, CaseIterable {
    case running, complete, partial, interrupted
}

/// One scan in the history store.
public struct ScanRecord: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    /// A caller-chosen name shared by the workers of a sharded scan (`--run`); nil otherwise.
    public var runId: String?
    public var kind: ScanKind
    /// What was scanned: the account id, or `org:<management account id>`.
    public var target: String
    /// The scan's parameters (regions, filters) as text; `--resume` only continues a scan with the same ones.
    public var parameters: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var state: ScanState
    public var toolVersion: String
    /// Accounts recorded so far (finished, failed or skipped).
    public var accounts: Int
    /// Accounts claimed but not finished (shards still running, or a worker that died).
    public var pending: Int
    /// Failing, not muted findings per severity name.
    public var failing: [String: Int]
    public var muted: Int
    public var errors: Int

    public init(id: Int64, runId: String? = nil, kind: ScanKind, target: String, parameters: String = "", startedAt: Date,
                finishedAt: Date? = nil, state: ScanState, toolVersion: String, accounts: Int = 0,
                failing: [String: Int] = [:], muted: Int = 0, errors: Int = 0, pending: Int = 0) {
        self.pending = pending
        self.id = id
        self.runId = runId
        self.kind = kind
        self.target = target
        self.parameters = parameters
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.state = state
        self.toolVersion = toolVersion
        self.accounts = accounts
        self.failing = failing
        self.muted = muted
        self.errors = errors
    }

    /// All failing, not muted findings.
    public var totalFailing: Int { failing.values.reduce(0, +) }
}

/// What a new scan row starts with.
public struct NewScan: Sendable, Hashable {
    public var runId: String?
    public var kind: ScanKind
    public var target: String
    public var parameters: String
    public var startedAt: Date
    public var toolVersion: String

    public init(runId: String? = nil, kind: ScanKind, target: String, parameters: String = "", startedAt: Date, toolVersion: String) {
        self.runId = runId
        self.kind = kind
        self.target = target
        self.parameters = parameters
        self.startedAt = startedAt
        self.toolVersion = toolVersion
    }
}

/// A finding as stored: the finding, its fingerprint, and the mute reason when config muted it.
public struct StoredFinding: Codable, Sendable, Hashable {
    public var fingerprint: String
    public var finding: Finding
    /// The resource's unique id (renames keep it), when known.
    public var resourceUid: String?
    public var mutedReason: String?

    public init(finding: Finding, mutedReason: String? = nil) {
        self.fingerprint = finding.fingerprint
        self.finding = finding
        self.resourceUid = finding.resourceUid
        self.mutedReason = mutedReason
    }

    public init(fingerprint: String, finding: Finding, resourceUid: String?, mutedReason: String?) {
        self.fingerprint = fingerprint
        self.finding = finding
        self.resourceUid = resourceUid
        self.mutedReason = mutedReason
    }

    public var isOpenFailure: Bool { finding.status == .fail && mutedReason == nil }
}

/// Where one account of a scan stands: the unit of `--resume` checkpoints.
public enum AccountState: String, Codable, Sendable {
    /// Collected, evaluated and stored (possibly with unreadable parts, listed as errors).
    case done
    /// Could not be scanned at all (role not assumable, credentials); retried by `--resume`.
    case failed
    /// Deliberately not scanned (suspended, excluded); `--resume` leaves it alone.
    case skipped
    /// Claimed by a worker that has not finished it yet (sharded scans list their accounts first,
    /// so a worker that dies leaves visible gaps instead of a silently smaller report).
    case pending
}

/// One account of a scan, with a summary of what its inventory held.
public struct AccountRecord: Codable, Sendable, Hashable {
    public var accountId: String
    public var name: String?
    public var ouPath: String?
    public var state: AccountState
    public var finishedAt: Date
    /// Resource counts by kind ("users", "buckets", "instances", ...), so history shows what was covered.
    public var inventory: [String: Int]
    /// The account's posture-metric inputs as JSON (opaque here; Reports reads them), when collected.
    public var metrics: Data?

    public init(accountId: String, name: String? = nil, ouPath: String? = nil, state: AccountState, finishedAt: Date,
                inventory: [String: Int] = [:], metrics: Data? = nil) {
        self.accountId = accountId
        self.name = name
        self.ouPath = ouPath
        self.state = state
        self.finishedAt = finishedAt
        self.inventory = inventory
        self.metrics = metrics
    }
}

/// A part of an account the scan could not read.
public struct StoredError: Codable, Sendable, Hashable {
    public var account: String
    public var error: CollectionError

    public init(account: String, error: CollectionError) {
        self.account = account
        self.error = error
    }
}

/// Everything stored for one account of one scan: written atomically, so a crash never leaves
/// half an account behind (that is what makes `--resume` safe).
public struct AccountResult: Sendable, Hashable {
    public var account: AccountRecord
    public var findings: [StoredFinding]
    public var errors: [StoredError]

    public init(account: AccountRecord, findings: [StoredFinding], errors: [StoredError]) {
        self.account = account
        self.findings = findings
        self.errors = errors
    }
}
