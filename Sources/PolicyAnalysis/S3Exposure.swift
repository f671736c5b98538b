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

/// Whether an S3 bucket is public, combining its policy, ACL and Block Public Access settings.
public enum S3Exposure {
    /// Combine bucket policy (nil = none), ACL grants and both Block Public Access levels (nil = not configured).
    ///
    /// Effective settings are the OR of bucket and account level. `IgnorePublicAcls` neutralises public
    /// ACL grants; `RestrictPublicBuckets` neutralises a public policy. `BlockPublicAcls` and
    /// `BlockPublicPolicy` only stop new public ACLs/policies from being set, so alone they leave
    /// existing public access in place (the reasons say so).
    public static func evaluate(bucket: String, policy: String?, grants: [ACLGrant], bucketBlock: BlockPublicAccess?, accountBlock: BlockPublicAccess?, account: String?) throws(PolicyAnalysisError) -> PolicyVerdict {
        var publicReasons: [String] = []
        var otherReasons: [String] = []

        func level(_ flag: KeyPath<BlockPublicAccess, Bool>) -> String? {
            let atBucket = bucketBlock?[keyPath: flag] ?? false
            let atAccount = accountBlock?[keyPath: flag] ?? false
            switch (atBucket, atAccount) {
            case (true, true): return "at bucket and account level"
            case (true, false): return "at bucket level"
            case (false, true): return "at account level"
            case (false, false): return nil
            }
        }
        let restrictPublicBuckets = level(\.restrictPublicBuckets)
        let blockPublicPolicy = level(\.blockPublicPolicy)
        let ignorePublicAcls = level(\.ignorePublicAcls)
        let blockPublicAcls = level(\.blockPublicAcls)

        if let policy, let document = try PolicyDocument.parse(policy) {
            let analysis = PolicyAnalyzer.analyze(document: document, type: .s3, account: account)
            if analysis.publicReasons.isEmpty {
                otherReasons += analysis.otherReasons
            } else if let restrictPublicBuckets {
                for reason in analysis.publicReasons {
                    otherReasons.append("Bucket policy: \(reason) Neutralised: RestrictPublicBuckets is on \(restrictPublicBuckets), so only AWS service principals and users of the bucket owner's account can use it.")
                }
                otherReasons += analysis.otherReasons
            } else {
                var suffix = ""
                if let blockPublicPolicy {
                    suffix = " BlockPublicPolicy is on \(blockPublicPolicy), but it only rejects new public policies; this one stays in force until RestrictPublicBuckets is enabled."
                }
                publicReasons += analysis.publicReasons.map { "Bucket policy: \($0)\(suffix)" }
                otherReasons += analysis.otherReasons
            }
        }

        for grant in grants {
            guard let group = grant.publicGroup else { continue }
            let who = group == "AllUsers" ? "everyone, anonymous users included" : "anyone with an AWS account"
            let base = "The bucket ACL grants \(grant.permission) to \(group) (\(who)): they can \(grant.permissionMeaning)."
            if let ignorePublicAcls {
                otherReasons.append("\(base) Neutralised: IgnorePublicAcls is on \(ignorePublicAcls), so S3 ignores this grant.")
            } else if let blockPublicAcls {
                publicReasons.append("\(base) BlockPublicAcls is on \(blockPublicAcls), but it only rejects new public ACLs; this grant stays in force until IgnorePublicAcls is enabled.")
            } else {
                publicReasons.append(base)
            }
        }

        if publicReasons.isEmpty {
            if otherReasons.isEmpty {
                let what = policy == nil ? "has no bucket policy" : "has a bucket policy that grants nothing to everyone"
                otherReasons.append("Bucket \(bucket) \(what) and no ACL grant to AllUsers or AuthenticatedUsers.")
            }
            return PolicyVerdict(isPublic: false, reasons: otherReasons)
        }
        return PolicyVerdict(isPublic: true, reasons: publicReasons + otherReasons)
    }
}
