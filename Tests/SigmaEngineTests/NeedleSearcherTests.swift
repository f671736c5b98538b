import Foundation
import MamoriTestSupport
import Testing
@testable import SigmaEngine

/// The raw-byte prefilter shared by `imds scan` and `hunt`.
@Suite struct NeedleSearcherTests {
    /// The anchor groups are searched tile by tile and confirmed 8 bytes at a time (short needles
    /// byte by byte); hits across tile edges, at the buffer's ends and in any case must all be
    /// found, as by a plain search.
    /// The AVX2 loop is taken where the kernel reports the CPU has AVX2 (Linux: /proc/cpuinfo).
    @Test func avx2IsDetected() throws {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        #expect(NeedleSearcher.cpuHasAVX2 == flags.split(separator: " ").contains("avx2"))
    }

    @Test func needleSearchAcrossTiles() {
        let needles = ["169.254.169.254", "/latest/meta-data", "/latest/api/token", "fd00:ec2::254", "x-aws-ec2-metadata-token", "kiam"]
        var rng = SplitMix64(seed: 9)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789./:-".utf8)
        var buffer = (0..<300_000).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        let tile = NeedleSearcher.tile
        var planted: [Int] = [0]
        for edge in [tile, 2 * tile, 4 * tile] { planted += [edge - 20, edge - 7, edge - 1, edge, edge + 3] }
        planted += (0..<40).map { _ in Int(rng.next() % UInt64(buffer.count - 40)) }
        planted.sort()
        var previous = -100
        for (k, at) in planted.enumerated() where at - previous >= 30 {
            var needle = Array(needles[k % needles.count].utf8)
            if k % 2 == 1 { needle = needle.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } }
            if at + needle.count <= buffer.count { buffer.replaceSubrange(at..<(at + needle.count), with: needle) }
            previous = at
        }
        let last = Array("169.254.169.254".utf8)
        buffer.replaceSubrange((buffer.count - last.count)..<buffer.count, with: last)
        let lowered = buffer.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        var expected: Set<Int> = []
        for n in needles.map({ Array($0.utf8) }) {
            for i in 0...(lowered.count - n.count) where lowered[i] == n[0] && Array(lowered[i..<(i + n.count)]) == n {
                expected.insert(i)
            }
        }
        #expect(expected.count > 20)
        // The byte histogram moves each group's pair of compared bytes off the needle's ends.
        var frequencies = [Int](repeating: 0, count: 256)
        for b in buffer { frequencies[Int(b)] += 1 }
        // The Swift 16-byte loop and the AVX2 one (where the CPU has it) find the same.
        for wide in [false, true] {
            for f in [nil, frequencies] {
                var hits: [Int] = []
                buffer.withUnsafeBytes { NeedleSearcher(needles, frequencies: f, wide: wide).findAll(in: $0, into: &hits) }
                #expect(Set(hits) == expected, "wide \(wide), histogram \(f != nil)")
                #expect(hits.count == expected.count)
                // Small buffers (under one tile, under one 64-byte step) take the same paths.
                for cut in [50, 63, 64, 65, 200, 5000] {
                    let head = Array(buffer.prefix(cut))
                    var small: [Int] = []
                    head.withUnsafeBytes { NeedleSearcher(needles, frequencies: f, wide: wide).findAll(in: $0, into: &small) }
                    #expect(Set(small) == Set(expected.filter { at in needles.contains { at + $0.utf8.count <= cut && lowered[at..<(at + $0.utf8.count)].elementsEqual($0.utf8) } }))
                }
            }
        }
    }
}
