import AWSClient
import Foundation

/// `--lookup-events`: CloudTrail's LookupEvents (the last 90 days of management events), paged and
/// paced at AWS's limit of 2 requests per second per account and region.
///
/// LookupEvents answers newest first and the correlations need time order, so the events are held
/// (as raw text) until every region's last page, then handed over oldest first. Its pace bounds
/// that: 50 events per request, 100 per second per region.
public struct LookupEventsSource: Sendable {
    public let client: AWSClient
    public let window: HuntWindow
    /// Seconds between two requests in one region.
    public let interval: Double

    public init(client: AWSClient, window: HuntWindow, requestsPerSecond: Double = 2) {
        self.client = client
        self.window = window
        self.interval = 1 / max(requestsPerSecond, 0.01)
    }

    public static func origin(_ region: String) -> String { "LookupEvents \(region)" }

    /// One region's events (epoch seconds, CloudTrailEvent text) and the problem that stopped it early.
    public func events(region: String) async -> (events: [LookedUpEvent], problem: InputProblem?) {
        var events: [LookedUpEvent] = []
        var problem: InputProblem?
        var first = true
        let interval = interval, window = window, client = client
        do {
            // AWSClient's one paginator: a repeated NextToken ends the region with a problem, not a loop.
            try await Paginator.run("LookupEvents") { (token: String?) throws(AWSError) -> String? in
                if !first { try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
                first = false
                var body: [String: JSONValue] = ["MaxResults": 50]
                if let since = window.since { body["StartTime"] = .number(since.timeIntervalSince1970.rounded(.down)) }
                if let until = window.until { body["EndTime"] = .number(until.timeIntervalSince1970.rounded(.up)) }
                if let token { body["NextToken"] = .string(token) }
                let page = try await client.json(.cloudtrail, region: region, operation: "LookupEvents", .object(body))
                for item in page["Events"]?.array ?? [] {
                    // The event itself is CloudTrailEvent, a JSON document in a string.
                    guard let text = item["CloudTrailEvent"]?.string else { continue }
                    events.append(LookedUpEvent(time: item["EventTime"]?.number ?? 0, json: text))
                }
                return page["NextToken"]?.string
            }
        } catch {
            problem = InputProblem(source: Self.origin(region), reason: "LookupEvents stopped after \(events.count) events: \(error)")
        }
        return (events, problem)
    }

    /// Every region's events as JSON lines, oldest first (regions interleaved by time, so a
    /// correlation across regions sees them in order).
    public static func jsonLines(_ regions: [[LookedUpEvent]]) -> Data {
        // Newest first from AWS: reversed, then a stable sort by time.
        let all = regions.flatMap { $0.reversed() }.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }
        var lines = Data()
        for (_, event) in all {
            lines.append(contentsOf: event.json.utf8)
            lines.append(0x0A)
        }
        return lines
    }
}

public struct LookedUpEvent: Sendable {
    public var time: Double
    public var json: String
}
