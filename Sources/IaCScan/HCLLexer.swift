/// Turns HCL native syntax into tokens: comments (`#`, `//`, `/* */`), quoted strings with escapes
/// and `${}` / `%{}` templates, heredocs (`<<EOF`, `<<-EOF`), numbers, identifiers and operators.
/// Newlines are tokens because they end attributes.
struct HCLLexer {
    private var cursor: ScalarCursor

    init(_ text: String) { cursor = ScalarCursor(text) }

    /// Lexes the whole input; the last token is always `.eof`.
    static func tokenize(_ text: String) throws(HCLParseError) -> [HCLToken] {
        var lexer = HCLLexer(text)
        var tokens: [HCLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private static let threeCharPuncts = ["..."]
    private static let twoCharPuncts = ["==", "!=", "<=", ">=", "&&", "||", "=>", "::"]
    private static let singlePuncts: Set<Unicode.Scalar> = [
        "{", "}", "[", "]", "(", ")", "=", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", ";",
    ]

    mutating func next() throws(HCLParseError) -> HCLToken {
        try skipSpaceAndComments()
        let start = cursor.location
        guard let c = cursor.peek() else { return HCLToken(kind: .eof, location: start) }
        if c == "\n" {
            cursor.advance()
            return HCLToken(kind: .newline, location: start)
        }
        if c.isIdentifierStart {
            return HCLToken(kind: .identifier(lexIdentifier()), location: start)
        }
        if c.isASCIIDigit {
            return HCLToken(kind: .number(lexNumber()), location: start)
        }
        if c == "\"" {
            cursor.advance()
            return HCLToken(kind: .string(try lexQuoted(start: start)), location: start)
        }
        if cursor.starts(with: "<<"), let heredoc = try lexHeredocIfPresent(start: start) {
            return HCLToken(kind: .string(heredoc), location: start)
        }
        for p in Self.threeCharPuncts + Self.twoCharPuncts where cursor.starts(with: p) {
            cursor.advance(by: p.unicodeScalars.count)
            return HCLToken(kind: .punct(p), location: start)
        }
        if Self.singlePuncts.contains(c) {
            cursor.advance()
            return HCLToken(kind: .punct(String(c)), location: start)
        }
        throw HCLParseError("unexpected character '\(c.escaped(asASCII: true))'", at: start)
    }

    private mutating func skipSpaceAndComments() throws(HCLParseError) {
        while let c = cursor.peek() {
            if c.isHorizontalSpace {
                cursor.advance()
            } else if c == "#" || (c == "/" && cursor.peek(1) == "/") {
                while let d = cursor.peek(), d != "\n" { cursor.advance() }
            } else if c == "/" && cursor.peek(1) == "*" {
                let start = cursor.location
                cursor.advance(by: 2)
                while !cursor.starts(with: "*/") {
                    if cursor.atEnd { throw HCLParseError("comment '/*' is never closed with '*/'", at: start) }
                    cursor.advance()
                }
                cursor.advance(by: 2)
            } else if c == "\\" && cursor.peek(1) == "\n" {
                // Not HCL, but harmless to accept: some generators wrap long lines this way.
                cursor.advance(by: 2)
            } else {
                return
            }
        }
    }

    private mutating func lexIdentifier() -> String {
        var s = String.UnicodeScalarView()
        while let c = cursor.peek(), c.isIdentifierContinue || c == "-" {
            s.append(c)
            cursor.advance()
        }
        return String(s)
    }

    private mutating func lexNumber() -> String {
        var s = String.UnicodeScalarView()
        while let c = cursor.peek() {
            if c.isASCIIDigit {
                s.append(c)
            } else if c == ".", let d = cursor.peek(1), d.isASCIIDigit {
                s.append(c)
            } else if (c == "e" || c == "E"),
                      let d = cursor.peek(1), d.isASCIIDigit || d == "+" || d == "-" {
                s.append(c)
                cursor.advance()
                s.append(d)
            } else {
                break
            }
            cursor.advance()
        }
        return String(s)
    }

    /// Reads a quoted string after its opening quote.
    private mutating func lexQuoted(start: SourceLocation) throws(HCLParseError) -> HCLString {
        var text = String.UnicodeScalarView()
        var hasTemplate = false
        while true {
            guard let c = cursor.peek() else { throw HCLParseError("string is never closed with '\"'", at: start) }
            switch c {
            case "\"":
                cursor.advance()
                return HCLString(text: String(text), hasTemplate: hasTemplate)
            case "\n":
                throw HCLParseError("string is never closed with '\"' before the end of the line", at: start)
            case "\\":
                text.append(contentsOf: try lexEscape().unicodeScalars)
            case "$", "%":
                if cursor.peek(1) == c && cursor.peek(2) == "{" {
                    // `$${` and `%%{` are escapes for a literal `${` / `%{`.
                    cursor.advance(by: 3)
                    text.append(c)
                    text.append("{")
                } else if cursor.peek(1) == "{" {
                    hasTemplate = true
                    let raw = try skipTemplateSequence()
                    text.append(contentsOf: raw.unicodeScalars)
                } else {
                    cursor.advance()
                    text.append(c)
                }
            default:
                cursor.advance()
                text.append(c)
            }
        }
    }

    private mutating func lexEscape() throws(HCLParseError) -> String {
        let at = cursor.location
        cursor.advance()
        guard let e = cursor.advance() else { throw HCLParseError("string ends inside an escape", at: at) }
        switch e {
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "\"": return "\""
        case "\\": return "\\"
        case "/": return "/"  // JSON
        case "b": return "\u{8}"  // JSON
        case "f": return "\u{C}"  // JSON
        case "u", "U":
            let count = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<count {
                guard let h = cursor.peek(), h.properties.isASCIIHexDigit else {
                    throw HCLParseError("escape \\\(e) needs \(count) hexadecimal digits", at: at)
                }
                hex.unicodeScalars.append(h)
                cursor.advance()
            }
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                // A lone surrogate from JSON: keep the scanner going with a replacement.
                return "\u{FFFD}"
            }
            return String(scalar)
        default:
            throw HCLParseError("unknown escape sequence '\\\(e)'", at: at)
        }
    }

    /// Skips `${ ... }` or `%{ ... }` (which may hold nested strings and braces), returning the raw text.
    private mutating func skipTemplateSequence() throws(HCLParseError) -> String {
        let start = cursor.location
        var raw = String.UnicodeScalarView()
        raw.append(cursor.advance() ?? "$")
        raw.append(cursor.advance() ?? "{")
        var depth = 1
        while depth > 0 {
            guard let c = cursor.peek() else {
                throw HCLParseError("template sequence '\(String(raw))' is never closed with '}'", at: start)
            }
            if c == "\"" {
                let innerStart = cursor.location
                cursor.advance()
                let inner = try lexQuoted(start: innerStart)
                raw.append("\"")
                raw.append(contentsOf: inner.text.unicodeScalars)
                raw.append("\"")
                continue
            }
            if c == "{" { depth += 1 }
            if c == "}" { depth -= 1 }
            raw.append(c)
            cursor.advance()
        }
        return String(raw)
    }

    /// Reads `<<EOF` / `<<-EOF` heredocs; returns nil when `<<` is not followed by a heredoc marker.
    private mutating func lexHeredocIfPresent(start: SourceLocation) throws(HCLParseError) -> HCLString? {
        var offset = 2
        if cursor.peek(offset) == "-" { offset += 1 }
        guard let first = cursor.peek(offset), first.isIdentifierStart else { return nil }
        cursor.advance(by: offset)
        let marker = lexIdentifier()
        while let c = cursor.peek(), c.isHorizontalSpace { cursor.advance() }
        guard cursor.peek() == "\n" else {
            throw HCLParseError("heredoc marker '\(marker)' must be followed by a new line", at: start)
        }
        cursor.advance()
        var lines: [String] = []
        while true {
            // Look at the whole line first: the closing marker's own newline must stay a token.
            var line = String.UnicodeScalarView()
            var length = 0
            while let c = cursor.peek(length), c != "\n" {
                line.append(c)
                length += 1
            }
            if String(line).trimmingSpaces == marker {
                cursor.advance(by: length)
                break
            }
            if cursor.peek(length) == nil {
                throw HCLParseError("heredoc '<<\(marker)' is never closed by a line holding only '\(marker)'", at: start)
            }
            lines.append(String(line))
            cursor.advance(by: length + 1)
        }
        let text = lines.joined(separator: "\n")
        let hasTemplate = text.contains("${") || text.contains("%{")
        return HCLString(text: text, hasTemplate: hasTemplate)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isHorizontalSpace }),
              let last = scalars.lastIndex(where: { !$0.isHorizontalSpace }) else { return "" }
        return String(scalars[first...last])
    }
}
