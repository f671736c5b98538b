import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring tests on raw bytes (memchr + memcmp), used to skip files that cannot hold a look-up
/// before paying for UTF-8 decoding and tokenising. `String.contains` is far slower on large files.
enum ByteSearch {
    static func contains(_ data: Data, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, data.count >= pattern.count else { return false }
        return data.withUnsafeBytes { (haystack: UnsafeRawBufferPointer) -> Bool in
            guard let base = haystack.baseAddress else { return false }
            return pattern.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> Bool in
                guard let needleBase = p.baseAddress else { return false }
                let last = haystack.count - pattern.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                    if memcmp(hit, needleBase, pattern.count) == 0 { return true }
                    offset = base.distance(to: UnsafeRawPointer(hit)) + 1
                }
                return false
            }
        }
    }

    static func containsAny(_ data: Data, _ needles: [String]) -> Bool {
        needles.contains { contains(data, $0) }
    }
}
