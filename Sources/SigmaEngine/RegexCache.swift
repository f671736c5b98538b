import Foundation
import LogReaders

/// Compiles `|re` values. Regular expressions are case-sensitive unless `|i` is given (SIGMA spec),
/// and search anywhere in the value (unanchored), as the SIEM backends do.
enum RegexCache {
    /// Why a pattern is refused before it runs: a quantified group that itself contains an
    /// unbounded quantifier (`(a+)+`, `(.*a){12}`) backtracks exponentially — `(.*a){12}$` took
    /// 20 s on a 40-character URL — and the regex engine has no time limit to stop it.
    static func catastrophicReason(_ pattern: String) -> String? {
        let chars = Array(pattern)
        // For each open group: whether an unbounded quantifier appeared inside it.
        var unboundedInside: [Bool] = []
        var i = 0
        var inClass = false
        func quantifier(at index: Int) -> (repeats: Bool, unbounded: Bool, length: Int)? {
            guard index < chars.count else { return nil }
            switch chars[index] {
            case "*", "+": return (true, true, 1)
            case "?": return (false, false, 1)
            case "{":
                guard let close = chars[index...].firstIndex(of: "}") else { return nil }
                let body = String(chars[(index + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !parts[0].isEmpty else { return nil }
                let low = Int(parts[0]) ?? 0
                let high = parts.count == 2 ? (parts[1].isEmpty ? nil : Int(parts[1])) : low
                return ((high ?? Int.max) > 1 || low > 1, high == nil, close - index + 1)
            default: return nil
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            switch c {
            case "[": inClass = true; i += 1
            case "(": unboundedInside.append(false); i += 1
            case ")":
                let inner = unboundedInside.popLast() ?? false
                i += 1
                if let q = quantifier(at: i) {
                    if inner && q.repeats {
                        return "a repeated group contains * or + (nested quantifiers backtrack exponentially); rewrite it without repeating that group"
                    }
                    if q.unbounded, !unboundedInside.isEmpty { unboundedInside[unboundedInside.count - 1] = true }
                    i += q.length
                } else if inner, !unboundedInside.isEmpty {
                    unboundedInside[unboundedInside.count - 1] = true
                }
            default:
                i += 1
                if let q = quantifier(at: i) {
                    if q.unbounded, !unboundedInside.isEmpty { unboundedInside[unboundedInside.count - 1] = true }
                    i += q.length
                    if i < chars.count, chars[i] == "?" || chars[i] == "+" { i += 1 }  // lazy or possessive
                }
            }
        }
        return nil
    }

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
