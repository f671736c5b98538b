/// The languages whose AMI look-up calls are read token by token.
public enum CodeLanguage: String, Sendable, Codable {
    case python, typeScript, go, csharp
}

/// A token of Python, TypeScript/JavaScript, Go or C#: just enough lexing that strings and comments
/// never look like code, and calls can be matched with balanced brackets.
struct CodeToken: Sendable {
    enum Kind: Sendable, Equatable { case identifier, string, number, punct }
    var kind: Kind
    /// Identifier name, string contents (quotes removed, escapes kept), or operator text.
    var text: String
    var location: SourceLocation

    func isPunct(_ p: String) -> Bool { kind == .punct && text == p }
}

/// A tolerant lexer: unknown characters become one-character punctuation, an unterminated string
/// runs to the end of its line (Python, JS) or file, so a half-written file still yields tokens.
struct CodeLexer {
    private var cursor: ScalarCursor
    private let language: CodeLanguage
    private var tokens: [CodeToken] = []

    private static let multiPuncts = ["...", "**", "==", "!=", "<=", ">=", "=>", "->", ":=", "::", "&&", "||"]

    static func tokenize(_ text: String, language: CodeLanguage) -> [CodeToken] {
        var lexer = CodeLexer(cursor: ScalarCursor(text), language: language)
        lexer.run()
        return lexer.tokens
    }

    private init(cursor: ScalarCursor, language: CodeLanguage) {
        self.cursor = cursor
        self.language = language
    }

    private mutating func run() {
        while let c = cursor.peek() {
            let start = cursor.location
            if c.isHorizontalSpace || c == "\n" || (c == "\\" && cursor.peek(1) == "\n") {
                cursor.advance()
            } else if language == .python && c == "#" {
                skipLine()
            } else if language != .python && cursor.starts(with: "//") {
                skipLine()
            } else if language != .python && cursor.starts(with: "/*") {
                cursor.advance(by: 2)
                while !cursor.atEnd && !cursor.starts(with: "*/") { cursor.advance() }
                cursor.advance(by: 2)
            } else if c.isIdentifierStart || c == "$" {
                let word = lexWord()
                if language == .python, let q = cursor.peek(), q == "\"" || q == "'", isStringPrefix(word) {
                    emitString(lexPythonString(), at: start)
                } else if language == .csharp, word == "@" || word == "$@" || word == "@$" {
                    emitString(lexVerbatim(), at: start)
                } else {
                    tokens.append(CodeToken(kind: .identifier, text: word, location: start))
                }
            } else if c == "@" && language == .csharp && cursor.peek(1) == "\"" {
                cursor.advance()
                emitString(lexVerbatim(), at: start)
            } else if c.isASCIIDigit {
                var s = String.UnicodeScalarView()
                while let d = cursor.peek(), d.isIdentifierContinue || d == "." { s.append(d); cursor.advance() }
                tokens.append(CodeToken(kind: .number, text: String(s), location: start))
            } else if c == "\"" || c == "'" {
                emitString(language == .python ? lexPythonString() : lexQuoted(c), at: start)
            } else if c == "`" {
                emitString(language == .typeScript ? lexTemplateLiteral() : lexRaw(), at: start)
            } else if c == "/" && language == .typeScript && regexAllowed() {
                lexRegex()
            } else if let p = Self.multiPuncts.first(where: { cursor.starts(with: $0) }) {
                cursor.advance(by: p.unicodeScalars.count)
                tokens.append(CodeToken(kind: .punct, text: p, location: start))
            } else {
                cursor.advance()
                tokens.append(CodeToken(kind: .punct, text: String(c), location: start))
            }
        }
    }

    private mutating func emitString(_ text: String, at start: SourceLocation) {
        tokens.append(CodeToken(kind: .string, text: text, location: start))
    }

    private mutating func skipLine() {
        while let c = cursor.peek(), c != "\n" { cursor.advance() }
    }

