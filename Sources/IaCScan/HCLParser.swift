/// A recursive-descent parser for HCL native syntax (Terraform `.tf`, Packer `.pkr.hcl`) and, through
/// its expression grammar, for JSON (`.tf.json`, Packer JSON): JSON objects are HCL object constructors.
///
/// It keeps structure and literals; operators, conditionals and `for` expressions are parsed only
/// far enough to be skipped correctly.
public struct HCLParser {
    private let tokens: [HCLToken]
    private var pos = 0
    /// Above zero inside `(...)` and `[...]`, where HCL ignores newlines.
    private var nesting = 0
    private var depth = 0
    private static let maxDepth = 200

    private init(tokens: [HCLToken]) { self.tokens = tokens }

    /// Parses a whole configuration file into its top-level body.
    public static func parseFile(_ text: String) throws(HCLParseError) -> HCLBody {
        var parser = HCLParser(tokens: try HCLLexer.tokenize(text))
        return try parser.parseBody(opener: nil)
    }

    /// Parses a document that is one expression, such as a JSON file.
    public static func parseExpressionDocument(_ text: String) throws(HCLParseError) -> HCLExpression {
        var parser = HCLParser(tokens: try HCLLexer.tokenize(text))
        parser.skipNewlines()
        let expr = try parser.parseExpression()
        parser.skipNewlines()
        let end = parser.tokens[parser.pos]
        guard end.kind == .eof else {
            throw HCLParseError("unexpected \(end.display) after the end of the document", at: end.location)
        }
        return expr
    }

    // MARK: token access

    private mutating func peek() -> HCLToken {
        if nesting > 0 { skipNewlines() }
        return tokens[pos]
    }

    @discardableResult
    private mutating func advance() -> HCLToken {
        let token = peek()
        if token.kind != .eof { pos += 1 }
        return token
    }

    private mutating func skipNewlines() {
        while tokens[pos].kind == .newline { pos += 1 }
    }

    private mutating func isPunct(_ p: String) -> Bool { peek().kind == .punct(p) }

    private mutating func expect(_ p: String, _ context: String) throws(HCLParseError) {
        let token = peek()
        guard token.kind == .punct(p) else {
            throw HCLParseError("expected '\(p)' \(context), found \(token.display)", at: token.location)
        }
        advance()
    }

    private mutating func enter(_ at: SourceLocation) throws(HCLParseError) {
        depth += 1
        if depth > Self.maxDepth { throw HCLParseError("nesting is deeper than \(Self.maxDepth) levels", at: at) }
    }

    // MARK: bodies

    private mutating func parseBody(opener: SourceLocation?) throws(HCLParseError) -> HCLBody {
        var body = HCLBody()
        while true {
            skipNewlines()
            let token = tokens[pos]
            switch token.kind {
            case .eof:
                if let opener {
                    throw HCLParseError("block opened at \(opener.line):\(opener.column) is never closed with '}'", at: token.location)
                }
                return body
            case .punct("}"):
                guard opener != nil else { throw HCLParseError("unexpected '}' with no block open", at: token.location) }
                pos += 1
                return body
            case .identifier(let name):
                pos += 1
                if tokens[pos].kind == .punct("=") {
                    pos += 1
                    let value = try parseExpression()
                    body.attributes.append(HCLAttribute(name: name, location: token.location, value: value))
                    try expectItemEnd(after: "the value of '\(name)'")
                } else {
                    body.blocks.append(try parseBlock(type: name, at: token.location))
                }
            default:
                throw HCLParseError("expected an attribute name or a block type, found \(token.display)", at: token.location)
            }
        }
    }

    private mutating func parseBlock(type: String, at location: SourceLocation) throws(HCLParseError) -> HCLBlock {
        var labels: [String] = []
        while true {
            let token = tokens[pos]
            switch token.kind {
            case .string(let s): labels.append(s.text)
            case .identifier(let s): labels.append(s)
            case .punct("{"):
                pos += 1
                try enter(token.location)
                let body = try parseBody(opener: token.location)
                depth -= 1
                try expectItemEnd(after: "block '\(type)'")
                return HCLBlock(type: type, labels: labels, location: location, body: body)
            default:
                throw HCLParseError("expected '=' or a block '{' after '\(type)', found \(token.display)", at: token.location)
            }
            pos += 1
        }
    }

