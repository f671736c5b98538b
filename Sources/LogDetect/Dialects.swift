import LogReaders
import SigmaEngine

/// One query language's spelling of the SIGMA primitives.
protocol Dialect {
    var name: String { get }
    var and: String { get }
    var or: String { get }
    var not: String { get }
    func wrap(_ body: String) -> String
    func exists(_ field: String) -> String
    func cidr(_ field: String, _ range: CIDR) throws(LogDetectError) -> String
    func regex(_ field: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String
    func match(_ field: String, _ pattern: SigmaString, cased: Bool) throws(LogDetectError) -> String
    func keyword(_ text: String) throws(LogDetectError) -> String
}

extension Dialect {
    var and: String { "AND" }
    var or: String { "OR" }
    var not: String { "NOT" }
    func wrap(_ body: String) -> String { body }
}

func isPlainName(_ s: String, extra: String = "") -> Bool {
    !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || extra.contains($0)) }
}

func doubleQuoted(_ s: String) -> String {
    "\"" + s.replacingAll(["\\": "\\\\", "\"": "\\\""]) + "\""
}

extension String {
    func replacingAll(_ map: [Character: String]) -> String {
        var out = ""
        for ch in self { if let r = map[ch] { out += r } else { out.append(ch) } }
        return out
    }
}

