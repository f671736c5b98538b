import LogReaders

/// Derives, from the rules themselves, literal strings of which every matching line must contain
/// at least one (compared ASCII case-insensitively). Lines without any are skipped unparsed.
///
/// Sound by construction: a selection contributes a needle only when each of its matches implies
/// that literal in the raw line; `not`, `exists`, `null`, regular expressions and pure wildcards
/// contribute none, and then the prefilter is off and every line is evaluated.
public enum Needles {
    /// What is known of the fields a log can produce.
    public struct Context: Sendable {
        /// Every field name a line of this log can have (after aliases), or nil when open-ended (JSON).
        public var universe: Set<String>?
        /// Log field → rule field renames from the config (`field_map`), reversed.
        public var mappedFrom: [String: [String]]

        public init(universe: Set<String>? = nil, mappedFrom: [String: [String]] = [:]) {
            self.universe = universe
            self.mappedFrom = mappedFrom
        }
    }

    /// The needle set for all rules together, or nil when some rule can match without any literal.
    /// An empty array means no line of this log can match at all (the rules' fields are absent).
    public static func derive(_ rules: [CompiledRule], context: Context = Context()) -> [String]? {
        var all: Set<String> = []
        for rule in rules {
            guard let set = needles(rule.condition, rule, context) else { return nil }
            all.formUnion(set)
        }
        return minimize(all)
    }

    static func needles(_ c: CompiledCondition, _ rule: CompiledRule, _ ctx: Context) -> Set<String>? {
        switch c {
        case let .selection(i):
            return selectionNeedles(i, rule, ctx)
        case .not:
            return nil
        case let .and(items):
            return best(items.map { needles($0, rule, ctx) })
        case let .or(items):
            return union(items.map { needles($0, rule, ctx) })
        case let .oneOf(ids):
            return union(ids.map { selectionNeedles($0, rule, ctx) })
        case let .allOf(ids):
            return best(ids.map { selectionNeedles($0, rule, ctx) })
        }
    }

    static func selectionNeedles(_ i: Int, _ rule: CompiledRule, _ ctx: Context) -> Set<String>? {
        guard i >= 0, i < rule.rule.selections.count else { return nil }
        switch rule.rule.selections[i].body {
        case let .keywords(values):
            return union(values.map { valueNeedle($0, cidr: false) })
        case let .maps(maps):
            return union(maps.map { map in best(map.map { matcherNeedles($0, ctx) }) })
        }
    }

    static func matcherNeedles(_ m: FieldMatcher, _ ctx: Context) -> Set<String>? {
        let canBeNull = m.values.contains(.null) || (m.isExists && m.values.first == .bool(false))
        if let universe = ctx.universe, !universe.contains(m.field), !canBeNull {
            // The field never occurs in this log, so this matcher (and its AND) can never be true.
            return []
        }
        if m.isExists {
            guard m.values.first == .bool(true), ctx.universe == nil else { return nil }
            // In JSON a present key is written in the line: its last dotted part is a needle.
            var keys: Set<String> = [lastComponent(m.field)]
            for source in ctx.mappedFrom[m.field] ?? [] { keys.insert(lastComponent(source)) }
            return keys.contains { $0.utf8.count < 3 } ? nil : keys
        }
        if m.isRegex { return nil }
        let perValue = m.values.map { valueNeedle($0, cidr: m.isCIDR) }
        return m.requiresAll ? best(perValue) : union(perValue)
    }

    static func valueNeedle(_ v: SigmaValue, cidr: Bool) -> Set<String>? {
        if cidr {
            guard let text = v.plainText, let range = CIDR(text), let needle = range.literalNeedle else { return nil }
            return [needle.lowercased()]
        }
        switch v {
        case .null: return nil
        case let .number(n): return [n]
        case let .bool(b): return [b ? "true" : "false"]
        case let .string(s):
            guard let longest = s.literals.max(by: { $0.utf8.count < $1.utf8.count }), longest.utf8.count >= 3 else { return nil }
            return [longest.lowercased()]
        }
    }

    static func lastComponent(_ field: String) -> String {
        String(field.split(separator: ".").last.map(String.init) ?? field).lowercased()
    }

    /// Any one necessary set will do for an AND: take the most selective (longest shortest needle).
    static func best(_ sets: [Set<String>?]) -> Set<String>? {
        var chosen: Set<String>?
        for case let set? in sets {
            if set.isEmpty { return [] }
            guard let current = chosen else { chosen = set; continue }
            let a = set.map(\.utf8.count).min() ?? 0
            let b = current.map(\.utf8.count).min() ?? 0
            if a > b || (a == b && set.count < current.count) { chosen = set }
        }
        return chosen
    }

    static func union(_ sets: [Set<String>?]) -> Set<String>? {
        var out: Set<String> = []
        for set in sets {
            guard let set else { return nil }
            out.formUnion(set)
        }
        return out
    }

    /// Drops needles that contain another needle: the shorter one already finds those lines.
    static func minimize(_ input: Set<String>) -> [String] {
        let sorted = input.sorted { ($0.utf8.count, $0) < ($1.utf8.count, $1) }
        var kept: [String] = []
        for n in sorted where !kept.contains(where: { n.contains($0) }) { kept.append(n) }
        return kept
    }

    /// Groups needles under shared anchors: one search pass per anchor, then each hit is verified
    /// against the full needles of its group, so merging costs passes, not precision.
    static func anchorGroups(_ needles: [String], minShared: Int = 6) -> [(anchor: String, members: [String])] {
        var groups: [(anchor: String, members: [String])] = needles.map { ($0, [$0]) }
        while groups.count > 1 {
            var best = ""
            var pair = (0, 0)
            for i in 0..<groups.count {
                for j in (i + 1)..<groups.count {
                    let s = longestCommonSubstring(groups[i].anchor, groups[j].anchor)
                    if s.utf8.count > best.utf8.count { best = s; pair = (i, j) }
                }
            }
            guard best.utf8.count >= minShared else { break }
            let merged = (anchor: best, members: groups[pair.0].members + groups[pair.1].members)
            groups.remove(at: pair.1)
            groups[pair.0] = merged
        }
        return groups
    }

    static func longestCommonSubstring(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard !x.isEmpty, !y.isEmpty else { return "" }
        var previous = [Int](repeating: 0, count: y.count + 1)
        var bestLength = 0
        var bestEnd = 0
        for i in 1...x.count {
            var current = [Int](repeating: 0, count: y.count + 1)
            for j in 1...y.count where x[i - 1] == y[j - 1] {
                current[j] = previous[j - 1] + 1
                if current[j] > bestLength { bestLength = current[j]; bestEnd = i }
            }
            previous = current
        }
        return String(decoding: x[(bestEnd - bestLength)..<bestEnd], as: UTF8.self)
    }
}
