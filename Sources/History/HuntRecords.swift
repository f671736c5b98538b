import Foundation

/// One `mamori hunt --db` run as stored: one worker's part (`--shard I/N`, or 0/1 unsharded) of a
/// hunt, with what it read and what it could not. Shards of one hunt share `huntKey`.
public struct HuntRunRecord: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    /// Shared by the shards of one hunt: `--hunt-id`, or derived from the command line (`HuntKey`).
    public var huntKey: String
    /// This worker's part: shard `shardIndex` of `shardCount` (0-based, as `--shard I/N`).
    public var shardIndex: Int
    public var shardCount: Int
    public var startedAt: Date
    public var finishedAt: Date
    /// What was read: paths as given, `s3://…` URLs, `LookupEvents`.
    public var sources: [String]
    /// `--since` / `--until` as resolved (nil: open).
    public var since: Date?
    public var until: Date?
    /// The rest of what selects events (rule set, accounts, regions) as text; shards share it.
    public var parameters: String
    /// Events read (split out of the sources) and files or objects opened.
    public var eventsRead: Int
    public var files: Int
    /// Every source not read in full, with why (the run's exit status is then 3).
    public var unread: [UnreadPart]
    /// The exit status the run ended with (0 no alerts, 1 alerts, 3 part not read).
    public var exitStatus: Int
    public var toolVersion: String
    /// Alerts stored for this run.
    public var alerts: Int

    public init(id: Int64, huntKey: String, shardIndex: Int = 0, shardCount: Int = 1, startedAt: Date, finishedAt: Date,
                sources: [String], since: Date? = nil, until: Date? = nil, parameters: String = "", eventsRead: Int, files: Int,
                unread: [UnreadPart] = [], exitStatus: Int, toolVersion: String, alerts: Int = 0) {
        self.id = id
        self.huntKey = huntKey
        self.shardIndex = shardIndex
        self.shardCount = shardCount
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.sources = sources
        self.since = since
        self.until = until
        self.parameters = parameters
        self.eventsRead = eventsRead
        self.files = files
        self.unread = unread
        self.exitStatus = exitStatus
        self.toolVersion = toolVersion
        self.alerts = alerts
    }

    /// `I/N` as given to `--shard`.
    public var shard: String { "\(shardIndex)/\(shardCount)" }
}

/// A source a hunt could not read in full, and why.
public struct UnreadPart: Codable, Sendable, Hashable {
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}

/// One alert of a hunt run as stored: one detection (rule) by one actor. Only what identifies and
/// summarises the activity is kept (no request parameters, no event bodies), so nothing secret an
/// event might carry reaches the store; event ids are capped at `HuntAlertRecord.eventIdLimit`.
public struct HuntAlertRecord: Codable, Sendable, Hashable {
    public var ruleId: String
    public var title: String
    /// The SIGMA level (`critical`, `high`, `medium`, `low`, `informational`).
    public var level: String
    public var actor: String
    /// `access-key`, `role-session`, `user`, `service`: the hunt's actor kinds.
    public var actorType: String
    /// The actor's account (the first account of its events).
    public var account: String
    public var accounts: [String]
    /// ISO 8601 UTC (`2026-01-31T02:00:00Z`): text compares in time order.
    public var firstSeen: String
    public var lastSeen: String
    /// Events matched (exact, even when `eventIds` is cut).
    public var count: Int
    public var regions: [String]
    public var sourceIPs: [String]
    public var userAgents: [String]
    public var eventNames: [String]
    /// The matched events' ids, at most `eventIdLimit`; `eventIdsTruncated` says when some were left out.
    public var eventIds: [String]
    public var eventIdsTruncated: Bool

    /// Event ids kept per alert: enough to audit and to look events up, bounded so one noisy
    /// actor cannot grow a row without limit (the count stays exact).
    public static let eventIdLimit = 1_000

    public init(ruleId: String, title: String, level: String, actor: String, actorType: String, account: String,
                accounts: [String] = [], firstSeen: String, lastSeen: String, count: Int, regions: [String] = [],
                sourceIPs: [String] = [], userAgents: [String] = [], eventNames: [String] = [], eventIds: [String] = [],
                eventIdsTruncated: Bool = false) {
        self.ruleId = ruleId
        self.title = title
        self.level = level
        self.actor = actor
        self.actorType = actorType
        self.account = account
        self.accounts = accounts
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.regions = regions
        self.sourceIPs = sourceIPs
        self.userAgents = userAgents
        self.eventNames = eventNames
        self.eventIdsTruncated = eventIdsTruncated || eventIds.count > Self.eventIdLimit
        self.eventIds = Array(eventIds.prefix(Self.eventIdLimit))
    }
}

/// What `recordHunt` stores: the run and its alerts, written in one transaction (a run is stored
/// when it ends, so a worker that dies leaves no half run, only a missing shard).
public struct NewHuntRun: Sendable, Hashable {
    public var run: HuntRunRecord
    public var alerts: [HuntAlertRecord]

    /// `run.id` and `run.alerts` are set by the store.
    public init(run: HuntRunRecord, alerts: [HuntAlertRecord]) {
        self.run = run
        self.alerts = alerts
    }
}

/// The default hunt key: the same command line on every worker gives the same key, so shards of
/// one hunt meet without being told a name. FNV-1a (64 bits, twice with different seeds, like
/// finding fingerprints) over the parts that select events, in a fixed order; `--shard` is not
/// one of them.
public enum HuntKey {
    public static func derive(_ parts: [String]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b &* 0x0000_0100_0000_01B3) ^ UInt64(byte)
        }
        return "hunt-" + String(String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)).prefix(16)
    }

    /// Whether a user-given `--hunt-id` is usable: 1-128 printable characters without spaces,
    /// so it can be typed back (`mamori history hunt KEY`) and put in a URL.
    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 128 && key.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "/" }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
