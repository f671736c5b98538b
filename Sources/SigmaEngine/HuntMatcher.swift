import Foundation
import LogReaders

/// One event that took part in a hit.
public struct HitEvent: Sendable {
    public var eventID: String
    public var time: Date
    /// The id of the single-event rule it matched.
    public var ruleID: String
    /// The flattened event, so the caller can name what it touched (the AMI a RunInstances launched, …).
    /// For the events of an `event_count`/`value_count` window beyond its first
    /// `HuntMatcher.recordsKeptPerGroup`, only `HuntMatcher.summaryFields` (actor, region, address,
    /// user agent, …): memory stays bounded, ids, times and what an alert aggregates stay complete.
    public var record: Record
}

/// A match: of a single-event rule (`kind == .event`) or of a correlation.
public struct RuleHit: Sendable {
    public enum Kind: String, Sendable {
        case event
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal
        case temporalOrdered = "temporal_ordered"
    }

    public var ruleID: String
    public var title: String
    /// SIGMA level as written (`informational`, `low`, `medium`, `high`, `critical`).
    public var level: String
    public var file: String
    public var kind: Kind
    /// Every event that made the hit, oldest first, each once.
    public var events: [HitEvent]
    /// Correlations: each `group-by` entry (alias name when aliased) and the value shared by the
    /// events ("" when the events lack the field). Empty for single-event hits.
    public var groupBy: [String: String]
    /// The number the condition was tested on: events (event_count), distinct values
    /// (value_count) or distinct rules (temporal); 1 for a single-event hit.
    public var count: Int
    /// value_count: the distinct values counted, sorted.
    public var values: [String]
    /// The rule's `tags` (`attack.t1525`, …) and `description`, for reports (OCSF, …).
    public var tags: [String] = []
    public var description: String = ""

    public var firstSeen: Date { events.first?.time ?? .distantPast }
    public var lastSeen: Date { events.last?.time ?? .distantPast }
    public var eventIDs: [String] { events.map(\.eventID) }
}

/// Streams CloudTrail events through a `HuntRuleSet`.
///
///     var matcher = HuntMatcher(ruleSet)
///     for event in events { hits += matcher.feed(record: event.record, time: event.time, eventID: event.id) }
///     hits += matcher.finish()
///
/// `feed` returns the single-event hits of that event and any correlation that completed with it;
/// `finish` returns the correlations that can only be decided when the input ends (conditions with
/// an upper bound: `lt`, `lte`, `eq`). Events should come roughly in time order (CloudTrail files
/// in path order are); an event older than the newest seen minus a correlation's timespan is still
/// matched alone but may miss a correlation with events already expired.
///
/// Correlation semantics (per group-by value, the fields read through `aliases` where given):
/// - `event_count`/`value_count` with only lower bounds (`gt`, `gte`): a sliding window; the hit
///   fires at the event that makes the condition true over the events of the last `timespan`, then
///   the group starts counting afresh (one hit per burst, not one per further event).
/// - with an upper bound (`lt`, `lte`, `eq`): a window opens at the group's first event and is
///   judged when `timespan` has passed (a later event, the stream's time moving on, or `finish`).
/// - `temporal`: every referred rule (or `condition` many of them) matched within `timespan`;
///   `temporal_ordered`: in the order listed. The hit lists the group's events in the window.
/// - Correlations may refer to correlations (chains); a referred rule produces no hit of its own
///   unless a correlation referring to it says `generate: true`.
///
/// Memory: per correlation and group-by value, the events of the last `timespan` only (for count
/// correlations, the flattened event of the first `recordsKeptPerGroup` of them, `summaryFields`
/// of the rest); groups are swept as the stream's time advances, so memory is flat in the number of events.
public struct HuntMatcher: Sendable {
    public let ruleSet: HuntRuleSet
    /// rule index → (correlation index, position in its `rules:`) it feeds.
    private let ruleFeeds: [[(Int, Int)]]
    private let correlationFeeds: [[(Int, Int)]]
    private var states: [[String: GroupState]]
    /// Correlations with the referred ones first, so a sweep's hits reach their parents before
    /// the parents are swept.
    private let sweepOrder: [Int]
    private var watermark: Date = .distantPast
    private var sinceSweep = 0
    /// Sweeps expired groups after this many events (cheap relative to matching).
    static let sweepInterval = 4096
    /// Count correlations keep the flattened event of this many events per group window; later
    /// ones keep only `summaryFields` (what an alert aggregates: actor, region, address, agent).
    public static let recordsKeptPerGroup = 100
    public static let summaryFields = [
        "eventTime", "eventName", "eventSource", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
        "recipientAccountId", "userIdentity.type", "userIdentity.arn", "userIdentity.accessKeyId",
        "userIdentity.principalId", "userIdentity.userName", "userIdentity.accountId",
    ]

