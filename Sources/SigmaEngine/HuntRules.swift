import Foundation
import MamoriCore
import Yams
import LogReaders

/// A single-event SIGMA rule accepted for hunting in CloudTrail.
public struct HuntRule: Sendable {
    public let rule: SigmaRule
    let compiled: CompiledRule
    /// False when the rule is referred to by a correlation without `generate: true`: its matches
    /// then only feed that correlation and produce no hit of their own (SIGMA correlation spec).
    public internal(set) var generatesHits: Bool = true

    /// The `eventName` values (lower-cased) a match requires, when the condition pins them with
    /// plain values; nil when any event could match. Lets the matcher skip most rules per event
    /// with one set look-up instead of evaluating them.
    let eventNames: Set<String>?

    init(_ rule: SigmaRule) {
        self.rule = rule
        self.compiled = CompiledRule(rule, nullMatchesEmpty: false)
        self.eventNames = HuntRule.requiredEventNames(rule.condition, rule)
    }

    static func requiredEventNames(_ expr: ConditionExpr, _ rule: SigmaRule) -> Set<String>? {
        func union(_ sets: [Set<String>?]) -> Set<String>? {
            var out = Set<String>()
            for set in sets { guard let set else { return nil }; out.formUnion(set) }
            return sets.isEmpty ? nil : out
        }
        func intersection(_ sets: [Set<String>?]) -> Set<String>? {
            var out: Set<String>?
            for case let set? in sets { out = out.map { $0.intersection(set) } ?? set }
            return out
        }
        switch expr {
        case let .selection(name):
            return rule.selection(named: name).flatMap(selectionNames)
        case .not:
            return nil
        case let .and(items):
            return intersection(items.map { requiredEventNames($0, rule) })
        case let .or(items):
            return union(items.map { requiredEventNames($0, rule) })
        case let .oneOf(pattern):
            return union(SelectionPattern.matching(pattern, in: rule).map { rule.selection(named: $0).flatMap(selectionNames) })
        case let .allOf(pattern):
            return intersection(SelectionPattern.matching(pattern, in: rule).map { rule.selection(named: $0).flatMap(selectionNames) })
        }
    }

    /// A selection pins eventName when every alternative map has `eventName:` with plain strings.
    private static func selectionNames(_ selection: Selection) -> Set<String>? {
        guard case let .maps(maps) = selection.body, !maps.isEmpty else { return nil }
        var out = Set<String>()
        for map in maps {
            guard let m = map.first(where: { $0.field == "eventName" }), m.modifiers.isEmpty else { return nil }
            for value in m.values {
                guard case let .string(s) = value, let literal = s.plainLiteral else { return nil }
                out.insert(literal.lowercased())
            }
        }
        return out
    }
}

/// A SIGMA correlation rule (specification v2: `correlation:` with `type`, `rules`, `group-by`,
/// `timespan`, `condition`, `aliases`, `generate`).
public struct CorrelationRule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal
        case temporalOrdered = "temporal_ordered"
    }

    public var id: String
    public var title: String
    public var level: String
    public var file: String
    public var name: String?
    public var kind: Kind
    /// The referred rules' ids or names, as written.
    public var rules: [String]
    public var groupBy: [String]
    /// The window, in seconds.
    public var timespan: TimeInterval
    public var condition: CountCondition
    /// `condition.field` of a value_count correlation.
    public var valueField: String?
    /// alias → (referred rule name or id → field).
    public var aliases: [String: [String: String]]
    /// `generate: true` keeps the referred rules' own hits.
    public var generate: Bool
    public var tags: [String] = []
    public var description: String = ""
    /// False when another correlation refers to this one without `generate: true`.
    public internal(set) var generatesHits: Bool = true

    /// The field a group-by entry (or the value field) reads in events of the referred rule `ref`.
    func field(_ name: String, for ref: String) -> String {
        aliases[name]?[ref] ?? name
    }
}

/// A correlation condition: one or more of gt/gte/lt/lte/eq, all of which must hold.
public struct CountCondition: Sendable, Equatable {
    public var gt: Int?
    public var gte: Int?
    public var lt: Int?
    public var lte: Int?
    public var eq: Int?

