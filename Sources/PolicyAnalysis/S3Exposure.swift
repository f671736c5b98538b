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
