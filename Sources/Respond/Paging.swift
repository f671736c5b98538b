import AWSClient
import Foundation
import MamoriCore

/// ISO 8601 dates as AWS writes them: MamoriCore's one parser, for optional fields.
enum AWSDate {
    static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        return ISO8601.parse(text)
    }

    static func utc(_ text: String) -> Date? { ISO8601.utc(text) }

    static func format(_ date: Date) -> String { ISO8601.string(date) }
}

extension AWSClient {
    /// Every item of a query-protocol list, following `Marker`/`IsTruncated` (IAM's pagination).
    func queryAll(_ service: AWSService, region: String, action: String, list: String,
                  _ params: [String: String] = [:]) async throws(AWSError) -> [XElement] {
        var items: [XElement] = []
        try await queryPages(service, region: region, action: action, params, inputToken: "Marker", outputToken: "Marker",
                             truncated: "IsTruncated") { items += $0.list(list) }
        return items
    }

    /// Every item of an EC2 list, following `NextToken`.
    func ec2All(region: String, action: String, list: String, _ params: [String: String] = [:]) async throws(AWSError) -> [XElement] {
        var items: [XElement] = []
        try await queryPages(.ec2, region: region, action: action, params, inputToken: "NextToken", outputToken: "nextToken") {
            items += $0.list(list)
        }
        return items
    }
}
