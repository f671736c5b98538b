import Foundation
import Inventory
import MamoriCore

/// Where an AMI comes from, from most to least trustworthy.
public enum AMIOrigin: String, Codable, Sendable, CaseIterable {
    /// AWS, a verified Marketplace provider or AWS Backup (by `ImageOwnerAlias`).
    case verified
    /// Owned by the scanned account.
    case own = "self"
    /// Owned by an account of the scanned account's organisation that the scan trusts.
    case organization
    /// Owned by an account on the trust list.
    case trusted
    /// Matches the region's Allowed AMIs criteria.
    case allowed
    /// Shared privately into the account by an account that is not trusted.
    case shared
    /// Public, from an account a bundled list names as a known vendor.
    case publicVendor = "public-known-vendor"
    /// Public, from an unknown account: the whoAMI case.
    case publicUnknown = "public-unknown"
    /// The image could not be described at all.
    case unknown

    public var isTrusted: Bool { [.verified, .own, .organization, .trusted, .allowed].contains(self) }

    /// Severity of using an image of this origin.
    public var severity: Severity {
        switch self {
        case .verified, .own, .organization, .trusted, .allowed: .info
        case .shared: .high
        case .publicVendor: .medium
        case .publicUnknown: .critical
        case .unknown: .medium
        }
    }
}

/// The verdict on one AMI.
public struct AMIClassification: Sendable, Hashable {
    public var imageId: String
    public var origin: AMIOrigin
    public var ownerId: String?
    public var ownerAlias: String?
    public var vendor: String?
    public var image: AMIRecord?

    /// "account 111122223333 (Vendor)" or "amazon".
    public var ownerLabel: String {
        if let ownerAlias, ["amazon", "aws-marketplace", "aws-backup-vault"].contains(ownerAlias) { return ownerAlias }
        guard let ownerId else { return "unknown owner" }
        return vendor.map { "account \(ownerId) (\($0))" } ?? "account \(ownerId)"
    }

    public var explanation: String {
        let name = image?.name.map { " \"\($0)\"" } ?? ""
        let via = image?.source == "instance-image-metadata" ? " (DescribeImages no longer returns it; read from the instance's image metadata)" : ""
        switch origin {
        case .verified: return "AMI \(imageId)\(name) is from \(ownerLabel) (verified provider)\(via)."
        case .own: return "AMI \(imageId)\(name) is owned by this account\(via)."
        case .organization: return "AMI \(imageId)\(name) is from organisation \(ownerLabel)\(via)."
        case .trusted: return "AMI \(imageId)\(name) is from trusted \(ownerLabel)\(via)."
        case .allowed: return "AMI \(imageId)\(name) from \(ownerLabel) matches the region's Allowed AMIs criteria\(via)."
        case .shared: return "AMI \(imageId)\(name) was shared privately by untrusted \(ownerLabel)\(via)."
        case .publicVendor: return "AMI \(imageId)\(name) is a public image from \(ownerLabel), which is not on the trust list\(via)."
        case .publicUnknown: return "AMI \(imageId)\(name) is a public image from unknown \(ownerLabel): the whoAMI pattern, where an attacker publishes an image named like the one your automation looks for\(via)."
        case .unknown: return "AMI \(imageId) could not be described (deregistered, unshared or hidden) and no image metadata was available."
        }
    }
}

/// Who owns a shared-in resource or an AMI, relative to the scanned account. Only the last two fail.
public enum OwnerTrust: String, Codable, Sendable, CaseIterable {
    case own, organization, trusted
    case knownVendor = "known-vendor"
    case unknown

    public var isTrusted: Bool { [.own, .organization, .trusted].contains(self) }
}

/// Classifies AMIs and resource owners against the trust list, the organisation, the Allowed AMIs
/// criteria and the bundled vendor list: the one home of that rule for checks and the plan.
public struct AMITrust: Sendable {
    public static let verifiedAliases: Set<String> = ["amazon", "aws-marketplace", "aws-backup-vault"]
    public var account: String
    public var trusted: Set<String>
    /// Trusted accounts of the organisation (scan --org, `trust: {organization: true}` or `ous:`).
    public var organization: Set<String>
    public var known: KnownAccounts
    /// The moment the criteria's age conditions are measured from.
    public var now: Date

