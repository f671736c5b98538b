import LogReaders

/// A rule ready to evaluate: values turned into glob/CIDR/regex matchers once, up front.
public struct CompiledRule: Sendable {
    public let rule: SigmaRule
    let selections: [CompiledSelection]
    let indexByName: [String: Int]
    let condition: CompiledCondition
    /// Selections that count as "matched" in reports (those not only reached through `not`).
    let positiveSelections: Set<Int>

    public init(_ rule: SigmaRule) { self.init(rule, nullMatchesEmpty: true) }

    /// `nullMatchesEmpty`: whether `field: null` also matches an empty value. True for the network
    /// logs of `imds scan` (an empty CSV/W3C column means unset); false for CloudTrail, where JSON
    /// tells `""` from an absent field and SIGMA's `''` and `null` differ (as in pySigma's SQL).
    public init(_ rule: SigmaRule, nullMatchesEmpty: Bool) {
        self.rule = rule
        var selections: [CompiledSelection] = []
        var indexByName: [String: Int] = [:]
        for (i, selection) in rule.selections.enumerated() {
            selections.append(CompiledSelection(selection, nullMatchesEmpty: nullMatchesEmpty))
            indexByName[selection.name] = i
        }
        self.selections = selections
        self.indexByName = indexByName
        self.condition = CompiledCondition(rule.condition, rule: rule, index: indexByName)
        var positive = Set<Int>()
        CompiledRule.collectPositive(condition, negated: false, into: &positive)
        self.positiveSelections = positive
    }

    /// Evaluates the rule on a record; returns the names of the positively matched selections,
    /// or nil when the rule does not match.
    public func evaluate(_ record: Record, line: UnsafeRawBufferPointer) -> [String]? {
        var cache = [Int8](repeating: -1, count: selections.count)
        guard condition.evaluate(record, line, selections, &cache) else { return nil }
        var names: [String] = []
        for i in 0..<selections.count where cache[i] == 1 && positiveSelections.contains(i) {
            names.append(selections[i].name)
        }
        return names
    }

    private static func collectPositive(_ c: CompiledCondition, negated: Bool, into set: inout Set<Int>) {
        switch c {
        case let .selection(i): if !negated { set.insert(i) }
        case let .not(inner): collectPositive(inner, negated: !negated, into: &set)
        case let .and(items), let .or(items): for item in items { collectPositive(item, negated: negated, into: &set) }
        case let .oneOf(ids), let .allOf(ids): if !negated { set.formUnion(ids) }
        }
    }
}

indirect enum CompiledCondition: Sendable {
    case selection(Int)
    case not(CompiledCondition)
    case and([CompiledCondition])
    case or([CompiledCondition])
    case oneOf([Int])
    case allOf([Int])

    init(_ expr: ConditionExpr, rule: SigmaRule, index: [String: Int]) {
        switch expr {
        case let .selection(name): self = .selection(index[name] ?? -1)
        case let .not(inner): self = .not(CompiledCondition(inner, rule: rule, index: index))
        case let .and(items): self = .and(items.map { CompiledCondition($0, rule: rule, index: index) })
        case let .or(items): self = .or(items.map { CompiledCondition($0, rule: rule, index: index) })
        case let .oneOf(pattern): self = .oneOf(SelectionPattern.matching(pattern, in: rule).compactMap { index[$0] })
        case let .allOf(pattern): self = .allOf(SelectionPattern.matching(pattern, in: rule).compactMap { index[$0] })
        }
    }

    /// `cache` holds -1 (not yet evaluated), 0 or 1 per selection, so each selection runs at most once.
    func evaluate(_ record: Record, _ line: UnsafeRawBufferPointer, _ selections: [CompiledSelection], _ cache: inout [Int8]) -> Bool {
        switch self {
        case let .selection(i):
            return CompiledCondition.selectionResult(i, record, line, selections, &cache)
        case let .not(inner):
            return !inner.evaluate(record, line, selections, &cache)
        case let .and(items):
            for item in items where !item.evaluate(record, line, selections, &cache) { return false }
            return true
        case let .or(items):
            // Evaluate all branches so every matching selection is reported, not just the first.
            var any = false
            for item in items where item.evaluate(record, line, selections, &cache) { any = true }
            return any
        case let .oneOf(ids):
            var any = false
            for i in ids where selectionResult(i, record, line, selections, &cache) { any = true }
            return any
        case let .allOf(ids):
            for i in ids where !CompiledCondition.selectionResult(i, record, line, selections, &cache) { return false }
            return !ids.isEmpty
        }
    }

    private func selectionResult(_ i: Int, _ record: Record, _ line: UnsafeRawBufferPointer, _ selections: [CompiledSelection], _ cache: inout [Int8]) -> Bool {
        CompiledCondition.selectionResult(i, record, line, selections, &cache)
    }

    static func selectionResult(_ i: Int, _ record: Record, _ line: UnsafeRawBufferPointer, _ selections: [CompiledSelection], _ cache: inout [Int8]) -> Bool {
        guard i >= 0 && i < selections.count else { return false }
        if cache[i] >= 0 { return cache[i] == 1 }
        let result = selections[i].matches(record, line)
        cache[i] = result ? 1 : 0
        return result
    }
}

