import AWSClient
import AWSTestSupport
import Foundation
import Remediation
import Testing

/// Applying an Allowed AMIs change (the only module that writes): criteria then state, every call journaled.
struct AllowedImagesChangeTests {
    @Test func applyingAuditModeSendsCriteriaThenStateAndJournalsBoth() async throws {
        let transport = ReplayTransport([
            ok("<ReplaceImageCriteriaInAllowedImagesSettingsResponse><requestId>1</requestId><return>true</return></ReplaceImageCriteriaInAllowedImagesSettingsResponse>"),
            ok("<EnableAllowedImagesSettingsResponse><requestId>2</requestId><allowedImagesSettingsState>audit-mode</allowedImagesSettingsState></EnableAllowedImagesSettingsResponse>"),
        ])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-journal-\(UUID().uuidString)").path
        let journal = try Journal(directory: dir, name: "amis")
        try await AllowedImagesChange(client: testClient(transport), journal: journal)
            .apply(region: "eu-west-1", criteria: ["ImageCriterion.1.ImageProvider.1": "amazon", "ImageCriterion.1.ImageProvider.2": "aws-marketplace",
                                                    "ImageCriterion.1.ImageProvider.3": "123456789012"],
                       state: "audit-mode", previousState: "disabled")
        let bodies = transport.sent.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies[0].contains("Action=ReplaceImageCriteriaInAllowedImagesSettings"))
        #expect(bodies[0].contains("ImageCriterion.1.ImageProvider.1=amazon"))
        #expect(bodies[0].contains("ImageCriterion.1.ImageProvider.2=aws-marketplace"))
        #expect(bodies[0].contains("ImageCriterion.1.ImageProvider.3=123456789012"))
        #expect(bodies[1].contains("AllowedImagesSettingsState=audit-mode"))
        let entries = try Journal.read(journal.path)
        #expect(entries.map(\.phase) == ["before", "after", "before", "after"])
        #expect(entries.last?.result == "audit-mode")
        #expect(entries.last?.undo == "aws ec2 disable-allowed-images-settings --region eu-west-1")
        let mode = try FileManager.default.attributesOfItem(atPath: journal.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aFailedCallIsJournaledAndStopsTheChange() async throws {
        let transport = ReplayTransport([failure(403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors></Response>")])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-journal-\(UUID().uuidString)").path
        let journal = try Journal(directory: dir, name: "amis")
        await #expect(throws: AWSError.self) {
            try await AllowedImagesChange(client: testClient(transport), journal: journal)
                .apply(region: "eu-west-1", criteria: ["ImageCriterion.1.ImageProvider.1": "amazon"], state: "enabled", previousState: "audit-mode")
        }
        #expect(try Journal.read(journal.path).map(\.phase) == ["before", "failed"])
        #expect(transport.sent.count == 1, "the state is never changed after the criteria failed")
    }
}
