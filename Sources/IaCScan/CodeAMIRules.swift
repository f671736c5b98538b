/// Finds AMI look-ups in program code: boto3 and other AWS SDKs, Pulumi, AWS CDK and CDK for Terraform.
///
/// Calls are matched on tokens (never on raw text) and their arguments read as `key = value` /
/// `key: value` pairs inside balanced brackets, which covers Python keyword arguments and dicts,
/// TypeScript object literals, Go composite literals and C# object initialisers alike.
public enum CodeAMIRules {
    /// Cheap pre-check: files without any of these words cannot hold a look-up.
    static let keywords = ["describe_images", "describeImages", "DescribeImages", "images.filter", "getAmi", "get_ami",
                           "LookupAmi", "GetAmi", "MachineImage", "LookupMachineImage", "DataAwsAmi", "data_aws_ami"]

    private enum Family { case sdk, pulumi, cdk, cdktf }

    private struct Site {
        var family: Family
        var resource: String
        var nameToken: Int
        var open: Int
    }

    public static func lookups(in text: String, file: String, language: CodeLanguage) -> [AMILookup] {
        guard keywords.contains(where: text.contains) else { return [] }
        let tokens = CodeLexer.tokenize(text, language: language)
        let sortsByDate = text.contains("CreationDate") || text.contains("creation_date") || text.contains("creationDate")
        let hasPaginator = tokens.contains { $0.kind == .string && $0.text == "describe_images" }
        var found: [AMILookup] = []
        for site in sites(tokens, language: language, hasPaginator: hasPaginator) {
            guard let close = matchingClose(tokens, site.open) else { continue }
            let args = Arguments(tokens: tokens, open: site.open, close: close)
            if let lookup = evaluate(site, args: args, tokens: tokens, file: file, language: language, sortsByDate: sortsByDate) {
                found.append(lookup)
            }
        }
        return found
    }

    // MARK: call sites

    private static func sites(_ tokens: [CodeToken], language: CodeLanguage, hasPaginator: Bool) -> [Site] {
        var sites: [Site] = []
        for i in tokens.indices where tokens[i].kind == .identifier {
            let name = tokens[i].text
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            let prev = i > 0 ? tokens[i - 1] : nil
            let prev2 = i > 1 ? tokens[i - 2] : nil
            let opensCall = next?.isPunct("(") == true
            let opensBrace = next?.isPunct("{") == true
            let isDefinition = prev.map { $0.kind == .identifier && ["def", "function", "func"].contains($0.text) } ?? false
            if isDefinition { continue }
            let afterDot = prev?.isPunct(".") == true
            var site: (Family, String)?
            switch language {
            case .python:
                if opensCall && afterDot && name == "describe_images" { site = (.sdk, "describe_images(...)") }
                if opensCall && afterDot && name == "filter" && prev2?.text == "images" { site = (.sdk, "images.filter(...)") }
                if opensCall && afterDot && name == "paginate" && hasPaginator { site = (.sdk, "describe_images paginator") }
                if opensCall && (name == "get_ami" || name == "get_ami_output") { site = (.pulumi, "aws.ec2.\(name)(...)") }
                if opensCall && afterDot && name == "lookup" && prev2?.text == "MachineImage" { site = (.cdk, "MachineImage.lookup(...)") }
                if opensCall && name == "LookupMachineImage" { site = (.cdk, "LookupMachineImage(...)") }
                if opensCall && name == "DataAwsAmi" { site = (.cdktf, "DataAwsAmi(...)") }
            case .typeScript:
                if opensCall && afterDot && name == "describeImages" { site = (.sdk, "describeImages(...)") }
                if opensCall && (name == "DescribeImagesCommand" || name == "paginateDescribeImages") { site = (.sdk, "\(name)(...)") }
                if opensCall && (name == "getAmi" || name == "getAmiOutput") { site = (.pulumi, "aws.ec2.\(name)(...)") }
                if opensCall && afterDot && name == "lookup" && prev2?.text == "MachineImage" { site = (.cdk, "MachineImage.lookup(...)") }
                if opensCall && name == "LookupMachineImage" { site = (.cdk, "new LookupMachineImage(...)") }
                if opensCall && name == "DataAwsAmi" { site = (.cdktf, "new DataAwsAmi(...)") }
            case .go:
                if opensBrace && name == "DescribeImagesInput" { site = (.sdk, "ec2.DescribeImagesInput{...}") }
                if opensBrace && name == "LookupAmiArgs" { site = (.pulumi, "ec2.LookupAmi(...)") }
                if opensBrace && name == "LookupMachineImageProps" { site = (.cdk, "MachineImage_Lookup(...)") }
            case .csharp:
                if opensBrace && name == "DescribeImagesRequest" { site = (.sdk, "new DescribeImagesRequest {...}") }
                if opensBrace && (name == "GetAmiArgs" || name == "GetAmiInvokeArgs") { site = (.pulumi, "GetAmi.Invoke(...)") }
                if opensBrace && name == "LookupMachineImageProps" { site = (.cdk, "MachineImage.Lookup(...)") }
            }
            if let (family, resource) = site {
                sites.append(Site(family: family, resource: resource, nameToken: i, open: i + 1))
            }
        }
        return sites
    }

