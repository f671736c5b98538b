import Testing
@testable import StreamIO

/// One-call zlib inflation of a stream whose size is known (git pack entries).
struct ZlibBlockTests {
    // zlib.compress(b"hello, hello, hello pack\n") and zlib.compress(b"") (Python).
    static let hello: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 215, 81, 200, 64, 162, 20, 10, 18, 147, 179, 185, 0, 115, 163, 8, 158]
    static let empty: [UInt8] = [120, 156, 3, 0, 0, 0, 0, 1]

    static func inflate(_ input: [UInt8], size: Int) -> (consumed: Int?, bytes: [UInt8]) {
        let block = ZlibBlock()!
        var out = [UInt8](repeating: 0, count: size)
        let consumed = input.withUnsafeBytes { i in out.withUnsafeMutableBytes { o in block.inflate(i, into: o) } }
        return (consumed, out)
    }

    @Test func exactSizeInflates() {
        let (consumed, bytes) = Self.inflate(Self.hello + [1, 2, 3], size: 25)
        #expect(consumed == Self.hello.count)   // what follows the stream (the next pack entry) is not taken
        #expect(String(decoding: bytes, as: UTF8.self) == "hello, hello, hello pack\n")
        #expect(Self.inflate(Self.empty, size: 0).consumed == Self.empty.count)
    }

    @Test func wrongSizeOrDamageIsRefused() {
        #expect(Self.inflate(Self.hello, size: 24).consumed == nil)
        #expect(Self.inflate(Self.hello, size: 26).consumed == nil)
        var damaged = Self.hello
        damaged[damaged.count - 2] ^= 1   // the Adler-32
        #expect(Self.inflate(damaged, size: 25).consumed == nil)
        #expect(Self.inflate(Array(Self.hello.prefix(10)), size: 25).consumed == nil)
        #expect(Self.inflate([], size: 0).consumed == nil)
    }
}