struct CompiledSelection: Sendable {
    let name: String
    let maps: [[CompiledFieldMatcher]]
    let keywords: [ValueTest]

    init(_ selection: Selection, nullMatchesEmpty: Bool) {
        name = selection.name
        switch selection.body {
        case let .maps(list):
            maps = list.map { $0.map { CompiledFieldMatcher($0, nullMatchesEmpty: nullMatchesEmpty) } }
            keywords = []
        case let .keywords(values):
            maps = []
            // Keywords match anywhere in the line.
            keywords = values.map { ValueTest.make($0, position: .contains, modifiers: []) }
        }
    }

    func matches(_ record: Record, _ line: UnsafeRawBufferPointer) -> Bool {
        if !keywords.isEmpty {
            let bytes = [UInt8](line)
            return keywords.contains { $0.test(bytes) }
        }
        for map in maps where map.allSatisfy({ $0.matches(record) }) { return true }
        return false
    }
}

struct CompiledFieldMatcher: Sendable {
    let field: String
    let requiresAll: Bool
    let tests: [ValueTest]
    let exists: Bool?

    init(_ matcher: FieldMatcher, nullMatchesEmpty: Bool = true) {
        field = matcher.field
        requiresAll = matcher.requiresAll
        if matcher.isExists, case let .bool(b) = matcher.values.first {
            exists = b
            tests = []
            return
        }
        exists = nil
        if matcher.isCIDR {
            tests = matcher.values.compactMap { $0.plainText.flatMap(CIDR.init) }.map { ValueTest.cidr($0) }
        } else if matcher.isRegex {
            tests = matcher.values.compactMap { value in
                value.plainText.flatMap { RegexCache.compile($0, modifiers: matcher.modifiers) }.map { ValueTest.regex(SharedRegex(regex: $0)) }
            }
        } else if matcher.transforms.isEmpty {
            tests = matcher.values.map { value in
                if value == .null && !nullMatchesEmpty { return .absent }
                return ValueTest.make(value, position: matcher.position, modifiers: matcher.modifiers)
            }
        } else {
            // Each written value becomes the set of its variants; `all` still means every written value.
            tests = matcher.values.map { value in
                let variants = ValueTransform.variants(of: value, transforms: matcher.transforms)
                return ValueTest.anyOf(variants.map { ValueTest.make($0, position: matcher.position, modifiers: matcher.modifiers) })
            }
        }
    }

    func matches(_ record: Record) -> Bool {
        let value = record[field]
        if let exists { return (value != nil) == exists }
        guard let value else {
            // Only `null` matches a missing field.
            return requiresAll ? tests.allSatisfy(\.isNull) : tests.contains(where: \.isNull)
        }
        if requiresAll { return tests.allSatisfy { $0.test(value) } }
        return tests.contains { $0.test(value) }
    }
}

enum ValueTest: Sendable {
    case glob(GlobMatcher)
    case cidr(CIDR)
    case regex(SharedRegex)
    /// `field: null` — absent or empty.
    case null
    /// `field: null` where only an absent field counts (CloudTrail).
    case absent
    /// Any of the variants a value transformation produced.
    indirect case anyOf([ValueTest])

    static func make(_ value: SigmaValue, position: Modifier?, modifiers: [Modifier]) -> ValueTest {
        let cased = modifiers.contains(.cased)
        switch value {
        case .null:
            return .null
        case let .number(text):
            return .glob(GlobMatcher(SigmaString(raw: wrap(escapeGlob(text), position)), caseSensitive: true))
        case let .bool(b):
            return .glob(GlobMatcher(SigmaString(raw: wrap(b ? "true" : "false", position)), caseSensitive: false))
        case let .string(s):
            return .glob(GlobMatcher(SigmaString(raw: wrap(s.raw, position)), caseSensitive: cased))
        }
    }

    private static func wrap(_ raw: String, _ position: Modifier?) -> String {
        switch position {
        case .contains: return "*" + raw + "*"
        case .startswith: return raw + "*"
        case .endswith: return "*" + raw
        default: return raw
        }
    }

    private static func escapeGlob(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "*" || ch == "?" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    var isNull: Bool {
        switch self {
        case .null, .absent: return true
        default: return false
        }
    }

    func test(_ value: [UInt8]) -> Bool {
        switch self {
        case let .glob(g): return g.matches(value)
        case let .cidr(range):
            return value.withUnsafeBytes { raw in
                guard let address = IPAddress.parse(trimmed(raw)) else { return false }
                return range.contains(address)
            }
        case let .regex(r): return r.matches(value)
        case .null: return value.isEmpty
        case .absent: return false
        case let .anyOf(tests): return tests.contains { $0.test(value) }
        }
    }
}

/// Drops surrounding spaces and tabs (log exporters pad some columns).
func trimmed(_ raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var s = 0
    var e = raw.count
    while s < e, raw[s] == 0x20 || raw[s] == 0x09 { s += 1 }
    while e > s, raw[e - 1] == 0x20 || raw[e - 1] == 0x09 { e -= 1 }
    return UnsafeRawBufferPointer(rebasing: raw[s..<e])
}
