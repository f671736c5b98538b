/// Turns log timestamps into ISO 8601 where the format is unambiguous (epoch seconds as Zeek and
/// Squid write them); other forms are kept as written.
public enum TimeText {
    /// Returns (display text, epoch seconds if known).
    public static func normalize(_ raw: String) -> (String, Double?) {
        if let epoch = Double(raw), epoch > 100_000_000, epoch < 10_000_000_000, raw.allSatisfy({ $0.isNumber || $0 == "." }) {
            return (iso8601(epoch), epoch)
        }
        return (raw, nil)
    }

    static func iso8601(_ epoch: Double) -> String {
        // Round to the millisecond first: 1759881600.1 is stored as …600.0999999.
        let totalMillis = Int((epoch * 1000).rounded())
        let seconds = totalMillis / 1000
        let millis = totalMillis % 1000
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2)).\(pad(millis, 3))Z"
    }
}
