import AWSClient
import Foundation

/// ISO 8601 dates as AWS writes them, with or without fractional seconds.
enum AWSDate {
    // Creating a formatter is costly; these are only read after creation (ISO8601DateFormatter is thread-safe).
    nonisolated(unsafe) private static let plain = ISO8601DateFormatter()
    nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let fast = utc(text) { return fast }
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, as CloudTrail writes every eventTime, without a formatter:
    /// the review parses hundreds of thousands of them.
    static func utc(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b.last == UInt8(ascii: "Z"), b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == UInt8(ascii: "."), b.count <= 30, let digits = number(20, b.count - 21) else { return nil }
            fraction = Double(digits) / pow(10, Double(b.count - 21))
        } else if b.count != 20 { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction)
    }

    static func format(_ date: Date) -> String { plain.string(from: date) }
}

extension AWSClient {
    /// Every item of a query-protocol list, following `Marker`/`IsTruncated` (IAM's pagination).
    func queryAll(_ service: AWSService, region: String, action: String, list: String,
                  _ params: [String: String] = [:]) async throws(AWSError) -> [XElement] {
        var items: [XElement] = []
        var marker: String?
        repeat {
            var page = params
            if let marker { page["Marker"] = marker }
            let result = try await query(service, region: region, action: action, page)
            items += result.list(list)
            marker = result.string("IsTruncated") == "true" ? result.string("Marker") : nil
        } while marker != nil
        return items
    }

    /// Every item of an EC2 list, following `NextToken`.
    func ec2All(region: String, action: String, list: String, _ params: [String: String] = [:]) async throws(AWSError) -> [XElement] {
        var items: [XElement] = []
        var token: String?
        repeat {
            var page = params
            if let token { page["NextToken"] = token }
            let result = try await query(.ec2, region: region, action: action, page)
            items += result.list(list)
            token = result.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return items
    }
}
