import Foundation

/// Finds `aws ec2 describe-images` calls in shell scripts, Makefiles, Dockerfiles and CI YAML.
///
/// Shell is not parsed as a whole; each logical line (physical lines joined at a trailing `\`) is
/// split into words with shell quoting rules, and the words of the `describe-images` command are read.
public enum ShellAMIRules {
    /// A character of a logical line with the place it came from.
    private struct Located {
        var scalar: Unicode.Scalar
        var location: SourceLocation
    }

    private struct Word {
        var text: String
        var location: SourceLocation
        var isOperator: Bool
    }

    public static func lookups(in text: String, file: String, yaml: Bool) -> [AMILookup] {
        guard text.contains("describe-images") else { return [] }
        var found: [AMILookup] = []
        for logical in logicalLines(text, yaml: yaml) {
            let lineText = String(String.UnicodeScalarView(logical.map(\.scalar)))
            guard lineText.contains("describe-images") else { continue }
            found += analyse(words(logical), wholeLine: lineText, file: file)
        }
        return found
    }

    // MARK: lines

    private static func logicalLines(_ text: String, yaml: Bool) -> [[Located]] {
        var result: [[Located]] = []
        var current: [Located] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var scalars: [Located] = []
            var column = 0
            for s in rawLine.unicodeScalars {
                column += 1
                if s != "\r" { scalars.append(Located(scalar: s, location: SourceLocation(line: lineNumber, column: column))) }
            }
            if yaml { scalars = stripYAML(scalars) }
            while let last = scalars.last, last.scalar.isHorizontalSpace { scalars.removeLast() }
            if let last = scalars.last, last.scalar == "\\" {
                scalars.removeLast()
                current += scalars
                current.append(Located(scalar: " ", location: last.location))
                continue
            }
            current += scalars
            result.append(current)
            current = []
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Drops YAML syntax around a command: a `- ` list marker, a `key:` prefix and quotes around the scalar.
    private static func stripYAML(_ line: [Located]) -> [Located] {
        var s = ArraySlice(line)
        func dropSpaces() { while let f = s.first, f.scalar.isHorizontalSpace { s = s.dropFirst() } }
        dropSpaces()
        if s.first?.scalar == "-", s.dropFirst().first.map({ $0.scalar.isHorizontalSpace }) ?? true {
            s = s.dropFirst()
            dropSpaces()
        }
        // `run:`, `script:`, `- cmd: ...`; a key is letters, digits, `_` and `-` followed by `: `.
        if let colon = s.firstIndex(where: { $0.scalar == ":" }),
           s[s.startIndex..<colon].allSatisfy({ $0.scalar.isIdentifierContinue || $0.scalar == "-" }),
           colon > s.startIndex,
           colon + 1 >= s.endIndex || s[colon + 1].scalar.isHorizontalSpace {
            s = s[(colon + 1)...]
            dropSpaces()
        }
        if let first = s.first?.scalar, first == "\"" || first == "'", s.count >= 2, s.last?.scalar == first {
            s = s.dropFirst().dropLast()
        }
        if let first = s.first?.scalar, first == "|" || first == ">" {
            return []
        }
        return Array(s)
    }

    // MARK: words

    private static func words(_ line: [Located]) -> [Word] {
        var words: [Word] = []
        var text = String.UnicodeScalarView()
        var start: SourceLocation?
        var i = 0
        func flush() {
            if let start { words.append(Word(text: String(text), location: start, isOperator: false)) }
            text = String.UnicodeScalarView()
            start = nil
        }
        while i < line.count {
            let c = line[i].scalar
            let at = line[i].location
            if c.isHorizontalSpace {
                flush()
                i += 1
            } else if c == "#" && start == nil {
                break  // comment to end of line
            } else if c == "'" {
                if start == nil { start = at }
                i += 1
                while i < line.count, line[i].scalar != "'" { text.append(line[i].scalar); i += 1 }
                i += 1
            } else if c == "\"" {
                if start == nil { start = at }
                i += 1
                while i < line.count, line[i].scalar != "\"" {
                    if line[i].scalar == "\\", i + 1 < line.count { i += 1 }
                    text.append(line[i].scalar)
                    i += 1
                }
                i += 1
            } else if c == "\\", i + 1 < line.count {
                if start == nil { start = at }
                text.append(line[i + 1].scalar)
                i += 2
            } else if c == "$", i + 1 < line.count, line[i + 1].scalar == "(" {
                if let end = makeVariableEnd(line, from: i + 2) {
                    // `$(NAME)` in a Makefile is a variable, part of the word.
                    if start == nil { start = at }
                    for k in i...end { text.append(line[k].scalar) }
                    i = end + 1
                } else {
                    flush()
                    words.append(Word(text: "$(", location: at, isOperator: true))
                    i += 2
                }
            } else if ";|&()`".unicodeScalars.contains(c) {
                flush()
                words.append(Word(text: String(c), location: at, isOperator: true))
                i += 1
            } else {
                if start == nil { start = at }
                text.append(c)
                i += 1
            }
        }
        flush()
        return words
    }

    /// The index of the `)` closing `$(NAME)`, a Makefile variable rather than a command substitution.
    private static func makeVariableEnd(_ line: [Located], from index: Int) -> Int? {
        var i = index
        while i < line.count, line[i].scalar.isIdentifierContinue { i += 1 }
        return i > index && i < line.count && line[i].scalar == ")" ? i : nil
    }

    // MARK: analysis

    private static func analyse(_ words: [Word], wholeLine: String, file: String) -> [AMILookup] {
        var found: [AMILookup] = []
        for (index, word) in words.enumerated() where !word.isOperator && word.text == "describe-images" {
            var start = index
            while start > 0 && !words[start - 1].isOperator { start -= 1 }
            var end = index + 1
            while end < words.count && !words[end].isOperator { end += 1 }
            let command = Array(words[start..<end])
            guard command.contains(where: { $0.text == "ec2" }) else { continue }
            let anchor = command.first { $0.text == "aws" || $0.text.hasSuffix("/aws") || $0.text == "@aws" } ?? word
            var lookup = AMILookup(rule: .awsCLI, file: file, location: anchor.location,
                                   resource: "aws ec2 describe-images", fixStyle: .shell)
            read(options: command.map(\.text), into: &lookup)
            if lookup.picksNewest == nil && wholeLine.contains("CreationDate") {
                lookup.picksNewest = "sorted by CreationDate"
            }
            found.append(lookup)
        }
        return found
    }

    private static func read(options: [String], into lookup: inout AMILookup) {
        var i = 0
        while i < options.count {
            let (flag, inline) = split(option: options[i])
            var values: [String] = []
            if let inline { values = [inline] } else {
                var j = i + 1
                while j < options.count && !options[j].hasPrefix("--") { values.append(options[j]); j += 1 }
            }
            switch flag {
            case "--owners", "--owner":
                lookup.owners = values.isEmpty || OwnerValues.pins(values) ? .pinned : .empty("--owners \"\"")
            case "--image-ids", "--image-id":
                lookup.pinnedBy = "--image-ids"
            case "--cli-input-json", "--cli-input-yaml":
                lookup.owners = .pinned  // the request lives in a file Mamori does not read
            case "--filters", "--filter":
                for value in values { readFilter(value, into: &lookup) }
            case "--query":
                if values.joined().contains("CreationDate") { lookup.picksNewest = "--query sorts by CreationDate" }
            default:
                break
            }
            i += 1
        }
    }

    private static func split(option: String) -> (String, String?) {
        guard option.hasPrefix("--"), let eq = option.firstIndex(of: "=") else { return (option, nil) }
        return (String(option[..<eq]), String(option[option.index(after: eq)...]))
    }

    /// One `--filters` value: shorthand `Name=name,Values=a,b` or JSON `[{"Name":"name","Values":["a"]}]`.
    private static func readFilter(_ value: String, into lookup: inout AMILookup) {
        let trimmed = value.trimmingSpaces
        if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
            guard let data = trimmed.data(using: .utf8),
                  let json = try? JSONSerialization.jsonObject(with: data) else {
                lookup.nameFilterOpaque = true
                return
            }
            let filters = (json as? [[String: Any]]) ?? ((json as? [String: Any]).map { [$0] } ?? [])
            for filter in filters {
                let name = filter["Name"] as? String ?? ""
                let values = filter["Values"] as? [String] ?? []
                apply(filterName: name, values: values, to: &lookup)
            }
            return
        }
        var name: String?
        var values: [String] = []
        for part in trimmed.split(separator: ",") {
            let p = String(part)
            if p.lowercased().hasPrefix("name=") {
                if let name { apply(filterName: name, values: values, to: &lookup) }
                name = String(p.dropFirst(5))
                values = []
            } else if p.lowercased().hasPrefix("values=") {
                values.append(String(p.dropFirst(7)))
            } else {
                values.append(p)
            }
        }
        if let name { apply(filterName: name, values: values, to: &lookup) }
    }

    private static func apply(filterName: String, values: [String], to lookup: inout AMILookup) {
        switch filterName {
        case "owner-id", "owner-alias", "image-id": lookup.pinnedBy = "filter \(filterName)"
        case "name":
            if values.isEmpty { lookup.nameFilterOpaque = true } else { lookup.namePatterns += values }
        default: break
        }
    }
}
