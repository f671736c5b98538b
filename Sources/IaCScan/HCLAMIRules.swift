/// Input variables of one Terraform / Packer directory: `variable` defaults, overridden by values from
/// `terraform.tfvars` / `*.auto.tfvars`. A nil value means "declared without a default".
public struct ModuleVariables: Sendable {
    public var values: [String: HCLExpression?] = [:]

    public init() {}

    /// Adds the `variable "name" { default = ... }` blocks of a parsed file.
    public mutating func addDeclarations(from body: HCLBody) {
        for block in body.blocks where block.type == "variable" {
            guard let name = block.labels.first else { continue }
            let value = block.body.attribute("default")?.value
            if values[name] == nil || value != nil { values[name] = .some(value) }
        }
    }

    /// Adds `name = value` assignments from a tfvars file; they win over defaults.
    public mutating func addAssignments(from body: HCLBody) {
        for attribute in body.attributes { values[attribute.name] = .some(attribute.value) }
    }
}

/// Finds AMI look-ups in a parsed HCL (or HCL-shaped JSON) body: Terraform `data "aws_ami"` and
/// `data "aws_ami_ids"`, Packer `source "amazon-*" { source_ami_filter {...} }` and `data "amazon-ami"`.
public enum HCLAMIRules {
    public static func lookups(in body: HCLBody, file: String, variables: ModuleVariables) -> [AMILookup] {
        var found: [AMILookup] = []
        collect(body, file: file, variables: variables, into: &found)
        return found
    }

    private static func collect(_ body: HCLBody, file: String, variables: ModuleVariables, into found: inout [AMILookup]) {
        for block in body.blocks {
            let kind = block.labels.first ?? ""
            let name = block.labels.count > 1 ? block.labels[1] : "(unnamed)"
            if block.type == "data" && (kind == "aws_ami" || kind == "aws_ami_ids") {
                found.append(terraformLookup(block, kind: kind, name: name, file: file, variables: variables))
            } else if block.type == "data" && kind == "amazon-ami" {
                var lookup = AMILookup(rule: .packer, file: file, location: block.location,
                                       resource: "data.amazon-ami.\(name)", fixStyle: .packerHCL)
                applyPackerFilter(block.body, to: &lookup, variables: variables)
                found.append(lookup)
            } else if block.type == "source" && kind.hasPrefix("amazon-") {
                for filter in block.body.blocks("source_ami_filter") {
                    var lookup = AMILookup(rule: .packer, file: file, location: filter.location,
                                           resource: "source.\(kind).\(name) source_ami_filter", fixStyle: .packerHCL)
                    applyPackerFilter(filter.body, to: &lookup, variables: variables)
                    found.append(lookup)
                }
                continue
            }
            collect(block.body, file: file, variables: variables, into: &found)
        }
    }

    // MARK: Terraform

    private static func terraformLookup(_ block: HCLBlock, kind: String, name: String, file: String,
                                        variables: ModuleVariables) -> AMILookup {
        let body = block.body
        var lookup = AMILookup(rule: .terraform, file: file, location: block.location,
                               resource: "data.\(kind).\(name)", fixStyle: .terraform)
        lookup.owners = ownerPinning(body.attribute("owners")?.value, variables: variables)
        for filter in body.blocks("filter") {
            applyFilter(name: filter.body.attribute("name")?.value, values: filter.body.attribute("values")?.value, to: &lookup)
        }
        for dynamic in body.blocks("dynamic") where dynamic.labels.first == "filter" {
            // The filters come from for_each at plan time: they may or may not pin an owner.
            lookup.nameFilterOpaque = true
        }
        if let regex = body.attribute("name_regex")?.value {
            lookup.nameRegex = regex.anyString ?? "(computed)"
        }
        if let mostRecent = body.attribute("most_recent")?.value {
            switch mostRecent.boolValue {
            case .some(true): lookup.picksNewest = "most_recent = true"
            case .some(false): break
            case .none: lookup.picksNewest = "most_recent set from an expression, assumed true"
            }
        }
        lookup.unsafeFilterAllowed = body.attribute("allow_unsafe_filter")?.value.boolValue == true
        return lookup
    }

    /// Reads a `filter { name = ..., values = [...] }` (Terraform) into the look-up.
    private static func applyFilter(name: HCLExpression?, values: HCLExpression?, to lookup: inout AMILookup) {
        guard let filterName = name?.literalString else {
            lookup.nameFilterOpaque = true
            return
        }
        switch filterName {
        case "owner-id", "owner-alias", "image-id":
            if let values, isEmptyList(values) { return }
            lookup.pinnedBy = "filter \(filterName)"
        case "name":
            let strings = values?.elements?.compactMap(\.anyString) ?? []
            if strings.isEmpty { lookup.nameFilterOpaque = true } else { lookup.namePatterns += strings }
        default:
            break
        }
    }

    private static func isEmptyList(_ expr: HCLExpression) -> Bool {
        if case .null = expr.value { return true }
        if let items = expr.elements { return items.isEmpty }
        return false
    }

    /// Decides whether an `owners` expression pins the look-up, resolving `var.x` in the same directory.
    static func ownerPinning(_ expr: HCLExpression?, variables: ModuleVariables, via: String? = nil) -> OwnerPinning {
        guard let expr else { return .absent }
        let origin = via.map { "\($0) = " } ?? "owners = "
        switch expr.value {
        case .null:
            return .empty(origin + "null")
        case .tuple(let items):
            if items.isEmpty { return .empty(origin + "[]") }
            let literals = items.compactMap(\.literalString)
            if literals.count == items.count && !OwnerValues.pins(literals) {
                return .empty(origin + "[" + literals.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
            }
            return .pinned
        case .string(let s):
            // Packer JSON allows a single string; "{{user `x`}}" templates are pins the author wrote.
            return OwnerValues.pins([s.text]) ? .pinned : .empty(origin + "\"\(s.text)\"")
        case .reference(let ref) where ref.hasPrefix("var.") && via == nil:
            let name = String(ref.dropFirst(4))
            guard let declared = variables.values[name] else { return .unresolved(ref) }
            guard let value = declared else { return .unresolved(ref) }
            let resolved = ownerPinning(value, variables: variables, via: ref)
            if resolved == .absent { return .unresolved(ref) }
            return resolved
        default:
            return .pinned
        }
    }

    // MARK: Packer

    /// Reads a Packer `source_ami_filter` (or `data "amazon-ami"`) body: `filters` map, `owners`, `most_recent`.
    static func applyPackerFilter(_ body: HCLBody, to lookup: inout AMILookup, variables: ModuleVariables) {
        lookup.owners = ownerPinning(body.attribute("owners")?.value, variables: variables)
        if let filters = body.attribute("filters")?.value {
            if let items = filters.objectItems {
                for item in items {
                    guard let key = item.keyName else { continue }
                    switch key {
                    case "owner-id", "owner-alias", "image-id": lookup.pinnedBy = "filters \(key)"
                    case "name":
                        if let s = item.value.anyString { lookup.namePatterns.append(s) } else { lookup.nameFilterOpaque = true }
                    default: break
                    }
                }
            } else {
                lookup.nameFilterOpaque = true
            }
        }
        if let mostRecent = body.attribute("most_recent")?.value {
            switch mostRecent.boolValue {
            case .some(true): lookup.picksNewest = "most_recent = true"
            case .some(false): break
            case .none: lookup.picksNewest = "most_recent set from an expression, assumed true"
            }
        }
    }
}
