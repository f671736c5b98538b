import Checks
import Collectors

extension CollectionParts {
    /// Skips the account-wide collectors no selected check reads.
    public init(_ selection: CheckSelection) {
        // account.security_guardrails reads the IAM users' MFA too.
        self.init(iam: selection.needs(service: "iam") || selection.checks.contains("account.security_guardrails"), s3: selection.needs(service: "s3"),
                  guardrails: selection.needs(service: "account"), cloudKeys: selection.needs(service: "secrets"),
                  amiReferences: AMIReferenceParts(parameters: selection.checks.contains(Catalog.parameterAMI.id),
                                                   fleets: selection.checks.contains(Catalog.fleetAMI.id),
                                                   recipes: selection.checks.contains(Catalog.recipeAMI.id),
                                                   sharedImageReferences: selection.checks.contains(Catalog.sharedAMI.id)))
    }
}