    public init(account: String, trusted: Set<String>, organization: Set<String> = [], known: KnownAccounts = .bundled, now: Date = Date()) {
        self.account = account
        self.trusted = trusted
        self.organization = organization
        self.known = known
        self.now = now
    }

    public init(account: String, context: CheckContext) {
        self.init(account: account, trusted: context.trustedAccounts, organization: context.organizationAccounts, now: context.now)
    }

    public func owner(_ id: String) -> OwnerTrust {
        if id == account { return .own }
        if organization.contains(id) { return .organization }
        if trusted.contains(id) { return .trusted }
        return known.name(of: id) == nil ? .unknown : .knownVendor
    }

    /// "unknown account 444455556666", "known vendor account 099720109477 (Canonical)", "organisation account …".
    public func describe(_ id: String) -> String {
        switch owner(id) {
        case .own: "this account"
        case .organization: "organisation account \(id)"
        case .trusted: "trusted account \(id)"
        case .knownVendor: "known vendor account \(id) (\(known.name(of: id) ?? "?")), which is not trusted"
        case .unknown: "unknown account \(id)"
        }
    }

    public func classify(_ imageId: String, images: ImageInventory?) -> AMIClassification {
        guard let image = images?.images[imageId] else {
            return AMIClassification(imageId: imageId, origin: .unknown)
        }
        let owner = image.ownerId
        var result = AMIClassification(imageId: imageId, origin: .unknown, ownerId: owner, ownerAlias: image.ownerAlias,
                                       vendor: owner.flatMap(known.name(of:)), image: image)
        if let alias = image.ownerAlias, Self.verifiedAliases.contains(alias) {
            result.origin = .verified
        } else if owner == account {
            result.origin = .own
        } else if let owner, organization.contains(owner) {
            result.origin = .organization
        } else if let owner, trusted.contains(owner) {
            result.origin = .trusted
        } else if matchesCriteria(image, images?.allowedImages) {
            result.origin = .allowed
        } else if image.isPublic == true {
            result.origin = result.vendor == nil ? .publicUnknown : .publicVendor
        } else {
            result.origin = .shared
        }
        return result
    }

    /// True when an enabled or audit-mode criterion allows the image (not counting "own AMIs are always allowed").
    func matchesCriteria(_ image: AMIRecord, _ settings: AllowedImagesState?) -> Bool {
        guard let settings, settings.state != "disabled" else { return false }
        return AllowedImagesCriteria.matches(image, settings, now: now)
    }
}

/// Allowed AMIs evaluated offline with AWS's semantics: criteria are alternatives, inside one every
/// given condition must hold, and the account's own AMIs are always allowed.
public enum AllowedImagesCriteria {
    public static func allows(_ image: AMIRecord, _ settings: AllowedImagesState, account: String, now: Date) -> Bool {
        image.ownerId == account || matches(image, settings, now: now)
    }

    static func matches(_ image: AMIRecord, _ settings: AllowedImagesState, now: Date) -> Bool {
        // Inventories saved before the conditions were read know only the providers.
        let criteria = settings.criteria ?? settings.providers.map { ImageCriterion(providers: $0) }
        return criteria.contains { holds($0, image, now: now) }
    }

    static func holds(_ criterion: ImageCriterion, _ image: AMIRecord, now: Date) -> Bool {
        if let providers = criterion.providers, !providers.contains(where: { $0 == image.ownerId || $0 == image.ownerAlias }) { return false }
        if let names = criterion.names, !names.contains(where: { pattern in image.name.map { Glob.matches(pattern, $0) } ?? false }) { return false }
        if let codes = criterion.productCodes, Set(codes).isDisjoint(with: image.productCodes ?? []) { return false }
        if let days = criterion.maxDaysSinceCreated {
            guard let created = date(image.created), now.timeIntervalSince(created) <= Double(days) * 86_400 else { return false }
        }
        if let days = criterion.maxDaysSinceDeprecated, let deprecated = date(image.deprecationTime), deprecated <= now,
           now.timeIntervalSince(deprecated) > Double(days) * 86_400 {
            return false
        }
        return true
    }

    /// EC2's image dates: ISO 8601 with or without fractional seconds ("2026-05-01T00:00:00.000Z").
    static func date(_ text: String?) -> Date? { text.flatMap(ISO8601.parse) }
}
