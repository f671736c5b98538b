import Foundation
import LogReaders

/// SIGMA's value-transforming modifiers, the way pySigma defines them, so a rule matches the same
/// events here as in a SIEM query pySigma generated from it.
enum ValueTransform {
    /// The values a written value stands for after `base64`, `base64offset` and `windash`.
    static func variants(of value: SigmaValue, transforms: [Modifier]) -> [SigmaValue] {
        guard case let .string(s) = value else { return [value] }
        var texts = [s.raw]
        for transform in transforms {
            switch transform {
            case .windash: texts = texts.flatMap(windash)
            case .base64: texts = texts.map { escape(Data($0.utf8).base64EncodedString()) }
            case .base64offset: texts = texts.flatMap { base64offset(Array($0.utf8)) }.map(escape)
            default: break
            }
        }
        return texts.map { .string(SigmaString(raw: $0)) }
    }

    /// The three base64 texts of `value` at offsets 0, 1 and 2 inside a longer encoded text, with
    /// the characters that depend on the neighbouring bytes cut off (pySigma's SigmaBase64OffsetModifier).
    static func base64offset(_ value: [UInt8]) -> [String] {
        let starts = [0, 2, 3]
        let ends: [Int?] = [nil, -3, -2]
        var out: [String] = []
        for i in 0..<3 {
            let encoded = Array(Data([UInt8](repeating: 0x20, count: i) + value).base64EncodedString().utf8)
            let start = starts[i]
            var end = encoded.count
            if let cut = ends[(value.count + i) % 3] { end = encoded.count + cut }
            guard start < end else { out.append(""); continue }
            out.append(String(decoding: encoded[start..<end], as: UTF8.self))
        }
        return out
    }

    /// `-x` also as `/x`, `–x`, `—x`, `―x` wherever a dash or slash starts a switch (after a
    /// non-word character or at the start, before a word character), as pySigma's windash does.
    static func windash(_ text: String) -> [String] {
        let chars = Array(text)
        var positions: [Int] = []
        for (i, ch) in chars.enumerated() where ch == "-" || ch == "/" {
            let before = i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_")
            let after = i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1].isNumber || chars[i + 1] == "_")
            if before && after { positions.append(i) }
        }
        if positions.isEmpty { return [text] }
        return ([ "-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] as [Character]).map { dash in
            var copy = chars
            for p in positions { copy[p] = dash }
            return String(copy)
        }
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "*" || ch == "?" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
