/// The query languages `mamori imds rule --target` writes.
public enum QueryTarget: String, CaseIterable, Sendable {
    case splunk
    case elasticLucene = "elastic-lucene"
    case esql
    case kusto
    case qradar
    case sigma
}

/// Converts a SIGMA rule to a SIEM's query language.
///
/// Each target writes the same logic: selections become parenthesised groups (Splunk binds OR
/// tighter than AND, so nothing is left to precedence), string matching stays case-insensitive
/// as SIGMA requires, and CIDR values use the target's own range function. Differences from
/// pySigma's backends are listed in docs/imds.md.
public enum QueryConverter {
    /// The query for `rule` in `target`'s language. `source` is the rule's YAML, echoed for `sigma`.
    public static func convert(_ rule: SigmaRule, to target: QueryTarget, source: String) throws(LogDetectError) -> String {
        if target == .sigma { return source }
        let dialect: Dialect
        switch target {
        case .splunk: dialect = SplunkDialect()
        case .elasticLucene: dialect = LuceneDialect()
        case .esql: dialect = ESQLDialect()
        case .kusto: dialect = KustoDialect()
        case .qradar: dialect = QRadarDialect()
        case .sigma: return source
        }
        let body = try render(rule.condition, rule: rule, dialect: dialect)
        return dialect.wrap(body)
    }

    static func render(_ expr: ConditionExpr, rule: SigmaRule, dialect: Dialect) throws(LogDetectError) -> String {
        switch expr {
        case let .selection(name):
            guard let selection = rule.selection(named: name) else {
                throw .conversionUnsupported(target: dialect.name, reason: "unknown selection \(name)")
            }
            return try renderSelection(selection, dialect: dialect)
        case let .not(inner):
            return "\(dialect.not) \(group(try render(inner, rule: rule, dialect: dialect)))"
        case let .and(items):
            var parts: [String] = []
            for item in items { parts.append(group(try render(item, rule: rule, dialect: dialect))) }
            return parts.joined(separator: " \(dialect.and) ")
        case let .or(items):
            var parts: [String] = []
            for item in items { parts.append(group(try render(item, rule: rule, dialect: dialect))) }
            return parts.joined(separator: " \(dialect.or) ")
        case let .oneOf(pattern), let .allOf(pattern):
            let isAll: Bool = { if case .allOf = expr { return true } else { return false } }()
            var parts: [String] = []
            for name in SelectionPattern.matching(pattern, in: rule) {
                guard let selection = rule.selection(named: name) else { continue }
                parts.append(group(try renderSelection(selection, dialect: dialect)))
            }
            return parts.joined(separator: " \(isAll ? dialect.and : dialect.or) ")
        }
    }

    static func renderSelection(_ selection: Selection, dialect: Dialect) throws(LogDetectError) -> String {
        switch selection.body {
        case let .keywords(values):
            var parts: [String] = []
            for v in values {
                guard let text = v.plainText else { continue }
                parts.append(try dialect.keyword(text))
            }
            return parts.map(group).joined(separator: " \(dialect.or) ")
        case let .maps(maps):
            var alternatives: [String] = []
            for map in maps {
                var conjuncts: [String] = []
                for matcher in map { conjuncts.append(group(try renderMatcher(matcher, dialect: dialect))) }
                alternatives.append(conjuncts.joined(separator: " \(dialect.and) "))
            }
            return alternatives.map(group).joined(separator: " \(dialect.or) ")
        }
    }

    static func renderMatcher(_ m: FieldMatcher, dialect: Dialect) throws(LogDetectError) -> String {
        if let transform = m.transforms.first {
            throw .conversionUnsupported(target: dialect.name, reason: "the modifier |\(transform.rawValue) on \(m.field) is matched by mamori's engine but not converted to SIEM queries")
        }
        if m.isExists {
            let exists = m.values.first == .bool(true)
            return exists ? dialect.exists(m.field) : "\(dialect.not) \(group(dialect.exists(m.field)))"
        }
        var terms: [String] = []
        for value in m.values {
            terms.append(try renderValue(value, matcher: m, dialect: dialect))
        }
        return terms.map(group).joined(separator: " \(m.requiresAll ? dialect.and : dialect.or) ")
    }