    public init(gt: Int? = nil, gte: Int? = nil, lt: Int? = nil, lte: Int? = nil, eq: Int? = nil) {
        self.gt = gt; self.gte = gte; self.lt = lt; self.lte = lte; self.eq = eq
    }

    public func holds(_ n: Int) -> Bool {
        if let gt, !(n > gt) { return false }
        if let gte, !(n >= gte) { return false }
        if let lt, !(n < lt) { return false }
        if let lte, !(n <= lte) { return false }
        if let eq, n != eq { return false }
        return true
    }

    /// Only lower bounds: once true, more events keep it true, so a hit can fire as soon as it
    /// holds (a sliding window). Upper bounds and `eq` can only be decided when the window closes.
    public var isMonotone: Bool { lt == nil && lte == nil && eq == nil }
}

/// The rules a hunt runs: single-event rules and correlations, references resolved.
public struct HuntRuleSet: Sendable {
    public internal(set) var rules: [HuntRule]
    public internal(set) var correlations: [CorrelationRule]
    /// For each correlation, each entry of its `rules:` resolved: a single-event rule or another correlation.
    let references: [[RuleReference]]

    enum RuleReference: Sendable, Equatable {
        case rule(Int)
        case correlation(Int)
    }
}

/// Loads hunt rules. Only rules with `logsource: {product: aws, service: cloudtrail}` are
/// accepted; fields must start with a CloudTrail top-level field (`CloudTrailRecord.topLevelFields`);
/// keyword selections (no field) are refused. Every refusal is a `LogDetectError` naming the file
/// and the feature.
public enum HuntRules {
    /// Where the shipped rules live in the repository (compiled into the binary as well).
    public static let builtInDirectory = "rules/cloudtrail"

    /// The shipped CloudTrail rules (`rules/cloudtrail/`), compiled into the binary.
    public static func builtIn() throws(LogDetectError) -> HuntRuleSet {
        var documents: [Document] = []
        for (file, text) in BuiltInHuntRules.files {
            documents += try HuntRules.documents(yaml: text, file: builtInDirectory + "/" + file)
        }
        return try resolve(documents)
    }

