import Foundation
import FuzzTargets
import MamoriTestSupport
import Testing

/// One test per parser: the committed corpus, every regression input, then seeded mutations for
/// `MAMORI_FUZZ_SECONDS` (default 2 s; `scripts/fuzz.sh` runs longer). A crash or hang fails the
/// suite and leaves the input in `$TMPDIR/mamori-fuzz/TARGET.current` (see FuzzHarness.swift).
@Suite(.serialized) struct FuzzTests {
    @Test(arguments: FuzzTargets.all.map(\.name))
    func parserSurvivesMutatedInput(_ name: String) async throws {
        let target = try #require(FuzzTargets.all.first { $0.name == name })
        // Off Swift concurrency's threads: the targets block while async readers finish.
        let outcome = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Fuzzer.run(target)) }
        }
        #expect(outcome.iterations > 0 || Fuzzer.budget == 0, "no mutated input was run for \(name)")
    }

    @Test func everyTargetHasACorpus() {
        for target in FuzzTargets.all {
            #expect(!FuzzPaths.inputs(in: FuzzPaths.corpus(target.name)).isEmpty, "Tests/FuzzTests/Corpus/\(target.name) is empty")
        }
    }

    /// The same seed gives the same inputs: a reported seed reproduces a failure.
    @Test func mutationsAreReproducibleFromTheSeed() {
        let corpus = [Data("{\"a\": [1, 2]}".utf8)]
        func inputs(_ seed: UInt64) -> [Data] {
            var m = Mutator(rng: SplitMix64(seed: seed), dictionary: [Array("{".utf8)], corpus: corpus)
            var current = corpus[0]
            return (0..<50).map { _ in current = m.mutate(current); return current }
        }
        #expect(inputs(42) == inputs(42))
        #expect(inputs(42) != inputs(43))
        #expect(inputs(7).allSatisfy { $0.count <= Mutator.maxSize })
    }
}
