import AWSClient
import Foundation
import Inventory

/// S3: buckets with their region, policy, ACL and Block Public Access, plus the account-level block.
struct S3Collector {
    let context: CollectionContext
    let homeRegion: String

    func collect() async -> S3Inventory? {
        context.progress("S3: buckets")
        guard let buckets = await context.attempt(.s3, "ListBuckets", region: homeRegion, { try await listBuckets() }) else {
            return nil
        }
        var inventory = S3Inventory()
        let account = await accountBlock()
        inventory.accountBlock = account.settings
        inventory.accountBlockKnown = account.known
        inventory.buckets = await boundedMap(buckets, limit: context.fanOut) { bucket in await self.details(bucket) }
        return inventory
    }

    func listBuckets() async throws -> [S3Bucket] {
        var buckets: [S3Bucket] = []
        var token: String?
        repeat {
            var query = [QueryItem("max-buckets", "1000")]
            if let token { query.append(QueryItem("continuation-token", token)) }
            let response = try await context.client.restXML(.s3, region: homeRegion, query: query, operation: "ListBuckets")
            let root = try XElement.parse(response.body)
            for bucket in root.list("Buckets") {
                guard let name = bucket.string("Name") else { continue }
                buckets.append(S3Bucket(name: name, region: bucket.string("BucketRegion"), created: bucket.date("CreationDate")))
            }
            token = root.string("ContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return buckets
    }

    func details(_ bucket: S3Bucket) async -> S3Bucket {
        var bucket = bucket
        let client = context.client
        if bucket.region == nil {
            bucket.region = await context.attempt(.s3, "GetBucketLocation", region: homeRegion, resource: bucket.name) {
                try await client.bucketLocation(bucket.name, region: homeRegion)
            }
        }
        let region = bucket.region ?? homeRegion
        var complete = bucket.region != nil
        // Absent policy / block configuration are answers (404 with a known code), not failures.
        let policy = await context.attempt(.s3, "GetBucketPolicy", region: region, resource: bucket.name) { () async throws -> String? in
            do {
                let response = try await client.restXML(.s3, region: region, bucket: bucket.name, query: [QueryItem("policy", "")],
                                                        operation: "GetBucketPolicy")
                return String(decoding: response.body, as: UTF8.self)
            } catch let error as AWSError where error.code == "NoSuchBucketPolicy" { return nil }
        }
        if let policy { bucket.policy = policy } else { complete = false }
        bucket.grants = await context.attempt(.s3, "GetBucketAcl", region: region, resource: bucket.name) {
            let response = try await client.restXML(.s3, region: region, bucket: bucket.name, query: [QueryItem("acl", "")],
                                                    operation: "GetBucketAcl")
            return try XElement.parse(response.body).list("AccessControlList").map(Self.grant)
        }
        if bucket.grants == nil { complete = false }
        let block = await context.attempt(.s3, "GetPublicAccessBlock", region: region, resource: bucket.name) { () async throws -> BlockSettings? in
            do {
                let response = try await client.restXML(.s3, region: region, bucket: bucket.name,
                                                        query: [QueryItem("publicAccessBlock", "")], operation: "GetPublicAccessBlock")
                return Self.block(try XElement.parse(response.body))
            } catch let error as AWSError where error.code == "NoSuchPublicAccessBlockConfiguration" { return nil }
        }
        if let block { bucket.block = block } else { complete = false }
        bucket.objectOwnership = await context.attempt(.s3, "GetBucketOwnershipControls", region: region, resource: bucket.name) { () async throws -> String in
            do {
                let response = try await client.restXML(.s3, region: region, bucket: bucket.name,
                                                        query: [QueryItem("ownershipControls", "")], operation: "GetBucketOwnershipControls")
                return try XElement.parse(response.body).first("ObjectOwnership")?.text ?? "ObjectWriter"
            } catch let error as AWSError where error.code == "OwnershipControlsNotFoundError" { return "ObjectWriter" }
        }
        bucket.complete = complete
        return bucket
    }

    func accountBlock() async -> (settings: BlockSettings?, known: Bool) {
        let client = context.client
        let account = context.accountId
        let result = await context.attempt(.s3control, "GetPublicAccessBlock", region: homeRegion) { () async throws -> BlockSettings? in
            do {
                let response = try await client.restXML(.s3control, region: homeRegion, path: "/v20180820/configuration/publicAccessBlock",
                                                        headers: [HTTPHeader("x-amz-account-id", account)], operation: "GetPublicAccessBlock")
                return Self.block(try XElement.parse(response.body))
            } catch let error as AWSError where error.code == "NoSuchPublicAccessBlockConfiguration" { return nil }
        }
        guard let result else { return (nil, false) }
        return (result, true)
    }

    static func grant(_ element: XElement) -> Grant {
        let grantee = element.child("Grantee")
        let type = grantee?.attributes.first { $0.key.hasSuffix("type") }?.value ?? (grantee?.string("URI") != nil ? "Group" : "CanonicalUser")
        return Grant(granteeType: type, uri: grantee?.string("URI"), id: grantee?.string("ID"), permission: element.string("Permission") ?? "")
    }

    static func block(_ root: XElement) -> BlockSettings {
        let node = root.name == "PublicAccessBlockConfiguration" ? root : (root.first("PublicAccessBlockConfiguration") ?? root)
        return BlockSettings(blockPublicAcls: node.bool("BlockPublicAcls") ?? false,
                             ignorePublicAcls: node.bool("IgnorePublicAcls") ?? false,
                             blockPublicPolicy: node.bool("BlockPublicPolicy") ?? false,
                             restrictPublicBuckets: node.bool("RestrictPublicBuckets") ?? false)
    }
}
