#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StreamIO
import LogReaders
import SigmaEngine

/// Streams log files through the rules: cheap checks on every line, full parsing and rule
/// evaluation only on lines containing one of the rules' literal needles.
public struct Scanner: Sendable {
    public let options: ScanOptions
    /// The prefilter's needles for a log of unknown schema, or nil when every line must be evaluated.
    /// Each file gets its own set once its header is known (fields it lacks need no needle).
    public let needles: [String]?

    /// Field names the rules, the field map and the alert text read; parsers may skip the rest.
    let wanted: Set<String>

    /// The read buffer (one block of lines). 512 KiB stays in a core's L2 cache between `read(2)`
    /// copying it and the prefilter's and line checks' passes over it; 4 MiB blocks did not and
    /// took 9 % more CPU time on the benchmark log. Tests make it small to put lines on block
    /// boundaries. (Longer lines grow it, up to `LineReader.maxLineLength`.)
    var readBufferSize = 512 << 10

    public init(options: ScanOptions) {
        self.options = options
        self.needles = Scanner.needles(options, universe: nil)
        var wanted = Set(ScanOptions.defaultSourceFields + ScanOptions.defaultDestinationFields + ScanOptions.timeFields)
        wanted.formUnion(ExampleRequest.fields)
        wanted.formUnion(options.config.sourceFields + options.config.destinationFields)
        for (a, b) in options.config.fieldMap { wanted.insert(a); wanted.insert(b) }
        for rule in options.rules {
            for selection in rule.rule.selections {
                if case let .maps(maps) = selection.body { for map in maps { for m in map { wanted.insert(m.field) } } }
            }
        }
        self.wanted = wanted
    }

    static func needles(_ options: ScanOptions, universe: Set<String>?) -> [String]? {
        guard options.prefilter else { return nil }
        var mappedFrom: [String: [String]] = [:]
        var universe = universe
        for (ruleField, logField) in options.config.fieldMap {
            mappedFrom[ruleField, default: []].append(logField)
            if universe?.contains(logField) == true { universe?.insert(ruleField) }
        }
        let needles = Needles.derive(options.rules, context: Needles.Context(universe: universe, mappedFrom: mappedFrom))
        // A needle with a quote or backslash could differ between the raw line and the decoded value.
        if let n = needles, n.contains(where: { $0.contains("\"") || $0.contains("\\") }) { return nil }
        return needles
    }

    /// The prefilter state of one file: re-derived whenever a header changes the fields.
    struct Prefilter {
        var searcher: NeedleSearcher?
        var generation = -1
        var needles: [String]?

        /// Byte counts of the file's first block, to search for each needle's rarest bytes.
        var frequencies: [Int]?

        mutating func refresh(_ options: ScanOptions, _ parser: any LogLineParser) {
            generation = parser.schemaGeneration
            needles = Scanner.needles(options, universe: parser.fieldUniverse)
            searcher = needles.map { NeedleSearcher($0, frequencies: frequencies) }
        }

        /// Hit offsets in `bytes`, plus `base`; nil means evaluate every line.
        func hits(_ bytes: UnsafeRawBufferPointer, base: Int, escaped: Bool, into hits: inout [Int]) -> Bool {
            guard let searcher else { return false }
            let before = hits.count
            searcher.findAll(in: bytes, into: &hits)
            if escaped && !(needles ?? []).isEmpty { findByte(bytes, 0x5C, into: &hits) }
            if base != 0 { for i in before..<hits.count { hits[i] += base } }
            hits[before...].sort()
            return true
        }
    }

    /// Scans files one after another, up to `parallelism` at once, and merges the results.
    public func scan(paths: [String], parallelism: Int = 1) async -> ScanReport {
        let clock = ContinuousClock()
        let started = clock.now
        var results = [FileResult?](repeating: nil, count: paths.count)
        await withTaskGroup(of: (Int, FileResult).self) { group in
            var next = 0
            let limit = max(1, parallelism)
            while next < paths.count && next < limit {
                let i = next
                group.addTask { (i, self.scanFile(paths[i])) }
                next += 1
            }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < paths.count {
                    let j = next
                    group.addTask { (j, self.scanFile(paths[j])) }
                    next += 1
                }
            }
        }
        var report = merge(results.compactMap { $0 })
        let elapsed = clock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// The per-file outcome, merged later in argument order.
    struct FileResult: Sendable {
        var stats: FileStats
        var alerts: [String: Alert] = [:]
        var order: [String] = []
        var malformed: [MalformedLine] = []
        var suppressed = 0
        var needles: [String]?
    }

