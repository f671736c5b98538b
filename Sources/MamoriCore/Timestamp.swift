import Foundation

/// ISO 8601 timestamps, the one home for Mamori's date text: AWS answers, CloudTrail records,
/// journals and every report. Parsing is lenient (AWS mixes whole and fractional seconds);
/// formatting is always UTC, whole seconds, `Z` (`2024-01-02T03:04:05Z`).
public enum ISO8601 {
    // Creating a formatter is costly; these are only read after creation (ISO8601DateFormatter is
    // thread-safe once its underlying formatter exists, which `warm` forces before sharing).
    nonisolated(unsafe) private static let plain = warm(ISO8601DateFormatter())
    nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return warm(formatter)
    }()
    nonisolated(unsafe) private static let day: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return warm(formatter)
    }()

    private static func warm(_ formatter: ISO8601DateFormatter) -> ISO8601DateFormatter {
        _ = formatter.string(from: Date(timeIntervalSince1970: 0))
        return formatter
    }

    /// A date with or without fractional seconds, any offset; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        if let fast = utc(text) { return fast }
        return plain.date(from: text) ?? fractional.date(from: text)
    }

    /// Like `parse`, and also a bare day (`2024-01-02`, midnight UTC), as people type them on the command line.
    public static func parseDayOrTime(_ text: String) -> Date? {
        parse(text) ?? day.date(from: text)
    }

    /// `2024-01-02T03:04:05Z`.
    public static func string(_ date: Date) -> String { plain.string(from: date) }

    /// `2024-01-02T03:04:05.678Z`.
    public static func fractionalString(_ date: Date) -> String { fractional.string(from: date) }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, as CloudTrail writes every eventTime, without a formatter:
    /// reviews and hunts parse hundreds of thousands of them.
    public static func utc(_ text: String) -> Date? {
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
}
