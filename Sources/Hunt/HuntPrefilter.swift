import SigmaEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Skips, unparsed, the events no rule can match: the engine's own needle derivation
/// (``Needles``) over the hunt's single-event rules (correlations only consume their hits), and the
/// engine's SIMD searcher over each event's raw bytes.
///
/// Sound by construction, as the IMDS scan's prefilter: matchers whose values may not appear
/// literally in the raw JSON are dropped before deriving (dropping a matcher from an AND only
/// widens what can match): fields the hunt adds itself (`mamori.*`) and every modifier other than
/// contains/startswith/endswith/all/cased (base64, regular expressions, CIDR, exists…). An event
/// holding a backslash may spell a value with JSON escapes, so it is always parsed.
public struct HuntPrefilter: Sendable {
    private let searcher: NeedleSearcher?
    /// The needles, for `--stats`-like reporting and tests; nil when every event is parsed.
    public let needles: [String]?

    static let literalModifiers: Set<String> = ["contains", "startswith", "endswith", "all", "cased"]

    public init(rules: HuntRuleSet) {
        let compiled = rules.rules.map { CompiledRule(HuntPrefilter.literalOnly($0.rule)) }
        let derived = compiled.isEmpty ? nil : Needles.derive(compiled)
        needles = derived
        searcher = derived.flatMap { $0.isEmpty ? nil : NeedleSearcher($0) }
    }

    static func literalOnly(_ rule: SigmaRule) -> SigmaRule {
        var copy = rule
        copy.selections = rule.selections.map { selection in
            var selection = selection
            if case let .maps(maps) = selection.body {
                selection.body = .maps(maps.map { map in
                    map.filter { matcher in
                        !matcher.field.hasPrefix("mamori.") && matcher.modifiers.allSatisfy { literalModifiers.contains($0.rawValue) }
                    }
                })
            }
            return selection
        }
        return copy
    }

    /// False only when no rule can match the event.
    public func mayMatch(_ event: UnsafeRawBufferPointer) -> Bool {
        guard let searcher else {
            // Needles derived but empty: no event can match; nil: every event must be evaluated.
            return needles == nil || !(needles ?? []).isEmpty
        }
        var hits: [Int] = []
        searcher.findAll(in: event, into: &hits)
        if !hits.isEmpty { return true }
        guard let base = event.baseAddress else { return false }
        return memchr(base, 0x5C, event.count) != nil
    }
}
