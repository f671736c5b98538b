import MamoriCore

/// Whether an AMI look-up restricts the accounts whose images it may return.
public enum OwnerPinning: Sendable, Equatable {
    /// Owners are given (literal list, or an expression the author wrote on purpose).
    case pinned
    /// No owners argument at all.
    case absent
    /// An owners argument that is empty (`[]`, `null`, `None`); the description says how it was written.
    case empty(String)
    /// Owners come from a value Mamori cannot see (`var.x` with no default).
    case unresolved(String)
}

/// The syntax of the snippet a fix should show.
public enum FixStyle: Sendable {
    case terraform, packerHCL, packerJSON, shell, ansible, python, typeScript, javaScriptSDK, go, csharp, cdkTypeScript, cdkPython, cdktf
}

/// One AMI look-up as every front end (HCL, JSON, shell, Python, TypeScript, Go, C#) reduces it,
/// so a single evaluation decides the finding and its severity.
public struct AMILookup: Sendable {
    public var rule: IaCRule
    public var file: String
    public var location: SourceLocation
    /// What the user will recognise: `data.aws_ami.ubuntu`, `aws ec2 describe-images`, `ec2.describe_images(...)`.
    public var resource: String
    public var owners: OwnerPinning = .absent
    /// The owner-id / owner-alias / image-id filter (or `--image-ids` / `ImageIds`) that pins the look-up.
    public var pinnedBy: String?
    /// Literal values of the `name` filter (templates kept as written).
    public var namePatterns: [String] = []
    /// A name filter whose values Mamori cannot read (a variable, a dynamic block).
    public var nameFilterOpaque = false
    public var nameRegex: String?
    /// Why the newest matching image wins, e.g. `most_recent = true`; nil when it is not chosen by date.
    public var picksNewest: String?
    /// Terraform's `allow_unsafe_filter = true`, which turns off the AWS provider's own guard.
    public var unsafeFilterAllowed = false
    public var fixStyle: FixStyle

    public init(rule: IaCRule, file: String, location: SourceLocation, resource: String, fixStyle: FixStyle) {
        self.rule = rule
        self.file = file
        self.location = location
        self.resource = resource
        self.fixStyle = fixStyle
    }

    public var selectsByName: Bool { !namePatterns.isEmpty || nameFilterOpaque || nameRegex != nil }

    /// The finding this look-up deserves, or nil when its owners are pinned.
    ///
    /// Severity: high when the newest match wins (an attacker only has to publish later), medium
    /// when it selects by name alone (a same-name public image is returned too, and is the only
    /// match in regions where the real one is missing), low when nothing selects by name or date,
    /// or when the owners come from a variable Mamori cannot resolve.
    public func finding() -> IaCFinding? {
        if pinnedBy != nil || owners == .pinned { return unsafeFilterFinding() }
        var severity: Severity
        let ownerText: String
        switch owners {
        case .pinned: return unsafeFilterFinding()
        case .absent: ownerText = "without owners or an owner-id, owner-alias or image-id filter"
        case .empty(let how): ownerText = "with an empty owners list (\(how)) and no owner-id, owner-alias or image-id filter"
        case .unresolved(let expr):
            ownerText = "with owners from \(expr), which has no value Mamori can read (check that every caller passes a non-empty list)"
        }
        let selection: String
        if let newest = picksNewest {
            severity = .high
            selection = "picks the newest matching AMI (\(newest))"
        } else if selectsByName {
            severity = .medium
            selection = "selects an AMI by name"
        } else {
            severity = .low
            selection = "looks up AMIs"
        }
        if case .unresolved = owners { severity = .low }

        var message = "\(resource) \(selection) \(ownerText)"
        if !namePatterns.isEmpty {
            let shown = namePatterns.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
            message += "; name filter \(shown)"
            if namePatterns.contains(where: { $0.contains("*") || $0.contains("?") }) { message += " (wildcard)" }
        } else if nameFilterOpaque {
            message += "; its filters come from values Mamori cannot read"
        }
        if let nameRegex { message += "; name_regex \"\(nameRegex)\"" }
        let matching = selectsByName ? "with a matching name" : "matching these filters"
        message += ". Any AWS account can publish a public AMI \(matching), and this look-up may return it (whoAMI)."
        if unsafeFilterAllowed {
            message += " \(unsafeFilterSpelling) also silences the provider's own error for this case."
        }
        return IaCFinding(rule: rule, severity: severity, file: file, location: location,
                          resource: resource, message: message, fix: fixText())
    }

