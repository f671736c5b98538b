/// W3C extended log format (IIS, many proxies' exports): `#Fields:` names the space-separated
/// columns, `-` means empty, values with spaces are quoted (Blue Coat) or use `+` (IIS).
/// Header fields such as `cs(X-aws-ec2-metadata-token)` keep their names, so `|exists` works.
/// `#Fields:` may appear again mid-file and replaces the columns from there on.
struct W3CParser: LogLineParser {
    var fields: [String] = []

    var valuesMayBeEscaped: Bool { false }
    var schemaGeneration = 0
    var fieldUniverse: Set<String>? { Set(fields).union(["timestamp", "host", "dst_ip"]) }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        if line.first == UInt8(ascii: "#") {
            if hasPrefix(line, "#Fields:") {
                fields = String(decoding: line.dropFirst(8), as: UTF8.self)
                    .split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                schemaGeneration += 1
            }
            return .directive
        }
        if isBlank(line) { return .directive }
        if fields.isEmpty { return .malformed("data line before the #Fields: header") }
        var count = 0
        var inField = false
        var inQuote = false
        for b in line {
            if inQuote {
                if b == UInt8(ascii: "\"") { inQuote = false }
                continue
            }
            if b == 0x20 || b == 0x09 { inField = false; continue }
            if !inField { inField = true; count += 1 }
            if b == UInt8(ascii: "\"") { inQuote = true }
        }
        if inQuote { return .malformed("a quoted field is not closed") }
        if count != fields.count { return .malformed("has \(count) fields, #Fields: lists \(fields.count)") }
        return .data
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        guard let values = splitSpaceSeparated(line, quotes: true) else { throw LineProblem(reason: "a quoted field is not closed") }
        guard values.count == fields.count else { throw LineProblem(reason: "has \(values.count) fields, #Fields: lists \(fields.count)") }
        var r = Record()
        for (name, value) in zip(fields, values) where value != Array("-".utf8) {
            r[name] = value
        }
        if let date = r["date"], let time = r["time"] { r["timestamp"] = date + Array(" ".utf8) + time }
        if let target = r["cs-uri"] ?? r["cs-uri-stem"] {
            UrlFields.apply(url: text(target), method: r["cs-method"].map(text), to: &r)
        }
        return r
    }
}
