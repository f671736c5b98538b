import Foundation

/// The one token loop of every paginated AWS call: fetch pages until the token is empty, and stop
/// with an error when a service repeats a token (an emulator or a bug would otherwise loop forever).
public enum Paginator {
    /// `fetch` gets the token of the page to read (nil for the first) and returns the next one.
    /// `repeatedMessage` replaces the default error text when a token comes back twice.
    /// `startToken` continues a listing cut off earlier (a checkpointed token).
    public static func run(_ operation: String, repeatedMessage: String? = nil, startToken: String? = nil,
                           _ fetch: (String?) async throws(AWSError) -> String?) async throws(AWSError) {
        var token: String? = startToken
        var seen = Set<String>()
        repeat {
            token = try await fetch(token).flatMap { $0.isEmpty ? nil : $0 }
            if let current = token, !seen.insert(current).inserted {
                throw AWSError.decoding(repeatedMessage ?? "\(operation) returned the same page token twice")
            }
        } while token != nil
    }
}

extension AWSClient {
    /// Every page of a query or EC2 query call, handed to `body`. `inputToken` / `outputToken` are
    /// botocore's paginator names (`Marker`/`Marker`, `NextToken`/`nextToken`); with `truncated`
    /// (IAM's `IsTruncated`) the token counts only when that flag is `true`.
    public func queryPages(_ service: AWSService, region: String, action: String, _ params: [String: String] = [:],
                           inputToken: String, outputToken: String, truncated: String? = nil,
                           _ body: (XElement) -> Void) async throws(AWSError) {
        try await Paginator.run(action) { (token: String?) throws(AWSError) -> String? in
            var page = params
            if let token { page[inputToken] = token }
            let result = try await query(service, region: region, action: action, page)
            body(result)
            if let truncated, result.string(truncated) != "true" { return nil }
            return result.string(outputToken)
        }
    }

    /// Every page of a JSON-protocol call, handed to `body`.
    public func jsonPages(_ service: AWSService, region: String, operation: String, _ input: [String: JSONValue] = [:],
                          inputToken: String = "NextToken", outputToken: String = "NextToken",
                          _ body: (JSONValue) -> Void) async throws(AWSError) {
        try await Paginator.run(operation) { (token: String?) throws(AWSError) -> String? in
            var page = input
            if let token { page[inputToken] = .string(token) }
            let result = try await json(service, region: region, operation: operation, .object(page))
            body(result)
            return result[outputToken]?.string
        }
    }
}
