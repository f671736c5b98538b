import Foundation
import Testing
@testable import SigmaEngine

/// Hostile SIGMA rules get a clear error, never a crash or a run that takes seconds per value.
@Suite struct HostileRuleTests {
    func rule(condition: String, selection: String = "url|contains: x") -> String {
        """
        title: hostile
        logsource:
          category: network
        detection:
          sel:
            \(selection)
          condition: \(condition)
        """
    }

    func reason(_ yaml: String) -> String? {
        do {
            _ = try SigmaParser.parse(yaml: yaml, file: "hostile.yml")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func twentyThousandParenthesesAreRefused() {
        let deep = String(repeating: "(", count: 20_000) + "sel" + String(repeating: ")", count: 20_000)
        #expect(reason(rule(condition: deep))?.contains("deeper than 64 levels") == true)
    }

    @Test func longNotChainIsRefused() {
        let chain = String(repeating: "not ", count: 50_000) + "sel"
        #expect(reason(rule(condition: chain))?.contains("deeper than 64 levels") == true)
    }

    @Test func ordinaryNestingStillParses() {
        let nested = String(repeating: "(", count: 10) + "not sel" + String(repeating: ")", count: 10)
        #expect(reason(rule(condition: nested)) == nil)
    }

    @Test func catastrophicPatternsAreRefused() {
        for pattern in ["(.*a){12}$", "(a+)+$", "(x*)*y", "((ab)*c)+", "(?:a|b+)+"] {
            #expect(RegexCache.catastrophicReason(pattern) != nil, "\(pattern)")
            let yaml = rule(condition: "sel", selection: "url|re: '\(pattern)'")
            #expect(reason(yaml)?.contains("nested quantifiers") == true, "\(pattern)")
        }
    }

    @Test func ordinaryPatternsAreAccepted() {
        for pattern in ["^/latest/(meta-data|api/token)", "a+b*", "(ab){2}", "[(]+x", "\\(a+\\)+", "(a|b)?c+", "(abc)+", "x{2,5}"] {
            #expect(RegexCache.catastrophicReason(pattern) == nil, "\(pattern)")
        }
    }
}
