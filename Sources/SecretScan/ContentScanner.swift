#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StreamIO

/// Scans one input by what it contains: text, UTF-16 text, gzip, tar (and `docker save`
/// images, which are tars of layer tars), zip, or binary (skipped and counted).
///
/// Each input gets an ``ExpansionBudget`` (``ArchiveLimits``): past a limit, the input's scan
/// stops and one message says why.
final class ContentScanner {
    /// Zip needs random access; a zip found inside a stream is buffered up to this size.
    static let maxBufferedZip = 256 << 20
    /// E-mail and JSON are decoded in memory; larger ones are scanned as plain text only.
    static let maxBufferedEncoded = 256 << 20

    private let streamScanner = StreamScanner()
    private(set) var stats = ScanStats()
    /// Hits per scanned stream name, in scan order.
    private(set) var results: [(name: String, hits: [RawHit])] = []
    private(set) var errors: [String] = []
    let limits: ArchiveLimits
    /// The budget of the input being scanned.
    private var budget: ExpansionBudget?

    /// The one read buffer of this scanner (a scanner serves one worker), reused by every read into
    /// memory (JSON, e-mail, a zip inside a stream). A fresh zeroed MiB per JSON file cost about a
    /// tenth of a tree scan's CPU in `memset`; reads never overlap, as each finishes before
    /// anything it read is scanned.
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