    /// Loads rule files and directories (recursively, `*.yml`/`*.yaml`, sorted by path). A file may
    /// hold several YAML documents (`---`): rules and the correlations over them. References in
    /// `correlation.rules` resolve by id or `name` across all the files given (and the built-in
    /// rules when `includeBuiltIn`).
    public static func load(paths: [String], includeBuiltIn: Bool = false) throws(LogDetectError) -> HuntRuleSet {
        var documents: [Document] = []
        if includeBuiltIn {
            for (file, text) in BuiltInHuntRules.files {
                documents += try HuntRules.documents(yaml: text, file: builtInDirectory + "/" + file)
            }
        }
        for file in try ruleFiles(paths) {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw .readFailed(file: file, reason: "\(error.localizedDescription)")
            }
            documents += try HuntRules.documents(yaml: text, file: file)
        }
        return try resolve(documents)
    }

    /// Parses YAML text (one or more documents) into a rule set on its own.
    public static func parse(yaml: String, file: String) throws(LogDetectError) -> HuntRuleSet {
        try resolve(try documents(yaml: yaml, file: file))
    }

    // MARK: - Internals

    enum Document {
        case rule(SigmaRule)
        case correlation(CorrelationRule)
    }

    static func ruleFiles(_ paths: [String]) throws(LogDetectError) -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .readFailed(file: path, reason: "no such file or directory")
            }
            if !isDirectory.boolValue { files.append(path); continue }
            guard let walker = fm.enumerator(atPath: path) else {
                throw .readFailed(file: path, reason: "cannot list the directory")
            }
            var found: [String] = []
            while let item = walker.nextObject() as? String {
                if item.hasSuffix(".yml") || item.hasSuffix(".yaml") { found.append(path + "/" + item) }
            }
            if found.isEmpty { throw .readFailed(file: path, reason: "the directory holds no .yml or .yaml rule") }
            files += found.sorted()
        }
        return files
    }

    static func documents(yaml: String, file: String) throws(LogDetectError) -> [Document] {
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(yaml) } catch { throw .invalidRule(file: file, reason: error.description) }
        var nodes: [Node] = []
        do {
            for node in try Yams.compose_all(yaml: yaml) { nodes.append(node) }
        } catch {
            throw .invalidRule(file: file, reason: "not valid YAML: \(error)")
        }
        if nodes.isEmpty { throw .invalidRule(file: file, reason: "the file is empty") }
        var documents: [Document] = []
        for node in nodes {
            guard case let .mapping(top) = node else {
                throw .invalidRule(file: file, reason: "the top level must be a mapping")
            }
            if top["correlation"] != nil {
                documents.append(.correlation(try CorrelationParser.parse(top, file: file)))
            } else {
                let rule = try SigmaParser.parse(node: node, file: file)
                try validateForCloudTrail(rule)
                documents.append(.rule(rule))
            }
        }
        return documents
    }

    static func validateForCloudTrail(_ rule: SigmaRule) throws(LogDetectError) {
        let product = rule.logsource["product"]?.lowercased()
        let service = rule.logsource["service"]?.lowercased()
        guard product == "aws", service == "cloudtrail" else {
            let written = rule.logsource.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            throw .invalidRule(file: rule.file, reason: "rule '\(rule.title)' has logsource {\(written)}; hunt runs only rules with logsource product: aws, service: cloudtrail")
        }
        for selection in rule.selections {
            switch selection.body {
            case .keywords:
                throw .unsupportedRuleFeature(file: rule.file, feature: "a keyword selection ('\(selection.name)' has no field; name a CloudTrail field such as eventName)")
            case let .maps(maps):
                for matcher in maps.joined() where !CloudTrailRecord.isKnownField(matcher.field) {
                    throw .invalidRule(file: rule.file, reason: "selection '\(selection.name)' names the field '\(matcher.field)', which is not a CloudTrail field (top-level fields: \(CloudTrailRecord.topLevelFields.sorted().joined(separator: ", ")))")
                }
            }
        }
    }

    /// Resolves correlation references by id or name, refuses duplicates, unknown names and cycles,
    /// and marks which rules produce hits of their own.
    static func resolve(_ documents: [Document]) throws(LogDetectError) -> HuntRuleSet {
        var rules: [HuntRule] = []
        var correlations: [CorrelationRule] = []
        var byKey: [String: HuntRuleSet.RuleReference] = [:]
        var fileOf: [String: String] = [:]
        func register(_ key: String, _ ref: HuntRuleSet.RuleReference, file: String) throws(LogDetectError) {
            if let existing = byKey[key], existing != ref {
                let other = fileOf[key] ?? file
                throw .invalidRule(file: file, reason: "the id or name '\(key)' is also used by a rule in \(other) (the same rules loaded twice? the shipped rules are already included)")
            }
            byKey[key] = ref
            fileOf[key] = file
        }
        for document in documents {
            switch document {
            case let .rule(rule):
                let ref = HuntRuleSet.RuleReference.rule(rules.count)
                rules.append(HuntRule(rule))
                try register(rule.id, ref, file: rule.file)
                if let name = rule.name { try register(name, ref, file: rule.file) }
            case let .correlation(c):
                let ref = HuntRuleSet.RuleReference.correlation(correlations.count)
                correlations.append(c)
                try register(c.id, ref, file: c.file)
                if let name = c.name { try register(name, ref, file: c.file) }
            }
        }
        var references: [[HuntRuleSet.RuleReference]] = []
        for c in correlations {
            var refs: [HuntRuleSet.RuleReference] = []
            for key in c.rules {
                guard let ref = byKey[key] else {
                    throw .invalidRule(file: c.file, reason: "correlation '\(c.title)' refers to '\(key)', which is no loaded rule's id or name")
                }
                refs.append(ref)
            }
            references.append(refs)
        }
        // Cycles would loop forever when a hit feeds its own correlation.
        var state = [Int](repeating: 0, count: correlations.count)
        func visit(_ i: Int) throws(LogDetectError) {
            if state[i] == 2 { return }
            if state[i] == 1 { throw .invalidRule(file: correlations[i].file, reason: "correlation '\(correlations[i].title)' refers to itself through its rules (a cycle)") }
            state[i] = 1
            for case let .correlation(j) in references[i] { try visit(j) }
            state[i] = 2
        }
        for i in correlations.indices { try visit(i) }
        for (i, refs) in references.enumerated() where !correlations[i].generate {
            for ref in refs {
                switch ref {
                case let .rule(r): rules[r].generatesHits = false
                case let .correlation(j): correlations[j].generatesHits = false
                }
            }
        }
        // `generate: true` anywhere wins over a silent reference elsewhere.
        for (i, refs) in references.enumerated() where correlations[i].generate {
            for ref in refs {
                switch ref {
                case let .rule(r): rules[r].generatesHits = true
                case let .correlation(j): correlations[j].generatesHits = true
                }
            }
        }
        return HuntRuleSet(rules: rules, correlations: correlations, references: references)
    }
}

