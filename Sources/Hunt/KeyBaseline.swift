import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogReaders
import SigmaEngine

/// `hunt.baseline` in mamori.yml: when a key's or an account's history counts as established, and
/// how much history is kept.
///
///     hunt:
///       baseline:
///         enabled: true            # false: no baseline detections
///         min_events: 10           # events the key (account) made before a value for it to be "new"
///         learning_hours: 24       # and that long since the key's (account's) first event
///         max_keys: 20000          # access keys and accounts followed
///         max_values_per_key: 64   # source IPs, user agents (per key) and regions (per account) kept each
///         max_values_total: 100000 # values kept over all keys and accounts
public struct BaselineSettings: Sendable, Equatable {
    public var enabled = true
    public var minEvents = 10
    public var learningHours = 24.0
    public var maxKeys = 20_000
    public var maxValuesPerKey = 64
    public var maxValuesTotal = 100_000
    /// RunInstances events kept per account and region (the evidence of a new region).
    public var runsPerRegion = 20

    public init() {}

    static let keys: Set<String> = ["enabled", "min_events", "learning_hours", "max_keys", "max_values_per_key", "max_values_total"]
}

/// The per-key baselines of detection 5 ("compared with its own earlier events in the same data"):
///
/// - `mamori-baseline-new-source-ip`: a long-term key (`AKIA…`) calling from an address it had not
///   used before, once it had an established history;
/// - `mamori-baseline-new-user-agent`: the same for its user agent;
/// - `mamori-baseline-new-region-runinstances`: `RunInstances` by a long-term key in a region its
///   account (`recipientAccountId`) had not used before, once the account had an established history.
///
/// A value is new when it was first seen at a time T such that the key (account) had at least
/// `minEvents` events before T and its first event is at least `learningHours` before T.
///
/// Events may arrive in any order (files per day and region, shards, LookupEvents regions), so
/// nothing is judged while reading. Per key and account the stage keeps only order-independent
/// summaries: the `minEvents` earliest event times, and for each value its earliest event (time and
/// the summary an alert reports). Both are minima, so they come out the same whatever order the
/// events were read in; the values are judged once, in `finish`, over the complete summaries. When a
/// key reaches `maxValuesPerKey` the values first seen earliest are kept (still order-independent),
/// and when `maxKeys` or `maxValuesTotal` is reached further keys or values are not followed; both
/// are reported as a problem ("baseline truncated"), never dropped silently.
///
/// Cost: events holding `AKIA` are parsed (most trails' events are signed with temporary keys or by
/// services); for every other event the account, region and time are read from the raw bytes
/// without parsing, since an account's regions are made of all its events.
public struct KeyBaseline: Sendable {
    public static let newSourceIP = (id: "mamori-baseline-new-source-ip",
                                     title: "Access key used from a source IP it had not used before (baseline)", level: "medium")
    public static let newUserAgent = (id: "mamori-baseline-new-user-agent",
                                      title: "Access key used with a user agent it had not used before (baseline)", level: "low")
    public static let newRegion = (id: "mamori-baseline-new-region-runinstances",
                                   title: "RunInstances by an access key in a region its account had not used before (baseline)", level: "high")
    public static let ruleIDs: Set<String> = [newSourceIP.id, newUserAgent.id, newRegion.id]
    private static let akia = Array("AKIA".utf8)

    struct FirstSeen: Sendable {
        var time: Date
        /// The event that first showed the value (nil for regions read from raw bytes).
        var event: EventSummary?
    }

    /// One key's or one account's history.
    struct History: Sendable {
        /// The `minEvents` earliest event times, ascending.
        var earliest: [Date] = []
        var values: [[String: FirstSeen]] = [[:], [:]]
        var truncated = false

        /// Whether a value first seen at `time` is new: the history was established before it.
        func established(before time: Date, settings: BaselineSettings) -> Bool {
            let n = max(settings.minEvents, 1)
            guard earliest.count >= n, earliest[n - 1] < time else { return false }
            return time.timeIntervalSince(earliest[0]) >= settings.learningHours * 3600
        }

        mutating func count(_ time: Date, keep: Int) {
            let keep = max(keep, 1)
            if earliest.count == keep, let last = earliest.last, time >= last { return }
            var i = earliest.count
            while i > 0, earliest[i - 1] > time { i -= 1 }
            earliest.insert(time, at: i)
            if earliest.count > keep { earliest.removeLast() }
        }
    }

