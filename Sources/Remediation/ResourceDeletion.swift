import AWSClient
import Foundation

/// Deletes one resource a response's sweep found (the user named it with `--remove ID --apply`),
/// journaled before and after the call. None of these can be undone: the journal says so.
public struct ResourceDeletion: Sendable {
    /// The resource types Mamori removes itself.
    public enum Kind: String, Sendable, CaseIterable {
        case instance = "ec2-instance", spotRequest = "spot-request", keyPair = "key-pair"
        case lambdaFunction = "lambda-function", accessKey = "access-key"
    }

    public let client: AWSClient
    public let journal: Journal

    public init(client: AWSClient, journal: Journal) {
        self.client = client
        self.journal = journal
    }

    /// Removes `id`. `owner` is the IAM user of an access key. Throws the AWS error after journaling
    /// it as failed; a journal that cannot be written throws ``JournalError`` before any call.
    public func remove(_ kind: Kind, id: String, region: String, owner: String?) async throws {
        let (call, params) = Self.request(kind, id: id, owner: owner)
        try await record("before", region, call, params, result: nil)
        do {
            try await send(kind, id: id, region: region, params: params)
        } catch {
            try await record("failed", region, call, params, result: "\(error)")
            throw error
        }
        try await record("after", region, call, params, result: id)
    }

    static func request(_ kind: Kind, id: String, owner: String?) -> (String, [String: String]) {
        switch kind {
        case .instance: ("ec2:TerminateInstances", ["InstanceId.1": id])
        case .spotRequest: ("ec2:CancelSpotInstanceRequests", ["SpotInstanceRequestId.1": id])
        case .keyPair: ("ec2:DeleteKeyPair", ["KeyName": id])
        case .lambdaFunction: ("lambda:DeleteFunction", ["FunctionName": id])
        case .accessKey: ("iam:DeleteAccessKey", ["AccessKeyId": id, "UserName": owner ?? ""])
        }
    }

    private func send(_ kind: Kind, id: String, region: String, params: [String: String]) async throws(AWSError) {
        switch kind {
        case .instance: _ = try await client.query(.ec2, region: region, action: "TerminateInstances", params)
        case .spotRequest: _ = try await client.query(.ec2, region: region, action: "CancelSpotInstanceRequests", params)
        case .keyPair: _ = try await client.query(.ec2, region: region, action: "DeleteKeyPair", params)
        case .lambdaFunction:
            _ = try await client.restJSON(.lambda, region: region, method: "DELETE", path: "/2015-03-31/functions/\(id)", operation: "DeleteFunction")
        // IAM is global: any region of the partition signs for the partition's IAM region.
        case .accessKey: _ = try await client.query(.iam, region: region == "global" ? "us-east-1" : region, action: "DeleteAccessKey", params)
        }
    }

    private func record(_ phase: String, _ region: String, _ call: String, _ params: [String: String], result: String?) async throws {
        try await journal.record(Journal.Entry(time: Date(), phase: phase, step: "remove-resource", region: region, call: call,
                                               parameters: params, result: result, undo: nil))
    }
}
