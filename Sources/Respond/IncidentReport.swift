import Foundation

/// One line of the incident timeline.
public struct TimelineEntry: Codable, Sendable {
    public var time: Date
    public var what: String
}

/// Everything one run of `mamori respond leaked-key` found and did: rendered as Markdown or JSON.
public struct IncidentReport: Codable, Sendable {
    public var keyId: String
    public var generated: Date
    /// "plan" (dry run), "apply", "resume", "deactivate", "finish" or "contain".
    public var mode: String
    public var identity: KeyIdentity
    public var quarantine: QuarantineStatus?
    public var rotation: [RotationStep]
    /// The journal this run wrote, when it changed anything.
    public var journal: String?
    /// Journals of earlier runs for this key that this run read.
    public var earlierJournals: [String]
    /// Start of the exposure window reviewed (`--since`, else the key's creation, at most 90 days for LookupEvents).
    public var since: Date
    /// Regions reviewed and swept.
    public var regions: [String]
    /// Access keys, users and roles followed: the leaked key and what it created.
    public var followedKeys: [String]
    public var followedUsers: [String]
    public var followedRoles: [String]
    /// Events by the leaked key or anything it created, oldest first.
    public var events: [TrailEvent]
    /// Events read from every source, before attribution.
    public var eventsRead: Int
    public var resources: [SuspectResource]
    /// IDs removed in this run with `--remove ID --apply`.
    public var removed: [String]
    public var guardrails: GuardrailReport?
    /// Daily cost per region and service for the window (Cost Explorer), or why it could not be read.
    public var cost: CostReport? = nil
    /// The account's other active access keys (owner, age, last use): they were not rotated.
    public var otherActiveKeys: [OtherAccessKey] = []
    public var notes: [StepNote]
    public var needsHuman: [String]
    /// For the root user's key: the procedure a human follows (never automated).
    public var rootProcedure: [String] = []
    /// Containment (`--contain`) and, for a temporary key, the revocation of the role's older sessions.
    public var containment: [ContainmentStep] = []
    /// For a temporary key (ASIA…): the role and session it belongs to.
    public var session: SessionIdentity? = nil
    /// How to go back from the state this run left, as commands.
    public var goBack: [String] = []
    public var timeline: [TimelineEntry]
    /// Ready to paste into the reply to AWS Support.
    public var supportSummary: String

    public var flaggedEvents: [TrailEvent] { events.filter(\.flagged) }
}
