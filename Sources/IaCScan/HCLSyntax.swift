/// An HCL expression, reduced to what the AMI rules read. Operators, conditionals and `for`
/// expressions are parsed (so the file structure stays right) but kept only as `.other`.
public indirect enum HCLValue: Sendable {
    case string(HCLString)
    case number(String)
    case bool(Bool)
    case null
    case tuple([HCLExpression])
    case object([HCLObjectItem])
    /// A variable or attribute reference such as `var.ami_owners` or `data.aws_caller_identity.me.account_id`.
    case reference(String)
    case call(name: String, arguments: [HCLExpression])
    case other(String)
}

/// An expression with the place it starts.
public struct HCLExpression: Sendable {
    public var value: HCLValue
    public var location: SourceLocation

    public init(_ value: HCLValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The string when the expression is a string without templates.
    public var literalString: String? {
        if case .string(let s) = value, !s.hasTemplate { return s.text }
        return nil
    }

    /// The string, templates included as written (`${var.x}`), for messages and wildcard checks.
    public var anyString: String? {
        if case .string(let s) = value { return s.text }
        return nil
    }

    /// The boolean value, accepting the `"true"` strings Terraform also converts.
    public var boolValue: Bool? {
        switch value {
        case .bool(let b): return b
        case .string(let s) where !s.hasTemplate && (s.text == "true" || s.text == "false"): return s.text == "true"
        default: return nil
        }
    }

    /// Elements when the expression is a tuple literal.
    public var elements: [HCLExpression]? {
        if case .tuple(let items) = value { return items }
        return nil
    }

    /// Entries when the expression is an object literal.
    public var objectItems: [HCLObjectItem]? {
        if case .object(let items) = value { return items }
        return nil
    }
}

/// One `key = value` (or `key: value`) entry of an object constructor.
public struct HCLObjectItem: Sendable {
    public var key: HCLExpression
    public var value: HCLExpression

    /// The key as text: a bare identifier, a literal string, or nil when computed.
    public var keyName: String? {
        switch key.value {
        case .reference(let name): return name
        case .string(let s) where !s.hasTemplate: return s.text
        default: return nil
        }
    }
}

/// `name = expression` inside a body.
public struct HCLAttribute: Sendable {
    public var name: String
    public var location: SourceLocation
    public var value: HCLExpression
}

/// `type "label" ... { body }`.
public struct HCLBlock: Sendable {
    public var type: String
    public var labels: [String]
    public var location: SourceLocation
    public var body: HCLBody

    public init(type: String, labels: [String], location: SourceLocation, body: HCLBody) {
        self.type = type
        self.labels = labels
        self.location = location
        self.body = body
    }
}

/// The attributes and nested blocks of a file or block, in source order.
public struct HCLBody: Sendable {
    public var attributes: [HCLAttribute] = []
    public var blocks: [HCLBlock] = []

    public init(attributes: [HCLAttribute] = [], blocks: [HCLBlock] = []) {
        self.attributes = attributes
        self.blocks = blocks
    }

    public func attribute(_ name: String) -> HCLAttribute? {
        attributes.first { $0.name == name }
    }

    /// Nested blocks of a type. Bodies converted from JSON have no way to tell a block from an
    /// object attribute, so an attribute holding an object (or a list of objects) counts too.
    public func blocks(_ type: String) -> [HCLBlock] {
        var found = blocks.filter { $0.type == type }
        if let attr = attribute(type) {
            let objects = attr.value.elements ?? [attr.value]
            for object in objects {
                guard let items = object.objectItems else { continue }
                found.append(HCLBlock(type: type, labels: [], location: object.location, body: HCLBody(objectItems: items)))
            }
        }
        return found
    }

    /// A body built from object entries, for JSON and for Packer's map-valued settings.
    public init(objectItems: [HCLObjectItem]) {
        attributes = objectItems.compactMap { item in
            item.keyName.map { HCLAttribute(name: $0, location: item.key.location, value: item.value) }
        }
    }
}