    public let settings: BaselineSettings
    private var keys: [String: History] = [:]
    private var accounts: [String: History] = [:]
    /// account + "\u{0}" + region → the earliest RunInstances by a long-term key there.
    private var runs: [String: [EventSummary]] = [:]
    private var totalValues = 0
    private var keysRefused = 0
    private var valuesRefused = 0

    public init(settings: BaselineSettings = BaselineSettings()) {
        self.settings = settings
    }

    /// Whether an event must be parsed for the baseline: signed with a long-term key.
    public static func wantsParse(_ bytes: UnsafeRawBufferPointer) -> Bool {
        RawField.find(akia, in: bytes) != nil
    }

    /// An event no rule needed parsed: its account, region and time from the raw bytes.
    public mutating func observeRaw(_ bytes: UnsafeRawBufferPointer, window: HuntWindow) {
        guard let timeBytes = RawField.string("eventTime", in: bytes), let time = CloudTrailRecord.parseTime(timeBytes),
              window.contains(time: time),
              let account = RawField.string("recipientAccountId", in: bytes), let region = RawField.string("awsRegion", in: bytes)
        else { return }
        observeAccount(String(decoding: account, as: UTF8.self), region: String(decoding: region, as: UTF8.self), time: time, event: nil)
    }

    /// A parsed event (inside the window).
    public mutating func observe(_ record: Record, time: Date, eventID: String, origin: String) {
        let account = record.text(["recipientAccountId", "userIdentity.accountId"]) ?? ""
        let region = record.text(["awsRegion"]) ?? ""
        let actor = Actor(record: record)
        guard actor.kind == .accessKey else {
            observeAccount(account, region: region, time: time, event: nil)
            return
        }
        let summary = EventSummary(eventID: eventID, time: time, eventName: record.text(["eventName"]) ?? "",
                                   eventSource: record.text(["eventSource"]) ?? "", region: region, account: account,
                                   sourceIP: record.text(["sourceIPAddress"]) ?? "", userAgent: record.text(["userAgent"]) ?? "",
                                   actor: actor, images: EventSummary.imageIds(in: record), origin: origin)
        observeAccount(account, region: region, time: time, event: nil)
        if summary.eventName == "RunInstances", !account.isEmpty, !region.isEmpty {
            let slot = account + "\u{0}" + region
            var list = runs[slot] ?? []
            if list.count < settings.runsPerRegion || (list.last?.time ?? .distantPast) > time {
                let i = list.firstIndex { ($0.time ?? .distantPast) > time } ?? list.count
                list.insert(summary, at: i)
                if list.count > settings.runsPerRegion { list.removeLast() }
                runs[slot] = list
            }
        }
        var history: History
        if let found = keys[actor.id] { history = found } else if canFollow() { history = History() } else { return }
        history.count(time, keep: settings.minEvents)
        // Addresses only: `AWS Internal` and service names are not a place the key was used from.
        if !summary.sourceIP.isEmpty, IPAddress(summary.sourceIP) != nil {
            note(summary.sourceIP, kind: 0, time: time, event: summary, in: &history)
        }
        if !summary.userAgent.isEmpty { note(summary.userAgent, kind: 1, time: time, event: summary, in: &history) }
        keys[actor.id] = history
    }

    private mutating func observeAccount(_ account: String, region: String, time: Date, event: EventSummary?) {
        guard !account.isEmpty, !region.isEmpty else { return }
        var history: History
        if let found = accounts[account] { history = found } else if canFollow() { history = History() } else { return }
        history.count(time, keep: settings.minEvents)
        note(region, kind: 0, time: time, event: event, in: &history)
        accounts[account] = history
    }

    /// Whether one more key or account may be followed (`maxKeys`); a refusal is counted for the note.
    private mutating func canFollow() -> Bool {
        guard keys.count + accounts.count < settings.maxKeys else { keysRefused += 1; return false }
        return true
    }

