import Foundation
import FuzzTargets
import MamoriTestSupport

// A seeded random-mutation fuzzer for the parsers that read untrusted bytes.
//
// Why not libFuzzer: `-sanitize=fuzzer` needs every module rebuilt with coverage instrumentation
// (a second full build, ~10 minutes on CI's two cores) for each harness binary. A deterministic
// mutation harness over a committed corpus runs in the normal test build, finds the crashes,
// hangs and unbounded work that matter here (deep nesting, truncation, huge counts, bad
// encodings), and every input it makes can be regenerated from (target, seed, iteration).
//
// A crash kills the test process, so the harness keeps the input being run in
// `$TMPDIR/mamori-fuzz/TARGET.current` (rewritten in place every iteration, removed after a
// clean run). `scripts/fuzz.sh` turns a left-over file into a regression input under
// `Tests/FuzzTests/Regressions/TARGET/`, which `FuzzTests` replays on every run.
// An input that runs longer than `hangSeconds` is treated the same way: the watchdog saves it and
// aborts, so a hang fails the suite instead of stalling CI.

enum FuzzPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static func corpus(_ target: String) -> URL { testsDirectory.appendingPathComponent("Corpus/\(target)") }
    static func regressions(_ target: String) -> URL { testsDirectory.appendingPathComponent("Regressions/\(target)") }
    static var work: URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-fuzz")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func inputs(in dir: URL) -> [Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? []
        return names.compactMap { try? Data(contentsOf: dir.appendingPathComponent($0)) }
    }
}

/// Mutations of a corpus input. Sizes stay bounded (`maxSize`) so every run is cheap.
struct Mutator {
    static let maxSize = 64 * 1024
    static let interestingBytes: [UInt8] = [0, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x09, 0x22, 0x27, 0x5C, 0x7B, 0x7D, 0x5B,
                                           0x5D, 0x28, 0x29, 0x3C, 0x3E, 0x3A, 0x2C, 0x20, 0x2D, 0x23, 0xC3, 0xE2, 0xF0]
    var rng: SplitMix64
    let dictionary: [[UInt8]]
    let corpus: [Data]

    mutating func mutate(_ input: Data) -> Data {
        var bytes = [UInt8](input)
        let rounds = 1 + Int(rng.next() % 4)
        for _ in 0..<rounds { step(&bytes) }
        if bytes.count > Self.maxSize { bytes.removeLast(bytes.count - Self.maxSize) }
        return Data(bytes)
    }

    private mutating func position(_ count: Int) -> Int { count == 0 ? 0 : Int(rng.next() % UInt64(count + 1)) }

    private mutating func step(_ bytes: inout [UInt8]) {
        switch rng.next() % 9 {
        case 0 where !bytes.isEmpty:  // flip a bit
            let i = Int(rng.next() % UInt64(bytes.count))
            bytes[i] ^= UInt8(1 << (rng.next() % 8))
        case 1 where !bytes.isEmpty:  // an interesting byte
            let i = Int(rng.next() % UInt64(bytes.count))
            bytes[i] = Self.interestingBytes[Int(rng.next() % UInt64(Self.interestingBytes.count))]
        case 2 where !bytes.isEmpty:  // delete a range
            let i = Int(rng.next() % UInt64(bytes.count))
            let n = min(bytes.count - i, 1 + Int(rng.next() % 32))
            bytes.removeSubrange(i..<(i + n))
        case 3 where !bytes.isEmpty:  // duplicate a range elsewhere
            let i = Int(rng.next() % UInt64(bytes.count))
            let n = min(bytes.count - i, 1 + Int(rng.next() % 256))
            let piece = Array(bytes[i..<(i + n)])
            bytes.insert(contentsOf: piece, at: position(bytes.count))
        case 4 where !dictionary.isEmpty:  // a token of the format
            bytes.insert(contentsOf: dictionary[Int(rng.next() % UInt64(dictionary.count))], at: position(bytes.count))
        case 5 where !dictionary.isEmpty:  // a token repeated: deep nesting, long chains
            let token = dictionary[Int(rng.next() % UInt64(dictionary.count))]
            let times = 1 + Int(rng.next() % 2_000)
            var run: [UInt8] = []
            run.reserveCapacity(token.count * times)
            for _ in 0..<times { run += token }
            bytes.insert(contentsOf: run.prefix(Self.maxSize / 2), at: position(bytes.count))
        case 6 where !corpus.isEmpty:  // splice with another input
            let other = [UInt8](corpus[Int(rng.next() % UInt64(corpus.count))])
            let cut = position(bytes.count)
            let from = other.isEmpty ? 0 : Int(rng.next() % UInt64(other.count))
            bytes = Array(bytes[..<cut]) + other[from...]
        case 7 where !bytes.isEmpty:  // truncate
            bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
        case 8 where bytes.count >= 4:  // an integer field set to an edge value (archive headers)
            let i = Int(rng.next() % UInt64(bytes.count - 3))
            let edge: [UInt8] = [[0xFF, 0xFF, 0xFF, 0xFF], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0x7F], [1, 0, 0, 0x80]][Int(rng.next() % 4)]
            bytes.replaceSubrange(i..<(i + 4), with: edge)
        default:
            bytes.append(Self.interestingBytes[Int(rng.next() % UInt64(Self.interestingBytes.count))])
        }
    }
}