    static func matchingClose(_ tokens: [CodeToken], _ open: Int) -> Int? {
        var depth = 0
        var i = open
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .punct {
                if t.text == "(" || t.text == "[" || t.text == "{" { depth += 1 }
                if t.text == ")" || t.text == "]" || t.text == "}" {
                    depth -= 1
                    if depth == 0 { return i }
                }
            }
            i += 1
        }
        return nil
    }

    // MARK: evaluation

    private static func evaluate(_ site: Site, args: Arguments, tokens: [CodeToken], file: String,
                                 language: CodeLanguage, sortsByDate: Bool) -> AMILookup? {
        let rule: IaCRule
        let style: FixStyle
        switch site.family {
        case .sdk: rule = .sdk
        case .pulumi: rule = .pulumi
        case .cdk: rule = .cdk
        case .cdktf: rule = .cdk
        }
        switch (site.family, language) {
        case (.cdk, .python): style = .cdkPython
        case (.cdk, _): style = .cdkTypeScript
        case (.cdktf, _): style = .cdktf
        case (.sdk, .typeScript): style = .javaScriptSDK
        case (_, .python): style = .python
        case (_, .typeScript): style = .typeScript
        case (_, .go): style = .go
        case (_, .csharp): style = .csharp
        }
        var lookup = AMILookup(rule: rule, file: file, location: tokens[site.nameToken].location,
                               resource: site.resource, fixStyle: style)
        var all = args
        // `Filters=filters` names a variable: read the list it was last assigned before the call.
        for key in ["filters", "filter"] {
            if let value = args.value(of: key), value.count == 1, tokens[value.lowerBound].kind == .identifier,
               let assigned = assignment(of: tokens[value.lowerBound].text, before: site.nameToken, in: tokens) {
                all.merge(assigned)
            }
        }

        if let owners = all.value(of: "owners") {
            lookup.owners = all.isEmptyValue(owners) ? .empty(all.text(owners)) : .pinned
        } else if all.hasSpread {
            lookup.owners = .unresolved("arguments passed through **kwargs / ...spread")
        }
        if let ids = all.value(of: "imageids"), !all.isEmptyValue(ids) { lookup.pinnedBy = "ImageIds" }
        for key in ["owner-id", "owner-alias", "image-id"] where all.value(of: key) != nil { lookup.pinnedBy = key }

        // Filter objects: {Name: "name", Values: [...]}.
        for entry in all.entries where entry.key == "name" {
            if site.family == .cdk {
                let name = all.firstString(in: entry.value)
                if let name { lookup.namePatterns.append(name) } else { lookup.nameFilterOpaque = true }
                continue
            }
            guard let filterName = all.firstString(in: entry.value) else { continue }
            switch filterName {
            case "owner-id", "owner-alias", "image-id": lookup.pinnedBy = "filter \(filterName)"
            case "name":
                let values = all.entries.first { $0.key == "values" && $0.object == entry.object }
                let strings = values.map { all.strings(in: $0.value) } ?? []
                if strings.isEmpty { lookup.nameFilterOpaque = true } else { lookup.namePatterns += strings }
            default: break
            }
        }
        if let filters = all.value(of: "filters"), all.strings(in: filters).isEmpty, !lookup.selectsByName {
            // A filter list Mamori cannot read (built elsewhere): it may well select by name.
            lookup.nameFilterOpaque = true
        }
        if let regex = all.value(of: "nameregex") {
            lookup.nameRegex = all.firstString(in: regex) ?? "(computed)"
        }
        if let mostRecent = all.value(of: "mostrecent") {
            let words = Set(mostRecent.map { tokens[$0].text })
            if words.contains("false") || words.contains("False") {
                lookup.picksNewest = nil
            } else if words.contains("true") || words.contains("True") {
                lookup.picksNewest = language == .python ? "most_recent=True" : "mostRecent: true"
            } else {
                lookup.picksNewest = "mostRecent set from an expression, assumed true"
            }
        }
        if let unsafe = all.value(of: "allowunsafefilter") {
            let words = Set(unsafe.map { tokens[$0].text })
            lookup.unsafeFilterAllowed = words.contains("true") || words.contains("True")
        }
        switch site.family {
        case .cdk:
            lookup.picksNewest = "CDK picks the newest match"
        case .sdk:
            // SDK calls return every match; only name look-ups are the whoAMI pattern.
            guard lookup.selectsByName else { return nil }
            if sortsByDate { lookup.picksNewest = "results sorted by CreationDate in this file" }
        case .pulumi, .cdktf:
            // A helper that merely shares the name (`getAmi("web")`) has none of the look-up's arguments.
            let known: Set<String> = ["owners", "mostrecent", "filters", "filter", "nameregex", "executableusers", "includedeprecated"]
            guard all.entries.contains(where: { known.contains($0.key) }) || all.hasSpread else { return nil }
        }
        return lookup
    }

    /// The bracketed value of the last `name = [...]` / `name := ...{...}` / `const name = [...]` before `index`.
    private static func assignment(of name: String, before index: Int, in tokens: [CodeToken]) -> Arguments? {
        var i = index - 1
        while i >= 0 {
            if tokens[i].kind == .identifier, tokens[i].text == name, i + 2 < tokens.count,
               tokens[i + 1].isPunct("=") || tokens[i + 1].isPunct(":=") {
                var open = i + 2
                // Skip a type prefix such as `[]types.Filter` or `&ec2.X` up to the first bracket that holds values.
                while open < index {
                    let t = tokens[open]
                    if t.isPunct("[") && open + 1 < index && tokens[open + 1].isPunct("]") { open += 2; continue }
                    if t.isPunct("[") || t.isPunct("{") || t.isPunct("(") { break }
                    open += 1
                }
                if open < index, let close = matchingClose(tokens, open) {
                    return Arguments(tokens: tokens, open: open, close: close)
                }
                return nil
            }
            i -= 1
        }
        return nil
    }
}