    private var unsafeFilterSpelling: String { fixStyle == .terraform || fixStyle == .cdktf ? "allow_unsafe_filter = true" : "allowUnsafeFilter" }

    /// A pinned look-up that still turns the provider's guard off: low, the guard is what catches a
    /// later edit that drops the owners.
    private func unsafeFilterFinding() -> IaCFinding? {
        guard unsafeFilterAllowed else { return nil }
        return IaCFinding(rule: .unsafeFilter, severity: .low, file: file, location: location, resource: resource,
                          message: "\(resource) sets \(unsafeFilterSpelling): its owners are pinned today, but the provider's own whoAMI error is off, "
                              + "so a later edit that drops them is not caught.",
                          fix: "Remove \(unsafeFilterSpelling); keep owners pinned.")
    }

    // MARK: fixes

    /// The publisher to suggest for well-known image names; other names get a placeholder.
    private var suggestedOwner: (id: String, comment: String) {
        let text = (namePatterns + [nameRegex ?? ""]).joined(separator: " ").lowercased()
        if text.contains("ubuntu") { return ("099720109477", "Canonical") }
        let amazonNames = ["amzn", "al2023", "al2022", "amazon-linux", "amazon-eks", "windows_server", "bottlerocket", "aws-elasticbeanstalk"]
        if amazonNames.contains(where: text.contains) { return ("amazon", "images published by AWS") }
        return ("<publisher-account-id>", "the account that publishes the image, or \"self\"")
    }

    private static let ssmHint = "For Amazon Linux, Ubuntu, Windows and other public images, reading the AMI ID from the publisher's SSM public parameter (e.g. /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64) avoids name look-ups altogether."

    func fixText() -> String {
        let (owner, who) = suggestedOwner
        let snippet: String
        switch fixStyle {
        case .terraform: snippet = "owners = [\"\(owner)\"]  # \(who)"
        case .packerHCL: snippet = "owners = [\"\(owner)\"]  # \(who), in the source_ami_filter or amazon-ami block"
        case .packerJSON: snippet = "\"owners\": [\"\(owner)\"]  (\(who)), inside source_ami_filter"
        case .ansible: snippet = "owners: [\"\(owner)\"]  # \(who), in the ec2_ami_info task"
        case .shell: snippet = "aws ec2 describe-images --owners \(owner) ...  # \(who)"
        case .python: snippet = "Owners=[\"\(owner)\"]  # \(who)"
        case .typeScript: snippet = "owners: [\"\(owner)\"]  // \(who)"
        case .javaScriptSDK: snippet = "Owners: [\"\(owner)\"]  // \(who)"
        case .go: snippet = "Owners: []string{\"\(owner)\"}  // \(who)"
        case .csharp: snippet = "Owners = { \"\(owner)\" }  // \(who)"
        case .cdkTypeScript: snippet = "MachineImage.lookup({ name: ..., owners: [\"\(owner)\"] })  // \(who)"
        case .cdkPython: snippet = "MachineImage.lookup(name=..., owners=[\"\(owner)\"])  # \(who)"
        case .cdktf: snippet = "owners: [\"\(owner)\"]  // \(who)"
        }
        var fix = "Pin the owner: \(snippet)."
        if fixStyle == .terraform || fixStyle == .cdktf {
            fix += " A filter { name = \"owner-id\" } or \"owner-alias\" also pins it; do not set allow_unsafe_filter."
        }
        if fixStyle == .cdkTypeScript || fixStyle == .cdkPython {
            fix += " MachineImage.latestAmazonLinux2023() and MachineImage.fromSsmParameter(...) read SSM public parameters instead of searching by name."
        } else {
            fix += " \(Self.ssmHint)"
        }
        return fix
    }
}

/// AMI owner aliases and IDs accepted as pinning. Anything non-empty that is not a wildcard counts:
/// an account ID of a vendor is exactly the pin the rule asks for.
enum OwnerValues {
    static func pins(_ values: [String]) -> Bool {
        values.contains { v in
            let t = v.trimmingSpaces
            return !t.isEmpty && t != "*"
        }
    }
}
