#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a stream holds, decided from its first bytes (not from its name).
enum ContentKind: Equatable {
    case text, utf16LE, utf16BE, gzip, zip, tar, binary

    /// Bytes the sniffer looks at.
    static let sniffLength = 8192

    static func sniff(_ head: [UInt8]) -> ContentKind {
        head.withUnsafeBytes { sniff($0) }
    }

    /// True when `bytes` starts a gzip or zip archive: what `sniff` returns `.gzip` or `.zip` for.
    static func isArchiveStart(_ bytes: [UInt8]) -> Bool {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return true }
        return bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6))
    }

    /// Every file of a tree is sniffed, so this avoids allocating and stops as soon as it knows.
    static func sniff(_ head: UnsafeRawBufferPointer) -> ContentKind {
        let count = head.count
        if count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if count >= 4, head[0] == 0x50, head[1] == 0x4B, (head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) { return .zip }
        // "ustar" at offset 257, compared in place.
        if count >= 262, head[257] == 0x75, head[258] == 0x73, head[259] == 0x74, head[260] == 0x61, head[261] == 0x72 { return .tar }
        if count >= 2, head[0] == 0xFF, head[1] == 0xFE { return .utf16LE }
        if count >= 2, head[0] == 0xFE, head[1] == 0xFF { return .utf16BE }
        guard count > 0, let base = head.baseAddress, memchr(base, 0, count) != nil else { return .text }
        // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
        let pairs = count / 2
        if pairs >= 8 {
            var zeroOdd = 0, zeroEven = 0
            for i in 0..<pairs {
                if head[2 * i] == 0 { zeroEven += 1 }
                if head[2 * i + 1] == 0 { zeroOdd += 1 }
                // NULs on both sides: neither UTF-16 test can pass, so binary.
                if zeroEven != 0 && zeroOdd != 0 { return .binary }
            }
            if zeroOdd * 10 >= pairs * 9 && zeroEven == 0 { return .utf16LE }
            if zeroEven * 10 >= pairs * 9 && zeroOdd == 0 { return .utf16BE }
        }
        return .binary
    }
}
