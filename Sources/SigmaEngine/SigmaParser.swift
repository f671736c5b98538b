import MamoriCore
import Yams
import LogReaders

/// Loads SIGMA rules from YAML text. Only the parts the engine needs are checked strictly;
/// unknown top-level keys are ignored as the SIGMA spec allows.
public enum SigmaParser {
    /// Parses one rule document.
    public static func parse(yaml: String, file: String) throws(LogDetectError) -> SigmaRule {
        let root: Node
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(yaml) } catch { throw .invalidRule(file: file, reason: error.description) }
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw LogDetectError.invalidRule(file: file, reason: "the file is empty")
            }
            root = node
        } catch let error as LogDetectError {
            throw error
        } catch {
            throw .invalidRule(file: file, reason: "not valid YAML: \(error)")
        }
        return try parse(node: root, file: file)
    }

    /// Parses one rule document already composed (one document of a multi-document file).
    public static func parse(node root: Node, file: String) throws(LogDetectError) -> SigmaRule {
        guard case let .mapping(top) = root else {
            throw .invalidRule(file: file, reason: "the top level must be a mapping")
        }
        let title = top["title"]?.string ?? ""
        let id = top["id"]?.string ?? title
        let level = top["level"]?.string ?? "medium"
        var logsource: [String: String] = [:]
        if let node = top["logsource"], case let .mapping(map) = node {
            for (k, v) in map { if let key = k.string, let value = v.string { logsource[key] = value } }
        }
        guard let detectionNode = top["detection"], case let .mapping(detection) = detectionNode else {
            throw .invalidRule(file: file, reason: "missing 'detection' mapping")
        }
        var selections: [Selection] = []
        var conditionText: String?
        for (keyNode, valueNode) in detection {
            guard let key = keyNode.string else { continue }
            if key == "condition" {
                if let text = valueNode.string {
                    conditionText = text
                } else if case let .sequence(seq) = valueNode {
                    // A list of conditions means any of them (SIGMA spec).
                    conditionText = seq.compactMap(\.string).map { "(\($0))" }.joined(separator: " or ")
                }
                continue
            }
            if key == "timeframe" {
                throw .unsupportedRuleFeature(file: file, feature: "'timeframe'")
            }
            selections.append(Selection(name: key, body: try parseSelectionBody(valueNode, name: key, file: file)))
        }
        guard let conditionText, !conditionText.isEmpty else {
            throw .invalidRule(file: file, reason: "missing 'detection.condition'")
        }
        var parser = try ConditionParser(conditionText, file: file)
        let condition = try parser.parse()
        var rule = SigmaRule(
            id: id, title: title, level: level, file: file,
            selections: selections, condition: condition, conditionText: conditionText
        )
        rule.name = top["name"]?.string
        rule.logsource = logsource
        rule.tags = SigmaParser.tags(top)
        rule.description = top["description"]?.string ?? ""
        try validateReferences(condition, rule: rule)
        return rule
    }

    /// The `tags` list of a rule document (empty when absent or not a list of strings).
    static func tags(_ top: Node.Mapping) -> [String] {
        guard let node = top["tags"], case let .sequence(seq) = node else { return [] }
        return seq.compactMap(\.string)
    }

    /// Every plain identifier must name a selection; patterns must match at least one.
    private static func validateReferences(_ expr: ConditionExpr, rule: SigmaRule) throws(LogDetectError) {
        switch expr {
        case let .selection(name):
            if rule.selection(named: name) == nil {
                throw .invalidRule(file: rule.file, reason: "the condition names '\(name)', which is not a selection")
            }
        case let .not(inner):
            try validateReferences(inner, rule: rule)
        case let .and(items), let .or(items):
            for item in items { try validateReferences(item, rule: rule) }
        case let .oneOf(pattern), let .allOf(pattern):
            if SelectionPattern.matching(pattern, in: rule).isEmpty {
                throw .invalidRule(file: rule.file, reason: "'\(pattern)' in the condition matches no selection")
            }
        }
    }

    private static func parseSelectionBody(_ node: Node, name: String, file: String) throws(LogDetectError) -> Selection.Body {
        switch node {
        case let .mapping(map):
            return .maps([try parseMap(map, selection: name, file: file)])
        case let .sequence(seq):
            if seq.allSatisfy({ if case .mapping = $0 { return true } else { return false } }) {
                var maps: [[FieldMatcher]] = []
                for item in seq {
                    if case let .mapping(map) = item { maps.append(try parseMap(map, selection: name, file: file)) }
                }
                return .maps(maps)
            }
            var keywords: [SigmaValue] = []
            for item in seq {
                keywords.append(try parseValue(item, selection: name, file: file))
            }
            return .keywords(keywords)
        case .scalar:
            return .keywords([try parseValue(node, selection: name, file: file)])
        default:
            throw .invalidRule(file: file, reason: "selection '\(name)' has an unsupported YAML shape")
        }
    }

    private static func parseMap(_ map: Node.Mapping, selection: String, file: String) throws(LogDetectError) -> [FieldMatcher] {
        var matchers: [FieldMatcher] = []
        for (keyNode, valueNode) in map {
            guard let key = keyNode.string else {
                throw .invalidRule(file: file, reason: "selection '\(selection)' has a non-string field name")
            }
            var parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let field = parts.removeFirst()
            var modifiers: [Modifier] = []
            for part in parts {
                guard let modifier = Modifier(rawValue: part) else {
                    throw .unsupportedRuleFeature(file: file, feature: "the modifier '|\(part)' (selection '\(selection)', field '\(field)')")
                }
                modifiers.append(modifier)
            }
            var values: [SigmaValue] = []
            if case let .sequence(seq) = valueNode {
                for item in seq { values.append(try parseValue(item, selection: selection, file: file)) }
            } else {
                values.append(try parseValue(valueNode, selection: selection, file: file))
            }
            if values.isEmpty {
                throw .invalidRule(file: file, reason: "field '\(field)' in selection '\(selection)' has an empty value list")
            }
            if modifiers.contains(.cidr) {
                for value in values {
                    guard let text = value.plainText, CIDR(text) != nil else {
                        throw .invalidRule(file: file, reason: "'\(value.plainText ?? "null")' under \(key) is not a CIDR range")
                    }
                }
            }
            if modifiers.contains(.exists) {
                guard values.count == 1, case .bool = values[0] else {
                    throw .invalidRule(file: file, reason: "\(key) needs the value true or false")
                }
            }
            if modifiers.contains(.base64) || modifiers.contains(.base64offset) {
                let name = modifiers.contains(.base64offset) ? "base64offset" : "base64"
                if modifiers.contains(.base64) && modifiers.contains(.base64offset) {
                    throw .invalidRule(file: file, reason: "\(key) combines base64 and base64offset; use one")
                }
                if modifiers.contains(.re) || modifiers.contains(.cidr) || modifiers.contains(.exists) {
                    throw .invalidRule(file: file, reason: "\(key): |\(name) cannot be combined with re, cidr or exists")
                }
                if modifiers.contains(.base64offset) && !modifiers.contains(.contains) {
                    throw .invalidRule(file: file, reason: "\(key): |base64offset must be followed by |contains (the encoded value sits inside a longer base64 text)")
                }
                for value in values {
                    guard case let .string(s) = value, !s.hasWildcards else {
                        throw .invalidRule(file: file, reason: "\(key): |\(name) needs plain strings without wildcards ('\(value.plainText ?? "null")')")
                    }
                }
            }
            if modifiers.contains(.windash) && (modifiers.contains(.re) || modifiers.contains(.cidr) || modifiers.contains(.exists)) {
                throw .invalidRule(file: file, reason: "\(key): |windash cannot be combined with re, cidr or exists")
            }
            if modifiers.contains(.re) {
                for value in values {
                    guard let text = value.plainText, RegexCache.compile(text, modifiers: modifiers) != nil else {
                        throw .invalidRule(file: file, reason: "'\(value.plainText ?? "null")' under \(key) is not a valid regular expression")
                    }
                    if let reason = RegexCache.catastrophicReason(text) {
                        throw .invalidRule(file: file, reason: "'\(text)' under \(key) is refused: \(reason)")
                    }
                }
            }
            matchers.append(FieldMatcher(field: field, modifiers: modifiers, values: values))
        }
        return matchers
    }

    private static func parseValue(_ node: Node, selection: String, file: String) throws(LogDetectError) -> SigmaValue {
        guard case let .scalar(scalar) = node else {
            throw .invalidRule(file: file, reason: "selection '\(selection)' has a nested value where a string or number was expected")
        }
        if scalar.style == .plain {
            // Decide by the resolved YAML tag: Yams' `int`/`float` accessors also accept texts such as
            // `curl http://evil` (a sexagesimal reading), which would turn a string into a number.
            switch Resolver.default.resolveTag(of: node) {
            case .null: return .null
            case .bool: if let b = node.bool { return .bool(b) }
            case .int, .float: return .number(scalar.string)
            default: break
            }
        }
        return .string(SigmaString(raw: scalar.string))
    }
}

/// Resolves `1 of X*` / `all of them` patterns to selection names.
public enum SelectionPattern {
    public static func matching(_ pattern: String, in rule: SigmaRule) -> [String] {
        let names = rule.selections.map(\.name)
        if pattern.lowercased() == "them" {
            // SIGMA: `them` skips selections whose names start with an underscore.
            return names.filter { !$0.hasPrefix("_") }
        }
        let glob = SigmaString(raw: pattern)
        return names.filter { GlobMatcher(glob, caseSensitive: true).matches(Array($0.utf8)) }
    }
}
