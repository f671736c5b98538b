import Foundation

/// Small helpers to look into served HTML without a parser: the markup is ours, so element ids
/// and data attributes are stable anchors.
enum HTMLText {
    /// The text of the element with `id`, from its opening tag to the matching close of the same
    /// tag name (tables and sections here do not nest their own kind).
    static func element(_ html: String, id: String) -> String? {
        guard let idRange = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[..<idRange.lowerBound].lastIndex(of: "<") else { return nil }
        let tag = html[html.index(after: open)...].prefix { $0.isLetter || $0.isNumber }
        guard let close = html.range(of: "</\(tag)>", range: idRange.upperBound..<html.endIndex) else { return nil }
        return String(html[open..<close.upperBound])
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The `<tr>` that carries `marker` (e.g. `data-scan="2"`).
    static func row(_ html: String, _ marker: String) -> String? {
        guard let at = html.range(of: marker), let open = html[..<at.lowerBound].range(of: "<tr", options: .backwards),
              let close = html.range(of: "</tr>", range: at.upperBound..<html.endIndex) else { return nil }
        return String(html[open.lowerBound..<close.upperBound])
    }
}
