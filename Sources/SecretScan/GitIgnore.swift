/// The subset of `.gitignore` semantics a scanner needs: globs with `*`, `?`, `**` and `[…]`,
/// `!` negation, trailing `/` for directories, leading or inner `/` anchoring to the file's
/// directory. The last matching rule wins, as in git.
struct GitIgnore: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
        /// Directory of the `.gitignore` that holds the rule, relative to the scan root ("" = root).
        var base: String
    }

    var rules: [Rule] = []

    /// Adds the rules of one `.gitignore` file found in directory `base`.
    mutating func add(contents: String, base: String) {
        for rawLine in contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            while line.last == " " { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line = line.dropFirst() }
            if line.hasPrefix("\\") { line = line.dropFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") { directoryOnly = true; line = line.dropLast() }
            var anchored = line.dropLast().contains("/") || line.hasPrefix("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            if line.hasPrefix("**/") { line = line.dropFirst(3); anchored = line.contains("/") }
            if line.isEmpty { continue }
            rules.append(Rule(pattern: Array(line.utf8), negated: negated, directoryOnly: directoryOnly,
                              anchored: anchored, base: base))
        }
    }

    /// True when `relativePath` (from the scan root, `/`-separated) is ignored.
    func isIgnored(_ relativePath: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for rule in rules {
            if rule.directoryOnly && !isDirectory { continue }
            guard let local = Self.strip(base: rule.base, from: relativePath) else { continue }
            let subject: [UInt8]
            if rule.anchored {
                subject = Array(local.utf8)
            } else {
                subject = Array((local.split(separator: "/").last.map(String.init) ?? local).utf8)
            }
            if Self.glob(rule.pattern[...], subject[...]) { ignored = !rule.negated }
        }
        return ignored
    }

    private static func strip(base: String, from path: String) -> String? {
        if base.isEmpty { return path }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }

    /// Glob match; `*` and `?` stop at `/`, `**` crosses it.
    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var p = p, s = s
        while let c = p.first {
            switch c {
            case UInt8(ascii: "*"):
                if p.dropFirst().first == UInt8(ascii: "*") {
                    var rest = p.dropFirst(2)
                    if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
                    if rest.isEmpty { return true }
                    var t = s
                    while true {
                        if glob(rest, t) { return true }
                        guard !t.isEmpty else { return false }
                        t = t.dropFirst()
                    }
                }
                let rest = p.dropFirst()
                var t = s
                while true {
                    if glob(rest, t) { return true }
                    guard let first = t.first, first != UInt8(ascii: "/") else { return false }
                    t = t.dropFirst()
                }
            case UInt8(ascii: "?"):
                guard let first = s.first, first != UInt8(ascii: "/") else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            case UInt8(ascii: "["):
                guard let first = s.first, let close = p.dropFirst(2).firstIndex(of: UInt8(ascii: "]")) else {
                    if s.first != c { return false }
                    p = p.dropFirst(); s = s.dropFirst(); continue
                }
                var set = p[(p.startIndex + 1)..<close]
                var negate = false
                if set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^") { negate = true; set = set.dropFirst() }
                var matched = false
                var i = set.startIndex
                while i < set.endIndex {
                    if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
                        if set[i] <= first && first <= set[i + 2] { matched = true }
                        i += 3
                    } else {
                        if set[i] == first { matched = true }
                        i += 1
                    }
                }
                guard matched != negate else { return false }
                p = p[(close + 1)...]; s = s.dropFirst()
            default:
                guard s.first == c else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            }
        }
        return s.isEmpty
    }
}
