import MamoriCore

/// The byte-level detectors: key IDs, named secrets, nearby secrets and session tokens.
///
/// Everything here works on raw bytes of one buffer. No regex, no String until a candidate is
/// confirmed, so the cost on clean text is the prefilter in ``AnchorSearch`` alone.
enum Matcher {
    static let keyIdBodyLength = 16
    static let secretLength = 40
    /// How far from a key ID its secret may be (bytes, either side).
    static let pairWindow = 1024
    /// How far from a temporary key ID its session token may be.
    static let tokenWindow = 4096

    struct KeyMatch {
        var start: Int
        var end: Int
        var prefix: AccessKeyID.Prefix
        var value: String
    }

    struct SecretMatch {
        var start: Int
        var end: Int
        var value: String
        var name: SecretName?
    }

    // MARK: key IDs

    /// A key ID starting at `p`: a credential prefix, exactly 16 base32 characters, word boundaries.
    /// Handles a key split across quoted segments (`"AKIAABCD" + "EFGH…"`).
    static func keyId(_ b: UnsafeRawBufferPointer, at p: Int) -> KeyMatch? {
        guard p + 20 <= b.count, let base = b.baseAddress, let prefix = AccessKeyID.Prefix.at(base + p) else { return nil }
        guard leftBoundary(b, p) else { return nil }
        guard let (body, end) = readToken(b, from: p + 4, table: ByteClass.base32, length: keyIdBodyLength) else { return nil }
        if end < b.count, ByteClass.alnum[Int(b[end])] { return nil }
        var bytes = Array(prefix.rawValue.utf8)
        bytes.append(contentsOf: body)
        return KeyMatch(start: p, end: end, prefix: prefix, value: String(decoding: bytes, as: UTF8.self))
    }

    /// No letter or digit just before `p`, except the `n`/`t`/`r` of an escape like `\nAKIA…`.
    @inline(__always)
    static func leftBoundary(_ b: UnsafeRawBufferPointer, _ p: Int) -> Bool {
        guard p > 0 else { return true }
        let prev = b[p - 1]
        if !ByteClass.alnum[Int(prev)] { return true }
        return p >= 2 && b[p - 2] == 0x5C && (prev == 0x6E || prev == 0x74 || prev == 0x72)
    }

    /// Reads exactly `length` bytes of `table`'s class from `start`, following quoted concatenation
    /// (`"ab" + "cd"`, `'ab' 'cd'`, `"ab" . "cd"`, `"ab" \` newline `"cd"`). Returns nil when the
    /// token is shorter or longer than `length`.
    static func readToken(_ b: UnsafeRawBufferPointer, from start: Int, table: [Bool], length: Int) -> ([UInt8], Int)? {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var i = start
        var joins = 0
        while true {
            while i < b.count, table[Int(b[i])] {
                out.append(b[i])
                i += 1
                if out.count > length { return nil }
            }
            if out.count == length { return (out, i) }
            // A short segment may continue in the next quoted string.
            guard out.count > 0, joins < 4, i < b.count, let next = quoteJoin(b, at: i) else { return nil }
            i = next
            joins += 1
        }
    }

    /// When `b[i]` closes a quoted string that is concatenated with the next one, returns the index
    /// just after the next opening quote.
    static func quoteJoin(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        let q = b[i]
        guard q == 0x22 || q == 0x27 || q == 0x60 else { return nil }
        var j = i + 1
        var sawOperator = false
        let limit = min(b.count, i + 64)
        while j < limit {
            let c = b[j]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { j += 1; continue }
            if !sawOperator, c == 0x2B || c == 0x2E || c == 0x26 || c == 0x5C { sawOperator = true; j += 1; continue }
            return c == q ? j + 1 : nil
        }
        return nil
    }

    // MARK: secrets under a name

    /// A secret after a telling name whose `secret` starts at `p`
    /// (`aws_secret_access_key = …`, `"SecretAccessKey": "…"`, `secret_key = "…"`).
    static func namedSecret(_ b: UnsafeRawBufferPointer, secretWordAt p: Int) -> SecretMatch? {
        guard p + 6 <= b.count, isWord(b, p, "secret") else { return nil }
        var nameStart = p
        while nameStart > 0, p - nameStart < 64, ByteClass.nameChar[Int(b[nameStart - 1])] { nameStart -= 1 }
        var nameEnd = p + 6
        while nameEnd < b.count, nameEnd - p < 64, ByteClass.nameChar[Int(b[nameEnd])] { nameEnd += 1 }
        var letters: [UInt8] = []
        letters.reserveCapacity(nameEnd - nameStart)
        for i in nameStart..<nameEnd where ByteClass.alnum[Int(b[i])] { letters.append(ByteClass.lower(b[i])) }
        let name: SecretName
        if contains(letters, "aws") || contains(letters, "access") {
            name = .aws
        } else if endsWith(letters, "secretkey") {
            name = .generic
        } else {
            return nil
        }
        // Assignment glue: quotes, blanks and at least one of `:`, `=`, `>`, `,`, `(`.
        var j = nameEnd
        var assigned = false
        while j < b.count, j - nameEnd < 16, ByteClass.assignmentGlue[Int(b[j])] {
            let c = b[j]
            if c == 0x3A || c == 0x3D || c == 0x3E || c == 0x2C || c == 0x28 { assigned = true }
            j += 1
        }
        guard assigned, j < b.count, ByteClass.base64[Int(b[j])] else { return nil }
        guard let (value, end) = readToken(b, from: j, table: ByteClass.base64, length: secretLength) else { return nil }
        if end < b.count, b[end] == 0x3D { return nil }
        guard looksRandom(value) else { return nil }
        return SecretMatch(start: j, end: end, value: String(decoding: value, as: UTF8.self), name: name)
    }

