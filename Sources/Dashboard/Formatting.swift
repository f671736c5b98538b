import Foundation
import History
import MamoriCore

/// Small text helpers shared by the pages.
enum Formatting {
    /// `2026-11-25 16:45 UTC`: readable, and the same on every machine.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(days)
        return String(format: "%04lld-%02lld-%02lld %02lld:%02lld UTC", year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm): no
    /// DateFormatter, which is slow to build and depends on the locale.
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// "12m 5s" between two times, nil while running.
    static func duration(_ start: Date, _ end: Date?) -> String? {
        guard let end else { return nil }
        let seconds = max(0, Int(end.timeIntervalSince(start).rounded()))
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
    }

    /// A scan's failing counts keyed by severity (unknown names from a newer Mamori are ignored).
    static func failing(_ scan: ScanRecord) -> [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for (name, count) in scan.failing { if let severity = Severity(rawValue: name) { counts[severity, default: 0] += count } }
        return counts
    }

    /// Percent-encodes a query value: everything but unreserved characters.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `name=value&…` for the non-empty pairs, in the given order.
    static func query(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { "\(name)=\(queryValue($0))" } }.joined(separator: "&")
    }

    /// A console link only when it points at an AWS console (any partition's) over HTTPS (defence
    /// in depth: the value is built from stored data).
    static func safeConsoleURL(_ url: String?) -> String? {
        guard let url, let host = URL(string: url)?.host, url.hasPrefix("https://"),
              Partition.all.contains(where: { host == $0.consoleHost || host.hasSuffix("." + $0.consoleHost) }) else { return nil }
        return url
    }
}
