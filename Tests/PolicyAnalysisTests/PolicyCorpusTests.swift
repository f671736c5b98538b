import Testing
@testable import PolicyAnalysis

@Suite("Policy corpus")
struct PolicyCorpusTests {
    @Test("corpus is large enough and names are unique")
    func corpusSize() {
        #expect(policyCorpus.count >= 40)
        #expect(Set(policyCorpus.map(\.name)).count == policyCorpus.count)
        #expect(policyCorpus.contains { $0.expectPublic } && policyCorpus.contains { !$0.expectPublic })
    }

    @Test("verdict and reason", arguments: policyCorpus)
    func verdict(_ c: PolicyCase) throws {
        let verdict = try PolicyAnalyzer.analyze(policy: c.policy, type: c.type, account: c.account)
        #expect(verdict.isPublic == c.expectPublic, "\(c.name): \(verdict.reasons)")
        #expect(verdict.reasons.contains { $0.contains(c.reason) }, "\(c.name): expected «\(c.reason)» in \(verdict.reasons)")
    }
}