    static func summary(_ record: Record) -> Record {
        var out = Record()
        for field in summaryFields { if let v = record[field] { out[field] = v } }
        return out
    }

    public init(_ ruleSet: HuntRuleSet) {
        self.ruleSet = ruleSet
        var ruleFeeds = [[(Int, Int)]](repeating: [], count: ruleSet.rules.count)
        var correlationFeeds = [[(Int, Int)]](repeating: [], count: ruleSet.correlations.count)
        for (c, refs) in ruleSet.references.enumerated() {
            for (position, ref) in refs.enumerated() {
                switch ref {
                case let .rule(r): ruleFeeds[r].append((c, position))
                case let .correlation(j): correlationFeeds[j].append((c, position))
                }
            }
        }
        self.ruleFeeds = ruleFeeds
        self.correlationFeeds = correlationFeeds
        self.states = Array(repeating: [:], count: ruleSet.correlations.count)
        var order: [Int] = []
        var done = Set<Int>()
        func visit(_ c: Int) {
            guard done.insert(c).inserted else { return }
            for case let .correlation(j) in ruleSet.references[c] { visit(j) }
            order.append(c)
        }
        for c in ruleSet.correlations.indices { visit(c) }
        self.sweepOrder = order
    }

    /// Number of correlation groups held (for tests of the memory bound).
    public var openGroups: Int { states.reduce(0) { $0 + $1.count } }

    /// Matches one event. See the type's documentation for what is returned when.
    public mutating func feed(record: Record, time: Date, eventID: String) -> [RuleHit] {
        var hits: [RuleHit] = []
        if time > watermark { watermark = time }
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let eventName = record["eventName"].map { String(decoding: $0, as: UTF8.self).lowercased() } ?? ""
        for (r, rule) in ruleSet.rules.enumerated() {
            if let names = rule.eventNames, !names.contains(eventName) { continue }
            guard rule.compiled.evaluate(record, line: empty) != nil else { continue }
            let event = HitEvent(eventID: eventID, time: time, ruleID: rule.rule.id, record: record)
            if rule.generatesHits {
                hits.append(RuleHit(ruleID: rule.rule.id, title: rule.rule.title, level: rule.rule.level, file: rule.rule.file,
                                    kind: .event, events: [event], groupBy: [:], count: 1, values: [],
                                    tags: rule.rule.tags, description: rule.rule.description))
            }
            for (c, position) in ruleFeeds[r] {
                let entry = Entry(time: time, source: position, events: [event], lookup: .record(record))
                deliver(entry, to: c, into: &hits)
            }
        }
        sinceSweep += 1
        if sinceSweep >= Self.sweepInterval {
            sinceSweep = 0
            sweep(closingAll: false, into: &hits)
        }
        return hits
    }

    /// Ends the stream: judges every open window and clears the state.
    public mutating func finish() -> [RuleHit] {
        var hits: [RuleHit] = []
        sweep(closingAll: true, into: &hits)
        return hits
    }

    // MARK: - Correlation state

