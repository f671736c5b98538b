import StreamIO

/// Streams the members of a tar archive (POSIX ustar, GNU long names, pax extended headers).
///
/// Members are handed out as ``LimitedSource``s over the one underlying stream, so a
/// multi-gigabyte `docker save` image is read once, front to back, without temporary files.
final class TarReader {
    private let source: any ByteSource
    private let archiveName: String
    private var offset = 0

    init(source: any ByteSource, name: String) {
        self.source = source
        self.archiveName = name
    }

    /// Calls `body` for each regular file with its path and content; skips directories and links.
    func forEachFile(_ body: (String, LimitedSource) throws -> Void) throws {
        var longName: String?
        var paxPath: String?
        while true {
            let header = try readBlock()
            guard header.count == 512 else {
                if header.isEmpty { return }   // end of stream without the zero blocks: tolerated
                throw SecretScanError.corruptArchive(path: archiveName, reason: "truncated tar header at byte \(offset)")
            }
            if header.allSatisfy({ $0 == 0 }) { return }
            guard checksumMatches(header) else {
                throw SecretScanError.corruptArchive(path: archiveName, reason: "bad tar header checksum at byte \(offset - 512)")
            }
            guard let size = Self.number(header[124..<136]) else {
                throw SecretScanError.corruptArchive(path: archiveName, reason: "unreadable member size at byte \(offset - 512)")
            }
            let type = header[156]
            let padded = (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = Self.cString(try readBytes(padded)[0..<size])
            case UInt8(ascii: "x"):
                paxPath = Self.paxPath(try readBytes(padded)[0..<size]) ?? paxPath
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                let name = paxPath ?? longName ?? Self.ustarName(header)
                longName = nil
                paxPath = nil
                let member = LimitedSource(source: source, limit: size, name: "\(archiveName)!\(name)")
                try body(name, member)
                try member.drain()
                offset += size
                _ = try readBytes(padded - size)
            default:
                // Directories, links, devices, global pax headers: no content of interest.
                longName = nil
                paxPath = nil
                _ = try readBytes(padded)
            }
        }
    }

    private func readBlock() throws(StreamIOError) -> [UInt8] { try readBytes(512) }

    private func readBytes(_ n: Int) throws(StreamIOError) -> [UInt8] {
        guard n > 0 else { return [] }
        let bytes = try readPrefix(source, count: n)
        offset += bytes.count
        return bytes
    }

    private func checksumMatches(_ h: [UInt8]) -> Bool {
        guard let stored = Self.number(h[148..<156]) else { return false }
        var sum = 0
        for (i, b) in h.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(b) }
        return sum == stored
    }

    /// Octal, NUL/space terminated; or GNU base-256 when the high bit of the first byte is set.
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var v = Int(first & 0x7F)
            for b in field.dropFirst() {
                guard v < (Int.max >> 8) else { return nil }
                v = v << 8 | Int(b)
            }
            return v
        }
        var v = 0
        var digits = 0
        for b in field {
            if b == 0 || b == 0x20 { if digits > 0 { break } else { continue } }
            guard b >= 0x30 && b <= 0x37 else { return nil }
            v = v * 8 + Int(b - 0x30)
            digits += 1
        }
        return v
    }

    private static func cString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func ustarName(_ h: [UInt8]) -> String {
        let name = cString(h[0..<100])
        let prefix = cString(h[345..<500])
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// The `path` record of a pax extended header (`"<len> path=<value>\n"` records).
    private static func paxPath(_ data: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let kv = record[record.index(after: space)...]
            if kv.hasPrefix("path=") { return String(kv.dropFirst(5)) }
        }
        return nil
    }
}
