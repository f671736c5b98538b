import AWSClient
import ArgumentParser
import Checks
import Collectors
import Foundation
import Inventory
import MamoriCore
import Remediation
import ScanEngine

/// `mamori amis plan`: recommend Allowed AMIs criteria from what is in use, print the exact JSON
/// for the API, a declarative policy and an SCP, show what each phase affects, and optionally apply.
struct AmisPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Recommend Allowed AMIs criteria and show what each rollout phase affects.",
        discussion: """
            Read-only unless --apply is given. Examples:
              mamori amis plan --region us-east-1
              mamori amis plan --inventory inventory.json --trust-account 111122223333 --format json --output plan.json
              mamori amis plan --region us-east-1 --apply audit-mode
              mamori amis plan --region us-east-1 --apply enabled --audit-days 45
            --apply enabled refuses while AMIs in use would be blocked or audit mode has been on for less than
            --audit-days (default 30); a region managed by a declarative policy is never changed here: the
            policy change to make is printed instead.
            Exit codes: 0 plan printed (or applied), 1 in-use AMIs would be blocked, 2 error.
            """)

    enum Mode: String, ExpressibleByArgument { case auditMode = "audit-mode", enabled }

    @OptionGroup var aws: AWSOptions

    @Option(help: "Plan from an inventory saved by `mamori scan --save` instead of scanning (no network).")
    var inventory: String?

    @Option(name: .customLong("trust-account"),
            help: "An account whose AMIs you trust (repeatable). Untrusted owners of AMIs in use are listed, never put into the criteria or the SCP; this is how you let one in.")
    var trustAccounts: [String] = []

    @Option(name: .customLong("allow-family"),
            help: "An untrusted owner (account ID) to allow only by the image name family in use, plus its Marketplace product codes (repeatable); its other images stay blocked.")
    var familyOwners: [String] = []

    @Option(name: .customLong("max-days-since-created"), help: "Add CreationDateCondition.MaximumDaysSinceCreated to the criteria.")
    var maxDaysSinceCreated: Int?

    @Option(name: .customLong("max-days-since-deprecated"), help: "Add DeprecationTimeCondition.MaximumDaysSinceDeprecated to the criteria.")
    var maxDaysSinceDeprecated: Int?

    @Option(help: "Set the criteria and switch the regions to this state: audit-mode or enabled.")
    var apply: Mode?

    @Flag(help: "With --apply enabled: go ahead even though AMIs in use would be blocked or audit mode has not been on long enough.")
    var force = false

    @Option(name: .customLong("audit-days"), help: "With --apply enabled: days audit mode must have been on first (from CloudTrail).")
    var auditDays = 30

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    @Flag(help: ArgumentHelp("The same as --format json (kept for existing scripts).", visibility: .hidden))
    var json = false

    @Option(help: "Write the plan to this file instead of standard output (what --apply does is still printed).")
    var output: String?

    func validate() throws {
        if apply != nil && inventory != nil { throw ValidationError("--apply needs a live account, not --inventory") }
        if auditDays < 0 { throw ValidationError("--audit-days must be 0 or more") }
        for account in trustAccounts where !AccountID.isValid(account) {
            throw ValidationError("--trust-account '\(account)' is not a 12-digit AWS account ID")
        }
        for account in familyOwners where !AccountID.isValid(account) {
            throw ValidationError("--allow-family '\(account)' is not a 12-digit AWS account ID")
        }
        // EC2's limits for both conditions (botocore: MaximumDaysSinceCreatedValue / MaximumDaysSinceDeprecatedValue, 0…2147483647).
        if let days = maxDaysSinceCreated, days < 0 { throw ValidationError("--max-days-since-created must be 0 or more") }
        if let days = maxDaysSinceDeprecated, days < 0 { throw ValidationError("--max-days-since-deprecated must be 0 or more") }
    }

    func run() async throws {
        try await Console.run {
            var account: AccountInventory
            var client: AWSClient?
            let config = FileManager.default.fileExists(atPath: "mamori.yml") ? try MamoriConfig.load(path: "mamori.yml") : MamoriConfig()
            if let inventory {
                guard let first = try InventoryFile.read(inventory).accounts.first else { throw CLIError("\(inventory) holds no account") }
                account = first
            } else {
                let live = try aws.client()
                client = live
                let scope: RegionScope = aws.allRegions ? .all : (aws.regions.isEmpty ? .enabled : .explicit(aws.regions))
                // The plan reads only the regional images: no credential report, no S3, no cost guardrails.
                account = try await AccountCollector(client: live, homeRegion: aws.homeRegion(),
                                                     parts: CollectionParts(iam: false, s3: false, guardrails: false, cloudKeys: false),
                                                     progress: Console.progress(enabled: true))
                    .collect(regions: scope)
                Console.clearProgress(enabled: true)
                await OrganizationTrustStep.resolve(&account, config: config, client: live, region: aws.homeRegion())
            }
            let trusted = Set(trustAccounts).union(config.trust)
            var plan = AMIPlanner.plan(account, trusted: trusted, options: .init(
                familyOwners: Set(familyOwners), maxDaysSinceCreated: maxDaysSinceCreated, maxDaysSinceDeprecated: maxDaysSinceDeprecated))
            if let client {
                for index in plan.regions.indices where plan.regions[index].currentState == "audit-mode" {
                    plan.regions[index].auditModeSince = await auditModeSince(client, region: plan.regions[index].region)
                }
            }
            let rendered = json || format.value == .json ? try encode(plan) : AMIPlanText.render(plan, account: account.accountId)
            try Console.writeReport(Data((rendered + "\n").utf8), to: output)
            guard let apply, let client else { return plan.blocksInUse ? 1 : 0 }
            if let refusal = plan.refusal(apply: apply.rawValue, auditDays: auditDays, force: force) { throw CLIError(refusal) }
            let journal = try Journal(name: "amis-\(apply.rawValue)")
            print("\nApplying \(apply.rawValue) to \(plan.regions.map(\.region).joined(separator: ", ")); journal: \(journal.path)")
            let change = AllowedImagesChange(client: client, journal: journal)
            for region in plan.regions {
                try await change.apply(region: region.region, criteria: plan.criteriaParameters, state: apply.rawValue, previousState: region.currentState)
                print("  \(TerminalText.sanitize(region.region)): \(TerminalText.sanitize(region.currentState)) → \(apply.rawValue)")
            }
            return 0
        }
    }

    /// When audit mode was switched on, from CloudTrail event history (last 90 days); nil when
    /// unknown (older, or LookupEvents not answered).
    func auditModeSince(_ client: AWSClient, region: String) async -> String? {
        let request: JSONValue = ["LookupAttributes": [["AttributeKey": "EventName", "AttributeValue": "EnableAllowedImagesSettings"]],
                                  "MaxResults": 50]
        guard let events = try? await client.json(.cloudtrail, region: region, operation: "LookupEvents", request)["Events"]?.array else {
            return nil
        }
        // The newest event that set audit mode.
        let times = events.filter { ($0["CloudTrailEvent"]?.string ?? "").contains("audit-mode") }.compactMap { $0["EventTime"]?.number }
        return times.max().map { ISO8601.string(Date(timeIntervalSince1970: $0)) }
    }

    func encode(_ plan: AMIRolloutPlan) throws -> String {
        String(decoding: try StableJSON.encode(plan), as: UTF8.self)
    }
}

