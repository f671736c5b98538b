import Foundation
import Testing
import StreamIO
import MamoriTestSupport

/// Reads every line of `path` as (number, text, truncated).
func allLines(_ path: String, bufferSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) throws -> [(Int, String, Bool)] {
    let reader = try LineReader(path: path, bufferSize: bufferSize, maxLineLength: maxLineLength)
    var out: [(Int, String, Bool)] = []
    while let line = try reader.next() {
        out.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.isTruncated))
    }
    return out
}

/// gzip of "alpha\nbeta\r\n" (Python gzip.compress, mtime 0).
let gzAlphaBeta: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 204, 41, 200, 72, 228, 74, 74, 45, 73, 228, 229, 2, 0, 91, 236, 242, 215, 12, 0, 0, 0]
/// gzip of "gamma" (no trailing newline).
let gzGamma: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 79, 204, 205, 77, 4, 0, 113, 208, 67, 196, 5, 0, 0, 0]
/// zlib of "one\ntwo\n".
let zlibOneTwo: [UInt8] = [120, 156, 203, 207, 75, 229, 42, 41, 207, 231, 2, 0, 13, 47, 2, 177]

@Suite struct LineReaderTests {
    @Test func splitsLfAndCrLfAndKeepsFinalLineWithoutNewline() throws {
        let path = try writeTemp("a\r\nbb\n\nccc")
        let lines = try allLines(path)
        #expect(lines.map(\.1) == ["a", "bb", "", "ccc"])
        #expect(lines.map(\.0) == [1, 2, 3, 4])
    }

    @Test func emptyFileHasNoLines() throws {
        #expect(try allLines(try writeTemp("")).isEmpty)
    }

    @Test func linesLongerThanTheBufferGrowIt() throws {
        let long = String(repeating: "x", count: 1000)
        let lines = try allLines(try writeTemp("short\n\(long)\nend\n"), bufferSize: 64)
        #expect(lines.map(\.1) == ["short", long, "end"])
        #expect(lines.allSatisfy { !$0.2 })
    }

    @Test func linesLongerThanTheLimitAreCutAndFlagged() throws {
        let long = String(repeating: "y", count: 500)
        let lines = try allLines(try writeTemp("a\n\(long)\nb"), bufferSize: 64, maxLineLength: 128)
        #expect(lines.count == 3)
        #expect(lines[1].1 == String(repeating: "y", count: 128))
        #expect(lines[1].2 == true)
        #expect(lines[2].1 == "b")
        #expect(lines[2].0 == 3)
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: StreamIOError.self) { try LineReader(path: "/nonexistent/mamori/x.log") }
    }
}

@Suite struct LineBlockTests {
    /// Joins the blocks back; whole lines only, so the text must round-trip exactly.
    func blocks(_ text: String, bufferSize: Int, maxLineLength: Int = 64 << 20) throws -> [(String, Bool)] {
        let reader = try LineReader(path: try writeTemp(text), bufferSize: bufferSize, maxLineLength: maxLineLength)
        var out: [(String, Bool)] = []
        while let block = try reader.nextBlock() {
            out.append((String(decoding: block.bytes, as: UTF8.self), block.endsWithTruncatedLine))
        }
        return out
    }

    @Test func blocksEndAtNewlinesAndRoundTrip() throws {
        var text = ""
        for i in 0..<500 { text += "line number \(i)\n" }
        text += "last without newline"
        let parts = try blocks(text, bufferSize: 100)
        #expect(parts.map(\.0).joined() == text)
        #expect(parts.dropLast().allSatisfy { $0.0.hasSuffix("\n") })
        #expect(parts.count > 50)
    }

    @Test func overlongLineComesAloneAndCut() throws {
        let long = String(repeating: "z", count: 1000)
        let parts = try blocks("a\n\(long)\nb\n", bufferSize: 64, maxLineLength: 256)
        #expect(parts.map(\.0) == ["a\n", String(repeating: "z", count: 256), "b\n"])
        #expect(parts.map(\.1) == [false, true, false])
    }
}

