/// `mamori:ignore` comments: on the line of a finding or the line just above it, optionally
/// naming rules (`# mamori:ignore IAC-AMI-001 -- built from our own pipeline`). Suppressed
/// findings are still counted and listed in JSON, never dropped silently.
struct IgnoreDirectives: Sendable {
    /// Line number → rule IDs named there (empty: every rule).
    private var lines: [Int: Set<String>] = [:]

    static let marker = "mamori:ignore"

    init(text: String) {
        guard text.contains(Self.marker) else { return }
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard let range = line.range(of: Self.marker) else { continue }
            let rest = line[range.upperBound...]
            let words = rest.split { !($0.isLetter || $0.isNumber || $0 == "-") }
            lines[number] = Set(words.prefix { $0.hasPrefix("IAC-") }.map(String.init))
        }
    }

    init() {}

    var isEmpty: Bool { lines.isEmpty }

    func suppresses(_ finding: IaCFinding) -> Bool {
        for line in [finding.line, finding.line - 1] {
            if let rules = lines[line], rules.isEmpty || rules.contains(finding.rule) { return true }
        }
        return false
    }
}
