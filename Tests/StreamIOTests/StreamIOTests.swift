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

/// The tree scan's per-file path: a small file in one read, a file listed by a directory walk
/// opened without the path check, gzip and deflate decoded whole in memory.
@Suite struct WholeFileReadTests {
    @Test func aFileThatFitsIsReadWholeInOneGo() throws {
        let text = Array("alpha\nbeta\n".utf8)
        let reader = try FileReader(path: try writeTemp(text), listed: true)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
        defer { buffer.deallocate() }
        #expect(try reader.readWhole(into: buffer) == .whole(text.count))
        #expect(Array(buffer[0..<text.count]) == text)
        #expect(reader.bytesRead == text.count)
        #expect(try reader.read(into: buffer) == 0)
    }

    @Test func aFileThatDoesNotFitIsHandedOutWholeAfterward() throws {
        let text = Array((0..<500).map { "line \($0)\n" }.joined().utf8)
        let reader = try FileReader(path: try writeTemp(text))
        let small = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 16)
        defer { small.deallocate() }
        #expect(try reader.readWhole(into: small, firstRead: 10) == .tooLarge)
        // What was read stays pending: peek and read give the file from its first byte.
        #expect(try reader.peek(5) == Array("line ".utf8))
        var all: [UInt8] = []
        while case let n = try reader.read(into: small), n > 0 { all += small[0..<n] }
        #expect(all == text)
        #expect(reader.bytesRead == text.count)
    }

    /// `/proc` files report a size of 0 and give about a page per read: a short read is not
    /// their end. A process's memory map runs past the first page and ends with its stack.
    @Test func procFilesAreReadToTheirEnd() throws {
        let reader = try FileReader(path: "/proc/self/maps", listed: true)
        #expect(reader.size == 0)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        guard case .whole(let n) = try reader.readWhole(into: buffer, firstRead: 4096) else { Issue.record("not read whole"); return }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        #expect(n > 4096, "\(n) bytes")
        #expect(text.contains("[stack]") && text.hasSuffix("\n"))
    }

    /// The first read asks for `firstRead` bytes; past them the caller may decline the rest, and
    /// a file that ends within them is read whole without asking.
    @Test func theRestIsReadOnlyWhenTheHeadIsWanted() throws {
        let text = Array((0..<500).map { "line \($0)\n" }.joined().utf8)
        let path = try writeTemp(text)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var asked: [Int] = []
        let declined = try FileReader(path: path).readWhole(into: buffer, firstRead: 100) { asked.append($0.count); return false }
        #expect(declined == .declined(100) && asked == [100])
        #expect(try FileReader(path: path).readWhole(into: buffer, firstRead: 100) { _ in true } == .whole(text.count))
        #expect(Array(buffer[0..<text.count]) == text)
        asked = []
        #expect(try FileReader(path: path).readWhole(into: buffer, firstRead: 1 << 16) { asked.append($0.count); return false } == .whole(text.count))
        #expect(asked.isEmpty)
    }

    @Test func anEmptyFileIsReadWhole() throws {
        let reader = try FileReader(path: try writeTemp([UInt8]()), listed: true)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 16)
        defer { buffer.deallocate() }
        #expect(try reader.readWhole(into: buffer) == .whole(0))
    }

    /// `listed` leaves out the check before the open, not the one after: a FIFO in a listing
    /// (swapped in after the walk saw a file) is still refused, and the open does not block.
    @Test func aListedFIFOIsRefusedWithoutBlocking() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        do { _ = try FileReader(path: fifo, listed: true); Issue.record("opened a FIFO") } catch {
            #expect(error.description.contains("named pipe (FIFO)"), "\(error)")
        }
        do { _ = try FileReader(path: "/dev/null", listed: true); Issue.record("opened a device") } catch {
            #expect(error.description == "cannot open /dev/null: it is a device, not a regular file")
        }
    }

    @Test func gzipDecodedWholeFromMemory() throws {
        let whole = try #require(gzAlphaBeta.withUnsafeBytes { WholeGzip.decode($0) })
        #expect(whole == Array("alpha\nbeta\r\n".utf8))
        #expect(gzAlphaBeta.withUnsafeBytes { WholeGzip.declaredLength($0) } == 12)
        // Larger than the caller allows, several members, damage: left to the streaming reader.
        #expect(gzAlphaBeta.withUnsafeBytes { WholeGzip.decode($0, maxOutput: 11) } == nil)
        #expect((gzAlphaBeta + gzGamma).withUnsafeBytes { WholeGzip.decode($0) } == nil)
        var badCRC = gzAlphaBeta
        badCRC[badCRC.count - 6] ^= 0xFF
        #expect(badCRC.withUnsafeBytes { WholeGzip.decode($0) } == nil)
    }

    @Test func rawDeflateDecodedWholeWithinItsStatedLength() throws {
        // The deflate data inside gzAlphaBeta: after its 10-byte header, before its 8-byte trailer.
        let deflate = Array(gzAlphaBeta[10..<(gzAlphaBeta.count - 8)])
        #expect(deflate.withUnsafeBytes { WholeDeflate.decode($0, expectedLength: 12) } == Array("alpha\nbeta\r\n".utf8))
        // Bytes after the end of the stream are ignored, as zlib ignores them.
        #expect((deflate + [1, 2, 3]).withUnsafeBytes { WholeDeflate.decode($0, expectedLength: 12) } == Array("alpha\nbeta\r\n".utf8))
        // A stated length too small (an archive that lies) or damage: nil, for the stream to handle.
        #expect(deflate.withUnsafeBytes { WholeDeflate.decode($0, expectedLength: 11) } == nil)
        #expect(Array(deflate.prefix(5)).withUnsafeBytes { WholeDeflate.decode($0, expectedLength: 12) } == nil)
    }
}
