import Foundation

/// Pulls the host out of a request target as proxies log it: `http://host:port/path`,
/// `host:port` (CONNECT), or a bare `/path` (no host).
public enum URLParts {
    /// The host as written (IPv6 keeps its brackets), or nil when the target has none.
    public static func host(_ target: String, method: String? = nil) -> String? {
        var rest = Substring(target)
        if let range = rest.range(of: "://") {
            rest = rest[range.upperBound...]
        } else if method?.uppercased() != "CONNECT" {
            return nil
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("[") {
            if let close = rest.firstIndex(of: "]") { return String(rest[...close]) }
            return nil
        }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        return rest.isEmpty ? nil : String(rest)
    }

    /// Adds `host` and, when the host is an address literal, `dst_ip`, unless already present.
    static func addDestination(from target: String, method: String?, to record: inout Record) {
        guard let host = host(target, method: method) else { return }
        if record["host"] == nil { record["host"] = Array(host.utf8) }
        if record["dst_ip"] == nil, IPAddress(host) != nil {
            record["dst_ip"] = Array(host.trimmingCharacters(in: "[]").utf8)
        }
    }
}

/// Splits on runs of spaces, keeping `"quoted strings"` (with `\"` or `""` inside) as one field.
/// Returns nil when a quote is not closed.
func splitSpaceSeparated(_ line: UnsafeRawBufferPointer, quotes: Bool) -> [[UInt8]]? {
    var fields: [[UInt8]] = []
    var i = 0
    let n = line.count
    while i < n {
        while i < n, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        if i >= n { break }
        if quotes, line[i] == UInt8(ascii: "\"") {
            var value: [UInt8] = []
            i += 1
            var closed = false
            while i < n {
                let c = line[i]
                if c == UInt8(ascii: "\\"), i + 1 < n, line[i + 1] == UInt8(ascii: "\"") { value.append(c); value.append(line[i + 1]); i += 2; continue }
                if c == UInt8(ascii: "\"") {
                    if i + 1 < n, line[i + 1] == UInt8(ascii: "\"") { value.append(c); i += 2; continue }
                    i += 1
                    closed = true
                    break
                }
                value.append(c)
                i += 1
            }
            if !closed { return nil }
            fields.append(value)
        } else {
            let start = i
            while i < n, line[i] != 0x20, line[i] != 0x09 { i += 1 }
            fields.append(Array(line[start..<i]))
        }
    }
    return fields
}