/// Splunk SPL search. Every group is parenthesised because SPL binds OR tighter than AND.
/// IPv4 CIDR values use search's native CIDR matching (`field="10.0.0.0/8"`); a single IPv6
/// address is matched in compressed and full notation.
struct SplunkDialect: Dialect {
    let name = "splunk"
    func field(_ f: String) -> String { isPlainName(f, extra: ".") ? f : doubleQuoted(f) }
    func exists(_ f: String) -> String { "\(field(f))=*" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String {
        if range.network.isIPv4 { return "\(field(f))=\(doubleQuoted(range.description))" }
        guard let forms = range.singleAddressForms else {
            throw .conversionUnsupported(target: name, reason: "SPL search cannot match the IPv6 range \(range); use | where cidrmatch() after the search")
        }
        return "\(field(f)) IN (\(forms.map(doubleQuoted).joined(separator: ", ")))"
    }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        throw .conversionUnsupported(target: name, reason: "a |re value on \(f) cannot be part of a search expression; add | regex \(f)=\"\(pattern)\" by hand")
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        // SPL has no single-character wildcard: '?' widens to '*'.
        let value = doubleQuoted(p.render(star: "*", one: "*", escape: { $0 }))
        return cased ? "\(field(f))=CASE(\(value))" : "\(field(f))=\(value)"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String { doubleQuoted(text) }
}

/// Elasticsearch query_string (Lucene) syntax. Reserved characters are escaped in names and values.
struct LuceneDialect: Dialect {
    let name = "elastic-lucene"
    static let reserved: Set<Character> = ["+", "-", "=", "&", "|", ">", "<", "!", "(", ")", "{", "}", "[", "]", "^", "\"", "~", "*", "?", ":", "\\", "/", " "]
    func esc(_ s: String) -> String {
        var out = ""
        for ch in s {
            if LuceneDialect.reserved.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
    func exists(_ f: String) -> String { "_exists_:\(esc(f))" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String { "\(esc(f)):\(doubleQuoted(range.description))" }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        // Lucene regular expressions match the whole value: wrap for SIGMA's search semantics.
        "\(esc(f)):/.*(\(pattern.replacingAll(["/": "\\/"]))).*/"
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        if let shape = p.simpleShape, shape.kind == "equals" { return "\(esc(f)):\(doubleQuoted(shape.literal))" }
        return "\(esc(f)):\(p.render(star: "*", one: "?", escape: esc))"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String { doubleQuoted(text) }
}

/// Elasticsearch ES|QL. Strings compare through `to_lower` so matching stays case-insensitive.
struct ESQLDialect: Dialect {
    let name = "esql"
    var and: String { "and" }
    var or: String { "or" }
    var not: String { "not" }
    func wrap(_ body: String) -> String { "from * metadata _id, _index, _version | where \(body)" }
    func field(_ f: String) -> String {
        isPlainName(f, extra: ".") && !(f.first?.isNumber ?? true) ? f : "`" + f.replacingAll(["`": "``"]) + "`"
    }
    func exists(_ f: String) -> String { "\(field(f)) is not null" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String { "cidr_match(\(field(f)), \(doubleQuoted(range.description)))" }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        let target = caseInsensitive ? "to_lower(\(field(f)))" : field(f)
        return "\(target) rlike \(doubleQuoted(".*(" + pattern + ").*"))"
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        let target = cased ? field(f) : "to_lower(\(field(f)))"
        let fold: (String) -> String = { cased ? $0 : $0.lowercased() }
        if let shape = p.simpleShape, shape.kind == "equals" { return "\(target) == \(doubleQuoted(fold(shape.literal)))" }
        let likeEscape: (String) -> String = { fold($0).replacingAll(["*": "\\*", "?": "\\?"]) }
        return "\(target) like \(doubleQuoted(p.render(star: "*", one: "?", escape: likeEscape)))"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String {
        throw .conversionUnsupported(target: name, reason: "ES|QL has no full-text keyword search; name a field in the rule")
    }
}

/// Microsoft Sentinel / Defender KQL. Names with characters other than letters, digits and `_`
/// are written `['id.resp_h']`; CIDR values use `ipv4_is_in_range` / `ipv6_is_in_range`.
struct KustoDialect: Dialect {
    var name = "kusto"
    /// The table (or union) the query reads; nil prints the `where` expression alone.
    var table: String? = nil
    var and: String { "and" }
    var or: String { "or" }
    var not: String { "not" }
    func wrap(_ body: String) -> String { table.map { "\($0)\n| where \(body)" } ?? body }
    func field(_ f: String) -> String {
        isPlainName(f) && !(f.first?.isNumber ?? true) ? f : "['" + f.replacingAll(["'": "\\'", "\\": "\\\\"]) + "']"
    }
    func exists(_ f: String) -> String { "isnotempty(\(field(f)))" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String {
        let fn = range.network.isIPv4 ? "ipv4_is_in_range" : "ipv6_is_in_range"
        return "\(fn)(\(field(f)), \(doubleQuoted(range.description)))"
    }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        "\(field(f)) matches regex \(doubleQuoted((caseInsensitive ? "(?i)" : "") + pattern))"
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        if let shape = p.simpleShape {
            let op: String
            switch shape.kind {
            case "contains": op = cased ? "contains_cs" : "contains"
            case "startswith": op = cased ? "startswith_cs" : "startswith"
            case "endswith": op = cased ? "endswith_cs" : "endswith"
            default: op = cased ? "==" : "=~"
            }
            return "\(field(f)) \(op) \(doubleQuoted(shape.literal))"
        }
        return "\(field(f)) matches regex \(doubleQuoted((cased ? "" : "(?i)") + p.regex))"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String {
        throw .conversionUnsupported(target: name, reason: "keyword searches need a field in KQL; name a field in the rule")
    }
}

/// IBM QRadar AQL. Every name is double-quoted (required for names with `-`), strings are
/// single-quoted, case-insensitive matching uses ILIKE, CIDR values use INCIDR.
struct QRadarDialect: Dialect {
    let name = "qradar"
    func wrap(_ body: String) -> String { "SELECT * FROM events WHERE \(body)" }
    /// QRadar's normalised fields (`sourceip`, `destinationip`) are bare; custom properties
    /// (`URL`) and names with `-` or `.` are double-quoted.
    func field(_ f: String) -> String {
        isPlainName(f) && f == f.lowercased() && !(f.first?.isNumber ?? true) ? f : "\"" + f.replacingAll(["\"": "\"\""]) + "\""
    }
    func quote(_ s: String) -> String { "'" + s.replacingAll(["'": "''"]) + "'" }
    func exists(_ f: String) -> String { "\(field(f)) IS NOT NULL" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String { "INCIDR(\(quote(range.description)), \(field(f)))" }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        "\(field(f)) \(caseInsensitive ? "IMATCHES" : "MATCHES") \(quote(".*(" + pattern + ").*"))"
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        let like = p.render(star: "%", one: "_", escape: { $0 })
        return "\(field(f)) \(cased ? "LIKE" : "ILIKE") \(quote(like))"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String {
        "UTF8(payload) ILIKE \(quote("%" + text + "%"))"
    }
}

/// Kibana Query Language (the search bar of Kibana and Elastic Security). KQL has no `?`
/// wildcard (widened to `*`, as for Splunk) and no regular expressions; CIDR values are quoted
/// and match `ip` fields. Matching on `keyword` fields is case-sensitive in KQL.
struct KibanaKQLDialect: Dialect {
    let name = "kibana-kql"
    var and: String { "and" }
    var or: String { "or" }
    var not: String { "not" }
    static let special: Set<Character> = ["\\", "(", ")", ":", "<", ">", "\"", "*", "{", "}", " "]
    func esc(_ s: String) -> String {
        var out = ""
        for ch in s {
            if KibanaKQLDialect.special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
    func exists(_ f: String) -> String { "\(esc(f)):*" }
    func cidr(_ f: String, _ range: CIDR) throws(LogDetectError) -> String { "\(esc(f)):\(doubleQuoted(range.description))" }
    func regex(_ f: String, _ pattern: String, caseInsensitive: Bool) throws(LogDetectError) -> String {
        throw .conversionUnsupported(target: name, reason: "KQL has no regular expressions (|re on \(f)); use the elastic-lucene or esql target")
    }
    func match(_ f: String, _ p: SigmaString, cased: Bool) throws(LogDetectError) -> String {
        if let shape = p.simpleShape, shape.kind == "equals" { return "\(esc(f)):\(doubleQuoted(shape.literal))" }
        return "\(esc(f)):\(p.render(star: "*", one: "*", escape: esc))"
    }
    func keyword(_ text: String) throws(LogDetectError) -> String { doubleQuoted(text) }
}
