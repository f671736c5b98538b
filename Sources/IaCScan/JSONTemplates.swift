/// Reads JSON configuration through the HCL expression parser (a JSON document is an HCL object
/// constructor), keeping line and column for every key.
public enum JSONTemplates {
    /// Label counts of the Terraform / Packer JSON block types that matter here.
    private static let labelCounts: [String: Int] = ["data": 2, "resource": 2, "source": 2, "variable": 1, "check": 1]

    /// Converts a Terraform JSON (`.tf.json`) or Packer HCL-JSON (`.pkr.json`) document into the
    /// block structure native syntax would give.
    public static func hclBody(fromJSON root: HCLExpression) -> HCLBody {
        var body = HCLBody()
        guard let items = root.objectItems else { return body }
        for item in items {
            guard let type = item.keyName else { continue }
            if let labels = labelCounts[type] {
                for object in objects(item.value) {
                    body.blocks += blocks(type: type, labelsLeft: labels, labels: [], value: object, at: item.key.location)
                }
            } else {
                body.attributes.append(HCLAttribute(name: type, location: item.key.location, value: item.value))
            }
        }
        return body
    }

    /// JSON allows a block type's value to be one object or a list of objects.
    private static func objects(_ expr: HCLExpression) -> [HCLExpression] {
        if let elements = expr.elements { return elements.filter { $0.objectItems != nil } }
        return expr.objectItems != nil ? [expr] : []
    }

    private static func blocks(type: String, labelsLeft: Int, labels: [String], value: HCLExpression,
                               at location: SourceLocation) -> [HCLBlock] {
        guard let items = value.objectItems else { return [] }
        if labelsLeft == 0 {
            return [HCLBlock(type: type, labels: labels, location: location, body: nestedBody(items))]
        }
        var result: [HCLBlock] = []
        for item in items {
            guard let label = item.keyName else { continue }
            for object in objects(item.value) {
                result += blocks(type: type, labelsLeft: labelsLeft - 1, labels: labels + [label], value: object, at: item.key.location)
            }
        }
        return result
    }

    /// A block body; `dynamic` blocks keep their label so the rules can see them.
    private static func nestedBody(_ items: [HCLObjectItem]) -> HCLBody {
        var body = HCLBody(objectItems: items)
        for item in items where item.keyName == "dynamic" {
            for object in objects(item.value) {
                for entry in object.objectItems ?? [] {
                    guard let label = entry.keyName else { continue }
                    body.blocks.append(HCLBlock(type: "dynamic", labels: [label], location: entry.key.location, body: HCLBody()))
                }
            }
        }
        return body
    }

    /// Look-ups in a legacy Packer JSON template: `"builders": [{"type": "amazon-ebs", "source_ami_filter": {...}}]`.
    public static func packerLegacyLookups(root: HCLExpression, file: String, variables: ModuleVariables) -> [AMILookup] {
        guard let items = root.objectItems,
              let builders = items.first(where: { $0.keyName == "builders" })?.value.elements else { return [] }
        var found: [AMILookup] = []
        for (index, builder) in builders.enumerated() {
            guard let fields = builder.objectItems else { continue }
            let body = HCLBody(objectItems: fields)
            let type = body.attribute("type")?.value.literalString ?? ""
            guard type.hasPrefix("amazon-"), let filter = body.attribute("source_ami_filter") else { continue }
            let name = body.attribute("name")?.value.literalString ?? "builders[\(index)]"
            var lookup = AMILookup(rule: .packer, file: file, location: filter.location,
                                   resource: "\(type) builder \(name) source_ami_filter", fixStyle: .packerJSON)
            if let filterItems = filter.value.objectItems {
                HCLAMIRules.applyPackerFilter(HCLBody(objectItems: filterItems), to: &lookup, variables: variables)
            } else {
                lookup.nameFilterOpaque = true
            }
            found.append(lookup)
        }
        return found
    }
}