    /// Where an entry's group-by and value fields are read.
    enum Lookup: Sendable {
        case record(Record)
        /// A hit of a referred correlation: its group-by values.
        case groupBy([String: String])

        func value(_ field: String) -> String? {
            switch self {
            case let .record(r): return r[field].map { String(decoding: $0, as: UTF8.self) }
            case let .groupBy(map): return map[field]
            }
        }
    }

    struct Entry: Sendable {
        var time: Date
        /// Position of the referred rule in the correlation's `rules:`.
        var source: Int
        var events: [HitEvent]
        var lookup: Lookup
        var value: String? = nil
    }

    /// One group's window: entries sorted by time from `head` on (expired ones are skipped, not
    /// shifted out one by one), with running counts so judging an event costs O(1) for the count types.
    struct GroupState: Sendable {
        var values: [String]
        private(set) var entries: [Entry] = []
        private(set) var head = 0
        /// value_count: distinct value → entries holding it.
        private(set) var valueCounts: [String: Int] = [:]
        /// temporal: position in `rules:` → entries from it.
        private(set) var sourceCounts: [Int: Int] = [:]
        /// Start of the window of a non-monotone condition.
        var windowStart: Date?

        init(values: [String]) { self.values = values }

        var active: ArraySlice<Entry> { entries[head...] }
        var count: Int { entries.count - head }
        var isEmpty: Bool { count == 0 }
        var newest: Date? { entries.last?.time }

        mutating func add(_ entry: Entry) {
            var i = entries.count
            while i > head, entries[i - 1].time > entry.time { i -= 1 }
            entries.insert(entry, at: i)
            if let v = entry.value { valueCounts[v, default: 0] += 1 }
            sourceCounts[entry.source, default: 0] += 1
        }

        /// Drops entries older than `horizon`.
        mutating func expire(before horizon: Date) {
            while head < entries.count, entries[head].time < horizon {
                let e = entries[head]
                if let v = e.value {
                    valueCounts[v]! -= 1
                    if valueCounts[v] == 0 { valueCounts[v] = nil }
                }
                sourceCounts[e.source]! -= 1
                if sourceCounts[e.source] == 0 { sourceCounts[e.source] = nil }
                head += 1
            }
            if head > 64 && head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }

        mutating func clear() {
            entries.removeAll()
            head = 0
            valueCounts.removeAll()
            sourceCounts.removeAll()
            windowStart = nil
        }
    }

    private mutating func deliver(_ incoming: Entry, to c: Int, into hits: inout [RuleHit]) {
        let rule = ruleSet.correlations[c]
        let ref = rule.rules[incoming.source]
        var entry = incoming
        var values: [String] = []
        for field in rule.groupBy {
            values.append(entry.lookup.value(rule.field(field, for: ref)) ?? "")
        }
        if rule.kind == .valueCount, let f = rule.valueField {
            // Events without the counted field do not count (as SQL's COUNT(DISTINCT) skips NULL).
            guard let v = entry.lookup.value(rule.field(f, for: ref)) else { return }
            entry.value = v
        }
        let key = values.joined(separator: "\u{1F}")
        // Taken out of the dictionary so the window's array is uniquely referenced and grows in
        // place (a copy left in the dictionary would make every append copy the whole window).
        var state = states[c].removeValue(forKey: key) ?? GroupState(values: values)
        if (rule.kind == .eventCount || rule.kind == .valueCount), state.count >= Self.recordsKeptPerGroup {
            // A busy key can put 100,000 events in an hour's window: keep their ids and times
            // (the alert lists them all) but not every flattened event.
            for i in entry.events.indices { entry.events[i].record = Self.summary(entry.events[i].record) }
        }
        let span = rule.timespan
        var completed: [RuleHit] = []
        if rule.condition.isMonotone {
            state.add(entry)
            if let newest = state.newest { state.expire(before: newest.addingTimeInterval(-span)) }
            if let hit = judge(c, state) {
                completed.append(hit)
                state.clear()
            }
        } else {
            if let start = state.windowStart, entry.time > start.addingTimeInterval(span) {
                if let hit = judge(c, state) { completed.append(hit) }
                state.clear()
            }
            if state.windowStart == nil { state.windowStart = entry.time }
            state.add(entry)
        }
        if state.isEmpty { states[c][key] = nil } else { states[c][key] = state }
        for hit in completed { emit(hit, from: c, into: &hits) }
    }