    private mutating func expectItemEnd(after what: String) throws(HCLParseError) {
        let token = tokens[pos]
        switch token.kind {
        case .newline, .eof, .punct("}"): return
        default: throw HCLParseError("unexpected \(token.display) after \(what); expected a new line", at: token.location)
        }
    }

    // MARK: expressions

    private static let binaryOperators: Set<String> = ["==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%"]

    mutating func parseExpression() throws(HCLParseError) -> HCLExpression {
        let start = peek().location
        try enter(start)
        defer { depth -= 1 }
        let condition = try parseBinary()
        guard isPunct("?") else { return condition }
        advance()
        _ = try parseExpression()
        try expect(":", "in a conditional expression")
        _ = try parseExpression()
        return HCLExpression(.other("conditional"), at: start)
    }

    private mutating func parseBinary() throws(HCLParseError) -> HCLExpression {
        var lhs = try parseUnary()
        while case .punct(let op) = peek().kind, Self.binaryOperators.contains(op) {
            advance()
            _ = try parseUnary()
            lhs = HCLExpression(.other("operation"), at: lhs.location)
        }
        return lhs
    }

    private mutating func parseUnary() throws(HCLParseError) -> HCLExpression {
        let token = peek()
        if token.kind == .punct("!") || token.kind == .punct("-") {
            advance()
            let operand = try parseUnary()
            if token.kind == .punct("-"), case .number(let n) = operand.value {
                return HCLExpression(.number("-" + n), at: token.location)
            }
            return HCLExpression(.other("operation"), at: token.location)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(HCLParseError) -> HCLExpression {
        var expr = try parsePrimary()
        while true {
            if isPunct(".") {
                advance()
                let token = advance()
                switch token.kind {
                case .identifier(let name): expr = appending(".\(name)", to: expr)
                case .number(let n): expr = appending(".\(n)", to: expr)
                case .punct("*"): expr = appending(".*", to: expr)
                default: throw HCLParseError("expected an attribute name after '.', found \(token.display)", at: token.location)
                }
            } else if isPunct("[") {
                let open = advance()
                nesting += 1
                if isPunct("*") { advance() } else { _ = try parseExpression() }
                try expect("]", "to close the index opened at \(open.location.line):\(open.location.column)")
                nesting -= 1
                expr = appending("[]", to: expr)
            } else {
                return expr
            }
        }
    }

    private func appending(_ suffix: String, to expr: HCLExpression) -> HCLExpression {
        if case .reference(let base) = expr.value { return HCLExpression(.reference(base + suffix), at: expr.location) }
        return HCLExpression(.other("traversal"), at: expr.location)
    }

    private mutating func parsePrimary() throws(HCLParseError) -> HCLExpression {
        let token = advance()
        let at = token.location
        switch token.kind {
        case .number(let n): return HCLExpression(.number(n), at: at)
        case .string(let s): return HCLExpression(.string(s), at: at)
        case .identifier(let name):
            switch name {
            case "true": return HCLExpression(.bool(true), at: at)
            case "false": return HCLExpression(.bool(false), at: at)
            case "null": return HCLExpression(.null, at: at)
            default: break
            }
            var callee = name
            while tokens[pos].kind == .punct("::"), case .identifier(let part) = tokens[pos + 1].kind {
                callee += "::" + part
                pos += 2
            }
            if tokens[pos].kind == .punct("(") {
                pos += 1
                return HCLExpression(.call(name: callee, arguments: try parseArguments(open: at)), at: at)
            }
            return HCLExpression(.reference(callee), at: at)
        case .punct("["): return try parseTuple(open: at)
        case .punct("{"): return try parseObject(open: at)
        case .punct("("):
            nesting += 1
            let inner = try parseExpression()
            try expect(")", "to close the '(' at \(at.line):\(at.column)")
            nesting -= 1
            return inner
        default:
            throw HCLParseError("expected an expression, found \(token.display)", at: at)
        }
    }

    private mutating func parseArguments(open: SourceLocation) throws(HCLParseError) -> [HCLExpression] {
        nesting += 1
        defer { nesting -= 1 }
        var arguments: [HCLExpression] = []
        while !isPunct(")") {
            arguments.append(try parseExpression())
            if isPunct("...") { advance() }
            guard isPunct(",") else { break }
            advance()
        }
        try expect(")", "to close the call opened at \(open.line):\(open.column)")
        return arguments
    }

    /// True when the tokens at the cursor start a `for` expression (`for x in` / `for k, v in`).
    private mutating func atForIntro() -> Bool {
        guard peek().kind == .identifier("for"), case .identifier = tokens[pos + 1].kind else { return false }
        return true
    }

    private mutating func parseForClauses(open: SourceLocation, close: String, isObject: Bool) throws(HCLParseError) -> HCLExpression {
        advance()  // for
        _ = advance()
        if isPunct(",") {
            advance()
            _ = advance()
        }
        guard peek().kind == .identifier("in") else {
            let token = peek()
            throw HCLParseError("expected 'in' in a for expression, found \(token.display)", at: token.location)
        }
        advance()
        _ = try parseExpression()
        try expect(":", "in a for expression")
        _ = try parseExpression()
        if isObject {
            try expect("=>", "in an object for expression")
            _ = try parseExpression()
            if isPunct("...") { advance() }
        }
        if peek().kind == .identifier("if") {
            advance()
            _ = try parseExpression()
        }
        try expect(close, "to close the for expression opened at \(open.line):\(open.column)")
        return HCLExpression(.other("for"), at: open)
    }

    private mutating func parseTuple(open: SourceLocation) throws(HCLParseError) -> HCLExpression {
        nesting += 1
        defer { nesting -= 1 }
        if atForIntro() { return try parseForClauses(open: open, close: "]", isObject: false) }
        var items: [HCLExpression] = []
        while !isPunct("]") {
            if peek().kind == .eof { break }
            items.append(try parseExpression())
            guard isPunct(",") else { break }
            advance()
        }
        try expect("]", "to close the list opened at \(open.line):\(open.column)")
        return HCLExpression(.tuple(items), at: open)
    }

    private mutating func parseObject(open: SourceLocation) throws(HCLParseError) -> HCLExpression {
        skipNewlines()
        if atForIntro() {
            nesting += 1
            defer { nesting -= 1 }
            return try parseForClauses(open: open, close: "}", isObject: true)
        }
        var items: [HCLObjectItem] = []
        while true {
            skipNewlines()
            let token = tokens[pos]
            if token.kind == .punct("}") {
                pos += 1
                return HCLExpression(.object(items), at: open)
            }
            if token.kind == .eof {
                throw HCLParseError("object opened at \(open.line):\(open.column) is never closed with '}'", at: token.location)
            }
            let key: HCLExpression
            if case .identifier(let name) = token.kind,
               tokens[pos + 1].kind == .punct("=") || tokens[pos + 1].kind == .punct(":") {
                pos += 1
                key = HCLExpression(.reference(name), at: token.location)
            } else {
                key = try parseExpression()
            }
            let separator = peek()
            guard separator.kind == .punct("=") || separator.kind == .punct(":") else {
                throw HCLParseError("expected '=' or ':' after an object key, found \(separator.display)", at: separator.location)
            }
            advance()
            let value = try parseExpression()
            items.append(HCLObjectItem(key: key, value: value))
            let next = peek()
            switch next.kind {
            case .punct(","): advance()
            case .newline, .punct("}"): break
            default:
                throw HCLParseError("expected ',' or a new line after an object item, found \(next.display)", at: next.location)
            }
        }
    }
}
