/// What a stream holds, decided from its first bytes (not from its name).
enum ContentKind: Equatable {
    case text, utf16LE, utf16BE, gzip, zip, tar, binary

    /// Bytes the sniffer looks at.
    static let sniffLength = 8192

    static func sniff(_ head: [UInt8]) -> ContentKind {
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if head.count >= 4, head[0] == 0x50, head[1] == 0x4B, (head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) { return .zip }
        if head.count >= 262, Array(head[257..<262]) == Array("ustar".utf8) { return .tar }
        if head.count >= 2, head[0] == 0xFF, head[1] == 0xFE { return .utf16LE }
        if head.count >= 2, head[0] == 0xFE, head[1] == 0xFF { return .utf16BE }
        guard head.contains(0) else { return .text }
        // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
        let pairs = head.count / 2
        if pairs >= 8 {
            var zeroOdd = 0, zeroEven = 0
            for i in 0..<pairs {
                if head[2 * i] == 0 { zeroEven += 1 }
                if head[2 * i + 1] == 0 { zeroOdd += 1 }
            }
            if zeroOdd * 10 >= pairs * 9 && zeroEven == 0 { return .utf16LE }
            if zeroEven * 10 >= pairs * 9 && zeroOdd == 0 { return .utf16BE }
        }
        return .binary
    }
}