    /// A file of a tree smaller than this is read whole, in one `read(2)`, into ``fileBuffer`` and
    /// scanned where it lies: no sniffed head copied out and handed back, no stream wrappers, no
    /// read only to hear the end. Nearly every file of a source tree is this small; larger ones
    /// are streamed.
    static let wholeFileBytes = 1 << 20
    /// What the first read of such a file asks for: the rest is read once the head is sniffed.
    static let firstReadBytes = 32 << 10
    /// Holds the file ``scanFile(path:listed:)`` read whole. Only that top-level read uses it:
    /// anything nested (archive members, decoded values) reads through ``readBuffer`` or its own
    /// arrays, so the bytes stay put while they are scanned.
    private let fileBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ContentScanner.wholeFileBytes, alignment: 64)
    /// A gzip member is decompressed in one call with libdeflate (``WholeGzip``, about four times
    /// zlib's streaming speed, CRC and length checked alike) when it expands to at most this; a
    /// larger one is streamed through zlib, so memory stays bounded by the buffers.
    static let wholeGzipMaxOutput = 32 << 20

    init(limits: ArchiveLimits = ArchiveLimits()) {
        self.limits = limits
    }

    deinit {
        readBuffer.deallocate()
        fileBuffer.deallocate()
    }

    /// Reads once from `source` and appends what arrived to `bytes`; returns its count (0 at the end).
    private func readAppending(_ source: any ByteSource, to bytes: inout [UInt8]) throws(StreamIOError) -> Int {
        let n = try source.read(into: readBuffer)
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
        return n
    }

    /// Counts the input just scanned as not read to its end (its read error is already recorded), so
    /// the run is partial; used for an S3 object whose ranged read failed part-way.
    func countUnreadObject() {
        stats.unreadableObjects += 1
    }

    /// Scans the file at `path`. `listed`: a directory listing gave it as a regular file (see
    /// ``RegularFile/openSized(_:listed:)``).
    func scanFile(path: String, listed: Bool = false) {
        defer { finishInput() }
        do {
            // Opened first, then sized from its descriptor: one path lookup fewer, and the budget's
            // size is that of the file read (no window between a stat of the path and its open).
            let reader = try FileReader(path: path, listed: listed)
            budget = ExpansionBudget(limits: limits, input: path, inputBytes: reader.size ?? 0)
            if let size = reader.size, size < fileBuffer.count {
                // A binary file is read no further than its first 32 KiB (a fifth of this tree's
                // bytes are binaries under 1 MiB, skipped after the sniff); a text file of that
                // size or less, nearly all of them, still takes one read.
                let read = try reader.readWhole(into: fileBuffer, firstRead: Self.firstReadBytes) {
                    ContentKind.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(ContentKind.sniffLength))) != .binary
                }
                switch read {
                case .whole(let n):
                    try scanInMemory(UnsafeRawBufferPointer(rebasing: fileBuffer[0..<n]), name: path, depth: 0)
                    return
                case .declined:
                    stats.skippedBinary += 1
                    return
                case .tooLarge:
                    break
                }
            }
            let head = try reader.peek(ContentKind.sniffLength)
            let kind = ContentKind.sniff(head)
            if kind == .zip {
                try scanZip(RandomAccessFile(path: path), name: path, depth: 0)
            } else {
                try dispatch(kind: kind, head: head, source: reader, headConsumed: false, name: path, depth: 0)
            }
        } catch {
            record(error, name: path)
        }
    }

    /// Scans a stream (standard input, a staged blob, an archive member at `depth` > 0).
    /// `inputBytes`: the input's own size when known (an S3 object), for the expansion-ratio limit.
    func scanStream(_ source: any ByteSource, name: String, depth: Int = 0, inputBytes: Int = 0) {
        var source = source
        if depth == 0 {
            let budget = ExpansionBudget(limits: limits, input: name, inputBytes: inputBytes)
            self.budget = budget
            source = BudgetedSource(source, budget: budget, kind: .input)
        }
        defer { if depth == 0 { finishInput() } }
        do {
            let head = try readPrefix(source, count: ContentKind.sniffLength)
            try dispatch(kind: ContentKind.sniff(head), head: head, source: source, headConsumed: true, name: name, depth: depth)
        } catch {
            record(error, name: name)
        }
    }

    /// Scans an input held in memory (a git blob): as ``scanStream(_:name:depth:inputBytes:)`` of
    /// these bytes would, but text and JSON, nearly every blob, are scanned where they lie, with no
    /// copy through a read buffer. Archives and UTF-16 take the stream path unchanged.
    func scanMemory(_ bytes: [UInt8], name: String) {
        bytes.withUnsafeBytes { raw in
            let kind = ContentKind.sniff(UnsafeRawBufferPointer(rebasing: raw.prefix(ContentKind.sniffLength)))
            // Archives are charged as a stream of them would be: their input counted as it is read.
            guard kind == .text || kind == .binary else {
                scanStream(MemoryBytes(bytes, name: name), name: name)
                return
            }
            budget = ExpansionBudget(limits: limits, input: name, inputBytes: bytes.count)
            defer { finishInput() }
            do {
                try scanInMemory(raw, name: name, depth: 0, kind: kind)
            } catch {
                record(error, name: name)
            }
        }
    }

    /// Scans an input or member whose bytes are all in memory, as ``scanStream(_:name:depth:inputBytes:)``
    /// of them would (the same kinds, findings, counts and messages; the caller has charged them),
    /// but text, JSON and gzip where they lie. `bytes` must stay unchanged while this runs.
    /// `kind`: what the caller already sniffed of these bytes.
    private func scanInMemory(_ bytes: UnsafeRawBufferPointer, name: String, depth: Int, kind sniffed: ContentKind? = nil) throws {
        let head = UnsafeRawBufferPointer(rebasing: bytes.prefix(ContentKind.sniffLength))
        let kind = sniffed ?? ContentKind.sniff(head)
        if depth > limits.maxDepth, kind != .text {
            errors.append("\(name): archive nesting deeper than \(limits.maxDepth) levels was not opened (--max-archive-depth)")
            stats.skippedNested += 1
            return
        }
        switch kind {
        case .text where bytes.count <= Self.maxBufferedEncoded:
            if let encoded = EncodedTextKind.sniff(head) {
                try scanEncoded(bytes: bytes, kind: encoded, name: name, depth: depth)
            } else {
                scanPlain(memory: bytes, name: name)
            }
        case .binary:
            stats.skippedBinary += 1
        case .gzip:
            stats.archives += 1
            try scanGzip(compressed: bytes, name: name, depth: depth)
        case .zip:
            try scanZip(MemoryBytes(Array(bytes), name: name), name: name, depth: depth)
        case .text, .utf16LE, .utf16BE, .tar:
            // Rare in a tree: the stream path, unchanged.
            try dispatch(kind: kind, head: Array(head), source: MemoryBytes(Array(bytes), name: name), headConsumed: false, name: name, depth: depth)
        }
    }

    /// A gzip stream whose compressed bytes are all in memory: decompressed whole when it is one
    /// intact member small enough (``wholeGzipMaxOutput``) and within the input's budget, then
    /// scanned in memory; otherwise streamed through ``GzipReader``, which also words any damage.
    private func scanGzip(compressed bytes: UnsafeRawBufferPointer, name: String, depth: Int) throws {
        if let declared = WholeGzip.declaredLength(bytes), declared <= Self.wholeGzipMaxOutput, budget?.wouldExceed(declared) != true,
           let decoded = WholeGzip.decode(bytes, maxOutput: Self.wholeGzipMaxOutput) {
            // Charged whole, as a stream of it would be read by read: within the budget, checked above.
            try budget?.charge(decoded.count, name: name)
            try decoded.withUnsafeBytes { try scanInMemory($0, name: name, depth: depth + 1) }
            return
        }
        scanStream(charged(try GzipReader(source: MemoryBytes(Array(bytes), name: name))), name: name, depth: depth + 1)
    }

    /// Scans bytes already known to be text (a git diff hunk), with lines as given.
    func scanText(_ bytes: [UInt8], name: String) -> [RawHit] {
        let memory = MemoryBytes(bytes, name: name)
        do {
            let (hits, n) = try streamScanner.scan(memory)
            stats.bytes += n
            return hits
        } catch {
            record(error, name: name)
            return []
        }
    }

    private func dispatch(kind: ContentKind, head: [UInt8], source: any ByteSource, headConsumed: Bool,
                          name: String, depth: Int) throws {
        let whole: any ByteSource = headConsumed ? PrefixedSource(head: head, source: source) : source
        if depth > limits.maxDepth, kind != .text {
            errors.append("\(name): archive nesting deeper than \(limits.maxDepth) levels was not opened (--max-archive-depth)")
            stats.skippedNested += 1
            return
        }
        switch kind {
        case .text:
            if let encoded = EncodedTextKind.sniff(head) {
                try scanEncoded(whole, kind: encoded, name: name, depth: depth)
            } else {
                try scanPlain(whole, name: name)
            }
        case .utf16LE, .utf16BE:
            try scanPlain(UTF16Source(source: whole, bigEndian: kind == .utf16BE), name: name)
        case .binary:
            stats.skippedBinary += 1
        case .gzip:
            stats.archives += 1
            // Small enough to hold (every `.json.gz` of an SDK): read whole, decompressed whole.
            var compressed: [UInt8] = []
            while try readAppending(whole, to: &compressed) > 0 {
                if compressed.count > WholeGzip.maxCompressedBytes {
                    scanStream(charged(try GzipReader(source: PrefixedSource(head: compressed, source: whole))), name: name, depth: depth + 1)
                    return
                }
            }
            try compressed.withUnsafeBytes { try scanGzip(compressed: $0, name: name, depth: depth) }
        case .tar:
            stats.archives += 1
            try TarReader(source: whole, name: name).forEachFile { member, content in
                // Tar members are slices of a stream already charged: not charged again.
                guard !stopped else { return }
                scanStream(content, name: "\(name)!\(member)", depth: depth + 1)
            }
        case .zip:
            var bytes: [UInt8] = []
            while try readAppending(whole, to: &bytes) > 0 {
                if bytes.count > Self.maxBufferedZip {
                    throw SecretScanError.unsupportedArchive(path: name, reason: "a zip larger than 256 MiB inside another archive")
                }
            }
            try scanZip(MemoryBytes(bytes, name: name), name: name, depth: depth)
        }
    }

    private func scanZip(_ bytes: any RandomAccessBytes, name: String, depth: Int) throws {
        stats.archives += 1
        let zip = ZipReader(bytes: bytes)
        for member in try zip.members() where !stopped {
            let display = "\(name)!\(member.name)"
            if member.encrypted {
                errors.append("\(display): encrypted zip member was not scanned")
                stats.skippedEncrypted += 1
                continue
            }
            do {
                // A deflated member that fits the budget is decompressed whole (libdeflate) and
                // scanned in memory, as a stream of it would be; the rest are streamed.
                if budget?.wouldExceed(member.uncompressedSize) != true,
                   let whole = try zip.openWhole(member, displayName: display, maxOutput: Self.wholeGzipMaxOutput) {
                    try budget?.charge(whole.count, name: display)
                    do {
                        try whole.withUnsafeBytes { try scanInMemory($0, name: display, depth: depth + 1) }
                    } catch {
                        // What scanStream(depth + 1) records for its input: its own errors.
                        record(error, name: display)
                    }
                    continue
                }
                // Every member is charged, stored ones too: members may overlap and repeat the same bytes.
                scanStream(charged(try zip.open(member, displayName: display)), name: display, depth: depth + 1)
            } catch {
                record(error, name: display)
            }
        }
    }

    /// E-mail or JSON: scanned as it stands (headers, 7bit parts, plain values, with the file's
    /// own line numbers), then each base64 or quoted-printable MIME part and each base64 JSON value
    /// is decoded and scanned like an archive member (`mail.eml!part 2 (notes.txt)`,
    /// `export.json!$.comments[1].body`), its decoded bytes charged to the input's budget.
    private func scanEncoded(_ source: any ByteSource, kind: EncodedTextKind, name: String, depth: Int) throws {
        var bytes: [UInt8] = []
        while try readAppending(source, to: &bytes) > 0 {
            if bytes.count > Self.maxBufferedEncoded {
                // Still scanned in full as text; only the decoding is skipped, and said so.
                try scanPlain(PrefixedSource(head: bytes, source: source), name: name)
                errors.append("\(name): \(kind == .json ? "JSON" : "e-mail") larger than \(ArchiveLimits.sizeText(Self.maxBufferedEncoded)) "
                    + "was scanned as plain text: its base64 and quoted-printable parts were not decoded")
                stats.errors += 1
                stats.stoppedByLimits += 1
                return
            }
        }
        try bytes.withUnsafeBytes { try scanEncoded(bytes: $0, kind: kind, name: name, depth: depth) }
    }

    /// ``scanEncoded(_:kind:name:depth:)`` once the whole input is in memory (`bytes` must stay
    /// unchanged while this runs: the decoded parts are scanned before it returns).
    private func scanEncoded(bytes: UnsafeRawBufferPointer, kind: EncodedTextKind, name: String, depth: Int) throws {
        let rawStart = results.count
        scanPlain(memory: bytes, name: name)
        if depth > limits.maxDepth {
            errors.append("\(name): encoded parts nested deeper than \(limits.maxDepth) levels were not decoded (--max-archive-depth)")
            stats.skippedNested += 1
            return
        }
        let seen = Set(results[rawStart...].flatMap { $0.hits.map(HitIdentity.init) })
        switch kind {
        case .mail, .mbox:
            // Keys a quoted-printable part completed (its secret was split by a soft line break).
            var completed = Set<String>()
            let problems = MailWalker.walk(Array(bytes), kind: kind) { part in
                guard !stopped else { return false }
                let display = "\(name)!\(part.label)"
                let before = results.count
                scanStream(charged(MemoryBytes(part.decoded, name: display)), name: display, depth: depth + 1)
                // A key not split by a soft line break was already found in the raw text.
                if part.quotedPrintable {
                    dropRepeated(since: before, seen: seen)
                    for entry in results[min(before, results.count)...] {
                        for hit in entry.hits where hit.secret != nil { if let k = hit.keyId { completed.insert(k) } }
                    }
                }
                return !stopped
            }
            // The raw text's half-seen key (its ID without the split secret) is the same leak: reported once, whole.
            if !completed.isEmpty, rawStart < results.count, results[rawStart].name == name {
                results[rawStart].hits.removeAll { $0.secret == nil && $0.keyId.map(completed.contains) == true }
                if results[rawStart].hits.isEmpty { results.remove(at: rawStart) }
            }
            for problem in problems {
                errors.append("\(name)!\(problem)")
                stats.skippedNested += 1
            }
        case .json:
            JSONBase64Values.walk(bytes: bytes) { value in
                guard !stopped else { return false }
                let display = "\(name)!\(value.path)"
                scanStream(charged(MemoryBytes(value.decoded, name: display)), name: display, depth: depth + 1)
                return !stopped
            }
        }
    }

    /// Removes hits found since `results[since]` that repeat a hit of the raw text.
    private func dropRepeated(since start: Int, seen: Set<HitIdentity>) {
        guard start < results.count else { return }
        for i in start..<results.count {
            results[i].hits.removeAll { seen.contains(HitIdentity($0)) }
        }
        results.removeAll { $0.hits.isEmpty }
    }

    private func scanPlain(_ source: any ByteSource, name: String) throws {
        let (hits, n) = try streamScanner.scan(source)
        stats.files += 1
        stats.bytes += n
        if !hits.isEmpty { results.append((name, hits)) }
    }

    private func scanPlain(memory bytes: UnsafeRawBufferPointer, name: String) {
        let (hits, n) = streamScanner.scan(memory: bytes)
        stats.files += 1
        stats.bytes += n
        if !hits.isEmpty { results.append((name, hits)) }
    }

    /// `source` charged to the current input's budget.
    private func charged(_ source: any ByteSource) -> any ByteSource {
        budget.map { BudgetedSource(source, budget: $0) } ?? source
    }

    /// True once the current input went past a limit.
    private var stopped: Bool { budget?.message != nil }

    /// Ends the current input: its limit message, if any, is recorded once.
    private func finishInput() {
        if let budget, let message = budget.message, !budget.reported {
            budget.reported = true
            errors.append(message)
            stats.errors += 1
            stats.stoppedByLimits += 1
        }
        budget = nil
    }

    private func record(_ error: any Error, name: String) {
        // Past a limit every read fails: the one message comes from finishInput().
        if stopped { return }
        stats.errors += 1
        if let e = error as? SecretScanError {
            errors.append(e.description)
        } else if let e = error as? StreamIOError {
            errors.append(e.description)
        } else {
            errors.append("\(name): \(error)")
        }
    }
}