    static func renderValue(_ value: SigmaValue, matcher m: FieldMatcher, dialect: Dialect) throws(LogDetectError) -> String {
        if value == .null { return "\(dialect.not) \(group(dialect.exists(m.field)))" }
        guard let text = value.plainText else { return dialect.exists(m.field) }
        if m.isCIDR {
            guard let range = CIDR(text) else { throw .conversionUnsupported(target: dialect.name, reason: "'\(text)' is not a CIDR") }
            return try dialect.cidr(m.field, range)
        }
        if m.isRegex { return try dialect.regex(m.field, text, caseInsensitive: m.modifiers.contains(.i)) }
        var pattern: SigmaString
        if case let .string(s) = value { pattern = s } else { pattern = SigmaString(raw: escapeWildcards(text)) }
        switch m.position {
        case .contains: pattern.parts = [.anyRun] + pattern.parts + [.anyRun]
        case .startswith: pattern.parts = pattern.parts + [.anyRun]
        case .endswith: pattern.parts = [.anyRun] + pattern.parts
        default: break
        }
        return try dialect.match(m.field, pattern, cased: m.isCased)
    }

    static func escapeWildcards(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "*" || ch == "?" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Parenthesises any expression with a top-level and/or/not, so precedence never decides
    /// (Splunk binds OR tighter than AND; other targets the other way round).
    static func group(_ s: String) -> String {
        isCompound(s) ? "(\(s))" : s
    }

    static func isCompound(_ s: String) -> Bool {
        var depth = 0
        var quote: Character?
        var word = ""
        var previous: Character = " "
        for ch in s + " " {
            if let q = quote {
                if ch == q && previous != "\\" { quote = nil }
                previous = ch
                continue
            }
            switch ch {
            case "\"", "'", "`": quote = ch
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            if ch == " " {
                if depth == 0, ["and", "or", "not"].contains(word.lowercased()) { return true }
                word = ""
            } else if depth == 0 {
                word.append(ch)
            }
            previous = ch
        }
        return false
    }
}

/// The literal runs and wildcards of a pattern, in the shapes dialects need.
extension SigmaString {
    /// (contains/startswith/endswith/equals literal) when the pattern is one literal with stars at the ends.
    var simpleShape: (kind: String, literal: String)? {
        switch parts.count {
        case 0: return ("equals", "")
        case 1: if case let .literal(l) = parts[0] { return ("equals", l) }
        case 2:
            if parts[0] == .anyRun, case let .literal(l) = parts[1] { return ("endswith", l) }
            if parts[1] == .anyRun, case let .literal(l) = parts[0] { return ("startswith", l) }
        case 3:
            if parts[0] == .anyRun, parts[2] == .anyRun, case let .literal(l) = parts[1] { return ("contains", l) }
        default: break
        }
        return nil
    }

    /// The pattern with `star` / `one` wildcards and `escape` applied to literal text.
    func render(star: String, one: String, escape: (String) -> String) -> String {
        parts.map { part in
            switch part {
            case let .literal(l): return escape(l)
            case .anyRun: return star
            case .anyOne: return one
            }
        }.joined()
    }

    /// A regular expression equivalent to the pattern (for targets without infix wildcards).
    var regex: String {
        "^" + render(star: ".*", one: ".", escape: regexEscape) + "$"
    }
}

func regexEscape(_ s: String) -> String {
    var out = ""
    for ch in s {
        if "\\.^$|?*+()[]{}/".contains(ch) { out.append("\\") }
        out.append(ch)
    }
    return out
}

extension CIDR {
    /// The address as text, compressed for IPv6.
    var addressText: String {
        let d = description
        return String(d[..<(d.firstIndex(of: "/") ?? d.endIndex)])
    }

    /// Every textual form of a single-address range that a log might hold (IPv6: compressed and full).
    var singleAddressForms: [String]? {
        if network.isIPv4 { return prefixLength == 32 ? [addressText] : nil }
        guard prefixLength == 128 else { return nil }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(network.bytes[i]) << 8 | UInt16(network.bytes[i + 1])) }
        let full = groups.map { g -> String in let h = String(g, radix: 16); return String(repeating: "0", count: 4 - h.count) + h }.joined(separator: ":")
        let compressed = network.compressedIPv6
        let uncompressed = groups.map { String($0, radix: 16) }.joined(separator: ":")
        var forms = [compressed]
        for f in [uncompressed, full] where !forms.contains(f) { forms.append(f) }
        return forms
    }
}