@Suite struct GzipReaderTests {
    @Test func detectsGzipByMagicAndSplitsLines() throws {
        let lines = try allLines(try writeTemp(gzAlphaBeta, name: "x.log"))
        #expect(lines.map(\.1) == ["alpha", "beta"])
    }

    @Test func readsConcatenatedMembersAsOneStream() throws {
        let lines = try allLines(try writeTemp(gzAlphaBeta + gzGamma + [0, 0, 0]))
        #expect(lines.map(\.1) == ["alpha", "beta", "gamma"])
    }

    /// The size comes from `fstat` on the opened descriptor (scanFile sizes its budget with it).
    @Test func fileReaderKnowsTheOpenedFileSize() throws {
        #expect(try FileReader(path: try writeTemp(zlibOneTwo)).size == zlibOneTwo.count)
        #expect(FileReader(descriptor: 0, name: "stdin").size == nil)
    }

    @Test func readsRawZlibWhenAskedExplicitly() throws {
        let reader = LineReader(source: try GzipReader(source: try FileReader(path: try writeTemp(zlibOneTwo))))
        var out: [String] = []
        while let line = try reader.next() { out.append(String(decoding: line.bytes, as: UTF8.self)) }
        #expect(out == ["one", "two"])
    }

    @Test func corruptDataIsReported() throws {
        var bad = gzAlphaBeta
        bad[12] ^= 0xFF
        bad[13] ^= 0xFF
        let path = try writeTemp(bad)
        #expect(throws: StreamIOError.self) { _ = try allLines(path) }
    }

    @Test func truncatedDataIsReported() throws {
        let path = try writeTemp(Array(gzAlphaBeta.prefix(20)))
        #expect(throws: StreamIOError.truncatedCompressedData(path: path)) { _ = try allLines(path) }
    }

    @Test func largeInputRoundTripsThroughSmallBuffers() throws {
        // A 100-byte buffer forces a refill and a move of the partial line every few lines.
        var text = ""
        for i in 0..<20_000 { text += "line \(i)\n" }
        let lines = try allLines(try writeTemp(text), bufferSize: 100)
        #expect(lines.count == 20_000)
        #expect(lines[12_345].1 == "line 12345")
    }
}

@Suite struct WholeGzipTests {
    @Test func oneMemberIsDecodedWhole() throws {
        let whole = try #require(WholeGzip.decode(Data(gzAlphaBeta)))
        #expect(String(decoding: whole, as: UTF8.self) == "alpha\nbeta\r\n")
    }

    @Test func whatItCannotDecodeIsLeftToTheStreamingReader() {
        // Two members, NUL padding (its last four bytes are no length), a damaged CRC, a cut-off
        // member and plain text all return nil.
        #expect(WholeGzip.decode(Data(gzAlphaBeta + gzGamma)) == nil)
        #expect(WholeGzip.decode(Data(gzAlphaBeta + [0, 0, 0, 0])) == nil)
        var badCRC = gzAlphaBeta
        badCRC[badCRC.count - 6] ^= 0xFF
        #expect(WholeGzip.decode(Data(badCRC)) == nil)
        #expect(WholeGzip.decode(Data(gzAlphaBeta.prefix(20))) == nil)
        #expect(WholeGzip.decode(Data("alpha\nbeta\n".utf8)) == nil)
    }

    @Test func inMemoryOpenMatchesTheFileOpen() throws {
        for bytes in [gzAlphaBeta, gzAlphaBeta + gzGamma, gzAlphaBeta + [0, 0, 0], Array("plain\n".utf8)] {
            let fromFile = try allLines(try writeTemp(bytes)).map(\.1)
            let reader = LineReader(source: try InputOpener.open(data: Data(bytes), name: "object"))
            var fromMemory: [String] = []
            while let line = try reader.next() { fromMemory.append(String(decoding: line.bytes, as: UTF8.self)) }
            #expect(fromMemory == fromFile)
        }
    }
}