    // MARK: secrets near a key

    /// Every 40-character base64 token starting inside `range` that looks random. Returns the
    /// index where examination stopped (a token crossing the range end is read to its end).
    @discardableResult
    static func nearbySecrets(_ b: UnsafeRawBufferPointer, in range: Range<Int>, into out: inout [SecretMatch]) -> Int {
        var i = range.lowerBound
        while i < range.upperBound {
            guard ByteClass.base64[Int(b[i])] else { i += 1; continue }
            let start = i
            while i < b.count, ByteClass.base64[Int(b[i])] { i += 1 }
            guard i - start == secretLength, start == 0 || !ByteClass.base64[Int(b[start - 1])] else { continue }
            if i < b.count, b[i] == 0x3D { continue }
            let value = Array(b[start..<i])
            if looksRandom(value) {
                out.append(SecretMatch(start: start, end: i, value: String(decoding: value, as: UTF8.self), name: nil))
            }
        }
        return i
    }

    /// A secret access key is 30 random bytes in base64: mixed case and many distinct characters.
    /// This rejects paths, hex digests, repeated fillers and long lowercase identifiers.
    static func looksRandom(_ v: [UInt8]) -> Bool {
        var upper = false, lower = false
        var seen = [Bool](repeating: false, count: 128)
        var distinct = 0
        var run = 1
        for (i, c) in v.enumerated() {
            if c >= 0x41 && c <= 0x5A { upper = true } else if c >= 0x61 && c <= 0x7A { lower = true }
            if c < 128, !seen[Int(c)] { seen[Int(c)] = true; distinct += 1 }
            if i > 0 { run = v[i - 1] == c ? run + 1 : 1; if run >= 6 { return false } }
        }
        return upper && lower && distinct >= 16
    }

    // MARK: session tokens

    private static let tokenPrefixes: [[UInt8]] = ["IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz", "AgoJb3JpZ2lu"].map { Array($0.utf8) }

    /// The session token nearest to `key` within ``tokenWindow``: a base64 run of 100+ characters
    /// that starts like an STS token or follows a `…token` name.
    static func sessionToken(_ b: UnsafeRawBufferPointer, near key: KeyMatch) -> String? {
        let lo = max(0, key.start - tokenWindow), hi = min(b.count, key.end + tokenWindow)
        var best: (Int, String)?
        var i = lo
        while i < hi {
            guard ByteClass.base64[Int(b[i])] else { i += 1; continue }
            let start = i
            while i < b.count, ByteClass.base64[Int(b[i])] || b[i] == 0x3D { i += 1 }
            guard i - start >= 100, start == 0 || !ByteClass.base64[Int(b[start - 1])] else { continue }
            let token = Array(b[start..<i])
            let prefixed = tokenPrefixes.contains { token.starts(with: $0) }
            if prefixed || tokenNameBefore(b, start) {
                let distance = start > key.start ? start - key.end : key.start - i
                if distance < best?.0 ?? Int.max { best = (distance, String(decoding: token, as: UTF8.self)) }
            }
        }
        return best?.1
    }

    private static func tokenNameBefore(_ b: UnsafeRawBufferPointer, _ start: Int) -> Bool {
        let lo = max(0, start - 40)
        var letters: [UInt8] = []
        for i in lo..<start where ByteClass.alnum[Int(b[i])] { letters.append(ByteClass.lower(b[i])) }
        return contains(letters, "token")
    }

    // MARK: helpers

    @inline(__always)
    static func isWord(_ b: UnsafeRawBufferPointer, _ p: Int, _ word: StaticString) -> Bool {
        let w = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard p + w.count <= b.count else { return false }
        for k in 0..<w.count where ByteClass.lower(b[p + k]) != w[k] { return false }
        return true
    }

    static func contains(_ hay: [UInt8], _ needle: StaticString) -> Bool {
        let n = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard hay.count >= n.count else { return false }
        outer: for i in 0...(hay.count - n.count) {
            for k in 0..<n.count where hay[i + k] != n[k] { continue outer }
            return true
        }
        return false
    }

    static func endsWith(_ hay: [UInt8], _ suffix: StaticString) -> Bool {
        let n = UnsafeRawBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        guard hay.count >= n.count else { return false }
        let off = hay.count - n.count
        for k in 0..<n.count where hay[off + k] != n[k] { return false }
        return true
    }
}
