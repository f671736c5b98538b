import LogReaders

/// Matches a SIGMA string (with `*` and `?`) against bytes, ASCII case-insensitively by default.
///
/// Backtracks only to the last `*`, so matching is linear in practice (the classic wildcard
/// algorithm), never exponential.
public struct GlobMatcher: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case anyRun
        case anyOne
    }

    let tokens: [Token]
    let caseSensitive: Bool

    public init(_ string: SigmaString, caseSensitive: Bool = false) {
        self.caseSensitive = caseSensitive
        var tokens: [Token] = []
        for part in string.parts {
            switch part {
            case let .literal(text):
                let bytes = Array(text.utf8)
                tokens.append(.literal(caseSensitive ? bytes : bytes.map(asciiLower)))
            case .anyRun:
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case .anyOne:
                tokens.append(.anyOne)
            }
        }
        self.tokens = tokens
    }

    public func matches(_ value: [UInt8]) -> Bool {
        value.withUnsafeBytes { matches($0) }
    }

    /// Full match of the pattern against `value`.
    public func matches(_ value: UnsafeRawBufferPointer) -> Bool {
        // Fast paths for the shapes modifiers produce: exact, *x*, x*, *x.
        if tokens.count == 1, case let .literal(lit) = tokens[0] {
            return value.count == lit.count && equalsAt(value, 0, lit)
        }
        if tokens.count == 3, tokens[0] == .anyRun, tokens[2] == .anyRun, case let .literal(lit) = tokens[1] {
            return find(value, lit, from: 0) != nil
        }
        if tokens.count == 2, tokens[1] == .anyRun, case let .literal(lit) = tokens[0] {
            return value.count >= lit.count && equalsAt(value, 0, lit)
        }
        if tokens.count == 2, tokens[0] == .anyRun, case let .literal(lit) = tokens[1] {
            return value.count >= lit.count && equalsAt(value, value.count - lit.count, lit)
        }
        return general(value)
    }

    private func general(_ value: UnsafeRawBufferPointer) -> Bool {
        var ti = 0
        var vi = 0
        var starToken = -1
        var mark = 0
        while true {
            if ti < tokens.count {
                switch tokens[ti] {
                case .anyRun:
                    starToken = ti
                    mark = vi
                    ti += 1
                    continue
                case .anyOne:
                    if vi < value.count {
                        vi = min(vi + utf8Length(value[vi]), value.count)
                        ti += 1
                        continue
                    }
                case let .literal(lit):
                    if vi + lit.count <= value.count, equalsAt(value, vi, lit) {
                        vi += lit.count
                        ti += 1
                        continue
                    }
                }
            } else if vi == value.count {
                return true
            }
            // Mismatch: let the last star swallow one more byte and retry after it.
            guard starToken >= 0, mark < value.count else { return false }
            mark += 1
            vi = mark
            ti = starToken + 1
        }
    }

    @inline(__always)
    private func equalsAt(_ value: UnsafeRawBufferPointer, _ offset: Int, _ lit: [UInt8]) -> Bool {
        if caseSensitive {
            for i in 0..<lit.count where value[offset + i] != lit[i] { return false }
        } else {
            for i in 0..<lit.count where asciiLower(value[offset + i]) != lit[i] { return false }
        }
        return true
    }

    private func find(_ value: UnsafeRawBufferPointer, _ lit: [UInt8], from: Int) -> Int? {
        guard !lit.isEmpty else { return from <= value.count ? from : nil }
        guard value.count >= lit.count else { return nil }
        var i = from
        let last = value.count - lit.count
        while i <= last {
            if equalsAt(value, i, lit) { return i }
            i += 1
        }
        return nil
    }
}

@inline(__always)
func asciiLower(_ c: UInt8) -> UInt8 {
    (c >= 65 && c <= 90) ? c | 0x20 : c
}

/// Bytes in the UTF-8 sequence led by `lead` (1 for ASCII and for stray continuation bytes).
@inline(__always)
func utf8Length(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...0xF7: return 4
    case 0xE0...0xEF: return 3
    case 0xC0...0xDF: return 2
    default: return 1
    }
}
