/// A string as the HCL lexer saw it: the text with escapes resolved, and whether it holds
/// `${...}` / `%{...}` template sequences (whose value is only known when Terraform runs).
public struct HCLString: Sendable, Hashable {
    public var text: String
    public var hasTemplate: Bool

    public init(text: String, hasTemplate: Bool) {
        self.text = text
        self.hasTemplate = hasTemplate
    }
}

/// One lexical token of HCL native syntax (also used for JSON, which is a subset of HCL expressions).
enum HCLTokenKind: Sendable, Equatable {
    case identifier(String)
    case string(HCLString)
    case number(String)
    case punct(String)
    case newline
    case eof
}

struct HCLToken: Sendable {
    var kind: HCLTokenKind
    var location: SourceLocation

    /// Short text for error messages.
    var display: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .string: return "a string"
        case .number(let n): return "number \(n)"
        case .punct(let p): return "'\(p)'"
        case .newline: return "end of line"
        case .eof: return "end of file"
        }
    }
}

/// Malformed input, located so the user can open the file at the spot.
public struct HCLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location.line):\(location.column): \(message)" }
}
