/// Finds Ansible AMI look-ups in YAML: `amazon.aws.ec2_ami_info` (and the older `ec2_ami_facts`,
/// `ec2_ami_find`) without `owners` / `image_ids` or an owner filter.
///
/// YAML is read by indentation: the module's arguments are the lines indented below its key.
/// That is enough for the block style playbooks use; flow-style argument maps are read roughly.
public enum AnsibleAMIRules {
    static let modules: Set<String> = ["ec2_ami_info", "amazon.aws.ec2_ami_info", "ec2_ami_facts", "ec2_ami_find", "amazon.aws.ec2_ami_facts"]

    private struct Line {
        var number: Int
        var indent: Int
        /// The text after indentation and any `- ` list marker, comments removed.
        var content: Substring
        var column: Int
        var isListItem: Bool
    }

    public static func lookups(in text: String, file: String) -> [AMILookup] {
        guard text.contains("ec2_ami_") else { return [] }
        let lines = parse(text)
        let sortsByDate = text.contains("creation_date") || text.contains("creationDate")
        var found: [AMILookup] = []
        for (index, line) in lines.enumerated() {
            guard let (key, inline) = keyValue(line.content), modules.contains(key) else { continue }
            var lookup = AMILookup(rule: .ansible, file: file, location: SourceLocation(line: line.number, column: line.column),
                                   resource: key, fixStyle: .ansible)
            var block: [Line] = []
            for next in lines[(index + 1)...] {
                if next.indent <= line.indent { break }
                block.append(next)
            }
            if !inline.isEmpty { block.insert(contentsOf: flowItems(inline, like: line), at: 0) }
            read(block, into: &lookup)
            if sortsByDate && lookup.picksNewest == nil { lookup.picksNewest = "results sorted by creation_date in this file" }
            found.append(lookup)
        }
        return found
    }

    private static func parse(_ text: String) -> [Line] {
        var lines: [Line] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var s = raw.drop { $0 == " " }
            var indent = raw.count - s.count
            var isListItem = false
            if s.hasPrefix("- ") {
                s = s.dropFirst(2).drop { $0 == " " }
                indent = raw.count - s.count
                isListItem = true
            }
            if let hash = s.range(of: " #") { s = s[..<hash.lowerBound] }
            if s.hasPrefix("#") { s = "" }
            let content = Substring(String(s).trimmingSpaces)
            if content.isEmpty { continue }
            lines.append(Line(number: number, indent: indent, content: content, column: indent + 1, isListItem: isListItem))
        }
        return lines
    }

    /// `key: value` → (unquoted key, value); nil when the line is not a mapping entry.
    private static func keyValue(_ content: Substring) -> (String, Substring)? {
        guard let colon = content.firstIndex(of: ":") else { return nil }
        let after = content.index(after: colon)
        guard after == content.endIndex || content[after] == " " else { return nil }
        let key = unquote(content[..<colon])
        return (key, Substring(String(content[after...]).trimmingSpaces))
    }

    private static func unquote(_ s: Substring) -> String {
        var t = String(s).trimmingSpaces
        if t.count >= 2, let f = t.first, f == "\"" || f == "'", t.last == f { t = String(t.dropFirst().dropLast()) }
        return t
    }

    /// `{ owners: [self], filters: {name: x} }` as indented lines, so one reader handles both styles.
    private static func flowItems(_ inline: Substring, like line: Line) -> [Line] {
        var body = inline
        if body.hasPrefix("{") { body = body.dropFirst() }
        if body.hasSuffix("}") { body = body.dropLast() }
        return body.split(separator: ",").map {
            Line(number: line.number, indent: line.indent + 2, content: Substring(String($0).trimmingSpaces.replacingOccurrences(of: "{", with: "")),
                 column: line.column, isListItem: false)
        }
    }

    private static func isEmptyValue(_ v: Substring) -> Bool {
        ["", "[]", "\"\"", "''", "null", "~", "[\"\"]", "['']"].contains(String(v))
    }

    private static func read(_ block: [Line], into lookup: inout AMILookup) {
        var filtersIndent: Int?
        for (i, line) in block.enumerated() {
            if let f = filtersIndent, line.indent <= f { filtersIndent = nil }
            guard let (key, value) = keyValue(line.content) else { continue }
            let inFilters = filtersIndent != nil
            switch (inFilters, key) {
            case (false, "owners"), (false, "owner"):
                let hasItems = block[(i + 1)...].prefix { $0.indent > line.indent || ($0.isListItem && $0.indent >= line.indent) }
                    .contains { $0.isListItem }
                lookup.owners = !isEmptyValue(value) || hasItems ? .pinned : .empty("\(key): \(value.isEmpty ? "(nothing)" : String(value))")
            case (false, "image_ids"), (false, "image_id"), (false, "ami_id"):
                if !isEmptyValue(value) || i + 1 < block.count { lookup.pinnedBy = key }
            case (false, "filters"):
                filtersIndent = line.indent
                if value.hasPrefix("{") {
                    for item in flowItems(value, like: line) { apply(filter: item, to: &lookup) }
                }
            case (false, "name"), (false, "ami_name"):
                lookup.namePatterns.append(unquote(value))  // ec2_ami_find's own name argument
            case (false, "sort"):
                if value.lowercased().contains("creation") { lookup.picksNewest = "sort: \(value)" }
            case (true, _):
                apply(filter: line, to: &lookup)
            default:
                break
            }
        }
    }

    private static func apply(filter line: Line, to lookup: inout AMILookup) {
        guard let (key, value) = keyValue(line.content) else { return }
        switch key {
        case "owner-id", "owner-alias", "image-id", "owner_id", "owner_alias", "image_id":
            lookup.pinnedBy = "filters \(key)"
        case "name":
            let v = unquote(value)
            if v.isEmpty || v.hasPrefix("[") { lookup.nameFilterOpaque = true } else { lookup.namePatterns.append(v) }
        default:
            break
        }
    }
}
