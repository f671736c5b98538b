/// Runs the detectors over one buffer and decides which hits the buffer owns.
///
/// Streams are scanned in overlapping buffers. A buffer *owns* hits that start in
/// `owned`; it searches anchors a little beyond that range so that a key and a secret on either
/// side of a buffer boundary pair the same way in both buffers.
enum BufferScanner {
    /// Extra bytes searched either side of the owned range (must be ≥ ``Matcher/pairWindow``).
    static let margin = Matcher.pairWindow + 64

    static func scan(_ b: UnsafeRawBufferPointer, owned: Range<Int>, absoluteBase: Int, into hits: inout [RawHit]) {
        let searchRange = max(0, owned.lowerBound - margin)..<min(b.count, owned.upperBound + margin)
        var keys: [Matcher.KeyMatch] = []
        var secrets: [Matcher.SecretMatch] = []
        AnchorSearch.candidates(b, in: searchRange) { p in
            if b[p] == 0x41 {
                if let k = Matcher.keyId(b, at: p) { keys.append(k) }
            } else if let s = Matcher.namedSecret(b, secretWordAt: p) {
                secrets.append(s)
            }
        }
        if keys.isEmpty && secrets.isEmpty { return }
        // Windows of neighbouring keys overlap; each byte is examined once.
        var scannedTo = 0
        for k in keys {
            let lo = max(scannedTo, k.start - Matcher.pairWindow), hi = min(b.count, k.end + Matcher.pairWindow)
            if lo < hi { scannedTo = Matcher.nearbySecrets(b, in: lo..<hi, into: &secrets) }
        }
        secrets = dedupe(secrets)
        let pairs = pair(b, keys, secrets)
        var pairedSecrets = Set<Int>()
        for (ki, si) in pairs { _ = ki; pairedSecrets.insert(si) }
        let secretOfKey = Dictionary(pairs, uniquingKeysWith: { a, _ in a })

        for (ki, k) in keys.enumerated() where owned.contains(k.start) {
            var hit = RawHit(prefix: k.prefix, keyId: k.value, offset: absoluteBase + k.start)
            if let si = secretOfKey[ki] {
                hit.secret = secrets[si].value
                hit.secretName = secrets[si].name
            }
            if k.prefix == .asia { hit.sessionToken = Matcher.sessionToken(b, near: k) }
            hit.dropReason = Filters.dropReason(keyId: k.value, secret: hit.secret, line: lineAround(b, k.start))
            hits.append(hit)
        }
        for (si, s) in secrets.enumerated() where s.name != nil && !pairedSecrets.contains(si) && owned.contains(s.start) {
            var hit = RawHit(secret: s.value, secretName: s.name, offset: absoluteBase + s.start)
            hit.dropReason = Filters.dropReason(keyId: nil, secret: s.value, line: lineAround(b, s.start))
            hits.append(hit)
        }
    }

    /// Keeps one match per start offset, preferring a named one.
    private static func dedupe(_ s: [Matcher.SecretMatch]) -> [Matcher.SecretMatch] {
        var byStart: [Int: Matcher.SecretMatch] = [:]
        for m in s where byStart[m.start]?.name == nil { byStart[m.start] = m }
        return byStart.values.sorted { $0.start < $1.start }
    }

    /// Greedy pairing by cost: each key takes the cheapest free secret within the window.
    /// Cost is the byte gap, plus a penalty per line break between them and for a secret written
    /// before its key, since configs put a key ID and its secret on one line or the secret next.
    private static func pair(_ b: UnsafeRawBufferPointer, _ keys: [Matcher.KeyMatch], _ secrets: [Matcher.SecretMatch]) -> [(Int, Int)] {
        var candidates: [(distance: Int, key: Int, secret: Int)] = []
        // Secrets are sorted by start: binary-search each key's window, so the work is linear
        // in the number of keys even when a file holds thousands of them.
        for (ki, k) in keys.enumerated() {
            var first = 0, last = secrets.count
            let windowStart = k.start - Matcher.pairWindow - 256   // joined secrets span more than 40 bytes
            while first < last {
                let mid = (first + last) / 2
                if secrets[mid].start < windowStart { first = mid + 1 } else { last = mid }
            }
            for si in first..<secrets.count {
                let s = secrets[si]
                if s.start > k.end + Matcher.pairWindow { break }
                let after = s.start >= k.end
                let gap = after ? k.end..<s.start : (k.start >= s.end ? s.end..<k.start : k.start..<k.start)
                guard gap.count <= Matcher.pairWindow else { continue }
                var breaks = 0
                for i in gap where b[i] == 0x0A { breaks += 1 }
                candidates.append((gap.count + 200 * breaks + (after ? 0 : 100), ki, si))
            }
        }
        candidates.sort { ($0.distance, $0.key, $0.secret) < ($1.distance, $1.key, $1.secret) }
        var usedKeys = Set<Int>(), usedSecrets = Set<Int>(), out: [(Int, Int)] = []
        for c in candidates where !usedKeys.contains(c.key) && !usedSecrets.contains(c.secret) {
            usedKeys.insert(c.key)
            usedSecrets.insert(c.secret)
            out.append((c.key, c.secret))
        }
        return out
    }

    /// The text line containing `p` (at most 4 KiB either side), for inline ignore comments.
    static func lineAround(_ b: UnsafeRawBufferPointer, _ p: Int) -> UnsafeRawBufferPointer {
        var lo = p, hi = p
        while lo > 0, p - lo < 4096, b[lo - 1] != 0x0A { lo -= 1 }
        while hi < b.count, hi - p < 4096, b[hi] != 0x0A { hi += 1 }
        return UnsafeRawBufferPointer(rebasing: b[lo..<hi])
    }
}
