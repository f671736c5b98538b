import AWSClient
import Foundation
import Remediation

/// Removes, one by one, the swept resources the user named with `--remove ID --apply`. Never in bulk:
/// only IDs the sweep listed in this run are accepted; Remediation's ResourceDeletion makes (and journals) each call.
public enum ResourceRemoval {
    public static func remove(_ ids: [String], from resources: [SuspectResource], apply: Bool, journal: Journal?,
                              client: AWSClient, notes: inout [StepNote]) async throws -> [String] {
        var removed: [String] = []
        for id in ids {
            guard let resource = resources.first(where: { $0.id == id }) else {
                notes.append(StepNote(step: "remove", level: .error,
                                      message: "--remove \(id): not among the resources this run listed; Mamori only removes what the sweep found"))
                continue
            }
            // IAM users and roles need their policies and keys detached first: left to a human with the command to run.
            guard let kind = ResourceDeletion.Kind(rawValue: resource.type) else {
                notes.append(StepNote(step: "remove", level: .warning, message: "--remove \(id): a \(resource.type) is removed by hand: \(resource.removal)"))
                continue
            }
            guard apply, let journal else {
                notes.append(StepNote(step: "remove", level: .info, message: "would remove \(resource.type) \(id) in \(resource.region) (add --apply)"))
                continue
            }
            do {
                try await ResourceDeletion(client: client, journal: journal).remove(kind, id: id, region: resource.region, owner: resource.owner)
            } catch let error as JournalError {
                throw error
            } catch {
                notes.append(StepNote(step: "remove", level: .error, message: "removing \(resource.type) \(id) failed: \(error)"))
                continue
            }
            removed.append(id)
        }
        return removed
    }
}
