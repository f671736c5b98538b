import CDeflate
import Foundation

/// A small gzip file decompressed in one call with libdeflate, about four times faster than
/// zlib's streaming inflate on CloudTrail logs (CRC-32 and length still checked). Anything that is
/// not one small, intact member (several members, too large, damaged) returns nil and is streamed
/// by ``GzipReader`` instead, which also gives damage its precise error.
public enum WholeGzip {
    /// Largest compressed input decoded whole (a CloudTrail log file is a few MB at most).
    public static let maxCompressedBytes = 16 << 20
    /// Largest output decoded whole, whatever the trailer claims: memory stays bounded.
    public static let maxOutputBytes = 128 << 20

    /// The length the gzip member in `bytes` declares (its ISIZE trailer), or nil when `bytes`
    /// is too short or does not start like gzip. Only a claim: ``decode(_:maxOutput:)`` checks it.
    public static func declaredLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        guard count >= 18, bytes[0] == 0x1f, bytes[1] == 0x8b else { return nil }
        return Int(bytes[count - 4]) | Int(bytes[count - 3]) << 8 | Int(bytes[count - 2]) << 16 | Int(bytes[count - 1]) << 24
    }

    /// ``decode(_:)`` for bytes in memory, into a new array: nil when ``GzipReader`` should
    /// stream them (several members, damage, larger than `maxOutput` or ``maxCompressedBytes``).
    public static func decode(_ bytes: UnsafeRawBufferPointer, maxOutput: Int = maxOutputBytes) -> [UInt8]? {
        let count = bytes.count
        guard count <= maxCompressedBytes, let declared = declaredLength(bytes), declared <= min(maxOutput, maxOutputBytes),
              let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        var result = LIBDEFLATE_BAD_DATA
        var consumed = 0
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: max(declared, 1)) { out, initialized in
            result = libdeflate_gzip_decompress_ex(decompressor, bytes.baseAddress, count, out.baseAddress, declared, &consumed, &produced)
            // Bytes past `produced` were never written: they are not part of the array.
            initialized = result == LIBDEFLATE_SUCCESS ? produced : 0
        }
        // A second member, or padding (then the last four bytes were no length), is left to the streaming reader.
        guard result == LIBDEFLATE_SUCCESS, produced == declared, consumed == count else { return nil }
        return output
    }

    /// The decompressed bytes of `data`, or nil when ``GzipReader`` should stream it.
    public static func decode(_ data: Data) -> Data? {
        let count = data.count
        guard count >= 18, count <= maxCompressedBytes, data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b else { return nil }
        // ISIZE, the last four bytes: the member's length modulo 2^32 (exact for a single member under 4 GiB).
        let tail = data.suffix(4)
        let declared = tail.reversed().reduce(0) { $0 << 8 | Int($1) }
        guard declared <= maxOutputBytes, let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        var output = Data(count: max(declared, 1))
        var consumed = 0
        var produced = 0
        let result = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                libdeflate_gzip_decompress_ex(decompressor, input.baseAddress, count, out.baseAddress, declared, &consumed, &produced)
            }
        }
        // A second member, or padding (then the last four bytes were no length), is left to the streaming reader.
        guard result == LIBDEFLATE_SUCCESS, produced == declared, consumed == count else { return nil }
        output.count = produced
        return output
    }
}

/// Raw deflate data (a zip member, method 8) decompressed in one libdeflate call, as
/// ``WholeGzip`` does for gzip: several times zlib's streaming inflate on the many small members
/// of a wheel or a jar.
public enum WholeDeflate {
    /// The decompressed bytes of `bytes`, which the archive says expand to `expectedLength`; nil
    /// when they do not decode within that length (damaged, or a length that lies), for the
    /// streaming reader to handle. Bytes after the end of the deflate stream are ignored, as
    /// zlib's inflate ignores them.
    public static func decode(_ bytes: UnsafeRawBufferPointer, expectedLength: Int) -> [UInt8]? {
        guard expectedLength >= 0, expectedLength <= WholeGzip.maxOutputBytes, let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        var result = LIBDEFLATE_BAD_DATA
        var consumed = 0
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: max(expectedLength, 1)) { out, initialized in
            result = libdeflate_deflate_decompress_ex(decompressor, bytes.baseAddress, bytes.count, out.baseAddress, expectedLength,
                                                      &consumed, &produced)
            initialized = result == LIBDEFLATE_SUCCESS ? produced : 0
        }
        guard result == LIBDEFLATE_SUCCESS else { return nil }
        return output
    }
}
