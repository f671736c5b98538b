import AWSClient
import Foundation

/// What the bill says about the exposure window: a stolen key is most often used to run instances
/// (mining) in regions the account does not use, and the bill shows it even where the sweep misses it.
public struct CostReport: Codable, Sendable {
    /// One region and service's spend: a daily average over the week before the window and over the window.
    public struct Line: Codable, Sendable, Equatable {
        public var region: String
        public var service: String
        public var baselinePerDay: Double
        public var windowPerDay: Double
        public var windowTotal: Double
        /// True when the window's spend is new or more than doubled (and above a dollar a day).
        public var rise: Bool
    }
    public var unit: String
    /// The window's total per day, oldest first (`YYYY-MM-DD`, amount).
    public var days: [Day]
    /// Lines with spend in the window, largest first (at most ``CostSignals/lineLimit``).
    public var lines: [Line]
    /// Cost Explorer marks the recent days as estimates.
    public var estimated: Bool
    /// Set when Cost Explorer could not be read: the reason, so the report says so instead of "no cost".
    public var error: String?

    public struct Day: Codable, Sendable, Equatable {
        public var date: String
        public var amount: Double
    }

    public var rises: [Line] { lines.filter(\.rise) }
}

/// Reads Cost Explorer's daily cost per region and service (`GetCostAndUsage`, grouped by REGION and
/// SERVICE) for the exposure window and the week before it.
public enum CostSignals {
    static let lineLimit = 15
    /// Each Cost Explorer request is billed (USD 0.01): pages are bounded.
    static let pageLimit = 20
    static let baselineDays = 7

    /// `region`: any region of the account's partition; Cost Explorer is global and signs for its partition's region.
    public static func read(since: Date, now: Date, client: AWSClient, region: String = "us-east-1") async -> CostReport {
        let calendar = Self.utc
        let windowStart = calendar.startOfDay(for: since)
        let baselineStart = windowStart.addingTimeInterval(-Double(baselineDays) * 86_400)
        let end = calendar.startOfDay(for: now).addingTimeInterval(86_400)
        var results: [JSONValue] = []
        var token: String?
        do {
            for _ in 0..<pageLimit {
                var body: [String: JSONValue] = [
                    "TimePeriod": ["Start": .string(day(baselineStart)), "End": .string(day(end))],
                    "Granularity": "DAILY",
                    "Metrics": ["UnblendedCost"],
                    "GroupBy": [["Type": "DIMENSION", "Key": "REGION"], ["Type": "DIMENSION", "Key": "SERVICE"]],
                ]
                if let token { body["NextPageToken"] = .string(token) }
                let page = try await client.json(.costExplorer, region: region, operation: "GetCostAndUsage", .object(body))
                results += page["ResultsByTime"]?.array ?? []
                token = page["NextPageToken"]?.string
                if token?.isEmpty ?? true { break }
            }
        } catch {
            return CostReport(unit: "USD", days: [], lines: [], estimated: false,
                              error: "Cost Explorer GetCostAndUsage failed (\(error)): check the bill by hand (Billing → Cost Explorer, daily, by region and service)")
        }
        return summarize(results, windowStart: windowStart, baselineStart: baselineStart, end: end)
    }

    /// Pure: turns `ResultsByTime` into the window's days and the per region/service lines.
    static func summarize(_ results: [JSONValue], windowStart: Date, baselineStart: Date, end: Date) -> CostReport {
        let windowFirst = day(windowStart)
        var unit = "USD"
        var estimated = false
        var totals: [String: Double] = [:]
        var baseline: [[String]: Double] = [:]
        var window: [[String]: Double] = [:]
        for result in results {
            guard let start = result["TimePeriod"]?["Start"]?.string else { continue }
            if result["Estimated"]?.bool == true { estimated = true }
            let inWindow = start >= windowFirst
            for group in result["Groups"]?.array ?? [] {
                let keys = (group["Keys"]?.array ?? []).compactMap(\.string)
                guard keys.count == 2, let metric = group["Metrics"]?["UnblendedCost"],
                      let amount = metric["Amount"]?.string.flatMap(Double.init) else { continue }
                if let u = metric["Unit"]?.string { unit = u }
                if inWindow {
                    window[keys, default: 0] += amount
                    totals[start, default: 0] += amount
                } else {
                    baseline[keys, default: 0] += amount
                }
            }
            // Without groups (an account with no usage, or an emulator) the total still counts.
            if (result["Groups"]?.array ?? []).isEmpty, inWindow,
               let total = result["Total"]?["UnblendedCost"]?["Amount"]?.string.flatMap(Double.init) {
                totals[start, default: 0] += total
            }
        }
        let windowDays = max(1, end.timeIntervalSince(windowStart) / 86_400)
        let baselineDays = max(1, windowStart.timeIntervalSince(baselineStart) / 86_400)
        var lines: [CostReport.Line] = window.map { keys, total in
            let before = (baseline[keys] ?? 0) / baselineDays
            let during = total / windowDays
            return CostReport.Line(region: keys[0].isEmpty ? "global" : keys[0], service: keys[1], baselinePerDay: before,
                                   windowPerDay: during, windowTotal: total, rise: during >= 1 && during > 2 * before)
        }
        lines.sort { ($0.windowTotal, $0.region, $0.service) > ($1.windowTotal, $1.region, $1.service) }
        let days = totals.keys.sorted().map { CostReport.Day(date: $0, amount: totals[$0] ?? 0) }
        return CostReport(unit: unit, days: days, lines: Array(lines.prefix(lineLimit)), estimated: estimated, error: nil)
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func day(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
