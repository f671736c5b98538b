import Foundation
import MamoriCore

extension PolicyVerdict {
    /// "public" or "not public" — the first line of `mamori policy` output.
    public var verdictWord: String { isPublic ? "public" : "not public" }

    /// The text `mamori policy` prints: the verdict, then one indented reason per line.
    /// `escaping` makes each reason safe to print (the CLI passes MamoriCore's terminal
    /// sanitiser: reasons quote principals and conditions from the policy, which is not ours).
    public func renderText(escaping: (String) -> String = { $0 }) -> String {
        ([verdictWord] + reasons.map { "  - \(escaping($0))" }).joined(separator: "\n") + "\n"
    }

    /// The JSON `mamori policy --format json` prints: `{"verdict", "public", "type", "reasons"}`.
    public func renderJSON(type: PolicyResourceType) -> String {
        struct Report: Encodable {
            var verdict: String
            var `public`: Bool
            var type: String
            var reasons: [String]
        }
        let report = Report(verdict: verdictWord, public: isPublic, type: type.rawValue, reasons: reasons)
        // Encoding strings and bools cannot fail; fall back to a minimal object rather than crash.
        guard let data = try? StableJSON.encode(report), let text = String(data: data, encoding: .utf8) else {
            return "{\"verdict\":\"\(verdictWord)\",\"public\":\(isPublic)}\n"
        }
        return text + "\n"
    }
}
