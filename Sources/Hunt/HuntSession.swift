import Foundation
import StreamIO
import SigmaEngine
import LogReaders

/// What one hunt read.
public struct HuntStats: Codable, Sendable, Equatable {
    /// Files or objects opened.
    public var sources = 0
    /// Events read (split out of the sources).
    public var events = 0
    /// Events the prefilter could not rule out, parsed and (inside the window) matched.
    public var parsed = 0
    /// Events outside `--since`/`--until` (in files the path could not rule out).
    public var outsideWindow = 0
    /// Events that could not be parsed (listed under problems, per source).
    public var unreadable = 0
    public var hits = 0
    /// Hits dropped because every event was inside the egress ranges or shared only with trusted accounts.
    public var suppressed = 0
    public var seconds = 0.0

    public init() {}
}

/// The outcome: alerts, and every source that could not be read in full (exit 3).
public struct HuntResult: Sendable {
    public var alerts: [HuntAlert]
    public var problems: [InputProblem]
    public var stats: HuntStats
}

/// Streams events from sources through the rules and folds hits into alerts.
///
/// Sources are read one after the other in the order given (path order is time order in the S3
/// layout, which the correlations need); within a source, one event is held at a time.
public struct HuntSession {
    private var matcher: HuntMatcher
    private let prefilter: HuntPrefilter
    private var book = AlertBook()
    public let window: HuntWindow
    public let enricher: EventEnricher
    /// The per-key baselines (nil: off); see ``KeyBaseline``.
    private var baseline: KeyBaseline?
    public private(set) var problems: [InputProblem] = []
    public private(set) var stats = HuntStats()
    private let started = Date()

    public init(rules: HuntRuleSet, window: HuntWindow = HuntWindow(), enricher: EventEnricher = EventEnricher(),
                baseline: BaselineSettings? = nil) {
        self.matcher = HuntMatcher(rules)
        self.baseline = baseline.flatMap { $0.enabled ? KeyBaseline(settings: $0) : nil }
        self.prefilter = HuntPrefilter(rules: rules)
        self.window = window
        self.enricher = enricher
    }

    /// Adds a problem found outside `read` (a file that would not open, a listing that failed).
    public mutating func note(_ problem: InputProblem) { problems.append(problem) }

    /// Reads every event of one source. A source that stops early (cut-off gzip, bad JSON) keeps
    /// the events read before and is listed as a problem.
    public mutating func read(_ source: any ByteSource, origin: String) {
        stats.sources += 1
        let splitter = EventSplitter(source: source)
        var unreadable = 0
        var firstReason: String?
        do throws(SplitError) {
            while let bytes = try splitter.next() {
                stats.events += 1
                let mayMatch = prefilter.mayMatch(bytes)
                if !mayMatch {
                    // No rule can match it; the baseline still needs its account, region and time,
                    // and the whole event when a long-term key signed it.
                    guard baseline != nil else { continue }
                    guard KeyBaseline.wantsParse(bytes) else { baseline!.observeRaw(bytes, window: window); continue }
                }
                stats.parsed += 1
                var record: Record
                do throws(LogDetectError) { record = try CloudTrailRecord.parse(bytes) } catch {
                    unreadable += 1
                    if firstReason == nil { firstReason = "event \(splitter.events): \(error)" }
                    continue
                }
                guard let time = CloudTrailRecord.eventTime(record) else {
                    unreadable += 1
                    if firstReason == nil { firstReason = "event \(splitter.events) has no eventTime in CloudTrail's format" }
                    continue
                }
                guard window.contains(time: time) else { stats.outsideWindow += 1; continue }
                enricher.enrich(&record)
                let id = record.text(["eventID"]) ?? "\(origin)#\(splitter.events)"
                baseline?.observe(record, time: time, eventID: id, origin: origin)
                guard mayMatch else { continue }
                for hit in matcher.feed(record: record, time: time, eventID: id) { take(hit) }
            }
        } catch {
            problems.append(InputProblem(source: origin, reason: "\(error) (after \(splitter.events) events)"))
        }
        if unreadable > 0 {
            stats.unreadable += unreadable
            problems.append(InputProblem(source: origin, reason: "\(unreadable) event\(unreadable == 1 ? "" : "s") could not be read; first: \(firstReason ?? "?")"))
        }
    }

    private mutating func take(_ hit: RuleHit) {
        guard let kept = DelegatedFilters.apply(hit) else { stats.suppressed += 1; return }
        stats.hits += 1
        book.add(kept)
    }

    /// Closes the correlations still open and returns the alerts.
    public mutating func finish(trust: ImageTrust = ImageTrust()) -> HuntResult {
        for hit in matcher.finish() { take(hit) }
        if let baseline {
            let judged = baseline.finish()
            for alert in judged.alerts {
                stats.hits += alert.events.count
                book.add(ruleId: alert.id, title: alert.title, level: alert.level, events: alert.events)
            }
            problems += judged.problems
        }
        stats.seconds = Date().timeIntervalSince(started)
        return HuntResult(alerts: book.alerts(trust: trust), problems: problems, stats: stats)
    }
}

/// The filters two shipped rules leave to the hunt, as their descriptions say: facts from outside
/// the event (the user's egress ranges and AWS's EC2 ranges; the trust list), which the enricher
/// writes as `mamori.*` fields. A user rule tests those fields itself (`mamori.sourceOutsideEgress: 'true'`).
enum DelegatedFilters {
    /// rules/cloudtrail/aws_instance_credentials_outside_ec2.yml
    static let egressRules: Set<String> = ["53b23d69-390e-4283-8e8f-1f5aa4c0db7e"]
    /// rules/cloudtrail/aws_shared_out_account.yml
    static let trustedShareRules: Set<String> = ["f2ff0c3d-67e7-405e-84ef-bd581917b66f"]

    /// The hit without the events the filter drops; nil when none is left.
    static func apply(_ hit: RuleHit) -> RuleHit? {
        let field: String
        if egressRules.contains(hit.ruleID) { field = "mamori.sourceOutsideEgress" }
        else if trustedShareRules.contains(hit.ruleID) { field = "mamori.sharedOutside" }
        else { return hit }
        var kept = hit
        kept.events = hit.events.filter { $0.record.text([field]) != "false" }
        return kept.events.isEmpty ? nil : kept
    }
}
