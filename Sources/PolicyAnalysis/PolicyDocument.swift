/// A resource policy reduced to what exposure analysis needs. Built from JSON by
/// `PolicyDocument.parse`, which accepts every form AWS accepts (single values or arrays,
/// `Statement` as an object or an array) and rejects wrong types with a path to the element.
struct PolicyDocument: Sendable {
    var statements: [PolicyStatement]

    /// Parses a bare policy, or one wrapped the way the AWS CLI prints it:
    /// `{"Policy": "<json>"}` (s3api get-bucket-policy) or `{"Attributes": {"Policy": "<json>"}}`
    /// (sqs get-queue-attributes, sns get-topic-attributes). A wrapper without a policy means
    /// the resource has none, which yields `nil`.
    static func parse(_ text: String) throws(PolicyAnalysisError) -> PolicyDocument? {
        let root = try JSONParser.parse(text)
        guard case .object = root else {
            throw .wrongType(path: "the policy document", expected: "a JSON object", found: root.kindName)
        }
        if root.member("Statement") == nil {
            if let wrapped = root.member("Policy") {
                return try parseWrapped(wrapped, path: "Policy")
            }
            if let attributes = root.member("Attributes") {
                guard case .object = attributes else {
                    throw .wrongType(path: "Attributes", expected: "an object", found: attributes.kindName)
                }
                guard let wrapped = attributes.member("Policy") else { return nil }
                return try parseWrapped(wrapped, path: "Attributes.Policy")
            }
        }
        return try PolicyDocument(root: root)
    }

    private static func parseWrapped(_ value: JSONValue, path: String) throws(PolicyAnalysisError) -> PolicyDocument? {
        switch value {
        case let .string(inner):
            do {
                return try parse(inner)
            } catch let error {
                if case let .invalidJSON(message, line, column) = error {
                    throw .invalidJSON(message: "in the policy text inside \(path): \(message)", line: line, column: column)
                }
                throw error
            }
        case .object:
            return try PolicyDocument(root: value)
        case .null:
            return nil
        default:
            throw .wrongType(path: path, expected: "a policy (JSON text or object)", found: value.kindName)
        }
    }

    init(statements: [PolicyStatement]) { self.statements = statements }

    init(root: JSONValue) throws(PolicyAnalysisError) {
        guard let statementValue = root.member("Statement") else {
            throw .missingElement(path: "the policy document", element: "Statement")
        }
        switch statementValue {
        case .object:
            statements = [try PolicyStatement(statementValue, index: 0)]
        case let .array(items):
            var parsed: [PolicyStatement] = []
            parsed.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                parsed.append(try PolicyStatement(item, index: i))
            }
            statements = parsed
        default:
            throw .wrongType(path: "Statement", expected: "an object or an array of objects", found: statementValue.kindName)
        }
    }
}

/// Who a statement names. `nil` values in a map mean the element was absent.
enum PrincipalSpec: Sendable, Equatable {
    /// `"Principal": "*"`.
    case everyone
    /// `{"AWS": [...], "Service": [...], ...}` with the type names as written.
    case typed([(type: String, values: [String])])

    static func == (lhs: PrincipalSpec, rhs: PrincipalSpec) -> Bool {
        switch (lhs, rhs) {
        case (.everyone, .everyone): return true
        case let (.typed(a), .typed(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.type == $1.type && $0.values == $1.values }
        default: return false
        }
    }
}

/// One `Condition` entry: operator, key, values. Keys are matched case-insensitively (AWS does);
/// operator names are case-sensitive, but we split off `ForAnyValue:`/`ForAllValues:` and `IfExists`.
struct ConditionClause: Sendable, Equatable {
    enum SetQualifier: String, Sendable { case none, forAnyValue = "ForAnyValue", forAllValues = "ForAllValues" }
    /// The operator as written, for messages.
    var rawOperator: String
    /// The operator without qualifier and `IfExists`, e.g. `StringEquals`.
    var baseOperator: String
    var qualifier: SetQualifier
    var ifExists: Bool
    /// The key as written, for messages.
    var rawKey: String
    /// The key lowercased, for matching.
    var key: String
    var values: [String]
}

/// One statement, with its position and Sid for messages.
struct PolicyStatement: Sendable {
    enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }
    var index: Int
    var sid: String?
    var effect: Effect
    var principal: PrincipalSpec?
    var notPrincipal: PrincipalSpec?
    var actions: [String]?
    var notActions: [String]?
    var resources: [String]?
    var notResources: [String]?
    var conditions: [ConditionClause]

    /// "statement 2 (\"PublicRead\")" — 1-based, as people count.
    var label: String {
        if let sid, !sid.isEmpty { return "statement \(index + 1) (\"\(sid)\")" }
        return "statement \(index + 1)"
    }

