import Testing
@testable import PolicyAnalysis

@Suite("S3 exposure: policy + ACL + Block Public Access")
struct S3ExposureTests {
    let publicPolicy = #"{"Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}"#
    let allUsersRead = ACLGrant(granteeType: "Group", granteeURI: "http://acs.amazonaws.com/groups/global/AllUsers", permission: "READ")
    let authenticatedWrite = ACLGrant(granteeType: "Group", granteeURI: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", permission: "WRITE")
    let logDelivery = ACLGrant(granteeType: "Group", granteeURI: "http://acs.amazonaws.com/groups/s3/LogDelivery", permission: "WRITE")
    let owner = ACLGrant(granteeType: "CanonicalUser", granteeID: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", permission: "FULL_CONTROL")

    @Test func nothingConfigured() throws {
        let v = try S3Exposure.evaluate(bucket: "b", policy: nil, grants: [owner], bucketBlock: nil, accountBlock: nil, account: nil)
        #expect(v == PolicyVerdict(isPublic: false, reasons: ["Bucket b has no bucket policy and no ACL grant to AllUsers or AuthenticatedUsers."]))
    }

    @Test func aclAllUsersIsPublic() throws {
        let v = try S3Exposure.evaluate(bucket: "b", policy: nil, grants: [owner, allUsersRead], bucketBlock: nil, accountBlock: nil, account: nil)
        #expect(v == PolicyVerdict(isPublic: true, reasons: ["The bucket ACL grants READ to AllUsers (everyone, anonymous users included): they can list the objects."]))
    }

    @Test func aclAuthenticatedUsersIsPublic() throws {
        let v = try S3Exposure.evaluate(bucket: "b", policy: nil, grants: [authenticatedWrite], bucketBlock: nil, accountBlock: nil, account: nil)
        #expect(v.isPublic)
        #expect(v.reasons == ["The bucket ACL grants WRITE to AuthenticatedUsers (anyone with an AWS account): they can create, overwrite and delete objects."])
    }

    @Test func logDeliveryIsNotPublic() throws {
        let v = try S3Exposure.evaluate(bucket: "logs", policy: nil, grants: [logDelivery], bucketBlock: nil, accountBlock: nil, account: nil)
        #expect(!v.isPublic)
    }

    @Test func ignorePublicAclsAtAccountLevelNeutralisesACL() throws {
        let v = try S3Exposure.evaluate(bucket: "b", policy: nil, grants: [allUsersRead], bucketBlock: BlockPublicAccess(),
                                        accountBlock: BlockPublicAccess(ignorePublicAcls: true), account: nil)
        #expect(!v.isPublic)
        #expect(v.reasons.count == 1)
        #expect(v.reasons[0].contains("Neutralised: IgnorePublicAcls is on at account level"))
    }

    @Test func blockPublicAclsAloneLeavesExistingGrant() throws {
        let v = try S3Exposure.evaluate(bucket: "b", policy: nil, grants: [allUsersRead], bucketBlock: BlockPublicAccess(blockPublicAcls: true),
                                        accountBlock: nil, account: nil)
        #expect(v.isPublic)
        #expect(v.reasons[0].contains("BlockPublicAcls is on at bucket level, but it only rejects new public ACLs"))
    }

    @Test func restrictPublicBucketsAtBucketLevelNeutralisesPolicy() throws {
        let v = try S3Exposure.evaluate(bucket: "site", policy: publicPolicy, grants: [], bucketBlock: BlockPublicAccess(restrictPublicBuckets: true),
                                        accountBlock: BlockPublicAccess(), account: "123456789012")
        #expect(!v.isPublic)
        #expect(v.reasons == ["Bucket policy: Statement 1 (\"PublicRead\") allows s3:GetObject (read) to \"*\" with no condition restricting the caller. Neutralised: RestrictPublicBuckets is on at bucket level, so only AWS service principals and users of the bucket owner's account can use it."])
    }

    @Test func blockPublicPolicyAloneLeavesExistingPolicy() throws {
        let v = try S3Exposure.evaluate(bucket: "site", policy: publicPolicy, grants: [], bucketBlock: nil,
                                        accountBlock: BlockPublicAccess(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true), account: nil)
        #expect(v.isPublic)
        #expect(v.reasons.count == 1)
        #expect(v.reasons[0].contains("BlockPublicPolicy is on at account level, but it only rejects new public policies"))
    }

    @Test func bothLevelsNamed() throws {
        let v = try S3Exposure.evaluate(bucket: "site", policy: publicPolicy, grants: [allUsersRead], bucketBlock: .all, accountBlock: .all, account: nil)
        #expect(!v.isPublic)
        #expect(v.reasons.count == 2)
        #expect(v.reasons.allSatisfy { $0.contains("at bucket and account level") })
    }

    @Test func policyNeutralisedButACLStillPublic() throws {
        // RestrictPublicBuckets does nothing for ACLs: that is IgnorePublicAcls' job.
        let v = try S3Exposure.evaluate(bucket: "site", policy: publicPolicy, grants: [allUsersRead], bucketBlock: nil,
                                        accountBlock: BlockPublicAccess(restrictPublicBuckets: true), account: nil)
        #expect(v.isPublic)
        #expect(v.reasons.first?.hasPrefix("The bucket ACL grants READ to AllUsers") == true)
        #expect(v.reasons.contains { $0.contains("Neutralised: RestrictPublicBuckets is on at account level") })
    }

    @Test func malformedPolicyThrows() {
        #expect(throws: PolicyAnalysisError.self) {
            try S3Exposure.evaluate(bucket: "b", policy: "{", grants: [], bucketBlock: nil, accountBlock: nil, account: nil)
        }
    }
}
