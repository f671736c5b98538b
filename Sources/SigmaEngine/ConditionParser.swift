import LogReaders

/// Parses a SIGMA condition: identifiers (with `*` patterns in `1 of` / `all of`), `and`, `or`,
/// `not`, parentheses, `1 of X`, `all of X`, `them`. Precedence: not > and > or.
/// Aggregations (`| count() …`) are not supported and reported as such.
struct ConditionParser {
    /// Deepest nesting of parentheses and `not` accepted. Real rules nest a few levels; a hostile
    /// rule with 20,000 parentheses or a long `not not …` chain overflowed the stack (a crash).
    static let maxDepth = 64

    private var tokens: [String]
    private var index = 0
    private var depth = 0
    private let file: String

    init(_ text: String, file: String) throws(LogDetectError) {
        self.file = file
        var tokens: [String] = []
        var current = ""
        for ch in text {
            if ch == "(" || ch == ")" {
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(ch))
            } else if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else if ch == "|" {
                throw .unsupportedRuleFeature(file: file, feature: "an aggregation in the condition ('|')")
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        self.tokens = tokens
    }

    mutating func parse() throws(LogDetectError) -> ConditionExpr {
        guard !tokens.isEmpty else { throw .invalidRule(file: file, reason: "the condition is empty") }
        let expr = try parseOr()
        if index < tokens.count {
            throw .invalidRule(file: file, reason: "unexpected '\(tokens[index])' in the condition")
        }
        return expr
    }

    private func peekLower() -> String? { index < tokens.count ? tokens[index].lowercased() : nil }

    private mutating func parseOr() throws(LogDetectError) -> ConditionExpr {
        var items = [try parseAnd()]
        while peekLower() == "or" {
            index += 1
            items.append(try parseAnd())
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseAnd() throws(LogDetectError) -> ConditionExpr {
        var items = [try parseNot()]
        while peekLower() == "and" {
            index += 1
            items.append(try parseNot())
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseNot() throws(LogDetectError) -> ConditionExpr {
        if peekLower() == "not" {
            index += 1
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func enter() throws(LogDetectError) {
        depth += 1
        if depth > Self.maxDepth {
            throw .invalidRule(file: file, reason: "the condition nests parentheses or 'not' deeper than \(Self.maxDepth) levels")
        }
    }

    private mutating func parsePrimary() throws(LogDetectError) -> ConditionExpr {
        guard let token = peekLower() else {
            throw .invalidRule(file: file, reason: "the condition ends where a selection name was expected")
        }
        if token == "(" {
            index += 1
            try enter()
            defer { depth -= 1 }
            let inner = try parseOr()
            guard peekLower() == ")" else { throw .invalidRule(file: file, reason: "missing ')' in the condition") }
            index += 1
            return inner
        }
        if token == ")" || token == "and" || token == "or" {
            throw .invalidRule(file: file, reason: "unexpected '\(tokens[index])' in the condition")
        }
        if (token == "1" || token == "all" || token == "any"), index + 2 < tokens.count || index + 1 < tokens.count,
           index + 1 < tokens.count, tokens[index + 1].lowercased() == "of" {
            guard index + 2 < tokens.count else {
                throw .invalidRule(file: file, reason: "'\(token) of' needs a selection pattern or 'them'")
            }
            let pattern = tokens[index + 2]
            index += 3
            return token == "all" ? .allOf(pattern) : .oneOf(pattern)
        }
        index += 1
        return .selection(tokens[index - 1])
    }
}

/// The condition parser on its own, for tools that check conditions without a whole rule (the fuzzer).
public enum SigmaCondition {
    public static func check(_ text: String, file: String) throws(LogDetectError) {
        var parser = try ConditionParser(text, file: file)
        _ = try parser.parse()
    }
}
