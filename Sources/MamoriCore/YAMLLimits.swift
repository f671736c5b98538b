/// The nesting limit for every YAML document Mamori parses (`mamori.yml`, SIGMA rules, the bundled lists).
///
/// Yams builds and decodes nodes recursively, so 5,000 nested levels overflow the stack and
/// crash the process — from a file as innocent-looking as an auto-loaded `./mamori.yml`. Real
/// configs and rules nest fewer than ten levels; 64 leaves ample room. The check is a single
/// linear pass over the text, run before any parse, so a hostile document costs nothing.
public enum YAMLLimits {
    public static let maxDepth = 64

    /// A document nested deeper than the limit; callers wrap it with the file name.
    public struct TooDeep: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based line where the limit was first passed.
        public let line: Int
        public let limit: Int

        public var description: String {
            "YAML nested more than \(limit) levels deep (at line \(line)); mamori reads at most \(limit) levels"
        }
    }

    /// Throws when `text` nests block collections (indentation levels, `- `/`? ` entries) plus
    /// flow collections (`[`/`{` outside quotes and comments) deeper than `maxDepth`.
    ///
    /// It over-approximates nothing a real document needs and under-counts at most a same-column
    /// sequence under a key, so a hostile document is caught long before the parser's stack is at risk.
    public static func check(_ text: String, maxDepth: Int = maxDepth) throws(TooDeep) {
        var indents: [Int] = []          // columns of the open block levels
        var flow = 0                     // open `[` / `{`
        var quote: UInt8? = nil          // inside a quoted scalar spanning lines
        var blockScalarParent: Int? = nil // inside `|` / `>` text: lines more indented than this are text
        var lineNumber = 0

        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine)
            var i = 0
            while i < line.count, line[i] == UInt8(ascii: " ") { i += 1 }
            let indent = i
            let blank = i == line.count || line[i] == UInt8(ascii: "#") || line[i] == UInt8(ascii: "\r")
            if let parent = blockScalarParent {
                if blank || indent > parent { continue }
                blockScalarParent = nil
            }
            if blank && quote == nil { continue }
            if quote == nil && flow == 0 {
                // A new block line: close deeper levels, open this one.
                while let top = indents.last, top > indent { indents.removeLast() }
                if indents.last != indent { indents.append(indent) }
            }
            var atNodeStart = quote == nil
            while i < line.count {
                let c = line[i]
                let next: UInt8? = i + 1 < line.count ? line[i + 1] : nil
                if let q = quote {
                    if q == ascii("\""), c == ascii("\\") { i += 2; continue }
                    if c == q {
                        if q == ascii("'"), next == q { i += 2; continue }
                        quote = nil
                    }
                    i += 1
                    continue
                }
                let separated = next == nil || next == ascii(" ") || next == ascii("\t") || next == ascii("\r")
                if c == ascii(" ") || c == ascii("\t") || c == ascii("\r") {
                    // Whitespace keeps the node-start state.
                } else if c == ascii("#"), i == 0 || line[i - 1] == ascii(" ") || line[i - 1] == ascii("\t") {
                    break
                } else if (c == ascii("\"") || c == ascii("'")) && atNodeStart {
                    quote = c
                    atNodeStart = false
                } else if (c == ascii("[") || c == ascii("{")) && (atNodeStart || flow > 0) {
                    flow += 1
                    if indents.count + flow > maxDepth { throw TooDeep(line: lineNumber, limit: maxDepth) }
                    atNodeStart = true
                } else if (c == ascii("]") || c == ascii("}")) && flow > 0 {
                    flow -= 1
                    atNodeStart = false
                } else if (c == ascii(",") || c == ascii(":")) && flow > 0 {
                    atNodeStart = true
                } else if flow == 0 && separated && (c == ascii("-") || c == ascii("?")) && atNodeStart {
                    // `- ` and `? ` open a nested level at the column of what follows them on this line.
                    var column = i + 1
                    while column < line.count, line[column] == ascii(" ") { column += 1 }
                    if column < line.count {
                        indents.append(column)
                        if indents.count + flow > maxDepth { throw TooDeep(line: lineNumber, limit: maxDepth) }
                    }
                    atNodeStart = true
                } else if flow == 0 && separated && c == ascii(":") {
                    atNodeStart = true
                } else if flow == 0 && atNodeStart && (c == ascii("|") || c == ascii(">")) {
                    // A block scalar: the more indented lines after it are text, however they look.
                    blockScalarParent = indent
                    break
                } else {
                    atNodeStart = false
                }
                i += 1
            }
            if indents.count + flow > maxDepth { throw TooDeep(line: lineNumber, limit: maxDepth) }
        }
    }

    @inline(__always)
    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
}