    private mutating func lexWord() -> String {
        var s = String.UnicodeScalarView()
        while let c = cursor.peek(), c.isIdentifierContinue || c == "$" || (language == .csharp && c == "@" && s.isEmpty) {
            s.append(c)
            cursor.advance()
        }
        if s.isEmpty, let c = cursor.advance() { s.append(c) }
        return String(s)
    }

    private func isStringPrefix(_ word: String) -> Bool {
        word.count <= 2 && word.lowercased().allSatisfy { "rbuf".contains($0) }
    }

    /// A single- or triple-quoted Python string at the cursor.
    private mutating func lexPythonString() -> String {
        guard let quote = cursor.peek() else { return "" }
        let triple = cursor.peek(1) == quote && cursor.peek(2) == quote
        cursor.advance(by: triple ? 3 : 1)
        var s = String.UnicodeScalarView()
        while let c = cursor.peek() {
            if c == "\\" {
                cursor.advance()
                if let e = cursor.advance() { s.append(e) }
                continue
            }
            if c == quote && (!triple || (cursor.peek(1) == quote && cursor.peek(2) == quote)) {
                cursor.advance(by: triple ? 3 : 1)
                return String(s)
            }
            if c == "\n" && !triple { return String(s) }
            s.append(c)
            cursor.advance()
        }
        return String(s)
    }

    private mutating func lexQuoted(_ quote: Unicode.Scalar) -> String {
        cursor.advance()
        var s = String.UnicodeScalarView()
        while let c = cursor.peek(), c != quote, c != "\n" {
            if c == "\\" {
                cursor.advance()
                if let e = cursor.advance() { s.append(e) }
                continue
            }
            s.append(c)
            cursor.advance()
        }
        cursor.advance()
        return String(s)
    }

    /// C# `@"..."`, where `""` is a quote and backslashes are literal.
    private mutating func lexVerbatim() -> String {
        cursor.advance()
        var s = String.UnicodeScalarView()
        while let c = cursor.advance() {
            if c == "\"" {
                if cursor.peek() == "\"" { cursor.advance(); s.append("\""); continue }
                break
            }
            s.append(c)
        }
        return String(s)
    }

    /// Go raw strings: backtick to backtick, nothing escaped.
    private mutating func lexRaw() -> String {
        cursor.advance()
        var s = String.UnicodeScalarView()
        while let c = cursor.advance(), c != "`" { s.append(c) }
        return String(s)
    }

    /// A JavaScript template literal; `${...}` parts (which may hold strings and braces) are kept as text.
    private mutating func lexTemplateLiteral() -> String {
        cursor.advance()
        var s = String.UnicodeScalarView()
        while let c = cursor.peek() {
            if c == "\\" {
                cursor.advance()
                if let e = cursor.advance() { s.append(e) }
            } else if c == "`" {
                cursor.advance()
                break
            } else if c == "$" && cursor.peek(1) == "{" {
                var depth = 0
                while let d = cursor.advance() {
                    s.append(d)
                    if d == "{" { depth += 1 }
                    if d == "}" { depth -= 1; if depth == 0 { break } }
                }
            } else {
                s.append(c)
                cursor.advance()
            }
        }
        return String(s)
    }

    /// A `/` starts a regular expression where an operand is expected.
    private func regexAllowed() -> Bool {
        if cursor.peek(1) == "/" || cursor.peek(1) == "*" { return false }
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .punct: return last.text != ")" && last.text != "]" && last.text != "}"
        case .identifier: return ["return", "typeof", "case", "in", "of", "void", "yield", "await"].contains(last.text)
        default: return false
        }
    }

    private mutating func lexRegex() {
        let start = cursor.location
        cursor.advance()
        var inClass = false
        while let c = cursor.peek(), c != "\n" {
            cursor.advance()
            if c == "\\" { cursor.advance(); continue }
            if c == "[" { inClass = true } else if c == "]" { inClass = false } else if c == "/" && !inClass { break }
        }
        while let c = cursor.peek(), c.isASCIILetter { cursor.advance() }
        tokens.append(CodeToken(kind: .punct, text: "regex", location: start))
    }
}
