import LogReaders
import SigmaEngine

/// Removes secrets from text shown to the user: IMDSv2 session tokens, AWS access key IDs, and
/// any long token-like run (mixed letters and digits, 32+ characters) such as a credential blob.
public enum Redactor {
    public static func redact(_ text: String) -> String {
        var out = ""
        var token = ""
        func flush() {
            if looksSecret(token) { out += "[REDACTED]" } else { out += token }
            token = ""
        }
        for ch in text {
            if ch.isASCII, ch.isLetter || ch.isNumber || ch == "+" || ch == "/" || ch == "=" || ch == "_" || ch == "-" {
                token.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }

    static func looksSecret(_ token: String) -> Bool {
        // Paths are runs of words joined by '/', not secrets.
        let words = token.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
        if token.count >= 20, token.hasPrefix("AKIA") || token.hasPrefix("ASIA") {
            return true
        }
        guard let longest = words.map(\.count).max(), longest >= 32 else { return false }
        let hasDigit = token.contains { $0.isNumber }
        let hasLetter = token.contains { $0.isLetter }
        return hasDigit && hasLetter
    }
}