/// Keeps the input being run on disk, and aborts (after saving it) when one input runs too long.
final class InFlight: Sendable {
    let path: URL
    private let fd: Int32
    // NSLock-guarded, not Synchronization's Atomic: the package still builds for macOS 14.
    private let lock = NSLock()
    nonisolated(unsafe) private var startedAt: Int64 = 0
    nonisolated(unsafe) private var stopped = false
    let hangSeconds: Int64

    init(target: String, hangSeconds: Int64) {
        path = FuzzPaths.work.appendingPathComponent("\(target).current")
        fd = open(path.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        self.hangSeconds = hangSeconds
        let watched = self
        Thread.detachNewThread {
            while !watched.lock.withLock({ watched.stopped }) {
                Thread.sleep(forTimeInterval: 0.5)
                let t = watched.lock.withLock { watched.startedAt }
                if t > 0 && Int64(Date().timeIntervalSince1970) - t > watched.hangSeconds {
                    FileHandle.standardError.write(Data("fuzz: an input ran over \(watched.hangSeconds) s; kept in \(watched.path.path)\n".utf8))
                    abort()
                }
            }
        }
    }

    func begin(_ data: Data) {
        _ = ftruncate(fd, 0)
        data.withUnsafeBytes { raw in _ = pwrite(fd, raw.baseAddress, raw.count, 0) }
        lock.withLock { startedAt = Int64(Date().timeIntervalSince1970) }
    }

    func end() { lock.withLock { startedAt = 0 } }

    /// A clean run: nothing to keep.
    func finish() {
        lock.withLock { stopped = true }
        close(fd)
        try? FileManager.default.removeItem(at: path)
    }
}

struct FuzzOutcome: Sendable {
    var iterations = 0
    var seed: UInt64
}

enum Fuzzer {
    /// Seconds per target: `MAMORI_FUZZ_SECONDS` (scripts/fuzz.sh sets a longer budget).
    static var budget: Double { Double(ProcessInfo.processInfo.environment["MAMORI_FUZZ_SECONDS"] ?? "") ?? 2 }
    /// `MAMORI_FUZZ_SEED` repeats a run; otherwise a new seed each run (printed).
    static var seed: UInt64 {
        if let text = ProcessInfo.processInfo.environment["MAMORI_FUZZ_SEED"], let s = UInt64(text) { return s }
        return UInt64.random(in: 1...UInt64.max)
    }

    /// Runs the committed corpus and regressions, then mutations until the budget is spent.
    static func run(_ target: FuzzTarget, budget: Double = budget, seed: UInt64 = seed) -> FuzzOutcome {
        let corpus = FuzzPaths.inputs(in: FuzzPaths.corpus(target.name))
        let regressions = FuzzPaths.inputs(in: FuzzPaths.regressions(target.name))
        let inFlight = InFlight(target: target.name, hangSeconds: 20)
        defer { inFlight.finish() }
        print("fuzz \(target.name): seed \(seed), \(corpus.count) corpus inputs, \(regressions.count) regressions, \(budget) s")
        var outcome = FuzzOutcome(seed: seed)
        for input in corpus + regressions {
            inFlight.begin(input)
            target.run(input)
            inFlight.end()
        }
        var mutator = Mutator(rng: SplitMix64(seed: seed), dictionary: target.dictionary, corpus: corpus)
        let deadline = Date().addingTimeInterval(budget)
        let seeds = corpus.isEmpty ? [Data()] : corpus
        var current = seeds[0]
        while Date() < deadline {
            // Mostly build on the previous mutant (reaches deeper shapes), sometimes restart from the corpus.
            if outcome.iterations % 8 == 0 { current = seeds[outcome.iterations / 8 % seeds.count] }
            current = mutator.mutate(current)
            inFlight.begin(current)
            target.run(current)
            inFlight.end()
            outcome.iterations += 1
        }
        print("fuzz \(target.name): \(outcome.iterations) inputs, no crash")
        return outcome
    }
}
