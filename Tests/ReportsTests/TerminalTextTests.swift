import Foundation
import MamoriCore
import Reports
import Testing

/// Strings an attacker can plant in names AWS or a scanned tree hands us, and what must never reach a terminal.
enum Hostile {
    /// An OSC 8 link, a screen clear, a window title, CR and backspace to overwrite, C1 CSI, a bidi
    /// override and isolate, and a newline that would forge a row.
    static let text = "evil\u{1B}]8;;https://attacker.example\u{07}click\u{1B}]8;;\u{07}\u{1B}[2J\u{1B}]0;pwned\u{07}\r\u{08}\u{9B}31m\u{202E}gnp.exe\u{2066}\u{7F}\nFAKE ROW | <b>x</b>"

    /// Characters that must not appear raw anywhere in the output (line feeds are the renderer's own).
    static func unsafeScalars(_ output: String) -> [Unicode.Scalar] {
        output.unicodeScalars.filter { $0 != "\n" && TerminalText.needsEscape($0) }
    }

    static func expectSafe(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(unsafeScalars(output).isEmpty, "raw control characters: \(unsafeScalars(output).map { String($0.value, radix: 16) })",
                sourceLocation: sourceLocation)
        #expect(!output.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") }, "a newline in a value started a line", sourceLocation: sourceLocation)
        #expect(output.contains("\\x1b]8;;https://attacker.example\\x07"), "the escape is shown, not dropped", sourceLocation: sourceLocation)
    }
}

@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(TerminalText.sanitize("a\u{1B}[2Jb") == "a\\x1b[2Jb")
        #expect(TerminalText.sanitize("\u{07}\u{08}\r\n\t\u{00}\u{7F}") == "\\x07\\x08\\r\\n\\t\\x00\\x7f")
        #expect(TerminalText.sanitize("\u{9B}31m\u{85}") == "\\u{9B}31m\\u{85}")
        #expect(TerminalText.sanitize("\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{061C}\u{202A}") == "\\u{202E}\\u{2066}\\u{2069}\\u{200E}\\u{200F}\\u{61C}\\u{202A}")
        #expect(TerminalText.sanitize("line\u{2028}sep") == "line\\u{2028}sep")
        // A CR LF pair is one Character in Swift but two controls.
        #expect(TerminalText.sanitize("a\r\nb") == "a\\r\\nb")
    }

    @Test func ordinaryTextPassesUnchanged() {
        for text in ["arn:aws:s3:::bucket", "café 日本語 🚀", "C:\\path\\file", "", "tab-free | pipes < > &"] {
            #expect(TerminalText.sanitize(text) == text)
        }
        #expect(TerminalText.sanitizeLines("{\n  \"a\": \"\u{202E}x\"\n}") == "{\n  \"a\": \"\\u{202E}x\"\n}")
    }

    @Test func markdownEscapesHTMLPipesAndControls() {
        #expect(TerminalText.markdown("<b>a|b</b> & `c`\n\u{1B}") == "&lt;b&gt;a\\|b&lt;/b&gt; &amp; \\`c\\`\\\\n\\\\x1b")
    }

    @Test func terminalTableShowsHostileNamesEscaped() {
        let finding = FormatTests.finding("arn:aws:ec2:eu-west-1:111122223333:image/\(Hostile.text)", message: Hostile.text)
        for color in [false, true] {
            let out = TerminalReport(color: color, width: 400).render(Fixture.evaluation, findings: [finding])
            if color {
                // Our own severity colours are the only escape sequences left.
                let stripped = out.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
                Hostile.expectSafe(stripped)
            } else {
                Hostile.expectSafe(out)
            }
        }
    }

    @Test func markdownReportShowsHostileNamesEscaped() {
        let finding = FormatTests.finding(Hostile.text, message: Hostile.text)
        let out = String(decoding: MarkdownReport.render(.init(evaluation: Fixture.evaluation, findings: [finding], generatedAt: Fixture.now,
                                                                toolVersion: "1")), as: UTF8.self)
        #expect(Hostile.unsafeScalars(out).isEmpty)
        #expect(!out.split(separator: "\n").contains { $0.hasPrefix("FAKE ROW") })
        #expect(out.contains("\\\\x1b\\]8;;https://attacker.example\\\\x07"))
        #expect(out.contains("FAKE ROW \\| &lt;b&gt;x&lt;/b&gt;"))
        #expect(!out.contains("<b>"))
    }
}
