/// Apache/nginx "combined" format as forward proxies write it:
/// `host ident user [time] "METHOD target PROTO" status bytes "referer" "user-agent"`.
/// The common format (without referer and agent) is accepted too.
///
/// Field names given: `src_ip`, `user`, `timestamp`, `request`, `method`, `url`, `request_url`,
/// `protocol`, `status`, `bytes`, `referer`, `user_agent`, `host` and `dst_ip` (from an absolute
/// target or a CONNECT target).
struct CombinedParser: LogLineParser {
    var valuesMayBeEscaped: Bool { false }
    var fieldUniverse: Set<String>? {
        ["src_ip", "user", "timestamp", "request", "method", "url", "request_url", "protocol", "status", "bytes",
         "referer", "user_agent", "host", "dst_ip"]
    }
    var schemaGeneration: Int { 0 }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        if isBlank(line) { return .directive }
        guard let open = line.firstIndex(of: UInt8(ascii: "[")) else { return .malformed("no [time] field") }
        guard line[open...].contains(UInt8(ascii: "\"")) else { return .malformed("no quoted request") }
        return .data
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        var r = Record()
        guard let open = line.firstIndex(of: UInt8(ascii: "[")),
              let close = line[open...].firstIndex(of: UInt8(ascii: "]")) else {
            throw LineProblem(reason: "no [time] field")
        }
        guard let head = splitSpaceSeparated(UnsafeRawBufferPointer(rebasing: line[0..<open]), quotes: false), head.count >= 3 else {
            throw LineProblem(reason: "expected 'host ident user' before [time]")
        }
        r["src_ip"] = head[0]
        if head[2] != Array("-".utf8) { r["user"] = head[2] }
        r["timestamp"] = Array(line[(open + 1)..<close])
        guard let rest = splitSpaceSeparated(UnsafeRawBufferPointer(rebasing: line[(close + 1)...]), quotes: true), rest.count >= 3 else {
            throw LineProblem(reason: "expected \"request\" status bytes after [time]")
        }
        let request = text(rest[0])
        r["request"] = rest[0]
        let parts = request.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count >= 2 {
            r["method"] = Array(parts[0].utf8)
            r["url"] = Array(parts[1].utf8)
            r["request_url"] = Array(parts[1].utf8)
            if parts.count >= 3 { r["protocol"] = Array(parts[2].utf8) }
            UrlFields.apply(url: parts[1], method: parts[0], to: &r)
        }
        r["status"] = rest[1]
        r["bytes"] = rest[2]
        if rest.count >= 4, rest[3] != Array("-".utf8) { r["referer"] = rest[3] }
        if rest.count >= 5, rest[4] != Array("-".utf8) { r["user_agent"] = rest[4] }
        return r
    }
}
