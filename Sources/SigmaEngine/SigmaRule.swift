import LogReaders

/// A parsed SIGMA detection rule: the part the engine evaluates plus metadata for reports.
public struct SigmaRule: Sendable, Equatable {
    public var id: String
    public var title: String
    public var level: String
    public var file: String
    /// Selections in file order (order matters for reports and conversions).
    public var selections: [Selection]
    public var condition: ConditionExpr
    /// The condition text as written.
    public var conditionText: String
    /// The optional `name` a correlation rule may refer to instead of the id.
    public var name: String? = nil
    /// `logsource` keys and values as written (`product`, `service`, `category`).
    public var logsource: [String: String] = [:]
    /// `tags` as written (`attack.t1525`, …) and `description`.
    public var tags: [String] = []
    public var description: String = ""

    /// Looks a selection up by name.
    public func selection(named name: String) -> Selection? {
        selections.first { $0.name == name }
    }
}

/// A named search identifier: an OR of alternatives, each an AND of field matchers,
/// or a list of keywords matched against the whole line.
public struct Selection: Sendable, Equatable {
    public var name: String
    public var body: Body

    public enum Body: Sendable, Equatable {
        /// Any one map of the list must match (a single map is a list of one).
        case maps([[FieldMatcher]])
        /// Any keyword must occur in the raw line.
        case keywords([SigmaValue])
    }
}

/// One `field|modifier|…: values` entry.
public struct FieldMatcher: Sendable, Equatable {
    public var field: String
    public var modifiers: [Modifier]
    public var values: [SigmaValue]

    /// True when `|all` asks every value to match instead of any.
    public var requiresAll: Bool { modifiers.contains(.all) }
    /// The string-position modifier in effect.
    public var position: Modifier? {
        modifiers.first { [.contains, .startswith, .endswith].contains($0) }
    }
    public var isCIDR: Bool { modifiers.contains(.cidr) }
    public var isRegex: Bool { modifiers.contains(.re) }
    public var isExists: Bool { modifiers.contains(.exists) }
    public var isCased: Bool { modifiers.contains(.cased) }
    /// Value transformations in effect (base64, base64offset, windash).
    public var transforms: [Modifier] { modifiers.filter { [.base64, .base64offset, .windash].contains($0) } }
}

/// The SIGMA value modifiers the engine supports.
public enum Modifier: String, Sendable, Equatable, CaseIterable {
    case contains, startswith, endswith, all, cidr, re, exists, cased
    /// Value transformations (applied before the position modifier): the value base64-encoded,
    /// its three encodings at each offset in a longer base64 text (with `contains`), and the
    /// Windows dash variants of command-line switches (`-x`, `/x`, en/em dash, horizontal bar).
    case base64, base64offset, windash
    /// Regular-expression flags (`re|i`, `re|m`, `re|s`).
    case i, m, s
}

/// A value in a detection: strings keep their wildcard structure.
public enum SigmaValue: Sendable, Equatable {
    case string(SigmaString)
    case number(String)
    case bool(Bool)
    case null

    /// The value as text, the way a log would write it.
    public var plainText: String? {
        switch self {
        case let .string(s): return s.raw
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        case .null: return nil
        }
    }
}

/// A SIGMA string value: literal parts separated by `*` / `?` wildcards (escape with `\`).
public struct SigmaString: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case anyRun   // *
        case anyOne   // ?
    }

    /// The text as written in the rule.
    public var raw: String
    public var parts: [Part]

    public init(raw: String) {
        self.raw = raw
        var parts: [Part] = []
        var literal = ""
        var escaped = false
        for ch in raw {
            if escaped {
                // `\*`, `\?` and `\\` are literals; any other `\x` keeps the backslash (SIGMA spec).
                if ch == "*" || ch == "?" || ch == "\\" { literal.append(ch) } else { literal.append("\\"); literal.append(ch) }
                escaped = false
                continue
            }
            switch ch {
            case "\\": escaped = true
            case "*":
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.anyRun)
            case "?":
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.anyOne)
            default: literal.append(ch)
            }
        }
        if escaped { literal.append("\\") }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The text with wildcards removed, when there are none.
    public var plainLiteral: String? {
        if parts.isEmpty { return "" }
        if parts.count == 1, case let .literal(text) = parts[0] { return text }
        return nil
    }

    public var hasWildcards: Bool { plainLiteral == nil }

    /// Literal runs, longest first (used to derive prefilter needles).
    public var literals: [String] {
        parts.compactMap { if case let .literal(t) = $0 { return t } else { return nil } }
    }
}

/// A parsed condition.
public indirect enum ConditionExpr: Sendable, Equatable {
    case selection(String)
    case not(ConditionExpr)
    case and([ConditionExpr])
    case or([ConditionExpr])
    /// `1 of pattern` / `all of pattern`; pattern `them` means every selection.
    case oneOf(String)
    case allOf(String)
}