    func merge(_ results: [FileResult]) -> ScanReport {
        var alerts: [String: Alert] = [:]
        var order: [String] = []
        var malformed: [MalformedLine] = []
        var malformedCount = 0
        var suppressed = 0
        var lines = 0
        var bytes = 0
        for r in results {
            for key in r.order {
                guard let alert = r.alerts[key] else { continue }
                if alerts[key] == nil { alerts[key] = alert; order.append(key) } else { alerts[key]?.merge(alert) }
            }
            malformedCount += r.stats.malformed
            for m in r.malformed where malformed.count < options.malformedExamples { malformed.append(m) }
            suppressed += r.suppressed
            lines += r.stats.lines
            bytes += r.stats.bytes
        }
        return ScanReport(
            alerts: order.compactMap { alerts[$0] }, malformedCount: malformedCount, malformed: malformed,
            files: results.map(\.stats), lines: lines, bytes: bytes, suppressed: suppressed, seconds: 0,
            prefilter: results.first?.needles ?? needles ?? []
        )
    }

    /// Scans one file (or `-` for stdin). Read errors end this file only and are recorded.
    func scanFile(_ path: String) -> FileResult {
        let display = path == "-" ? "<stdin>" : path
        var result = FileResult(stats: FileStats(file: display, format: nil, lines: 0, bytes: 0, malformed: 0, error: nil))
        let reader: LineReader
        do {
            reader = try LineReader(path: path, bufferSize: readBufferSize)
        } catch {
            result.stats.error = error.description
            return result
        }
        var parser: (any LogLineParser)? = options.format.map { $0.makeParser(config: options.config, wanted: wanted) }
        if let format = options.format { result.stats.format = format.rawValue }
        var lineNumber = 0
        var hits: [Int] = []
        hits.reserveCapacity(1024)
        var prefilter = Prefilter()
        do {
            while let block = try reader.nextBlock() {
                result.stats.bytes += block.bytes.count
                if block.endsWithTruncatedLine {
                    lineNumber += 1
                    noteMalformed(&result, display, lineNumber, "line longer than \(reader.maxLineLength) bytes (cut; not evaluated)")
                    continue
                }
                if parser == nil {
                    guard let format = detect(block.bytes) else {
                        result.stats.error = LogDetectError.undetectableFormat(file: display).description
                        return result
                    }
                    result.stats.format = format.rawValue
                    parser = format.makeParser(config: options.config, wanted: wanted)
                }
                if prefilter.frequencies == nil { prefilter.frequencies = byteHistogram(block.bytes) }
                guard var p = parser else { break }
                scanBlock(block.bytes, parser: &p, prefilter: &prefilter, hits: &hits, lineNumber: &lineNumber, file: display, result: &result)
                parser = p
            }
        } catch {
            result.stats.error = error.description
        }
        result.stats.lines = lineNumber
        result.needles = prefilter.needles
        return result
    }

    private func detect(_ block: UnsafeRawBufferPointer) -> LogFormat? {
        var p = 0
        while p < block.count {
            var e = p
            while e < block.count, block[e] != 0x0A { e += 1 }
            let line = UnsafeRawBufferPointer(rebasing: block[p..<e])
            if !isBlank(line) && !(line.count == 1 && line[0] == 0x0D) { return LogFormat.detect(firstLine: line) }
            p = e + 1
        }
        return nil
    }

