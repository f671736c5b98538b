import AWSClient
import Foundation
import Remediation

/// Removes, one by one, the swept resources the user named with `--remove ID --apply`. Never in bulk:
/// only IDs the sweep listed in this run are accepted, and each call is journaled before and after.
public enum ResourceRemoval {
    /// Types Mamori removes itself; IAM users and roles need their policies and keys detached first
    /// and are left to a human with the command to run.
    static let removable: Set<String> = ["ec2-instance", "spot-request", "key-pair", "lambda-function", "access-key"]

    public static func remove(_ ids: [String], from resources: [SuspectResource], apply: Bool, journal: Journal?,
                              client: AWSClient, notes: inout [StepNote]) async throws -> [String] {
        var removed: [String] = []
        for id in ids {
            guard let resource = resources.first(where: { $0.id == id }) else {
                notes.append(StepNote(step: "remove", level: .error,
                                      message: "--remove \(id): not among the resources this run listed; Mamori only removes what the sweep found"))
                continue
            }
            guard removable.contains(resource.type) else {
                notes.append(StepNote(step: "remove", level: .warning, message: "--remove \(id): a \(resource.type) is removed by hand: \(resource.removal)"))
                continue
            }
            guard apply, let journal else {
                notes.append(StepNote(step: "remove", level: .info, message: "would remove \(resource.type) \(id) in \(resource.region) (add --apply)"))
                continue
            }
            let (call, params) = request(for: resource)
            try await journal.record(try JournalEntries.make(phase: "before", step: "remove-resource", region: resource.region, call: call,
                                                             parameters: params, result: nil, undo: nil))
            do {
                try await send(resource, params: params, client: client)
            } catch {
                try await journal.record(try JournalEntries.make(phase: "failed", step: "remove-resource", region: resource.region, call: call,
                                                                 parameters: params, result: "\(error)", undo: nil))
                notes.append(StepNote(step: "remove", level: .error, message: "removing \(resource.type) \(id) failed: \(error)"))
                continue
            }
            try await journal.record(try JournalEntries.make(phase: "after", step: "remove-resource", region: resource.region, call: call,
                                                             parameters: params, result: id, undo: nil))
            removed.append(id)
        }
        return removed
    }

    static func request(for r: SuspectResource) -> (String, [String: String]) {
        switch r.type {
        case "ec2-instance": return ("ec2:TerminateInstances", ["InstanceId.1": r.id])
        case "spot-request": return ("ec2:CancelSpotInstanceRequests", ["SpotInstanceRequestId.1": r.id])
        case "key-pair": return ("ec2:DeleteKeyPair", ["KeyName": r.id])
        case "lambda-function": return ("lambda:DeleteFunction", ["FunctionName": r.id])
        default: return ("iam:DeleteAccessKey", ["AccessKeyId": r.id, "UserName": r.owner ?? ""])
        }
    }

    static func send(_ r: SuspectResource, params: [String: String], client: AWSClient) async throws(AWSError) {
        switch r.type {
        case "ec2-instance": _ = try await client.query(.ec2, region: r.region, action: "TerminateInstances", params)
        case "spot-request": _ = try await client.query(.ec2, region: r.region, action: "CancelSpotInstanceRequests", params)
        case "key-pair": _ = try await client.query(.ec2, region: r.region, action: "DeleteKeyPair", params)
        case "lambda-function":
            _ = try await client.restJSON(.lambda, region: r.region, method: "DELETE", path: "/2015-03-31/functions/\(r.id)", operation: "DeleteFunction")
        default: _ = try await client.query(.iam, region: "us-east-1", action: "DeleteAccessKey", params)
        }
    }
}
