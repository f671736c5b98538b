import LogReaders
import SigmaEngine

/// The query languages `mamori imds rule --target` writes.
public enum QueryTarget: String, CaseIterable, Sendable {
    case splunk
    case elasticLucene = "elastic-lucene"
    case esql
    case kibanaKQL = "kibana-kql"
    case kusto
    case sentinelASIM = "sentinel-asim"
    case sentinelCEF = "sentinel-cef"
    case qradar
    case sigma

    /// The field names the target's product uses (native: the rule's own names).
    public var fields: ProductFields {
        switch self {
        case .qradar: return .qradar
        case .sentinelASIM: return .sentinelASIM
        case .sentinelCEF: return .sentinelCEF
        default: return .native
        }
    }
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
        case .kibanaKQL: dialect = KibanaKQLDialect()
        case .kusto: dialect = KustoDialect()
        case .sentinelASIM: dialect = KustoDialect(name: target.rawValue, table: "union isfuzzy=true _Im_NetworkSession, _Im_WebSession")
        case .sentinelCEF: dialect = KustoDialect(name: target.rawValue, table: "CommonSecurityLog")
        case .qradar: dialect = QRadarDialect()
        case .sigma: return source
        }
        let body = try render(rule.condition, rule: mapped(rule, target.fields), dialect: dialect)
        return dialect.wrap(body)
    }

    /// The rule with its field names replaced by the product's. A field the product has no name
    /// for cannot be queried there (KQL fails on an unknown column), so the field-map alternatives
    /// using it are dropped; a selection left with none is marked empty and left out of ORs.
    static func mapped(_ rule: SigmaRule, _ fields: ProductFields) -> SigmaRule {
        if fields.isNative { return rule }
        var rule = rule
        for i in rule.selections.indices {
            guard case let .maps(maps) = rule.selections[i].body else { continue }
            let kept = maps.filter { map in map.allSatisfy { fields.names[$0.field] != nil } }
            rule.selections[i].body = .maps(kept.map { map in map.map { m in var m = m; m.field = fields.map(m.field); return m } })
        }
        return rule
    }

    /// Rule fields `target`'s product has no name for (their tests are left out of its query).
    public static func unmappedFields(_ rule: SigmaRule, to target: QueryTarget) -> [String] {
        let fields = target.fields
        if fields.isNative { return [] }
        var out: [String] = []
        for selection in rule.selections {
            guard case let .maps(maps) = selection.body else { continue }
            for map in maps { for m in map where fields.names[m.field] == nil && !out.contains(m.field) { out.append(m.field) } }
        }
        return out
    }

    /// Joins alternatives or conjuncts, dropping repeats (product mappings turn several vendor
    /// fields into one, so the same test would otherwise appear once per vendor schema).
    static func join(_ parts: [String], _ op: String) -> String {
        var seen = Set<String>()
        return parts.filter { seen.insert($0).inserted }.joined(separator: " \(op) ")
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
            return join(parts, dialect.and)
        case .or, .oneOf:
            return join(try alternatives(expr, rule: rule, dialect: dialect), dialect.or)
        case let .allOf(pattern):
            var parts: [String] = []
            for name in SelectionPattern.matching(pattern, in: rule) {
                guard let selection = rule.selection(named: name) else { continue }
                parts.append(group(try renderSelection(selection, dialect: dialect)))
            }
            return join(parts, dialect.and)
        }
    }

    /// The OR-alternatives of an expression, flattened through nested ORs, `1 of` and selections,
    /// so a test repeated by several selections (after a product mapping) is written once.
    /// Selections a product has no fields for are left out of an OR (they could never match there).
    static func alternatives(_ expr: ConditionExpr, rule: SigmaRule, dialect: Dialect) throws(LogDetectError) -> [String] {
        switch expr {
        case let .or(items):
            var out: [String] = []
            for item in items { out += try alternatives(item, rule: rule, dialect: dialect) }
            return out
        case let .oneOf(pattern):
            var out: [String] = []
            for name in SelectionPattern.matching(pattern, in: rule) {
                guard let selection = rule.selection(named: name), !selection.isEmptyAfterMapping else { continue }
                out += try selectionAlternatives(selection, dialect: dialect)
            }
            return out
        case let .selection(name):
            if let selection = rule.selection(named: name), selection.isEmptyAfterMapping { return [] }
            guard let selection = rule.selection(named: name) else {
                throw .conversionUnsupported(target: dialect.name, reason: "unknown selection \(name)")
            }
            return try selectionAlternatives(selection, dialect: dialect)
        default:
            return [group(try render(expr, rule: rule, dialect: dialect))]
        }
    }

    static func renderSelection(_ selection: Selection, dialect: Dialect) throws(LogDetectError) -> String {
        if selection.isEmptyAfterMapping {
            throw .conversionUnsupported(target: dialect.name, reason: "the product has none of the fields of selection \(selection.name)")
        }
        return join(try selectionAlternatives(selection, dialect: dialect), dialect.or)
    }

    static func selectionAlternatives(_ selection: Selection, dialect: Dialect) throws(LogDetectError) -> [String] {
        switch selection.body {
        case let .keywords(values):
            var parts: [String] = []
            for v in values {
                guard let text = v.plainText else { continue }
                parts.append(group(try dialect.keyword(text)))
            }
            return parts
        case let .maps(maps):
            var alternatives: [String] = []
            for map in maps {
                if map.count == 1, let only = map.first, !only.requiresAll, !only.isExists {
                    alternatives += try matcherTerms(only, dialect: dialect).map(group)
                    continue
                }
                var conjuncts: [String] = []
                for matcher in map { conjuncts.append(group(try renderMatcher(matcher, dialect: dialect))) }
                alternatives.append(group(join(conjuncts, dialect.and)))
            }
            return alternatives
        }
    }

    static func renderMatcher(_ m: FieldMatcher, dialect: Dialect) throws(LogDetectError) -> String {
        if m.isExists {
            let exists = m.values.first == .bool(true)
            return exists ? dialect.exists(m.field) : "\(dialect.not) \(group(dialect.exists(m.field)))"
        }
        return join(try matcherTerms(m, dialect: dialect).map(group), m.requiresAll ? dialect.and : dialect.or)
    }

    static func matcherTerms(_ m: FieldMatcher, dialect: Dialect) throws(LogDetectError) -> [String] {
        // Every path to a query passes here (a lone matcher skips renderMatcher): writing the plain value
        // of a base64/windash matcher would silently search for the wrong text.
        if let transform = m.transforms.first {
            throw .conversionUnsupported(target: dialect.name, reason: "the modifier |\(transform.rawValue) on \(m.field) is matched by mamori's engine but not converted to SIEM queries")
        }
        var terms: [String] = []
        for value in m.values {
            terms.append(try renderValue(value, matcher: m, dialect: dialect))
        }
        return terms
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

extension Selection {
    /// True when a product mapping left no field map (a parsed selection always has one).
    var isEmptyAfterMapping: Bool {
        if case let .maps(maps) = body { return maps.isEmpty }
        return false
    }
}
