import AWSClient
import Foundation
import MamoriCore
import Inventory

/// SSM String and StringList parameters with their values, read once per region and shared by the
/// key hunt (CloudKeyCollector) and the AMI references (ImageCollector): one DescribeParameters
/// listing and one GetParameters per ten names, whoever needs them. SecureString parameters are
/// never requested (no WithDecryption) and dropped if a service returned one anyway. Values stay in
/// memory for the scan's own use; only AMI ids and key fingerprints reach the inventory.
struct ParameterReader {
    let context: CollectionContext
    let region: String

    struct Parameter: Sendable {
        var name: String
        var arn: String
        var type: String
        var value: String
        var dataType: String?
        var lastModifiedUser: String?
        var lastModified: String?
    }

    /// What was read, and what it cost.
    struct Result: Sendable {
        var parameters: [Parameter] = []
        /// API calls made, failed ones included.
        var calls = 0

        /// Parameters whose value is an AMI id.
        var images: [ParameterImage] {
            parameters.compactMap { parameter in
                guard parameter.type == "String", let id = ParameterImage.imageId(inValue: parameter.value) else { return nil }
                return ParameterImage(name: parameter.name, arn: parameter.arn, imageId: id, dataType: parameter.dataType,
                                      lastModifiedUser: parameter.lastModifiedUser, lastModified: parameter.lastModified)
            }.sorted { $0.name < $1.name }
        }
    }

    static let plain: Set<String> = ["String", "StringList"]

    /// nil when the listing failed (recorded in the scan errors once, for both users).
    func read() async -> Result? {
        let counter = CallCounter()
        let (context, region) = (self.context, self.region)
        var metadata: [String: JSONValue] = [:]
        let listed = await context.attempt(.ssm, "DescribeParameters", region: region) { () async throws -> [String] in
            var names: [String] = []
            let filter: JSONValue = ["ParameterFilters": [["Key": "Type", "Option": "Equals", "Values": ["String", "StringList"]]], "MaxResults": 50]
            try await paginate("DescribeParameters") { (token: String?) throws(AWSError) -> String? in
                var input = filter.object
                if let token { input["NextToken"] = .string(token) }
                await counter.add()
                let page = try await context.client.json(.ssm, region: region, operation: "DescribeParameters", .object(input))
                for item in page["Parameters"]?.array ?? [] where Self.plain.contains(item["Type"]?.string ?? "") {
                    guard let name = item["Name"]?.string else { continue }
                    names.append(name)
                    metadata[name] = item
                }
                return page["NextToken"]?.string
            }
            return names
        }
        guard let names = listed else { return nil }
        // GetParameters takes at most 10 names.
        let batches = stride(from: 0, to: names.count, by: 10).map { Array(names[$0..<min($0 + 10, names.count)]) }
        let known = metadata
        let read = await boundedMap(batches, limit: context.fanOut) { batch -> [Parameter] in
            await counter.add()
            let parameters = await context.attempt(.ssm, "GetParameters", region: region, resource: batch.first) {
                try await context.client.json(.ssm, region: region, operation: "GetParameters",
                                              ["Names": .array(batch.map(JSONValue.string))])["Parameters"]?.array ?? []
            }
            return (parameters ?? []).compactMap { item -> Parameter? in
                guard let type = item["Type"]?.string, Self.plain.contains(type), let name = item["Name"]?.string,
                      let value = item["Value"]?.string else { return nil }
                let arn = item["ARN"]?.string
                    ?? Partition(region: region).arn("ssm", region: region, account: context.accountId, "parameter\(name.hasPrefix("/") ? "" : "/")\(name)")
                let modified = (item["LastModifiedDate"] ?? known[name]?["LastModifiedDate"])?.number
                    .map { ISO8601.string(Date(timeIntervalSince1970: $0)) }
                return Parameter(name: name, arn: arn, type: type, value: value, dataType: item["DataType"]?.string,
                                 lastModifiedUser: known[name]?["LastModifiedUser"]?.string, lastModified: modified)
            }
        }
        return Result(parameters: read.flatMap { $0 }, calls: await counter.count)
    }
}
