/// The `key = value` / `key: value` entries found anywhere inside one bracketed argument list.
struct Arguments {
    struct Entry {
        /// Lower-cased, underscores removed: `Owners`, `owners`, `OWNERS` all read `owners`; `most_recent` reads `mostrecent`.
        var key: String
        /// Bracket depth below the call's own bracket (1 = a direct argument).
        var depth: Int
        /// Token index of the bracket that holds the entry: entries of one filter object share it.
        var object: Int
        var value: Range<Int>
    }

    let tokens: [CodeToken]
    private(set) var entries: [Entry] = []
    private(set) var hasSpread = false

    private static let openers: Set<String> = ["(", "[", "{"]
    private static let closers: Set<String> = [")", "]", "}"]

    init(tokens: [CodeToken], open: Int, close: Int) {
        self.tokens = tokens
        var stack = [open]
        var i = open + 1
        while i < close {
            let t = tokens[i]
            if t.kind == .punct && Self.openers.contains(t.text) {
                stack.append(i)
            } else if t.kind == .punct && Self.closers.contains(t.text) {
                if stack.count > 1 { stack.removeLast() }
            } else if t.isPunct("...") || (t.isPunct("**") && stack.count == 1) {
                hasSpread = true
            } else if t.kind == .identifier || t.kind == .string,
                      let prev = Optional(tokens[i - 1]), prev.isPunct("(") || prev.isPunct("{") || prev.isPunct(",") {
                let next = tokens[i + 1]
                if next.isPunct("=") || next.isPunct(":") {
                    let end = Self.valueEnd(tokens, from: i + 2, limit: close)
                    entries.append(Entry(key: Self.normalize(t.text), depth: stack.count, object: stack.last ?? open, value: (i + 2)..<end))
                } else if t.kind == .identifier, next.isPunct(",") || next.isPunct("}"),
                          let holder = stack.last, tokens[holder].isPunct("{") {
                    // TypeScript shorthand property `{ owners }`.
                    entries.append(Entry(key: Self.normalize(t.text), depth: stack.count, object: stack.last ?? open, value: i..<(i + 1)))
                }
            }
            i += 1
        }
    }

    static func normalize(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "")
    }

    private static func valueEnd(_ tokens: [CodeToken], from start: Int, limit: Int) -> Int {
        var depth = 0
        var i = start
        while i < limit {
            let t = tokens[i]
            if t.kind == .punct {
                if openers.contains(t.text) { depth += 1 }
                if closers.contains(t.text) {
                    if depth == 0 { return i }
                    depth -= 1
                }
                if t.text == "," && depth == 0 { return i }
            }
            i += 1
        }
        return limit
    }

    func value(of key: String) -> Range<Int>? {
        entries.first { $0.key == key }?.value
    }

    mutating func merge(_ other: Arguments) {
        entries += other.entries.map { var e = $0; e.depth += 1; return e }
        hasSpread = hasSpread || other.hasSpread
    }

    func strings(in range: Range<Int>) -> [String] {
        range.filter { tokens[$0].kind == .string }.map { tokens[$0].text }
    }

    func firstString(in range: Range<Int>) -> String? {
        range.first { tokens[$0].kind == .string }.map { tokens[$0].text }
    }

    /// Words that only shape an empty value: `[]`, `None`, `[]string{}`, `new string[] {}`, `undefined`.
    private static let emptyWords: Set<String> = ["None", "null", "undefined", "nil", "new", "string", "String", "list", "List", "Array", "StringArray", "pulumi", "of"]

    func isEmptyValue(_ range: Range<Int>) -> Bool {
        for i in range {
            let t = tokens[i]
            switch t.kind {
            case .string where !t.text.trimmingSpaces.isEmpty && t.text != "*": return false
            case .identifier where !Self.emptyWords.contains(t.text): return false
            case .number: return false
            default: continue
            }
        }
        return true
    }

    /// The value as written, for messages.
    func text(_ range: Range<Int>) -> String {
        range.map { tokens[$0].kind == .string ? "\"\(tokens[$0].text)\"" : tokens[$0].text }.joined(separator: " ")
    }
}
