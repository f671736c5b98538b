/// The log formats `mamori imds scan` reads. Auto-detected from the first line unless forced.
public enum LogFormat: String, CaseIterable, Sendable, Codable {
    /// Zeek `conn.log` / `http.log` in the default TSV form with `#fields` header.
    case zeek
    /// Zeek logs written as JSON lines (`LogAscii::use_json=T`).
    case zeekJSON = "zeek-json"
    /// Suricata EVE JSON (`eve.json`).
    case suricata
    /// Squid native `access.log`.
    case squid
    /// Apache/nginx combined log format (forward proxies log absolute URLs).
    case combined
    /// W3C extended log format (`#Fields:` header): IIS, proxies, exports.
    case w3c
    /// Any JSON lines; map fields with `imds.fieldMap` in mamori.yml.
    case json
    /// CSV export with a header row (firewalls).
    case csv

    /// Guesses the format from the first non-blank line.
    public static func detect(firstLine: UnsafeRawBufferPointer) -> LogFormat? {
        let text = String(decoding: firstLine.prefix(4096), as: UTF8.self)
        var line = Substring(text)
        if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        line = line.drop { $0 == " " || $0 == "\t" }
        if line.hasPrefix("#separator") || line.hasPrefix("#fields\t") || line.hasPrefix("#path\t") {
            return .zeek
        }
        if line.hasPrefix("#Software:") || line.hasPrefix("#Version:") || line.hasPrefix("#Fields:") || line.hasPrefix("#Date:") || line.hasPrefix("#Remark:") {
            return .w3c
        }
        if line.hasPrefix("{") {
            if line.contains("\"event_type\"") { return .suricata }
            if line.contains("\"id.orig_h\"") || (line.contains("\"uid\"") && line.contains("\"ts\"")) { return .zeekJSON }
            return .json
        }
        let tokens = line.split(separator: " ", omittingEmptySubsequences: true)
        if tokens.count >= 10, isSquidTime(tokens[0]), tokens[1].allSatisfy(\.isNumber), tokens[3].contains("/") {
            return .squid
        }
        if line.contains(" [") && line.contains("] \"") {
            return .combined
        }
        if line.contains(",") {
            return .csv
        }
        return nil
    }

    private static func isSquidTime(_ token: Substring) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    /// The reader for this format (CSV columns renamed by `csvAliases`; Zeek keeps only `wanted`
    /// columns when given). Readers stay internal: callers see the `LogLineParser` protocol.
    public func makeParser(csvAliases: [String: String], wanted: Set<String>? = nil) -> any LogLineParser {
        switch self {
        case .zeek: return ZeekTSVParser(wanted: wanted)
        case .zeekJSON, .suricata, .json: return JSONLineParser()
        case .squid: return SquidParser()
        case .combined: return CombinedParser()
        case .w3c: return W3CParser()
        case .csv: return CSVParser(aliases: csvAliases)
        }
    }

    /// Names accepted by `--format` besides the raw values.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "zeek", "zeek-tsv", "bro": self = .zeek
        case "zeek-json": self = .zeekJSON
        case "suricata", "eve", "eve-json": self = .suricata
        case "squid": self = .squid
        case "combined", "apache", "nginx": self = .combined
        case "w3c", "iis": self = .w3c
        case "json", "jsonl", "json-lines": self = .json
        case "csv": self = .csv
        default: return nil
        }
    }
}

/// What a cheap look at a line found.
public enum LineVerdict: Sendable {
    /// A data line that can be parsed.
    case data
    /// A header, directive or blank line: not data, not an error.
    case directive
    /// Broken; the reason is reported with file and line number.
    case malformed(String)
}

/// Why a full parse failed.
public struct LineProblem: Error {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

/// A per-format line parser. `inspect` runs on every line and must be cheap; `parse` runs only on
/// lines the prefilter selected.
public protocol LogLineParser {
    /// Checks a line's structure and consumes header/directive lines.
    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict
    /// Decodes a data line into named fields.
    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record
    /// Every field name a data line can yield under the current header (nil: open-ended, e.g. JSON).
    var fieldUniverse: Set<String>? { get }
    /// Changes whenever a header line changes the fields (so the scanner re-derives its needles).
    var schemaGeneration: Int { get }
    /// True when field values may be escaped in the raw line (`\xNN`, JSON `\u…`), so a line
    /// containing a backslash must be evaluated even without a needle.
    var valuesMayBeEscaped: Bool { get }
    /// For a run of whole lines (each ending in `\n`) that the prefilter found no needle in: the
    /// byte length and line count of its longest prefix of lines on which `inspect` would have no
    /// effect (no header or directive, no malformed line), found without calling `inspect` per line.
    /// The scanner inspects the line after that prefix itself, then asks again for the rest.
    /// `(0, 0)` (the default) makes the scanner inspect every line.
    func quietPrefix(_ run: UnsafeRawBufferPointer) -> (bytes: Int, lines: Int)
}

extension LogLineParser {
    public func quietPrefix(_ run: UnsafeRawBufferPointer) -> (bytes: Int, lines: Int) { (0, 0) }
}

@inlinable @inline(__always)
public func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
    for b in line where b != 0x20 && b != 0x09 { return false }
    return true
}

@inline(__always)
func hasPrefix(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
    let p = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    guard line.count >= p.count else { return false }
    for i in 0..<p.count where line[i] != p[i] { return false }
    return true
}

@inlinable
public func text(_ raw: UnsafeRawBufferPointer) -> String { String(decoding: raw, as: UTF8.self) }
