/// The four S3 Block Public Access switches, at one level (bucket or account).
public struct BlockPublicAccess: Sendable, Codable, Equatable {
    /// Rejects new public ACLs. Does not affect ACLs already in place.
    public var blockPublicAcls: Bool
    /// Makes S3 ignore public ACL grants, existing ones included.
    public var ignorePublicAcls: Bool
    /// Rejects new public bucket policies. Does not affect the policy already in place.
    public var blockPublicPolicy: Bool
    /// Limits a bucket with a public policy to AWS service principals and the owner account's users.
    public var restrictPublicBuckets: Bool

    public init(blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false, blockPublicPolicy: Bool = false, restrictPublicBuckets: Bool = false) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }

    /// All four switches on (the recommended account setting).
    public static let all = BlockPublicAccess(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true)
}

/// One grant of an S3 bucket ACL, as `GetBucketAcl` returns it.
public struct ACLGrant: Sendable, Codable, Equatable {
    /// "Group", "CanonicalUser" or "AmazonCustomerByEmail".
    public var granteeType: String
    /// For groups, e.g. `http://acs.amazonaws.com/groups/global/AllUsers`.
    public var granteeURI: String?
    /// For canonical users.
    public var granteeID: String?
    /// READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL.
    public var permission: String

    public init(granteeType: String, granteeURI: String? = nil, granteeID: String? = nil, permission: String) {
        self.granteeType = granteeType
        self.granteeURI = granteeURI
        self.granteeID = granteeID
        self.permission = permission
    }

    /// The public group this grant names, if any: "AllUsers" (anyone, anonymous included)
    /// or "AuthenticatedUsers" (anyone with any AWS account). LogDelivery is not public.
    var publicGroup: String? {
        guard let uri = granteeURI?.trimmingSpaces else { return nil }
        let lowered = uri.lowercased()
        if lowered.hasSuffix("acs.amazonaws.com/groups/global/allusers") { return "AllUsers" }
        if lowered.hasSuffix("acs.amazonaws.com/groups/global/authenticatedusers") { return "AuthenticatedUsers" }
        return nil
    }

    /// What the permission lets the grantee do, in words.
    var permissionMeaning: String {
        switch permission.uppercased() {
        case "READ": return "list the objects"
        case "WRITE": return "create, overwrite and delete objects"
        case "READ_ACP": return "read the bucket ACL"
        case "WRITE_ACP": return "rewrite the bucket ACL (and so grant themselves anything)"
        case "FULL_CONTROL": return "list, write and change permissions"
        default: return "use the permission \(permission)"
        }
    }
}