    init(_ value: JSONValue, index: Int) throws(PolicyAnalysisError) {
        let path = "Statement[\(index)]"
        guard case .object = value else {
            throw .wrongType(path: path, expected: "an object", found: value.kindName)
        }
        self.index = index
        switch value.member("Sid") {
        case nil, .null?: sid = nil
        case let .string(s)?: sid = s
        case let .number(n)?: sid = n
        case let other?: throw .wrongType(path: "\(path).Sid", expected: "a string", found: other.kindName)
        }
        guard let effectValue = value.member("Effect") else {
            throw .missingElement(path: path, element: "Effect")
        }
        guard case let .string(effectText) = effectValue else {
            throw .wrongType(path: "\(path).Effect", expected: "\"Allow\" or \"Deny\"", found: effectValue.kindName)
        }
        switch effectText {
        case "Allow": effect = .allow
        case "Deny": effect = .deny
        default: throw .invalidValue(path: "\(path).Effect", message: "must be \"Allow\" or \"Deny\", found \"\(effectText)\"")
        }
        principal = try value.member("Principal").map { v throws(PolicyAnalysisError) in try Self.principal(v, path: "\(path).Principal") }
        notPrincipal = try value.member("NotPrincipal").map { v throws(PolicyAnalysisError) in try Self.principal(v, path: "\(path).NotPrincipal") }
        if principal == nil && notPrincipal == nil {
            throw .invalidValue(path: path, message: "a resource policy statement needs \"Principal\" or \"NotPrincipal\" (is this an identity policy?)")
        }
        if principal != nil && notPrincipal != nil {
            throw .invalidValue(path: path, message: "\"Principal\" and \"NotPrincipal\" cannot both be present")
        }
        actions = try value.member("Action").map { v throws(PolicyAnalysisError) in try Self.strings(v, path: "\(path).Action") }
        notActions = try value.member("NotAction").map { v throws(PolicyAnalysisError) in try Self.strings(v, path: "\(path).NotAction") }
        if actions == nil && notActions == nil {
            throw .invalidValue(path: path, message: "needs \"Action\" or \"NotAction\"")
        }
        if actions?.isEmpty == true || notActions?.isEmpty == true {
            throw .invalidValue(path: path, message: "the action list is empty")
        }
        if actions != nil && notActions != nil {
            throw .invalidValue(path: path, message: "\"Action\" and \"NotAction\" cannot both be present")
        }
        resources = try value.member("Resource").map { v throws(PolicyAnalysisError) in try Self.strings(v, path: "\(path).Resource") }
        notResources = try value.member("NotResource").map { v throws(PolicyAnalysisError) in try Self.strings(v, path: "\(path).NotResource") }
        if resources != nil && notResources != nil {
            throw .invalidValue(path: path, message: "\"Resource\" and \"NotResource\" cannot both be present")
        }
        conditions = try value.member("Condition").map { v throws(PolicyAnalysisError) in try Self.conditions(v, path: "\(path).Condition") } ?? []
    }

    /// A string or an array of strings (numbers accepted: account IDs are often written unquoted).
    static func strings(_ value: JSONValue, path: String) throws(PolicyAnalysisError) -> [String] {
        switch value {
        case let .string(s): return [s]
        case let .number(n): return [n]
        case let .array(items):
            var out: [String] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                switch item {
                case let .string(s): out.append(s)
                case let .number(n): out.append(n)
                default: throw .wrongType(path: "\(path)[\(i)]", expected: "a string", found: item.kindName)
                }
            }
            return out
        default:
            throw .wrongType(path: path, expected: "a string or an array of strings", found: value.kindName)
        }
    }

    static func principal(_ value: JSONValue, path: String) throws(PolicyAnalysisError) -> PrincipalSpec {
        switch value {
        case let .string(s):
            guard s == "*" else {
                throw .invalidValue(path: path, message: "a string principal must be \"*\"; name others as {\"AWS\": \"\(s)\"}")
            }
            return .everyone
        case let .object(members):
            var typed: [(type: String, values: [String])] = []
            for member in members {
                typed.append((member.key, try strings(member.value, path: "\(path).\(member.key)")))
            }
            return .typed(typed)
        default:
            throw .wrongType(path: path, expected: "\"*\" or an object such as {\"AWS\": ...}", found: value.kindName)
        }
    }

    static func conditions(_ value: JSONValue, path: String) throws(PolicyAnalysisError) -> [ConditionClause] {
        guard case let .object(operators) = value else {
            throw .wrongType(path: path, expected: "an object of condition operators", found: value.kindName)
        }
        var clauses: [ConditionClause] = []
        for op in JSONValue.lastWins(operators) {
            let opPath = "\(path).\(op.key)"
            guard case let .object(keys) = op.value else {
                throw .wrongType(path: opPath, expected: "an object of condition keys", found: op.value.kindName)
            }
            var name = op.key
            var qualifier = ConditionClause.SetQualifier.none
            if name.hasPrefix("ForAnyValue:") { qualifier = .forAnyValue; name.removeFirst("ForAnyValue:".count) }
            else if name.hasPrefix("ForAllValues:") { qualifier = .forAllValues; name.removeFirst("ForAllValues:".count) }
            var ifExists = false
            if name.hasSuffix("IfExists") { ifExists = true; name.removeLast("IfExists".count) }
            guard !name.isEmpty else {
                throw .invalidValue(path: opPath, message: "not a condition operator")
            }
            for key in JSONValue.lastWins(keys) {
                let keyPath = "\(opPath).\(key.key)"
                let values: [String]
                switch key.value {
                case let .bool(b): values = [b ? "true" : "false"]
                case let .array(items):
                    var out: [String] = []
                    for (i, item) in items.enumerated() {
                        switch item {
                        case let .string(s): out.append(s)
                        case let .number(n): out.append(n)
                        case let .bool(b): out.append(b ? "true" : "false")
                        default: throw .wrongType(path: "\(keyPath)[\(i)]", expected: "a string, number or boolean", found: item.kindName)
                        }
                    }
                    values = out
                case .string, .number: values = try strings(key.value, path: keyPath)
                default:
                    throw .wrongType(path: keyPath, expected: "a string, number, boolean or an array of them", found: key.value.kindName)
                }
                clauses.append(ConditionClause(rawOperator: op.key, baseOperator: name, qualifier: qualifier,
                                               ifExists: ifExists, rawKey: key.key, key: key.key.lowercased(), values: values))
            }
        }
        return clauses
    }
}
