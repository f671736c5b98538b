import Checks
import Inventory
import MamoriCore

/// Names the owner of an AMI an alert saw launched, and whether it is trusted, through the same
/// rule the whoAMI checks use (``AMITrust``): trust list (`--trust-account`, `trust:` in mamori.yml),
/// the bundled known-accounts list and the images a saved inventory described.
public struct ImageTrust: Sendable {
    public var trusted: Set<String>
    public var images: ImageInventory?
    public var known: KnownAccounts

    public init(trusted: Set<String> = [], inventory: Inventory? = nil, known: KnownAccounts = .bundled) {
        self.trusted = trusted
        self.known = known
        guard let inventory else { images = nil; return }
        // One table over every account and region: an AMI id is global enough for a name look-up.
        var merged = ImageInventory()
        for account in inventory.accounts {
            for region in account.regional {
                for (id, image) in region.images?.images ?? [:] { merged.images[id] = image }
                for image in region.images?.sharedImages ?? [] { merged.images[image.id] = image }
            }
        }
        images = merged
    }

    /// The verdict for `imageId` launched in `account`: `trusted`, `untrusted` or `unknown` (no owner known).
    public func verdict(imageId: String, account: String = "") -> ImageVerdict {
        let trust = AMITrust(account: account, trusted: trusted, known: known)
        let classification = trust.classify(imageId, images: images)
        guard classification.origin != .unknown else {
            return ImageVerdict(imageId: imageId, trust: "unknown")
        }
        let ownerName = classification.vendor ?? classification.ownerAlias
        return ImageVerdict(imageId: imageId, owner: classification.ownerId ?? classification.ownerAlias, ownerName: ownerName,
                            trust: classification.origin.isTrusted ? "trusted" : "untrusted")
    }
}
