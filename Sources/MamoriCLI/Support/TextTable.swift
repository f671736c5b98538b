import Foundation
import MamoriCore

/// Plain aligned columns for history and diff output. Cells hold stored names (resources, targets)
/// that came from accounts: each goes through `TerminalText`, so none can break a row.
enum TextTable {
    static func render(header: [String], rows unsafeRows: [[String]]) -> String {
        let rows = unsafeRows.map { $0.map(TerminalText.sanitize) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
