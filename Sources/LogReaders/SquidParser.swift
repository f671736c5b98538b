/// Squid's native `access.log`:
/// `time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type`.
///
/// Field names given: `timestamp`, `duration`, `src_ip`, `result_code`, `status`, `bytes`,
/// `method`, `url`, `user`, `hierarchy`, `dst_ip` (the peer host, or the URL host when it is an
/// address), `host` (from the URL) and `content_type`.
struct SquidParser: LogLineParser {
    var valuesMayBeEscaped: Bool { false }
    var fieldUniverse: Set<String>? {
        ["timestamp", "duration", "src_ip", "result_code", "status", "bytes", "method", "url", "user", "hierarchy",
         "dst_ip", "host", "content_type"]
    }
    var schemaGeneration: Int { 0 }

    mutating func inspect(_ line: UnsafeRawBufferPointer) -> LineVerdict {
        if isBlank(line) { return .directive }
        var fields = 0
        var inField = false
        for b in line {
            if b == 0x20 || b == 0x09 { inField = false } else if !inField { inField = true; fields += 1 }
        }
        if fields < 10 { return .malformed("has \(fields) fields, Squid's native format has 10") }
        let first = line[0]
        if first < 48 || first > 57 { return .malformed("does not start with a timestamp") }
        return .data
    }

    func parse(_ line: UnsafeRawBufferPointer) throws(LineProblem) -> Record {
        guard let f = splitSpaceSeparated(line, quotes: false), f.count >= 10 else {
            throw LineProblem(reason: "fewer than 10 fields")
        }
        var r = Record()
        let names = ["timestamp", "duration", "src_ip", "result_code", "bytes", "method", "url", "user", "hierarchy", "content_type"]
        for (i, name) in names.enumerated() where f[i] != Array("-".utf8) { r[name] = f[i] }
        let code = text(f[3])
        if let slash = code.firstIndex(of: "/") { r["status"] = Array(code[code.index(after: slash)...].utf8) }
        let hierarchy = text(f[8])
        if let slash = hierarchy.firstIndex(of: "/") {
            let peer = String(hierarchy[hierarchy.index(after: slash)...])
            if peer != "-", !peer.isEmpty { r["dst_ip"] = Array(peer.utf8) }
        }
        UrlFields.apply(url: text(f[6]), method: text(f[5]), to: &r)
        return r
    }
}

enum UrlFields {
    static func apply(url: String, method: String?, to r: inout Record) {
        URLParts.addDestination(from: url, method: method, to: &r)
    }
}

@inlinable
public func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
