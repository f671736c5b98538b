import MamoriCore
import Yams

/// CloudFormation templates (JSON or YAML) whose `ImageId` is not an AMI id CloudFormation checks:
/// a parameter of Type `String` (any value a caller or a pipeline passes, unchecked, often a name a
/// macro turns into "the newest image called …"), or a custom resource's look-up. The safe patterns
/// are a parameter of Type `AWS::EC2::Image::Id` or `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`,
/// and `{{resolve:ssm:…}}`; a literal AMI id and `Fn::FindInMap` are pinned.
///
/// Both syntaxes go through Yams' composer (JSON is YAML), which keeps line and column and leaves
/// CloudFormation's short-form tags (`!Ref`, `!Sub`, `!GetAtt`, `!If`…) on the node instead of
/// failing on them; the composer never constructs values, so an unknown tag cannot crash the load.
public enum CloudFormationAMIRules {
    /// Cheap pre-check on the bytes: a template that can hold the pattern names both.
    static let keywords = ["ImageId", "Resources"]

    /// Parameter types whose value CloudFormation checks or reads from SSM.
    static let safeTypes: Set<String> = ["AWS::EC2::Image::Id", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"]

    /// Findings of a template, `nil` when the text is not a CloudFormation template (no top-level
    /// `Resources` mapping, or not YAML/JSON at all: other rules may still apply to the file).
    public static func findings(in text: String, file: String) -> [IaCFinding]? {
        guard text.contains("ImageId"), text.contains("Resources") else { return nil }
        do throws(YAMLLimits.TooDeep) { try YAMLLimits.check(text) } catch { return nil }
        guard let root = try? Yams.compose(yaml: text), let top = root.mapping,
              let resources = top["Resources"]?.mapping else { return nil }
        var parameters: [String: (type: String, defaultValue: String?)] = [:]
        if let declared = top["Parameters"]?.mapping {
            for (key, value) in declared {
                guard let name = key.string, let fields = value.mapping else { continue }
                parameters[name] = (type: fields["Type"]?.string ?? "String", defaultValue: fields["Default"]?.string)
            }
        }
        var customResources: Set<String> = []
        for (key, value) in resources {
            guard let name = key.string, let type = value.mapping?["Type"]?.string else { continue }
            if type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource" { customResources.insert(name) }
        }
        // A template-level Transform (macro) can rewrite any value before CloudFormation sees it.
        let macro = top["Transform"].map { node in node.string ?? (node.sequence?.compactMap(\.string).joined(separator: ", ")) ?? "a macro" }
        var found: [IaCFinding] = []
        for (key, value) in resources {
            guard let name = key.string, let properties = value.mapping?["Properties"] else { continue }
            let type = value.mapping?["Type"]?.string ?? "resource"
            for (path, node) in imageIds(properties, path: "Resources.\(name).Properties") {
                if let finding = judge(node, path: path, resourceType: type, parameters: parameters, customResources: customResources,
                                       macro: macro, file: file) {
                    found.append(finding)
                }
            }
        }
        return found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Every `ImageId` (and Image Builder's `ParentImage`) under a resource's properties, with its path.
    static func imageIds(_ node: Node, path: String) -> [(String, Node)] {
        var found: [(String, Node)] = []
        if let mapping = node.mapping {
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if name == "ImageId" || name == "ParentImage" { found.append(("\(path).\(name)", value)) } else { found += imageIds(value, path: "\(path).\(name)") }
            }
        } else if let sequence = node.sequence {
            for (index, item) in sequence.enumerated() { found += imageIds(item, path: "\(path)[\(index)]") }
        }
        return found
    }

    /// The parameter a value refers to: `!Ref P`, `{"Ref": "P"}`; nil otherwise.
    static func reference(_ node: Node) -> String? {
        if node.tag.description == "!Ref" { return node.string }
        if let mapping = node.mapping, mapping.count == 1, let ref = mapping["Ref"]?.string { return ref }
        return nil
    }

    /// The resource a `!GetAtt R.Attr` / `{"Fn::GetAtt": ["R", "Attr"]}` reads; nil otherwise.
    static func attributeSource(_ node: Node) -> String? {
        if node.tag.description == "!GetAtt" {
            if let text = node.string { return text.split(separator: ".").first.map(String.init) }
            return node.sequence?.first?.string
        }
        guard let mapping = node.mapping, mapping.count == 1, let value = mapping["Fn::GetAtt"] else { return nil }
        if let text = value.string { return text.split(separator: ".").first.map(String.init) }
        return value.sequence?.first?.string
    }

    static func judge(_ node: Node, path: String, resourceType: String, parameters: [String: (type: String, defaultValue: String?)],
                      customResources: Set<String>, macro: String?, file: String) -> IaCFinding? {
        let location = SourceLocation(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        if let name = reference(node), let parameter = parameters[name] {
            guard !safeTypes.contains(parameter.type), parameter.type.hasPrefix("AWS::SSM::Parameter::Value<") == false else { return nil }
            guard parameter.type == "String" else { return nil }
            let value = parameter.defaultValue
            let isAMI = value.map(isImageId) ?? false
            var severity: Severity = .medium
            var why = "ImageId comes from parameter \(name) of Type String, which CloudFormation does not check: whoever deploys "
                + "(a pipeline, a nested stack, a console user) can pass any image"
            if let value, !isAMI {
                // A default that is not an AMI id is a name or pattern something resolves at deploy time.
                severity = .high
                why += "; its default \"\(value)\" is not an AMI id, so a macro, custom resource or script resolves it, typically to the newest image with that name from any account (whoAMI)"
            } else if let macro {
                severity = .high
                why += "; the template runs the macro \(macro), which can rewrite the value (a name look-up) before EC2 sees it"
            } else if isAMI {
                why += " (default \(value ?? ""))"
            }
            return IaCFinding(rule: .cloudFormation, severity: severity, file: file, location: location, resource: "\(path) (\(resourceType))",
                              message: why + ".", fix: fix(parameter: name))
        }
        if let source = attributeSource(node), customResources.contains(source) {
            return IaCFinding(rule: .cloudFormation, severity: .high, file: file, location: location, resource: "\(path) (\(resourceType))",
                              message: "ImageId comes from custom resource \(source), a look-up Mamori cannot see: if it searches by name without "
                                  + "pinned owners, the stack launches the newest matching public AMI from any account (whoAMI).",
                              fix: "Make the look-up pin its owners, or drop it: " + fix(parameter: nil))
        }
        return nil
    }

    static func isImageId(_ value: String) -> Bool {
        value.hasPrefix("ami-") && value.count >= 12 && value.dropFirst(4).allSatisfy(\.isHexDigit)
    }

    static func fix(parameter: String?) -> String {
        let declare = parameter.map { "declare \($0) as Type: AWS::EC2::Image::Id (CloudFormation checks it is an AMI the account can use) or as " }
            ?? "use a parameter of Type "
        return declare + "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> with Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 "
            + "(AWS's public parameters), or write ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'."
    }
}
