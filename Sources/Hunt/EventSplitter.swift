import StreamIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a CloudTrail input stopped before its end. The events before the problem were still read.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the JSON shape of a trail file, JSON lines or an array of events.
    case malformed(offset: Int, reason: String)
    /// The input ended inside an event or inside the `Records` array (a cut-off file).
    case truncated(offset: Int)
    /// One event is larger than the limit; it was not read.
    case eventTooLarge(offset: Int, limit: Int)
    /// Reading or decompressing failed (a damaged or cut-off gzip file, an I/O error).
    case read(StreamIOError)

    public var description: String {
        switch self {
        case let .malformed(offset, reason): "not CloudTrail JSON at byte \(offset + 1): \(reason)"
        case let .truncated(offset): "the JSON ends early at byte \(offset + 1) (the file looks cut off)"
        case let .eventTooLarge(offset, limit): "the event at byte \(offset + 1) is larger than \(StreamIOError.sizeText(limit)); not read"
        case let .read(error): "\(error)"
        }
    }
}

/// Splits CloudTrail JSON into the bytes of each event object without parsing the document:
/// a trail file (`{"Records":[{…},{…}]}`), JSON lines (one event object per line) or a JSON array of
/// events (what `jq -s` or a LookupEvents export writes).
///
/// Why not a JSON parser: a trail file is one document that can hold tens of thousands of events; the
/// splitter only tracks strings, escapes and brace depth, so memory is one event (plus the read
/// buffer) whatever the file size, and the events that no rule can match are never parsed at all.
public final class EventSplitter {
    /// The most one event may take; CloudTrail's own limit is 256 KB, so this is generous.
    public static let defaultMaxEventBytes = 8 << 20

    private let source: any ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var eof = false
    /// Offset in the stream of `buffer[0]` (for messages).
    private var base = 0
    private let maxEventBytes: Int
    private let chunk: Int
    private var level = Level.top
    private var atStreamStart = true
    /// Events handed out so far.
    public private(set) var events = 0

    private enum Level { case top, records, array }

    public init(source: any ByteSource, chunk: Int = 1 << 20, maxEventBytes: Int = EventSplitter.defaultMaxEventBytes) {
        self.source = source
        self.chunk = max(chunk, 256)
        self.maxEventBytes = maxEventBytes
        self.buffer = .allocate(byteCount: self.chunk * 2, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The next event's bytes (`{` … `}`), valid until the next call; nil at the end of the input.
    public func next() throws(SplitError) -> UnsafeRawBufferPointer? {
        if atStreamStart {
            atStreamStart = false
            try skipByteOrderMark()
        }
        while true {
            guard let c = try nextSignificantByte() else {
                if level == .top { return nil }
                throw .truncated(offset: base + end)
            }
            switch (level, c) {
            case (.top, UInt8(ascii: "{")):
                if try enterRecordsWrapper() { continue }
                return try object()
            case (.top, UInt8(ascii: "[")):
                start += 1
                level = .array
            case (.records, UInt8(ascii: "{")), (.array, UInt8(ascii: "{")):
                return try object()
            case (.records, UInt8(ascii: ",")), (.array, UInt8(ascii: ",")):
                start += 1
            case (.array, UInt8(ascii: "]")):
                start += 1
                level = .top
            case (.records, UInt8(ascii: "]")):
                start += 1
                try skipRestOfWrapper()
                level = .top
            default:
                throw .malformed(offset: base + start, reason: "unexpected \(describe(c))")
            }
        }
    }

    private func describe(_ c: UInt8) -> String {
        (0x21...0x7e).contains(c) ? "'\(Character(UnicodeScalar(c)))'" : String(format: "byte 0x%02x", c)
    }

    private func skipByteOrderMark() throws(SplitError) {
        try ensure(3)
        if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF { start += 3 }
    }

    /// Skips whitespace; returns the byte at `start` without consuming it, or nil at the end.
    private func nextSignificantByte() throws(SplitError) -> UInt8? {
        while true {
            while start < end {
                let c = buffer[start]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { start += 1 } else { return c }
            }
            if eof { return nil }
            try refill()
        }
    }

    /// At a top-level `{`: when it opens `{"Records": [`, consumes that and switches to the array.
    private func enterRecordsWrapper() throws(SplitError) -> Bool {
        try ensure(64)
        var i = start + 1
        func skipSpace() { while i < end, [0x20, 0x0A, 0x0D, 0x09].contains(buffer[i]) { i += 1 } }
        skipSpace()
        let key = Array("\"Records\"".utf8)
        guard end - i >= key.count else { return false }
        for (k, byte) in key.enumerated() where buffer[i + k] != byte { return false }
        i += key.count
        skipSpace()
        guard i < end, buffer[i] == UInt8(ascii: ":") else { return false }
        i += 1
        skipSpace()
        guard i < end, buffer[i] == UInt8(ascii: "[") else { return false }
        start = i + 1
        level = .records
        return true
    }

    /// After the `Records` array: the wrapper may hold other keys (digest-like files); skip to its `}`.
    private func skipRestOfWrapper() throws(SplitError) {
        var depth = 1
        var inString = false
        var escaped = false
        while depth > 0 {
            if start == end {
                if eof { throw .truncated(offset: base + end) }
                try refill()
                continue
            }
            let c = buffer[start]
            start += 1
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
            } else if c == 0x22 { inString = true }
            else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1 }
        }
    }

