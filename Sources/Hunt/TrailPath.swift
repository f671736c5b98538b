import Foundation

/// A UTC calendar day, as CloudTrail's delivery layout names it (`YYYY/MM/DD`). Comparable, so a
/// time window selects days without opening a file.
public struct TrailDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The UTC day holding `date`.
    public init(_ date: Date) {
        let parts = TrailDay.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    public static func < (a: TrailDay, b: TrailDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String { String(format: "%04d/%02d/%02d", year, month, day) }

    /// Midnight UTC at the start of the day.
    public var start: Date {
        TrailDay.calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// The following day.
    public var next: TrailDay { TrailDay(start.addingTimeInterval(86_400 + 3_600)) }

    /// Every day from `from` to `to`, both included (empty when `to` is earlier).
    public static func days(from: TrailDay, to: TrailDay) -> [TrailDay] {
        var out: [TrailDay] = []
        var day = from
        while day <= to, out.count < 100_000 {
            out.append(day)
            day = day.next
        }
        return out
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

/// What CloudTrail's delivery layout says about a log file:
/// `[PREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE`.
public struct TrailPath: Sendable, Hashable {
    public var organizationId: String?
    public var account: String
    public var region: String
    public var day: TrailDay

    public init(organizationId: String? = nil, account: String, region: String, day: TrailDay) {
        self.organizationId = organizationId
        self.account = account
        self.region = region
        self.day = day
    }

    /// Parses the layout out of a local path or an S3 key; nil when the path does not follow it.
    public init?(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let index = parts.lastIndex(of: "CloudTrail"), index >= 1, parts.count >= index + 5,
              let year = Int(parts[index + 2]), let month = Int(parts[index + 3]), let day = Int(parts[index + 4]),
              parts[index + 2].count == 4, (1...12).contains(month), (1...31).contains(day) else { return nil }
        account = parts[index - 1]
        region = parts[index + 1]
        organizationId = index >= 2 && parts[index - 2].hasPrefix("o-") ? parts[index - 2] : nil
        self.day = TrailDay(year: year, month: month, day: day)
    }

    /// The key `--shard I/N` hashes: one account, region and day go to one worker.
    public var shardKey: String { "\(account)/\(region)/\(day)" }
}

/// The `--since`/`--until` window and the `--account`/`--region` choice, applied to paths before
/// any file is opened and to event times after.
public struct HuntWindow: Sendable {
    public var since: Date?
    public var until: Date?
    public var accounts: Set<String>
    public var regions: Set<String>

    public init(since: Date? = nil, until: Date? = nil, accounts: Set<String> = [], regions: Set<String> = []) {
        self.since = since
        self.until = until
        self.accounts = accounts
        self.regions = regions
    }

    /// Whether a file at `path` can hold events in the window. Paths outside the layout are read
    /// (their events are still filtered by time).
    public func selects(path: String) -> Bool {
        guard let trail = TrailPath(path) else { return true }
        return selects(trail)
    }

    public func selects(_ trail: TrailPath) -> Bool {
        if !accounts.isEmpty, !accounts.contains(trail.account) { return false }
        if !regions.isEmpty, !regions.contains(trail.region) { return false }
        return selects(day: trail.day)
    }

    /// A day is in the window when any part of it is. CloudTrail delivers an event up to about
    /// 15 minutes late, into the folder of its delivery time, so the day after `until` is read too.
    public func selects(day: TrailDay) -> Bool {
        if let since, day < TrailDay(since) { return false }
        if let until, day > TrailDay(until.addingTimeInterval(86_400)) { return false }
        return true
    }

    public func contains(time: Date?) -> Bool {
        guard let time else { return since == nil && until == nil }
        if let since, time < since { return false }
        if let until, time > until { return false }
        return true
    }
}
