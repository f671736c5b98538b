import Foundation
import Hunt
import StreamIO
import Testing

/// Bytes handed out in small pieces, so every split point of the splitter is exercised.
final class PieceSource: ByteSource {
    let name = "<memory>"
    private let bytes: [UInt8]
    private let piece: Int
    private var offset = 0

    init(_ text: String, piece: Int = 7) { self.bytes = Array(text.utf8); self.piece = piece }
    init(bytes: [UInt8], piece: Int = 4096) { self.bytes = bytes; self.piece = piece }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamIOError) -> Int {
        let n = min(piece, buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        for i in 0..<n { buffer[i] = bytes[offset + i] }
        offset += n
        return n
    }
}

func split(_ text: String, piece: Int = 7, chunk: Int = 256, maxEventBytes: Int = 1 << 20) -> (events: [String], error: SplitError?) {
    split(source: PieceSource(text, piece: piece), chunk: chunk, maxEventBytes: maxEventBytes)
}

func split(source: any ByteSource, chunk: Int = 256, maxEventBytes: Int = 1 << 20) -> (events: [String], error: SplitError?) {
    let splitter = EventSplitter(source: source, chunk: chunk, maxEventBytes: maxEventBytes)
    var events: [String] = []
    do throws(SplitError) {
        while let event = try splitter.next() { events.append(String(decoding: event, as: UTF8.self)) }
    } catch {
        return (events, error)
    }
    return (events, nil)
}

@Suite struct SplitterTests {
    @Test func trailFileYieldsEachRecord() {
        let text = #"{"Records":[{"eventID":"a","x":{"y":[1,{"z":2}]}},{"eventID":"b"}]}"#
        for piece in [1, 3, 7, 64, 4096] {
            let (events, error) = split(text, piece: piece)
            #expect(error == nil)
            #expect(events == [#"{"eventID":"a","x":{"y":[1,{"z":2}]}}"#, #"{"eventID":"b"}"#])
        }
    }

    @Test func stringsWithBracesQuotesAndEscapesDoNotEndAnEvent() {
        let odd = #"{"eventID":"a","userAgent":"}]{[ \"quoted\" \\ \\\" tail}","p":"\\"}"#
        let text = "{\n  \"Records\" : [\n" + odd + " ,\n" + #"{"eventID":"b"}"# + "\n ]\n}\n"
        for piece in [1, 2, 5, 4096] {
            let (events, error) = split(text, piece: piece)
            #expect(error == nil)
            #expect(events == [odd, #"{"eventID":"b"}"#])
        }
    }

    @Test func jsonLinesAndArraysAndEmptyInput() {
        #expect(split("{\"eventID\":\"a\"}\n{\"eventID\":\"b\"}\n\n").events == [#"{"eventID":"a"}"#, #"{"eventID":"b"}"#])
        #expect(split(#"[{"eventID":"a"}, {"eventID":"b"}]"#).events == [#"{"eventID":"a"}"#, #"{"eventID":"b"}"#])
        #expect(split("").events.isEmpty && split("").error == nil)
        #expect(split(#"{"Records":[]}"#).events.isEmpty)
        // A byte-order mark before the document is skipped.
        #expect(split("\u{FEFF}{\"Records\":[{\"a\":1}]}").events == [#"{"a":1}"#])
        // Another key after Records (a digest-like file) is skipped, not an error.
        #expect(split(#"{"Records":[{"a":1}],"other":{"b":[2]}}{"c":3}"#).events == [#"{"a":1}"#, #"{"c":3}"#])
    }

    @Test func eventsLargerThanTheBufferGrowIt() {
        let big = #"{"eventID":"big","p":""# + String(repeating: "x", count: 10_000) + #""}"#
        let (events, error) = split(#"{"Records":["# + big + #",{"eventID":"after"}]}"#, piece: 100, chunk: 256)
        #expect(error == nil)
        #expect(events == [big, #"{"eventID":"after"}"#])
    }

    @Test func cutOffInputKeepsTheEventsBeforeAndSaysSo() {
        let (events, error) = split(#"{"Records":[{"eventID":"a"},{"eventID":"b","x":"unterminated"#)
        #expect(events == [#"{"eventID":"a"}"#])
        guard case .truncated = error else { Issue.record("expected truncated, got \(String(describing: error))"); return }
        // The array itself cut off after a complete event.
        let (more, error2) = split(#"{"Records":[{"eventID":"a"},"#)
        #expect(more.count == 1)
        guard case .truncated = error2 else { Issue.record("expected truncated"); return }
    }

    @Test func garbageIsMalformedAndOversizedEventsAreRefused() {
        guard case .malformed = split("not json").error else { Issue.record("expected malformed"); return }
        guard case .malformed = split(#"{"Records":[1,2]}"#).error else { Issue.record("expected malformed"); return }
        let big = #"{"p":""# + String(repeating: "x", count: 5_000) + #""}"#
        guard case .eventTooLarge = split(big, piece: 512, chunk: 256, maxEventBytes: 1_024).error else {
            Issue.record("expected eventTooLarge"); return
        }
    }

    @Test func truncatedGzipGivesTheEventsReadAndAReadError() throws {
        var records: [String] = []
        for i in 0..<2_000 { records.append(#"{"eventID":"e\#(i)","eventName":"GetObject","pad":"\#(String(repeating: "p", count: i % 50))"}"#) }
        let text = #"{"Records":["# + records.joined(separator: ",") + "]}"
        let gz = try gzip(Array(text.utf8))
        let whole = split(source: try GzipReader(source: PieceSource(bytes: gz)))
        #expect(whole.error == nil)
        #expect(whole.events.count == 2_000)
        let cut = split(source: try GzipReader(source: PieceSource(bytes: Array(gz.prefix(gz.count / 2)))))
        #expect(cut.events.count > 0 && cut.events.count < 2_000)
        guard case .read(.truncatedCompressedData) = cut.error else { Issue.record("expected a truncated gzip error, got \(String(describing: cut.error))"); return }
    }
}

/// gzip through the system's gzip (the tests need a real gzip stream, not our own writer).
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hunt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("x")
    try Data(bytes).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-n", file.path]
    try process.run()
    process.waitUntilExit()
    return Array(try Data(contentsOf: dir.appendingPathComponent("x.gz")))
}
