/// An IPv4 or IPv6 address parsed from log text, without Foundation or allocation.
///
/// IPv6 accepts full, compressed (`::`), bracketed (`[…]`), zone-suffixed (`%eth0`) and
/// embedded-IPv4 forms, so `fd00:ec2::254` and `fd00:0ec2:0000:0000:0000:0000:0000:0254` are equal.
/// An IPv4-mapped IPv6 address written with a dotted tail (`::ffff:169.254.169.254`) counts as IPv4.
public struct IPAddress: Sendable, Equatable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public var bytes: [UInt8]
    public var isIPv4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        var utf8 = Array(text.utf8)
        guard let parsed = utf8.withUnsafeMutableBytes({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses an address from raw bytes (surrounding spaces not allowed).
    public static func parse(_ raw: UnsafeRawBufferPointer) -> IPAddress? {
        var start = 0
        var end = raw.count
        if end >= 2, raw[0] == UInt8(ascii: "["), raw[end - 1] == UInt8(ascii: "]") { start = 1; end -= 1 }
        if let percent = (start..<end).first(where: { raw[$0] == UInt8(ascii: "%") }) { end = percent }
        guard end > start else { return nil }
        var hasColon = false
        for i in start..<end where raw[i] == UInt8(ascii: ":") { hasColon = true; break }
        if !hasColon {
            guard let v4 = parseIPv4(raw, start, end) else { return nil }
            return IPAddress(bytes: v4)
        }
        guard let v6 = parseIPv6(raw, start, end) else { return nil }
        return v6
    }

    static func parseIPv4(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(4)
        var value = 0
        var digits = 0
        var i = start
        while i <= end {
            if i == end || raw[i] == UInt8(ascii: ".") {
                guard digits > 0, value <= 255, out.count < 4 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                let c = raw[i]
                // Leading zeros are refused (as inet_pton does): "010" is ambiguous (octal?) and
                // would defeat the prefilter's literal needles.
                guard c >= 48, c <= 57, digits < 3, !(digits == 1 && value == 0) else { return nil }
                value = value * 10 + Int(c - 48)
                digits += 1
            }
            i += 1
        }
        return out.count == 4 ? out : nil
    }

    static func parseIPv6(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> IPAddress? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var i = start
        if end - start >= 2, raw[start] == UInt8(ascii: ":"), raw[start + 1] == UInt8(ascii: ":") {
            sawDoubleColon = true
            i = start + 2
            if i == end { return IPAddress(bytes: [UInt8](repeating: 0, count: 16)) }
        } else if raw[start] == UInt8(ascii: ":") {
            return nil
        }
        var embeddedV4: [UInt8]?
        while i < end {
            // Read one group up to ':' or end.
            var j = i
            var sawDot = false
            while j < end, raw[j] != UInt8(ascii: ":") {
                if raw[j] == UInt8(ascii: ".") { sawDot = true }
                j += 1
            }
            if sawDot {
                guard j == end, let v4 = parseIPv4(raw, i, j) else { return nil }
                embeddedV4 = v4
                i = j
                break
            }
            guard j > i, j - i <= 4 else { return nil }
            var group: UInt16 = 0
            for k in i..<j {
                guard let nibble = hexValue(raw[k]) else { return nil }
                group = group << 4 | UInt16(nibble)
            }
            if sawDoubleColon { tail.append(group) } else { head.append(group) }
            if j == end { i = j; break }
            // j is at ':'
            if j + 1 < end, raw[j + 1] == UInt8(ascii: ":") {
                if sawDoubleColon { return nil }
                sawDoubleColon = true
                i = j + 2
                if i == end { break }
            } else {
                i = j + 1
                if i == end { return nil }
            }
        }
        let v4Groups = embeddedV4 == nil ? 0 : 2
        let total = head.count + tail.count + v4Groups
        if sawDoubleColon { guard total < 8 else { return nil } } else { guard total == 8 else { return nil } }
        var groups = head
        groups += [UInt16](repeating: 0, count: 8 - total)
        groups += tail
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for g in groups { bytes.append(UInt8(g >> 8)); bytes.append(UInt8(g & 0xFF)) }
        if let v4 = embeddedV4 {
            // ::ffff:a.b.c.d is an IPv4 address in IPv6 clothing.
            if bytes.count == 12, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return IPAddress(bytes: v4)
            }
            bytes += v4
        }
        return IPAddress(bytes: bytes)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}

extension IPAddress {
    /// RFC 5952 text for an IPv6 address: lowercase, no leading zeros, longest zero run as `::`.
    public var compressedIPv6: String {
        var groups: [UInt16] = []
        for i in stride(from: 0, to: bytes.count, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        var bestStart = -1, bestLength = 0, i = 0
        while i < groups.count {
            if groups[i] == 0 {
                var j = i
                while j < groups.count && groups[j] == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        let hex = { (g: UInt16) in String(g, radix: 16) }
        guard bestStart >= 0 else { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }
}

/// A CIDR range such as `169.254.169.254/32` or `fd00:ec2::254/128` (no prefix means a single address).
public struct CIDR: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var network: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= maxLength else { return nil }
            length = n
        }
        self.network = CIDR.mask(address, length)
        self.prefixLength = length
    }

    /// True when `address` is inside this range (an IPv4 address never matches an IPv6 range).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        return CIDR.mask(address, prefixLength) == network
    }

    static func mask(_ address: IPAddress, _ length: Int) -> IPAddress {
        var bytes = address.bytes
        for i in 0..<bytes.count {
            let bitsHere = max(0, min(8, length - i * 8))
            bytes[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
        }
        return IPAddress(bytes: bytes)
    }

    public var description: String {
        if network.isIPv4 {
            return network.bytes.map(String.init).joined(separator: ".") + "/\(prefixLength)"
        }
        return network.compressedIPv6 + "/\(prefixLength)"
    }

    /// A substring every textual form of an address in this range contains, for the prefilter;
    /// nil when no such text exists (short prefixes, zero leading group).
    public var literalNeedle: String? {
        if network.isIPv4 {
            let whole = prefixLength / 8
            guard whole >= 2 else { return nil }
            let octets = network.bytes.prefix(whole).map(String.init).joined(separator: ".")
            return whole == 4 ? octets : octets + "."
        }
        guard prefixLength >= 16 else { return nil }
        let first = UInt16(network.bytes[0]) << 8 | UInt16(network.bytes[1])
        guard first != 0 else { return nil }
        // Without leading zeros this is a substring of both the full and the compressed notation.
        return String(first, radix: 16)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
