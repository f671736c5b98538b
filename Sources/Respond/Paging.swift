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
        var marker: String?
        repeat {
            var page = params
            if let marker { page["Marker"] = marker }
            let result = try await query(service, region: region, action: action, page)
            items += result.list(list)
            marker = result.string("IsTruncated") == "true" ? result.string("Marker") : nil
        } while marker != nil
        return items
    }

    /// Every item of an EC2 list, following `NextToken`.
    func ec2All(region: String, action: String, list: String, _ params: [String: String] = [:]) async throws(AWSError) -> [XElement] {
        var items: [XElement] = []
        var token: String?
        repeat {
            var page = params
            if let token { page["NextToken"] = token }
            let result = try await query(.ec2, region: region, action: action, page)
            items += result.list(list)
            token = result.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return items
    }
}