    /// The hot loop: parsing only at needle hits. With the prefilter, the lines between two hits
    /// are handed to the parser as one run (`quietPrefix`: line count and structure checks in one
    /// SIMD pass); only hit lines, directives and malformed lines get a `memchr` and an `inspect`
    /// of their own. Without it (or for parsers with no bulk check), every line does.
    private func scanBlock(_ block: UnsafeRawBufferPointer, parser: inout any LogLineParser, prefilter: inout Prefilter,
                           hits: inout [Int], lineNumber: inout Int, file: String, result: inout FileResult) {
        guard let base = block.baseAddress else { return }
        let count = block.count
        if prefilter.generation != parser.schemaGeneration { prefilter.refresh(options, parser) }
        hits.removeAll(keepingCapacity: true)
        var evaluateAll = !prefilter.hits(block, base: 0, escaped: parser.valuesMayBeEscaped, into: &hits)
        var h = 0
        var p = 0
        // The lines in p..<quietEnd hold no hit: the start of the line holding the next hit (or
        // the end of the block's last complete line).
        var quietEnd = 0
        while p < count {
            if !evaluateAll {
                if p >= quietEnd {
                    while h < hits.count && hits[h] < p { h += 1 }
                    quietEnd = lineStart(base, before: h < hits.count ? hits[h] : count, floor: p)
                }
                if p < quietEnd {
                    let quiet = parser.quietPrefix(UnsafeRawBufferPointer(start: base + p, count: quietEnd - p))
                    lineNumber += quiet.lines
                    p += quiet.bytes
                    if p >= count { break }
                }
            }
            let lineEnd: Int
            if let nl = memchr(base + p, 0x0A, count - p) {
                lineEnd = UnsafeRawPointer(nl) - base
            } else {
                lineEnd = count
            }
            var e = lineEnd
            if e > p, base.load(fromByteOffset: e - 1, as: UInt8.self) == 0x0D { e -= 1 }
            lineNumber += 1
            let line = UnsafeRawBufferPointer(start: base + p, count: e - p)
            switch parser.inspect(line) {
            case .directive:
                if parser.schemaGeneration != prefilter.generation {
                    // A header changed the fields: search the rest of the block with new needles.
                    prefilter.refresh(options, parser)
                    hits.removeAll(keepingCapacity: true)
                    h = 0
                    quietEnd = 0
                    let rest = UnsafeRawBufferPointer(rebasing: block[min(lineEnd + 1, count)...])
                    evaluateAll = !prefilter.hits(rest, base: min(lineEnd + 1, count), escaped: parser.valuesMayBeEscaped, into: &hits)
                }
            case let .malformed(reason):
                noteMalformed(&result, file, lineNumber, reason)
            case .data:
                var candidate = evaluateAll
                if !candidate {
                    while h < hits.count && hits[h] < p { h += 1 }
                    candidate = h < hits.count && hits[h] < lineEnd
                }
                if candidate { evaluate(line, parser: parser, lineNumber: lineNumber, file: file, result: &result) }
            }
            p = lineEnd + 1
        }
    }

    /// The start of the line holding offset `at`: just after the last `\n` before it, or `floor`.
    private func lineStart(_ base: UnsafeRawPointer, before at: Int, floor: Int) -> Int {
        var i = at
        while i > floor {
            if base.load(fromByteOffset: i - 1, as: UInt8.self) == 0x0A { return i }
            i -= 1
        }
        return floor
    }

    private func noteMalformed(_ result: inout FileResult, _ file: String, _ line: Int, _ reason: String) {
        result.stats.malformed += 1
        if result.malformed.count < options.malformedExamples {
            result.malformed.append(MalformedLine(file: file, line: line, reason: reason))
        }
    }

