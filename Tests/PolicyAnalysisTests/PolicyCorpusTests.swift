import Foundation
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

    /// Writes the corpus as JSON for the peer comparison script (docs/policy.md); off unless asked.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MAMORI_EXPORT_CORPUS"] != nil))
    func exportCorpus() throws {
        struct Entry: Encodable { var name, type: String; var account: String?; var expectPublic: Bool; var reason, policy: String }
        let entries = policyCorpus.map { Entry(name: $0.name, type: $0.type.rawValue, account: $0.account, expectPublic: $0.expectPublic, reason: $0.reason, policy: $0.policy) }
        let path = ProcessInfo.processInfo.environment["MAMORI_EXPORT_CORPUS"] ?? ""
        try JSONEncoder().encode(entries).write(to: URL(fileURLWithPath: path))
    }
}
