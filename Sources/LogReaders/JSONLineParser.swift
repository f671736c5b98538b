/// One JSON object per line (Zeek JSON, Suricata EVE, generic JSON lines).
///
/// Nested objects are flattened with dots (`{"http":{"url":…}}` gives `http.url`; Zeek's literal
/// `"id.resp_h"` keys stay as they are). Arrays are kept as their raw JSON text, so `contains`
/// finds a header name inside EVE's `http.request_headers` list (dump-all-headers). `null` means absent.
struct JSONLineParser: LogLineParser {
    var valuesMayBeEscaped: Bool { true }
    var fieldUniverse: Set<String>? { nil }
    var schemaGeneration: Int { 0 }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        var s = 0
        var e = line.count
        while s < e, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
        while e > s, line[e - 1] == 0x20 || line[e - 1] == 0x09 { e -= 1 }
        if s == e { return .directive }
        guard line[s] == UInt8(ascii: "{") else { return .malformed("not a JSON object (does not start with '{')") }
        guard line[e - 1] == UInt8(ascii: "}") else { return .malformed("not a complete JSON object (does not end with '}'; cut off?)") }
        return .data
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        var reader = JSONReader(bytes: line)
        var record = Record()
        reader.skipSpace()
        try reader.object(prefix: "", into: &record)
        reader.skipSpace()
        guard reader.atEnd else { throw LineProblem(reason: "extra text after the JSON object at byte \(reader.position + 1)") }
        return record
    }
}

/// A minimal byte-level JSON reader: enough to flatten one object into a Record.
struct JSONReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var depth = 0
    /// CloudTrail mode: besides the array's text (compacted, so `contains` does not depend on the
    /// writer's spacing), each element is also flattened under its index (`a.b.0.c`). Off for the
    /// IMDS scan, whose records keep arrays as raw text only.
    var indexArrays = false

    init(bytes: UnsafeRawBufferPointer, indexArrays: Bool = false) {
        self.bytes = bytes
        self.indexArrays = indexArrays
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[position]) { position += 1 }
    }

    func fail(_ what: String) -> LineProblem {
        LineProblem(reason: "invalid JSON at byte \(position + 1): \(what)")
    }

    mutating func expect(_ c: UInt8) throws(LineProblem) {
        skipSpace()
        guard position < bytes.count, bytes[position] == c else {
            throw fail("expected '\(Character(UnicodeScalar(c)))'")
        }
        position += 1
    }

    mutating func object(prefix: String, into record: inout Record) throws(LineProblem) {
        depth += 1
        guard depth < 64 else { throw fail("nested too deeply") }
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; depth -= 1; return }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key string") }
            let key = String(decoding: try string(), as: UTF8.self)
            try expect(UInt8(ascii: ":"))
            skipSpace()
            let name = prefix.isEmpty ? key : prefix + "." + key
            guard position < bytes.count else { throw fail("value missing") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try object(prefix: name, into: &record)
            case UInt8(ascii: "\""):
                record[name] = try string()
            case UInt8(ascii: "["):
                let start = position
                if indexArrays {
                    try array(prefix: name, into: &record)
                    record[name] = JSONReader.compact(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
                } else {
                    try skipValue()
                    record[name] = Array(bytes[start..<position])
                }
            default:
                let start = position
                try skipValue()
                let raw = Array(bytes[start..<position])
                if raw != Array("null".utf8) { record[name] = raw }
            }
            skipSpace()
            guard position < bytes.count else { throw fail("object not closed") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; depth -= 1; return }
            throw fail("expected ',' or '}'")
        }
    }

    /// Flattens an array's elements under `prefix.0`, `prefix.1`, … (CloudTrail mode).
    mutating func array(prefix: String, into record: inout Record) throws(LineProblem) {
        depth += 1
        guard depth < 64 else { throw fail("nested too deeply") }
        try expect(UInt8(ascii: "["))
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; depth -= 1; return }
        var index = 0
        while true {
            skipSpace()
            guard position < bytes.count else { throw fail("array not closed") }
            let name = prefix + "." + String(index)
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try object(prefix: name, into: &record)
            case UInt8(ascii: "\""):
                record[name] = try string()
            case UInt8(ascii: "["):
                let start = position
                try array(prefix: name, into: &record)
                record[name] = JSONReader.compact(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
            default:
                let start = position
                try skipValue()
                let raw = Array(bytes[start..<position])
                if raw != Array("null".utf8) { record[name] = raw }
            }
            index += 1
            skipSpace()
            guard position < bytes.count else { throw fail("array not closed") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; depth -= 1; return }
            throw fail("expected ',' or ']'")
        }
    }

    /// JSON text without the spaces and line breaks outside strings (`[{"name": "x"}]` gives
    /// `[{"name":"x"}]`), so a rule's `contains` works whatever the writer's layout.
    static func compact(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var inString = false
        var escaped = false
        for c in raw {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { continue }
            if c == UInt8(ascii: "\"") { inString = true }
            out.append(c)
        }
        return out
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue() throws(LineProblem) {
        skipSpace()
        guard position < bytes.count else { throw fail("value missing") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            var scratch = Record()
            try object(prefix: "", into: &scratch)
        case UInt8(ascii: "["):
            depth += 1
            guard depth < 64 else { throw fail("nested too deeply") }
            position += 1
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; depth -= 1; return }
            while true {
                try skipValue()
                skipSpace()
                guard position < bytes.count else { throw fail("array not closed") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; depth -= 1; return }
                throw fail("expected ',' or ']'")
            }
        default:
            let start = position
            while position < bytes.count {
                let c = bytes[position]
                let ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c == 45 || c == 43 || c == 46 || c == 69
                if !ok { break }
                position += 1
            }
            let raw = Array(bytes[start..<position])
            if raw.isEmpty { throw fail("unexpected character") }
            if raw == Array("true".utf8) || raw == Array("false".utf8) || raw == Array("null".utf8) { return }
            guard JSONReader.isNumber(raw) else { throw fail("'\(String(decoding: raw, as: UTF8.self))' is not a JSON value") }
        }
    }

    /// Reads a string at `position` (which is at the opening quote) and decodes its escapes.
    mutating func string() throws(LineProblem) -> [UInt8] {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") { position += 1; return out }
            if c == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count else { break }
                let e = bytes[position + 1]
                position += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            position += 1
        }
        throw fail("string not closed")
    }

    mutating func hex4() throws(LineProblem) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let n = IPAddress.hexValue(bytes[position]) else { throw fail("bad \\u escape") }
            v = v << 4 | UInt32(n)
            position += 1
        }
        return v
    }

    /// JSON number grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?
    static func isNumber(_ b: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == 45 { i += 1 }
        let intStart = i
        let n = digits()
        guard n > 0, !(n > 1 && b[intStart] == 48) else { return false }
        if i < b.count, b[i] == 46 { i += 1; guard digits() > 0 else { return false } }
        if i < b.count, b[i] == 69 || b[i] == 101 {
            i += 1
            if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }
}

/// One whole JSON object flattened into a Record, for readers of JSON documents that are not lines
/// (CloudTrail: arrays indexed element by element, so `items.0.imageId` names one value).
public enum JSONObject {
    public static func flatten(_ json: UnsafeRawBufferPointer, indexArrays: Bool) throws(LineProblem) -> Record {
        var reader = JSONReader(bytes: json, indexArrays: indexArrays)
        var record = Record()
        reader.skipSpace()
        try reader.object(prefix: "", into: &record)
        reader.skipSpace()
        guard reader.atEnd else { throw LineProblem(reason: "extra text after the JSON object at byte \(reader.position + 1)") }
        return record
    }
}