/// Reads the `correlation:` section of a document.
enum CorrelationParser {
    static func parse(_ top: Node.Mapping, file: String) throws(LogDetectError) -> CorrelationRule {
        let title = top["title"]?.string ?? ""
        guard !title.isEmpty else { throw .invalidRule(file: file, reason: "a correlation rule needs a title") }
        let id = top["id"]?.string ?? top["name"]?.string ?? title
        guard let node = top["correlation"], case let .mapping(c) = node else {
            throw .invalidRule(file: file, reason: "correlation '\(title)': 'correlation' must be a mapping")
        }
        let known: Set<String> = ["type", "rules", "group-by", "timespan", "condition", "aliases", "generate"]
        for (k, _) in c {
            if let key = k.string, !known.contains(key) {
                throw .unsupportedRuleFeature(file: file, feature: "'correlation.\(key)' (correlation '\(title)')")
            }
        }
        guard let typeText = c["type"]?.string else { throw .invalidRule(file: file, reason: "correlation '\(title)' has no type") }
        guard let kind = CorrelationRule.Kind(rawValue: typeText) else {
            throw .unsupportedRuleFeature(file: file, feature: "the correlation type '\(typeText)' (supported: \(CorrelationRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var rules: [String] = []
        if let node = c["rules"] {
            if let single = node.string { rules = [single] } else if case let .sequence(seq) = node { rules = seq.compactMap(\.string) }
        }
        guard !rules.isEmpty else { throw .invalidRule(file: file, reason: "correlation '\(title)' lists no rules") }
        if (kind == .temporal || kind == .temporalOrdered), Set(rules).count < 2 {
            throw .invalidRule(file: file, reason: "\(kind.rawValue) correlation '\(title)' needs at least two different rules")
        }
        var groupBy: [String] = []
        if let node = c["group-by"] {
            if let single = node.string { groupBy = [single] } else if case let .sequence(seq) = node { groupBy = seq.compactMap(\.string) }
        }
        guard let spanText = c["timespan"]?.string else { throw .invalidRule(file: file, reason: "correlation '\(title)' has no timespan") }
        guard let timespan = parseTimespan(spanText) else {
            throw .invalidRule(file: file, reason: "correlation '\(title)': timespan '\(spanText)' is not a number followed by s, m, h, d or w, at most a year (e.g. 15m)")
        }
        var aliases: [String: [String: String]] = [:]
        if let node = c["aliases"] {
            guard case let .mapping(map) = node else { throw .invalidRule(file: file, reason: "correlation '\(title)': aliases must be a mapping") }
            for (k, v) in map {
                guard let alias = k.string, case let .mapping(inner) = v else {
                    throw .invalidRule(file: file, reason: "correlation '\(title)': each alias maps rule names to fields")
                }
                var fields: [String: String] = [:]
                for (rk, rv) in inner {
                    guard let r = rk.string, let f = rv.string else { throw .invalidRule(file: file, reason: "correlation '\(title)': alias '\(alias)' maps rule names to field names") }
                    guard CloudTrailRecord.isKnownField(f) else { throw .invalidRule(file: file, reason: "correlation '\(title)': alias '\(alias)' names '\(f)', which is not a CloudTrail field") }
                    fields[r] = f
                }
                aliases[alias] = fields
            }
        }
        for field in groupBy where aliases[field] == nil && !CloudTrailRecord.isKnownField(field) {
            throw .invalidRule(file: file, reason: "correlation '\(title)' groups by '\(field)', which is neither a CloudTrail field nor an alias")
        }
        var condition = CountCondition()
        var valueField: String?
        if let node = c["condition"] {
            guard case let .mapping(map) = node else { throw .invalidRule(file: file, reason: "correlation '\(title)': condition must be a mapping such as {gte: 10}") }
            for (k, v) in map {
                guard let key = k.string else { continue }
                if key == "field" { valueField = v.string; continue }
                guard let n = v.int else { throw .invalidRule(file: file, reason: "correlation '\(title)': condition '\(key)' needs a whole number") }
                switch key {
                case "gt": condition.gt = n
                case "gte": condition.gte = n
                case "lt": condition.lt = n
                case "lte": condition.lte = n
                case "eq": condition.eq = n
                default: throw .unsupportedRuleFeature(file: file, feature: "the correlation condition '\(key)' (supported: gt, gte, lt, lte, eq, field)")
                }
            }
            if condition == CountCondition() { throw .invalidRule(file: file, reason: "correlation '\(title)': the condition has no gt, gte, lt, lte or eq") }
        } else {
            switch kind {
            case .eventCount, .valueCount:
                throw .invalidRule(file: file, reason: "\(kind.rawValue) correlation '\(title)' needs a condition such as {gte: 10}")
            case .temporal, .temporalOrdered:
                // Every referred rule must match (SIGMA: the count of different rules matching).
                condition.gte = Set(rules).count
            }
        }
        if kind == .temporalOrdered, condition != CountCondition(gte: Set(rules).count) {
            throw .unsupportedRuleFeature(file: file, feature: "a condition on the temporal_ordered correlation '\(title)' (it always needs every rule, in order)")
        }
        if kind == .valueCount {
            guard let f = valueField else { throw .invalidRule(file: file, reason: "value_count correlation '\(title)' needs condition.field") }
            guard aliases[f] != nil || CloudTrailRecord.isKnownField(f) else {
                throw .invalidRule(file: file, reason: "value_count correlation '\(title)' counts '\(f)', which is not a CloudTrail field")
            }
        } else if valueField != nil {
            throw .invalidRule(file: file, reason: "correlation '\(title)': condition.field only applies to value_count")
        }
        let generate = c["generate"]?.bool ?? (top["generate"]?.bool ?? false)
        var rule = CorrelationRule(
            id: id, title: title, level: top["level"]?.string ?? "medium", file: file, name: top["name"]?.string,
            kind: kind, rules: rules, groupBy: groupBy, timespan: timespan, condition: condition,
            valueField: valueField, aliases: aliases, generate: generate
        )
        rule.tags = SigmaParser.tags(top)
        rule.description = top["description"]?.string ?? ""
        return rule
    }

    /// `30s`, `15m`, `1h`, `2d`, `1w` → seconds; at most a year (a longer window is a history, not
    /// a correlation, and `99999999999w` must be an error, not an overflow).
    static func parseTimespan(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let n = Int(text.dropLast()), n > 0, n <= 31_622_400 else { return nil }
        let seconds: TimeInterval
        switch unit {
        case "s": seconds = TimeInterval(n)
        case "m": seconds = TimeInterval(n) * 60
        case "h": seconds = TimeInterval(n) * 3600
        case "d": seconds = TimeInterval(n) * 86_400
        case "w": seconds = TimeInterval(n) * 604_800
        default: return nil
        }
        return seconds <= 366 * 86_400 ? seconds : nil
    }
}
