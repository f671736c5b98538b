import AWSClient
import Foundation
import MamoriCore
import Inventory

/// Shared state of one account's collection: the client, the error log and progress reporting.
struct CollectionContext: Sendable {
    let client: AWSClient
    let accountId: String
    let errors: ErrorLog
    let progress: @Sendable (String) -> Void
    let fanOut: Int

    /// Runs one call; on failure records why and returns nil so the scan continues.
    func attempt<T: Sendable>(_ service: AWSService, _ operation: String, region: String, resource: String? = nil,
                              _ body: () async throws -> T) async -> T? {
        do { return try await body() }
        catch {
            let awsError = (error as? AWSError) ?? AWSError.decoding("\(error)")
            await errors.record(awsError, service: service.id, operation: operation, region: region, resource: resource)
            return nil
        }
    }
}

/// Collects what could not be read during a scan.
actor ErrorLog {
    private(set) var entries: [CollectionError] = []

    func record(_ error: AWSError, service: String, operation: String, region: String, resource: String?) {
        let kind: CollectionError.Kind =
            if error.isAccessDenied { .accessDenied }
            else if error.isUnsupported { .unsupported }
            else if error.isRegionDisabled { .regionDisabled }
            else if error.isCredentialProblem { .credentials }
            else { .failed }
        entries.append(CollectionError(kind: kind, service: service, operation: operation, region: region,
                                       resource: resource, message: error.description))
    }

    func add(_ entry: CollectionError) { entries.append(entry) }
}

/// Maps over items with at most `limit` tasks in flight, keeping the input order.
func boundedMap<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ transform: @escaping @Sendable (T) async -> R) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<min(max(1, limit), items.count) {
            let index = next
            group.addTask { (index, await transform(items[index])) }
            next += 1
        }
        while let (index, value) = await group.next() {
            results[index] = value
            if next < items.count {
                let index = next
                group.addTask { (index, await transform(items[index])) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}

extension XElement {
    /// Boolean text as AWS writes it.
    func bool(_ name: String) -> Bool? { string(name).map { $0.lowercased() == "true" } }
    func date(_ name: String) -> Date? { string(name).flatMap(ISO8601.parse) }
}

/// Follows `Marker`/`NextToken` style pagination for a query call, handing each page to `body`
/// (AWSClient's one paginator, with its repeated-token guard).
func queryPages(_ context: CollectionContext, _ service: AWSService, region: String, action: String,
                _ params: [String: String] = [:], inputToken: String, outputToken: String,
                _ body: (XElement) -> Void) async throws(AWSError) {
    try await context.client.queryPages(service, region: region, action: action, params,
                                        inputToken: inputToken, outputToken: outputToken, body)
}

/// Same for JSON protocols.
func jsonPages(_ context: CollectionContext, _ service: AWSService, region: String, operation: String,
               _ input: [String: JSONValue] = [:], inputToken: String = "NextToken", outputToken: String = "NextToken",
               _ body: (JSONValue) -> Void) async throws(AWSError) {
    try await context.client.jsonPages(service, region: region, operation: operation, input,
                                       inputToken: inputToken, outputToken: outputToken, body)
}

/// The token loop for calls of other shapes (REST paths, several lists per page): `Paginator.run`.
func paginate(_ operation: String, _ fetch: (String?) async throws(AWSError) -> String?) async throws(AWSError) {
    try await Paginator.run(operation, fetch)
}
