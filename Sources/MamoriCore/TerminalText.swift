/// Text from outside (resource names, log lines, file names, git authors, archive members, HCL
/// labels, CloudTrail parameters) made safe to print: the one sanitiser every text renderer uses.
///
/// A terminal obeys what it is sent: ESC and CSI (U+009B) sequences clear the screen, plant
/// links, retitle the window or rewrite what was printed before; CR and backspace overwrite
/// text; bidi controls reorder it so it reads differently from what it is; a newline forges or
/// hides table rows. Such characters are shown *visibly escaped* instead — `\x1b`, `\u{9B}`,
/// `\u{202E}`, `\n` — so the reader sees that they are there. Everything else, including
/// non-ASCII letters, passes unchanged. Machine formats (JSON, SARIF, …) do not use this: their
/// encoders escape what their syntax needs, and consumers want the exact value.
public enum TerminalText {
    /// One line of text with every control character escaped (newlines too: a value never spans lines).
    public static func sanitize(_ text: String) -> String {
        // Nearly every value is harmless: return it as is without building a copy.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            out += escape(scalar)
        }
        return out
    }

    /// A block of several lines (pretty-printed JSON, a multi-line message): each line sanitised,
    /// the line breaks kept.
    public static func sanitizeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n")
    }

    /// Text for a Markdown table cell or paragraph that is also printed to a terminal: sanitised,
    /// then HTML (`<`, `>`, `&`) turned into entities and Markdown syntax (`|`, `*`, `` ` ``, …)
    /// backslash-escaped, so a value can neither break out of its cell nor inject markup.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for character in sanitize(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// C0 controls (U+0000–U+001F: ESC, BEL, CR, LF, TAB, backspace…), DEL, C1 controls
    /// (U+0080–U+009F, CSI U+009B among them), bidi controls (U+061C, U+200E, U+200F,
    /// U+202A–U+202E, U+2066–U+2069) and the Unicode line and paragraph separators.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: scalar.value > 0x7F)
            // ASCII controls as \x1b (two digits), the rest as Swift's \u{202E}.
            return scalar.value <= 0x7F ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
        }
    }
}