/// What makes two hits the same credential, whatever their place.
struct HitIdentity: Hashable {
    var keyId: String?
    var secret: String?
    init(_ hit: RawHit) {
        keyId = hit.keyId
        secret = hit.secret
    }
}

/// Counts for the summary line, so nothing is skipped silently.
public struct ScanStats: Sendable, Hashable {
    public var files = 0
    public var bytes = 0
    public var archives = 0
    public var skippedBinary = 0
    public var skippedIgnored = 0
    public var skippedSymlinks = 0
    /// Sockets, FIFOs and device files met while walking.
    public var skippedSpecial = 0
    public var skippedEncrypted = 0
    public var skippedNested = 0
    /// Inputs whose scan stopped at an archive limit (size or ratio).
    public var stoppedByLimits = 0
    public var errors = 0
    public var commits = 0
    /// Objects that could not be read: git objects a shallow, partial or damaged repository lacks,
    /// S3 objects too large or unreadable. Each makes the run partial.
    public var unreadableObjects = 0

    public init() {}

    public mutating func add(_ o: ScanStats) {
        files += o.files; bytes += o.bytes; archives += o.archives
        skippedBinary += o.skippedBinary; skippedIgnored += o.skippedIgnored; skippedSymlinks += o.skippedSymlinks
        skippedSpecial += o.skippedSpecial
        skippedEncrypted += o.skippedEncrypted; skippedNested += o.skippedNested; stoppedByLimits += o.stoppedByLimits; errors += o.errors; commits += o.commits
        unreadableObjects += o.unreadableObjects
    }
}
