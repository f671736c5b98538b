import Foundation

/// One object of an S3 listing.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var lastModified: String?
    /// The object's entity tag, for reading it in ranges without mixing two versions (If-Match).
    public var eTag: String?

    public init(key: String, size: Int64, lastModified: String? = nil, eTag: String? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.eTag = eTag
    }
}

/// `s3://bucket/prefix` split into its parts.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    public var prefix: String

    /// Nil unless `text` is `s3://BUCKET[/PREFIX]` with a bucket name S3 accepts (3–63 characters of
    /// lower-case letters, digits, dots and hyphens).
    public init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ allowed.contains($0) }) else { return nil }
        self.bucket = String(bucket)
        self.prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
    }

    /// The prefix as a folder: empty or ending in `/` (a trail's `s3://bucket/logs` means `logs/`).
    public var directoryPrefix: String { prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/" }

    public var description: String { "s3://\(bucket)/\(prefix)" }
}

/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable {
    public var objects: [S3ObjectSummary]
    /// With a delimiter: the "folders" one level down.
    public var commonPrefixes: [String]
    /// The continuation token that lists what follows this page; nil on the last page. A caller that
    /// records it (a checkpoint) can continue the listing later with `startToken`.
    public var nextToken: String? = nil
}

extension AWSClient {
    /// Every object under `prefix` (`keep` filters keys while listing, so a large bucket is not held whole).
    public func listObjects(bucket: String, prefix: String, region: String,
                            keep: (String) -> Bool = { _ in true }) async throws(AWSError) -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        try await listObjectPages(bucket: bucket, prefix: prefix, region: region) { page in
            objects += page.objects.filter { keep($0.key) }
        }
        return objects
    }

    /// ListObjectsV2 under `prefix`, page by page (the one place S3 listings are paged): `page` sees
    /// each page as it arrives, so a caller keeps what was listed before an error. A repeated
    /// continuation token ends with an error instead of looping.
    public func listObjectPages(bucket: String, prefix: String, delimiter: String? = nil, region: String,
                                startToken: String? = nil, page: (S3ListPage) -> Void) async throws(AWSError) {
        let repeated = "ListObjectsV2 of s3://\(bucket)/\(prefix) repeated its continuation token: stopped instead of looping"
        try await Paginator.run("ListObjectsV2", repeatedMessage: repeated, startToken: startToken) { (token: String?) throws(AWSError) -> String? in
            var query = [QueryItem("list-type", "2"), QueryItem("prefix", prefix)]
            if let delimiter { query.append(QueryItem("delimiter", delimiter)) }
            if let token { query.append(QueryItem("continuation-token", token)) }
            let response = try await restXML(.s3, region: region, bucket: bucket, query: query, operation: "ListObjectsV2")
            let root = try XElement.parse(response.body)
            let next = root.string("IsTruncated") == "true" ? root.string("NextContinuationToken") : nil
            page(S3ListPage(
                objects: root.children("Contents").compactMap { item in
                    item.string("Key").map { S3ObjectSummary(key: $0, size: Int64(item.string("Size") ?? "") ?? 0,
                                                              lastModified: item.string("LastModified"), eTag: item.string("ETag")) }
                },
                commonPrefixes: root.children("CommonPrefixes").compactMap { $0.string("Prefix") },
                nextToken: next))
            return next
        }
    }

    /// The region a bucket lives in (GetBucketLocation: an empty constraint means us-east-1, the
    /// legacy `EU` eu-west-1).
    public func bucketLocation(_ bucket: String, region: String) async throws(AWSError) -> String {
        let response = try await restXML(.s3, region: region, bucket: bucket, query: [QueryItem("location", "")], operation: "GetBucketLocation")
        let constraint = try XElement.parse(response.body).text.trimmingCharacters(in: .whitespacesAndNewlines)
        if constraint.isEmpty { return "us-east-1" }
        return constraint == "EU" ? "eu-west-1" : constraint
    }
}