/// The human form of the plan. Image names, owners and resource names come from AWS (public AMI
/// names from anyone): every value goes through `TerminalText`, the JSON blocks line by line (a
/// JSON string cannot hold a raw line break, so only the encoder's own lines are kept).
enum AMIPlanText {
    static func render(_ plan: AMIRolloutPlan, account: String) -> String {
        let safe = TerminalText.sanitize
        var out = "Allowed AMIs rollout plan for account \(safe(account))\n\n"
        out += "Recommended image providers: \(safe(plan.providers.joined(separator: ", ")))\n"
        if !plan.untrustedOwners.isEmpty {
            out += "\nUntrusted owners of AMIs in use — left out of the criteria (unless allowed by family) and the SCP; decide for each:\n"
            out += "  trust it (--trust-account ID, or trust: in mamori.yml) to put it into the policy, or move these resources to a trusted AMI.\n"
            for owner in plan.untrustedOwners {
                out += "  \(safe(owner.label)) (\(safe(owner.origin))):\n"
                for image in owner.images { out += "    \(safe(image.region)) \(safe(image.imageId)): \(safe(image.reason))\n" }
                if let criterion = owner.suggestedCriterion, let names = criterion.names {
                    let codes = criterion.productCodes.map { ", MarketplaceProductCodes \(safe($0.joined(separator: ", ")))" } ?? ""
                    if owner.allowedByFamily == true {
                        out += "    allowed by its family only (--allow-family): ImageNames \(safe(names.joined(separator: ", ")))\(codes); its other images stay blocked\n"
                    } else {
                        out += "    if you trust it, allow only the family in use (--allow-family \(safe(owner.ownerId))): ImageNames \(safe(names.joined(separator: ", ")))\(codes)\n"
                    }
                }
                if !owner.wouldBreak.isEmpty {
                    out += "    would break once enabled (instances keep running but cannot be replaced): \(safe(owner.wouldBreak.joined(separator: ", ")))\n"
                }
            }
        }
        let undescribable = plan.excluded.filter { image in !plan.untrustedOwners.contains { $0.images.contains(image) } }
        if !undescribable.isEmpty {
            out += "\nLeft out (in use, but the owner could not be read):\n"
            for image in undescribable { out += "  \(safe(image.region)) \(safe(image.imageId)): \(safe(image.reason))\n" }
        }
        out += "\n1. Criteria (aws ec2 replace-image-criteria-in-allowed-images-settings --cli-input-json):\n\(TerminalText.sanitizeLines(plan.criteriaJSON))\n"
        out += "\n2. Organizations declarative policy (DECLARATIVE_POLICY_EC2), audit mode first:\n\(TerminalText.sanitizeLines(plan.declarativePolicyJSON(state: "audit-mode")))\n"
        if plan.hasConditions {
            out += "   (providers only, and no criterion narrowed by names or product codes, whose providers alone would let all of that owner's images in: "
                + "add those conditions in the policy's own syntax; Mamori does not print keys it could not confirm)\n"
        }
        out += "\n3. SCP / IAM guardrail that also blocks other owners' AMIs:\n\(TerminalText.sanitizeLines(plan.scpJSON))\n"
        if plan.untrustedOwners.contains(where: { $0.allowedByFamily == true }) {
            out += "   (ec2:Owner cannot express a name or product-code condition: owners allowed by family are not in it; add one only if you accept all its images)\n"
        }
        out += "\n4. Phases per region:\n"
        for region in plan.regions {
            let managed = region.managedBy.map { ", managed by \(safe($0))" } ?? ""
            out += "  \(safe(region.region)) (now: \(safe(region.currentState))\(managed))\n"
            out += "    scan:       \(region.affectedInstances.count) instance(s) run AMIs outside the criteria\(list(region.affectedInstances))\n"
            let since: String
            if let start = region.auditModeSince, let date = ISO8601.parse(start) {
                since = "on since \(safe(start)) (\(Int(Date().timeIntervalSince(date) / 86_400)) days)"
            } else if region.currentState == "audit-mode" {
                since = "on for an unknown time (no EnableAllowedImagesSettings event in the last 90 days of CloudTrail history)"
            } else {
                since = "not on yet"
            }
            out += "    audit mode: nothing is blocked; those AMIs show ImageAllowed=false. Watch it for about a month; \(since).\n"
            out += "    enabled:    launches fail for \(region.affectedTemplates.count) launch template(s)\(list(region.affectedTemplates)) and \(region.affectedGroups.count) Auto Scaling group(s)\(list(region.affectedGroups)); running instances keep running but cannot be replaced from those AMIs.\n"
            if let references = region.affectedReferences, !references.isEmpty {
                out += "                and for what launches or builds later through \(references.count) reference(s)\(list(references))\n"
            }
            if region.currentState == "unknown" {
                out += "    (the current state could not be read: GetAllowedImagesSettings was not answered)\n"
            }
        }
        out += "\n5. After enabling: `mamori hunt` over CloudTrail lists the launches that failed on an image that is not available "
            + "(rule aws_ec2_launch_blocked_by_allowed_amis; AWS does not document the exact error code of a launch Allowed AMIs blocks, "
            + "so deregistered or unshared AMIs show up there too).\n"
        return out
    }

    static func list(_ items: [String]) -> String { items.isEmpty ? "" : ": " + items.map(TerminalText.sanitize).joined(separator: ", ") }
}
