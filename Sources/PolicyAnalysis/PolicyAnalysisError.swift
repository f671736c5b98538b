/// Why a policy document could not be analysed. Every case says what is wrong and where,
/// so the user can fix the document.
public enum PolicyAnalysisError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The text is not valid JSON. `line` and `column` are 1-based.
    case invalidJSON(message: String, line: Int, column: Int)
    /// A policy element has the wrong JSON type, e.g. `Statement[0].Effect` is a number.
    case wrongType(path: String, expected: String, found: String)
    /// A required policy element is absent, e.g. a statement without `Effect`.
    case missingElement(path: String, element: String)
    /// A policy element has a value of the right type that cannot be meaningful.
    case invalidValue(path: String, message: String)
    /// The document is larger than ``PolicyAnalyzer/maxDocumentBytes``; it was not parsed.
    case documentTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidJSON(message, line, column):
            return "malformed JSON at line \(line), column \(column): \(message)"
        case let .wrongType(path, expected, found):
            return "invalid policy: \(path) must be \(expected), found \(found)"
        case let .missingElement(path, element):
            return "invalid policy: \(path) has no \"\(element)\" element"
        case let .invalidValue(path, message):
            return "invalid policy: \(path): \(message)"
        case let .documentTooLarge(bytes, limit):
            return "the policy document is \(bytes) bytes, above mamori's limit of \(limit / 1024 / 1024) MB (AWS itself caps resource policies at tens of KB); not analysed"
        }
    }
}
