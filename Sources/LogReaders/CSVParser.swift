/// CSV exports with a header row (firewall traffic logs). RFC 4180 quoting with `""`.
/// Header names are kept as written and, through `aliases`, also given the names the rules use
/// (e.g. "Destination address" → `dst_ip`), so a vendor export needs no rule change.
struct CSVParser: LogLineParser {
    var header: [String] = []
    let aliases: [String: String]

    var valuesMayBeEscaped: Bool { false }
    var schemaGeneration = 0
    var fieldUniverse: Set<String>? {
        var names = Set(header).union(["host", "dst_ip"])
        for h in header {
            if let alias = aliases[h.lowercased()] ?? CSVParser.builtInAliases[h.lowercased()] { names.insert(alias) }
        }
        return names
    }

    /// Common firewall export column names, lowercased, mapped to the rule's field names.
    static let builtInAliases: [String: String] = [
        "destination address": "dst_ip", "destination ip": "dst_ip", "destination": "dst_ip", "dst": "dst_ip",
        "dstip": "dst_ip", "dst_ip": "dst_ip", "dest_ip": "dst_ip", "dstaddr": "dst_ip", "dst ip": "dst_ip",
        "destination.ip": "dst_ip", "destinationip": "dst_ip", "remote address": "dst_ip",
        "source address": "src_ip", "source ip": "src_ip", "source": "src_ip", "src": "src_ip", "srcip": "src_ip",
        "src_ip": "src_ip", "srcaddr": "src_ip", "src ip": "src_ip", "source.ip": "src_ip", "sourceip": "src_ip",
        "url": "url", "url/filename": "url", "request url": "url", "uri": "url", "request_url": "url",
        "receive time": "timestamp", "time": "timestamp", "timestamp": "timestamp", "date/time": "timestamp",
        "generated time": "timestamp", "start time": "timestamp",
    ]

    init(aliases: [String: String]) {
        self.aliases = aliases
    }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        if isBlank(line) { return .directive }
        if header.isEmpty {
            guard let names = CSVParser.split(line) else { return .malformed("header row has an unclosed quote") }
            var trimmed = names.map { text($0).trimmingCharacters(in: " \t") }
            if let first = trimmed.first, first.hasPrefix("\u{FEFF}") { trimmed[0] = String(first.dropFirst()) }
            header = trimmed
            schemaGeneration += 1
            return .directive
        }
        var count = 1
        var inQuote = false
        for b in line {
            if b == UInt8(ascii: "\"") { inQuote.toggle() } else if b == UInt8(ascii: ","), !inQuote { count += 1 }
        }
        if inQuote { return .malformed("a quoted field is not closed (multi-line fields are not supported)") }
        if count != header.count { return .malformed("has \(count) columns, the header has \(header.count)") }
        return .data
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        guard let values = CSVParser.split(line) else { throw LineProblem(reason: "a quoted field is not closed") }
        guard values.count == header.count else { throw LineProblem(reason: "has \(values.count) columns, the header has \(header.count)") }
        var r = Record()
        for (name, value) in zip(header, values) {
            let v = Array(text(value).trimmingCharacters(in: " \t").utf8)
            if v.isEmpty || v == Array("-".utf8) { continue }
            r[name] = v
            let key = name.lowercased()
            if let alias = aliases[key] ?? CSVParser.builtInAliases[key], r[alias] == nil { r[alias] = v }
        }
        if let url = r["url"] { UrlFields.apply(url: text(url), method: nil, to: &r) }
        return r
    }

    static func split(_ line: UnsafeRawBufferPointer) -> [[UInt8]]? {
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        var inQuote = false
        var i = 0
        while i < line.count {
            let c = line[i]
            if inQuote {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") { current.append(c); i += 2; continue }
                    inQuote = false
                } else {
                    current.append(c)
                }
            } else if c == UInt8(ascii: "\"") {
                inQuote = true
            } else if c == UInt8(ascii: ",") {
                fields.append(current)
                current = []
            } else {
                current.append(c)
            }
            i += 1
        }
        if inQuote { return nil }
        fields.append(current)
        return fields
    }
}