    /// The hit of correlation `c` over a group's entries, when its condition holds.
    private func judge(_ c: Int, _ state: GroupState) -> RuleHit? {
        let rule = ruleSet.correlations[c]
        let entries = state.active
        guard !entries.isEmpty else { return nil }
        var count: Int
        var values: [String] = []
        switch rule.kind {
        case .eventCount:
            count = state.count
        case .valueCount:
            count = state.valueCounts.count
            // The values are listed only when the hit fires.
            if rule.condition.holds(count) { values = state.valueCounts.keys.sorted() }
        case .temporal:
            count = Set(state.sourceCounts.keys.map { rule.rules[$0] }).count
        case .temporalOrdered:
            // Greedy: the earliest event of each rule after the previous rule's, in the listed order.
            var after: Date?
            var found = 0
            var position = 0
            while position < rule.rules.count {
                let wanted = rule.rules[position]
                guard let next = entries.first(where: { e in rule.rules[e.source] == wanted && (after.map { e.time > $0 } ?? true) }) else { break }
                after = next.time
                found += 1
                position += 1
            }
            count = found == rule.rules.count ? Set(rule.rules).count : 0
        }
        guard rule.condition.holds(count) else { return nil }
        var seen = Set<String>()
        var events: [HitEvent] = []
        for entry in entries {
            for event in entry.events where seen.insert(event.eventID).inserted { events.append(event) }
        }
        events.sort { $0.time < $1.time }
        var groupBy: [String: String] = [:]
        for (field, value) in zip(rule.groupBy, state.values) { groupBy[field] = value }
        return RuleHit(ruleID: rule.id, title: rule.title, level: rule.level, file: rule.file,
                       kind: RuleHit.Kind(rawValue: rule.kind.rawValue) ?? .temporal,
                       events: events, groupBy: groupBy, count: count, values: values,
                       tags: rule.tags, description: rule.description)
    }

    /// Reports a correlation hit and passes it on to correlations that refer to it.
    private mutating func emit(_ hit: RuleHit, from c: Int, into hits: inout [RuleHit]) {
        if ruleSet.correlations[c].generatesHits { hits.append(hit) }
        for (parent, position) in correlationFeeds[c] {
            let entry = Entry(time: hit.lastSeen, source: position, events: hit.events, lookup: .groupBy(hit.groupBy))
            deliver(entry, to: parent, into: &hits)
        }
    }

    /// Drops expired entries and judges windows that have closed (all of them when `closingAll`).
    private mutating func sweep(closingAll: Bool, into hits: inout [RuleHit]) {
        for c in sweepOrder {
            let rule = ruleSet.correlations[c]
            let horizon = watermark.addingTimeInterval(-rule.timespan)
            var completed: [RuleHit] = []
            for key in Array(states[c].keys) {
                guard var state = states[c].removeValue(forKey: key) else { continue }
                if rule.condition.isMonotone {
                    if closingAll { state.clear() } else { state.expire(before: horizon) }
                } else if let start = state.windowStart, closingAll || start < horizon {
                    if let hit = judge(c, state) { completed.append(hit) }
                    state.clear()
                }
                states[c][key] = state.isEmpty ? nil : state
            }
            // Sorted so the output does not depend on dictionary order.
            completed.sort { ($0.firstSeen, $0.groupBy.values.sorted().joined()) < ($1.firstSeen, $1.groupBy.values.sorted().joined()) }
            for hit in completed { emit(hit, from: c, into: &hits) }
        }
    }
}
