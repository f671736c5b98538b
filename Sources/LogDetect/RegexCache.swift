import Foundation

/// Compiles `|re` values. Regular expressions are case-sensitive unless `|i` is given (SIGMA spec),
/// and search anywhere in the value (unanchored), as the SIEM backends do.
enum RegexCache {
    static func compile(_ pattern: String, modifiers: [Modifier]) -> NSRegularExpression? {
        var options: NSRegularExpression.Options = []
        if modifiers.contains(.i) { options.insert(.caseInsensitive) }
        if modifiers.contains(.m) { options.insert(.anchorsMatchLines) }
        if modifiers.contains(.s) { options.insert(.dotMatchesLineSeparators) }
        return try? NSRegularExpression(pattern: pattern, options: options)
    }
}

/// A compiled regular expression that can be shared across tasks (it is immutable after creation).
struct SharedRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    func matches(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}
