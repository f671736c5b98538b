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
        guard let declared = acceptedLength(bytes, maxOutput: maxOutput) else { return nil }
        var ok = false
        let output = [UInt8](unsafeUninitializedCapacity: max(declared, 1)) { out, initialized in
            ok = inflate(bytes, declared: declared, into: UnsafeMutableRawBufferPointer(out))
            // Nothing is part of the array unless all of it was written.
            initialized = ok ? declared : 0
        }
        return ok ? output : nil
    }

    /// The decompressed bytes of `data`, or nil when ``GzipReader`` should stream it.
    public static func decode(_ data: Data) -> Data? {
        data.withUnsafeBytes { bytes -> Data? in
            guard let declared = acceptedLength(bytes, maxOutput: maxOutputBytes) else { return nil }
            var output = Data(count: max(declared, 1))
            guard output.withUnsafeMutableBytes({ inflate(bytes, declared: declared, into: $0) }) else { return nil }
            output.count = declared
            return output
        }
    }

    /// The declared length of a gzip input small enough to be decoded whole.
    private static func acceptedLength(_ bytes: UnsafeRawBufferPointer, maxOutput: Int) -> Int? {
        guard bytes.count <= maxCompressedBytes, let declared = declaredLength(bytes), declared <= min(maxOutput, maxOutputBytes) else { return nil }
        return declared
    }

    /// Inflates `bytes` into the first `declared` bytes of `out`; true only when they are one
    /// intact member of exactly that length.
    private static func inflate(_ bytes: UnsafeRawBufferPointer, declared: Int, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard let decompressor = libdeflate_alloc_decompressor() else { return false }
        defer { libdeflate_free_decompressor(decompressor) }
        var consumed = 0
        var produced = 0
        let result = libdeflate_gzip_decompress_ex(decompressor, bytes.baseAddress, bytes.count, out.baseAddress, declared, &consumed, &produced)
        // A second member, or padding (then the last four bytes were no length), is left to the streaming reader.
        return result == LIBDEFLATE_SUCCESS && produced == declared && consumed == bytes.count
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