    private func evaluate(_ line: UnsafeRawBufferPointer, parser: any LogLineParser, lineNumber: Int, file: String, result: inout FileResult) {
        var record: Record
        do {
            record = try parser.parse(line)
        } catch {
            noteMalformed(&result, file, lineNumber, error.reason)
            return
        }
        for (ruleField, logField) in options.config.fieldMap where record[ruleField] == nil {
            if let v = record[logField] { record[ruleField] = v }
        }
        var matchedSelections: [String] = []
        var matchedRules: [String] = []
        for rule in options.rules {
            if let names = rule.evaluate(record, line: line) {
                matchedRules.append(rule.rule.id)
                for n in names where !matchedSelections.contains(n) { matchedSelections.append(n) }
            }
        }
        guard !matchedRules.isEmpty else { return }
        let source = record.text(options.config.sourceFields + ScanOptions.defaultSourceFields) ?? "unknown"
        if options.isSuppressed(source: source) {
            result.suppressed += 1
            return
        }
        let destination = record.text(options.config.destinationFields + ScanOptions.defaultDestinationFields) ?? "unknown"
        let time = record.text(ScanOptions.timeFields).map(TimeText.normalize)
        let key = source + "\u{1F}" + destination
        if var alert = result.alerts[key] {
            alert.count += 1
            for s in matchedSelections where !alert.matchedSelections.contains(s) { alert.matchedSelections.append(s) }
            for r in matchedRules where !alert.rules.contains(r) { alert.rules.append(r) }
            if let time {
                alert.lastSeen = time.0
                alert.lastEpoch = time.1
                if let e = time.1, let first = alert.firstEpoch, e < first { alert.firstEpoch = e; alert.firstSeen = time.0 }
            }
            result.alerts[key] = alert
        } else {
            result.alerts[key] = Alert(
                source: source, destination: destination, firstSeen: time?.0, lastSeen: time?.0, count: 1,
                exampleRequest: Redactor.redact(ExampleRequest.describe(record, line: line)),
                matchedSelections: matchedSelections, rules: matchedRules, file: file, line: lineNumber,
                firstEpoch: time?.1, lastEpoch: time?.1
            )
            result.order.append(key)
        }
    }
}

/// How often each byte value occurs in `buffer`.
func byteHistogram(_ buffer: UnsafeRawBufferPointer) -> [Int] {
    var counts = [Int](repeating: 0, count: 256)
    counts.withUnsafeMutableBufferPointer { c in
        for b in buffer { c[Int(b)] += 1 }
    }
    return counts
}

/// Appends the offsets of every `byte` in `buffer` to `hits`.
func findByte(_ buffer: UnsafeRawBufferPointer, _ byte: UInt8, into hits: inout [Int]) {
    guard let base = buffer.baseAddress else { return }
    var p = 0
    while p < buffer.count, let hit = memchr(base + p, Int32(byte), buffer.count - p) {
        let at = UnsafeRawPointer(hit) - base
        hits.append(at)
        p = at + 1
    }
}

/// A one-line description of the request for the alert.
enum ExampleRequest {
    static let fields = ["method", "http.http_method", "cs-method", "http.request.method", "request_method", "host",
                         "http.hostname", "cs-host", "url.domain", "url", "http.url", "uri", "request_url", "url.original",
                         "cs-uri", "cs-uri-stem", "cs-uri-query", "id.resp_p", "dest_port", "dst_port", "destination.port",
                         "DestinationPort", "proto", "transport", "network.transport", "Protocol"]
    static func describe(_ r: Record, line: UnsafeRawBufferPointer) -> String {
        let method = r.text(["method", "http.http_method", "cs-method", "http.request.method", "request_method"])
        let host = r.text(["host", "http.hostname", "cs-host", "url.domain"])
        if let url = r.text(["url", "http.url", "uri", "request_url", "url.original", "cs-uri", "cs-uri-stem"]) {
            var target = url
            if !url.contains("://"), let host, url.hasPrefix("/") { target = "http://\(host)\(url)" }
            if let q = r.text(["cs-uri-query"]), !url.contains("?") { target += "?" + q }
            return [method, target].compactMap { $0 }.joined(separator: " ")
        }
        if let dst = r.text(["id.resp_h", "dest_ip", "dst_ip", "destination.ip", "DestinationIp"]) {
            let port = r.text(["id.resp_p", "dest_port", "dst_port", "destination.port", "DestinationPort"])
            let proto = r.text(["proto", "transport", "network.transport", "Protocol"])
            return "connection to \(dst)" + (port.map { ":\($0)" } ?? "") + (proto.map { "/\($0)" } ?? "")
        }
        let raw = String(decoding: line.prefix(200), as: UTF8.self)
        return line.count > 200 ? raw + "…" : raw
    }
}
