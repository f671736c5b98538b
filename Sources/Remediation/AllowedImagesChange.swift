import AWSClient
import Foundation

/// Sets a region's Allowed AMIs criteria and state (audit mode or enabled), journaling each call.
public struct AllowedImagesChange: Sendable {
    public let client: AWSClient
    public let journal: Journal

    public init(client: AWSClient, journal: Journal) {
        self.client = client
        self.journal = journal
    }

    /// Replaces the criteria with `criteria` (the query parameters of ReplaceImageCriteriaInAllowedImagesSettings,
    /// `AMIRolloutPlan.criteriaParameters`), then sets `state`. `previousState` is recorded so the journal says how to undo.
    public func apply(region: String, criteria: [String: String], state: String, previousState: String) async throws {
        try await step("replace-criteria", region: region, call: "ReplaceImageCriteriaInAllowedImagesSettings", criteria,
                       undo: "aws ec2 replace-image-criteria-in-allowed-images-settings --region \(region) --image-criteria <previous criteria>")
        let undo = previousState == "disabled" || previousState == "unknown"
            ? "aws ec2 disable-allowed-images-settings --region \(region)"
            : "aws ec2 enable-allowed-images-settings --region \(region) --allowed-images-settings-state \(previousState)"
        try await step("set-state", region: region, call: "EnableAllowedImagesSettings", ["AllowedImagesSettingsState": state], undo: undo)
    }

    func step(_ name: String, region: String, call: String, _ parameters: [String: String], undo: String) async throws {
        try await journal.record(.init(time: Date(), phase: "before", step: name, region: region, call: call, parameters: parameters, undo: undo))
        do {
            let result = try await client.query(.ec2, region: region, action: call, parameters)
            let summary = result.string("allowedImagesSettingsState") ?? result.string("return") ?? "ok"
            try await journal.record(.init(time: Date(), phase: "after", step: name, region: region, call: call, parameters: parameters,
                                           result: summary, undo: undo))
        } catch {
            try await journal.record(.init(time: Date(), phase: "failed", step: name, region: region, call: call, parameters: parameters,
                                           result: "\(error)", undo: nil))
            throw error
        }
    }
}
