import StreamIO

/// Lists and opens the members of a zip archive from its central directory (zip64 included).
struct ZipReader {
    struct Member {
        var name: String
        var method: UInt16
        var compressedSize: Int
        /// What the central directory says the member expands to (a claim, checked on use).
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var encrypted: Bool
    }

    let bytes: any RandomAccessBytes

    func members() throws -> [Member] {
        let tailLength = min(bytes.size, 65_557)
        let tail = try bytes.read(at: bytes.size - tailLength, count: tailLength)
        guard let eocd = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: tail), eocd + 22 <= tail.count else {
            throw SecretScanError.corruptArchive(path: bytes.name, reason: "no zip end-of-central-directory record")
        }
        var count = Int(le16(tail, eocd + 10))
        var cdSize = Int(le32(tail, eocd + 12))
        var cdOffset = Int(le32(tail, eocd + 16))
        if cdOffset == 0xFFFF_FFFF || count == 0xFFFF, eocd >= 20, le32(tail, eocd - 20) == 0x0706_4B50 {
            let zip64At = Int(le64(tail, eocd - 12))
            let record = try bytes.read(at: zip64At, count: 56)
            guard record.count == 56, le32(record, 0) == 0x0606_4B50 else {
                throw SecretScanError.corruptArchive(path: bytes.name, reason: "bad zip64 end record")
            }
            count = Int(le64(record, 32))
            cdSize = Int(le64(record, 40))
            cdOffset = Int(le64(record, 48))
        }
        guard cdOffset >= 0, cdSize >= 0, cdOffset + cdSize <= bytes.size else {
            throw SecretScanError.corruptArchive(path: bytes.name, reason: "central directory lies outside the file")
        }
        let cd = try bytes.read(at: cdOffset, count: cdSize)
        var members: [Member] = []
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= cd.count, le32(cd, p) == 0x0201_4B50 else {
                throw SecretScanError.corruptArchive(path: bytes.name, reason: "bad central directory entry \(members.count + 1)")
            }
            let flags = le16(cd, p + 8)
            let method = le16(cd, p + 10)
            var compressed = Int(le32(cd, p + 20))
            var uncompressed = Int(le32(cd, p + 24))
            let nameLength = Int(le16(cd, p + 28)), extraLength = Int(le16(cd, p + 30)), commentLength = Int(le16(cd, p + 32))
            var local = Int(le32(cd, p + 42))
            guard p + 46 + nameLength + extraLength <= cd.count else {
                throw SecretScanError.corruptArchive(path: bytes.name, reason: "central directory entry runs past its end")
            }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // Zip64 extra field: the 0xFFFFFFFF fields, in order uncompressed, compressed, offset.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = le16(cd, e), size = Int(le16(cd, e + 2))
                if id == 0x0001 {
                    var f = e + 4
                    if uncompressed == 0xFFFF_FFFF, f + 8 <= extraEnd { uncompressed = Int(le64(cd, f)); f += 8 }
                    if compressed == 0xFFFF_FFFF, f + 8 <= extraEnd { compressed = Int(le64(cd, f)); f += 8 }
                    if local == 0xFFFF_FFFF, f + 8 <= extraEnd { local = Int(le64(cd, f)) }
                }
                e += 4 + size
            }
            if !name.hasSuffix("/") {
                members.append(Member(name: name, method: method, compressedSize: compressed, uncompressedSize: uncompressed,
                                      localHeaderOffset: local, encrypted: flags & 1 != 0))
            }
            p += 46 + nameLength + extraLength + commentLength
        }
        return members
    }

    /// The uncompressed content of `m`.
    func open(_ m: Member, displayName: String) throws -> any ByteSource {
        let dataOffset = try self.dataOffset(m, displayName: displayName)
        let raw = RangeSource(bytes, offset: dataOffset, count: m.compressedSize, name: displayName)
        switch m.method {
        case 0: return raw
        case 8: return try RawInflateSource(source: raw, name: displayName)
        default: throw SecretScanError.unsupportedArchive(path: displayName, reason: "zip compression method \(m.method)")
        }
    }

    /// A deflated member's content decompressed in one libdeflate call (``WholeDeflate``), when
    /// the central directory says it expands to at most `maxOutput` and it decodes cleanly; nil
    /// for any other member, which ``open(_:displayName:)`` streams (and words its damage).
    func openWhole(_ m: Member, displayName: String, maxOutput: Int) throws -> [UInt8]? {
        guard m.method == 8, m.uncompressedSize <= maxOutput, m.compressedSize <= WholeGzip.maxCompressedBytes else { return nil }
        let dataOffset = try self.dataOffset(m, displayName: displayName)
        let compressed = try bytes.read(at: dataOffset, count: m.compressedSize)
        guard compressed.count == m.compressedSize else { return nil }
        return compressed.withUnsafeBytes { WholeDeflate.decode($0, expectedLength: m.uncompressedSize) }
    }

    /// Where `m`'s data starts, from its local header; throws when it does not lie in the archive.
    private func dataOffset(_ m: Member, displayName: String) throws -> Int {
        let header = try bytes.read(at: m.localHeaderOffset, count: 30)
        guard header.count == 30, le32(header, 0) == 0x0403_4B50 else {
            throw SecretScanError.corruptArchive(path: displayName, reason: "bad local header")
        }
        let dataOffset = m.localHeaderOffset + 30 + Int(le16(header, 26)) + Int(le16(header, 28))
        guard dataOffset + m.compressedSize <= bytes.size else {
            throw SecretScanError.corruptArchive(path: displayName, reason: "member data runs past the end of the archive")
        }
        return dataOffset
    }

    private func lastIndex(of sig: [UInt8], in b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        var i = b.count - 4
        while i >= 0 {
            if b[i] == sig[0], b[i + 1] == sig[1], b[i + 2] == sig[2], b[i + 3] == sig[3] { return i }
            i -= 1
        }
        return nil
    }
}

@inline(__always) func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
@inline(__always) func le32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(le16(b, i)) | UInt32(le16(b, i + 2)) << 16 }
@inline(__always) func le64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(le32(b, i)) | UInt64(le32(b, i + 4)) << 32 }
