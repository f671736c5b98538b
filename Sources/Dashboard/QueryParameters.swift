import Foundation

/// A request's query string, decoded the way browsers encode forms (`+` is a space, `%XX` bytes).
/// The first occurrence of a name wins.
struct QueryParameters: Sendable, Hashable {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard !name.isEmpty, values[name] == nil else { continue }
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    /// The value, or nil when absent or empty (an empty filter field means "any").
    subscript(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// A positive whole number, or a 400 naming the parameter.
    func positiveInteger(_ name: String) throws(PageError) -> Int64? {
        guard let raw = self[name] else { return nil }
        guard let value = Int64(raw), value > 0 else {
            throw .badRequest("'\(name)' must be a positive whole number, not '\(raw)'.")
        }
        return value
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