    /// Scans one object from `start` (at its `{`) to its matching `}`; hands out those bytes.
    /// String state (and a pending backslash) survives a refill, so an event split across reads is fine.
    private func object() throws(SplitError) -> UnsafeRawBufferPointer {
        var i = start
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if i == end {
                if eof { throw .truncated(offset: base + end) }
                if end - start >= maxEventBytes { throw .eventTooLarge(offset: base + start, limit: maxEventBytes) }
                let before = start
                try refill()
                i -= before - start
                continue
            }
            let p = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var j = i
            let stop = end
            while j < stop {
                if inString {
                    // Most bytes of an event are inside strings: jump to the next quote with memchr.
                    if escaped { escaped = false; j += 1; continue }
                    guard let q = memchr(p + j, 0x22, stop - j) else {
                        escaped = EventSplitter.oddBackslashes(p, before: stop, from: j)
                        j = stop
                        break
                    }
                    let at = UnsafeMutablePointer<UInt8>(OpaquePointer(q)) - p
                    if EventSplitter.oddBackslashes(p, before: at, from: j) { j = at + 1; continue }
                    inString = false
                    j = at + 1
                    continue
                }
                let c = p[j]
                j += 1
                if c == 0x22 {
                    inString = true
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        let event = UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: j - start)
                        start = j
                        events += 1
                        return event
                    }
                }
            }
            i = j
        }
    }

    /// Whether the run of backslashes ending just before `end` (and not reaching before `from`) is odd:
    /// then the byte at `end` is escaped.
    @inline(__always)
    static func oddBackslashes(_ p: UnsafeMutablePointer<UInt8>, before end: Int, from: Int) -> Bool {
        var k = end
        while k > from, p[k - 1] == 0x5C { k -= 1 }
        return (end - k) % 2 == 1
    }

    /// Makes at least `count` bytes available after `start` unless the input ends first.
    private func ensure(_ count: Int) throws(SplitError) {
        while end - start < count && !eof { try refill() }
    }

    /// Moves the unconsumed bytes to the front, grows the buffer when one event fills it, reads more.
    private func refill() throws(SplitError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: pending) }
            base += start
            end = pending
            start = 0
        }
        if buffer.count - end < chunk / 2 {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            if end > 0 { grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end) }
            buffer.deallocate()
            buffer = grown
        }
        let n: Int
        do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...])) }
        catch { throw .read(error) }
        if n == 0 { eof = true }
        end += n
    }
}