    /// Keeps the earliest sighting of a value; at the per-key cap, the values first seen earliest.
    private mutating func note(_ value: String, kind: Int, time: Date, event: EventSummary?, in history: inout History) {
        if let seen = history.values[kind][value] {
            if time < seen.time { history.values[kind][value] = FirstSeen(time: time, event: event ?? seen.event) }
            return
        }
        if history.values[kind].count >= settings.maxValuesPerKey {
            history.truncated = true
            // Keep the earliest: replace the latest-first-seen value when this one is earlier.
            guard let latest = history.values[kind].max(by: { $0.value.time < $1.value.time }), time < latest.value.time else { return }
            history.values[kind][latest.key] = nil
            history.values[kind][value] = FirstSeen(time: time, event: event)
            return
        }
        guard totalValues < settings.maxValuesTotal else { valuesRefused += 1; history.truncated = true; return }
        totalValues += 1
        history.values[kind][value] = FirstSeen(time: time, event: event)
    }

    /// The baseline detections, judged over the whole input, and the truncation notes.
    public func finish() -> (alerts: [(id: String, title: String, level: String, events: [EventSummary])], problems: [InputProblem]) {
        var out: [(id: String, title: String, level: String, events: [EventSummary])] = []
        for (rule, kind) in [(Self.newSourceIP, 0), (Self.newUserAgent, 1)] {
            var events: [EventSummary] = []
            for (_, history) in keys {
                for (_, seen) in history.values[kind] where history.established(before: seen.time, settings: settings) {
                    if let event = seen.event { events.append(event) }
                }
            }
            if !events.isEmpty { out.append((rule.id, rule.title, rule.level, Self.sorted(events))) }
        }
        var launches: [EventSummary] = []
        for (account, history) in accounts {
            for (region, seen) in history.values[0] where history.established(before: seen.time, settings: settings) {
                launches += runs[account + "\u{0}" + region] ?? []
            }
        }
        if !launches.isEmpty { out.append((Self.newRegion.id, Self.newRegion.title, Self.newRegion.level, Self.sorted(launches))) }

        var problems: [InputProblem] = []
        let cut = keys.values.filter(\.truncated).count + accounts.values.filter(\.truncated).count
        if cut > 0 || keysRefused > 0 || valuesRefused > 0 {
            var parts: [String] = []
            if cut > 0 { parts.append("\(cut) key\(cut == 1 ? "" : "s")/account\(cut == 1 ? "" : "s") reached hunt.baseline.max_values_per_key (\(settings.maxValuesPerKey)) or max_values_total (\(settings.maxValuesTotal)): only the values first seen earliest were judged") }
            if keysRefused > 0 { parts.append("\(keysRefused) events of keys or accounts beyond hunt.baseline.max_keys (\(settings.maxKeys)) were not followed") }
            problems.append(InputProblem(source: "baseline", reason: "baseline truncated: " + parts.joined(separator: "; ") + " (raise the limits in mamori.yml hunt.baseline)"))
        }
        return (out, problems)
    }

    static func sorted(_ events: [EventSummary]) -> [EventSummary] {
        events.sorted { ($0.time ?? .distantPast, $0.eventID) < ($1.time ?? .distantPast, $1.eventID) }
    }
}

/// Reads a top-level string field from an event's raw JSON without parsing it: the first
/// `"name"` followed by `:` and a string. CloudTrail writes `eventTime`, `awsRegion` and
/// `recipientAccountId` at the top level only, so the first occurrence is theirs; a value with an
/// escape is refused (nil) rather than misread.
enum RawField {
    static func string(_ name: String, in bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard bytes.baseAddress != nil else { return nil }
        let needle = Array("\"\(name)\"".utf8)
        guard let found = find(needle, in: bytes) else { return nil }
        var i = found + needle.count
        func skipSpace() {
            while i < bytes.count {
                switch bytes[i] { case 0x20, 0x09, 0x0A, 0x0D: i += 1; default: return }
            }
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x3A else { return nil }
        i += 1
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x22 else { return nil }
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != 0x22 {
            if bytes[i] == 0x5C { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        return Array(bytes[start..<i])
    }

    /// The offset of `needle` in `bytes`: memchr to each candidate first byte, then memcmp.
    static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, !needle.isEmpty, needle.count <= bytes.count else { return nil }
        let last = bytes.count - needle.count
        var i = 0
        while i <= last {
            guard let p = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
            let j = base.distance(to: UnsafeRawPointer(p))
            if needle.withUnsafeBytes({ memcmp(base + j, $0.baseAddress!, needle.count) }) == 0 { return j }
            i = j + 1
        }
        return nil
    }
}
