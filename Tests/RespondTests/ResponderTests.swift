import AWSClient
import Foundation
import Testing
@testable import Respond

@Suite struct ResponderTests {
    /// A permission error on one step (the quarantine check) is reported; identification, the plan and
    /// the other steps still run, and the dry run changes nothing (no write call is sent).
    @Test func permissionErrorOnOneStepDoesNotStopTheOthers() async throws {
        let denied = "HTTP 403 <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform iam:ListAttachedUserPolicies</Message></Error><RequestId>r1</RequestId></ErrorResponse>"
        let transport = RecordedTransport([
            "GetCallerIdentity": ["<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/responder</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>"],
            "GetAccessKeyLastUsed": ["<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>deployer</UserName><AccessKeyLastUsed><LastUsedDate>2026-11-20T10:00:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>"],
            "ListAccessKeys": ["<ListAccessKeysResponse><ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata><member><UserName>deployer</UserName><AccessKeyId>\(leaked)</AccessKeyId><Status>Active</Status><CreateDate>2026-10-01T00:00:00Z</CreateDate></member></AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>"],
            "ListAttachedUserPolicies": [denied],
        ])
        var options = RespondOptions(keyId: leaked)
        options.regions = ["eu-west-1"]
        options.offlineTrail = true
        options.journalDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("respond-\(UUID().uuidString)").path
        options.now = try #require(ISO8601DateFormatter().date(from: "2026-11-25T00:00:00Z"))
        let report = try await Responder(client: recordedClient(transport), options: options, printSecret: { _, _ in }).run()
        #expect(report.identity.userName == "deployer")
        #expect(report.identity.ageDays == 55)
        #expect(report.identity.lastUse == LastUse(date: ISO8601DateFormatter().date(from: "2026-11-20T10:00:00Z"), region: "eu-west-1", service: "s3"))
        #expect(report.quarantine?.error?.contains("AccessDenied") == true)
        #expect(report.rotation.map(\.state) == [.planned, .planned])
        #expect(report.needsHuman.contains { $0.hasPrefix("Could not complete quarantine: cannot read deployer's policies") })
        // The sweep and guardrails ran (and failed here, with no recorded answers) instead of being skipped.
        #expect(report.notes.contains { $0.step == "sweep" && $0.message.hasPrefix("eu-west-1: DescribeInstances") })
        #expect(report.guardrails?.monitoring.map(\.state) == ["unknown", "unknown", "unknown", "unknown"])
        let writes = transport.requests.map(\.operation).filter { ["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"].contains($0) }
        #expect(writes.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: options.journalDirectory))
        #expect(report.supportSummary.hasPrefix("[DRAFT: not true yet"))
    }
}

@Suite struct ApplyGuardTests {
    /// `--apply` with nowhere to put the new secret stops before any change.
    @Test func applyWithoutSecretDestinationChangesNothing() async throws {
        let transport = RecordedTransport([
            "GetCallerIdentity": ["<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"],
            "GetAccessKeyLastUsed": ["<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>deployer</UserName></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>"],
            "ListAccessKeys": ["<ListAccessKeysResponse><ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata><member><AccessKeyId>\(leaked)</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>"],
            "ListAttachedUserPolicies": ["<ListAttachedUserPoliciesResponse><ListAttachedUserPoliciesResult><IsTruncated>false</IsTruncated><AttachedPolicies/></ListAttachedUserPoliciesResult></ListAttachedUserPoliciesResponse>"],
        ])
        var options = RespondOptions(keyId: leaked)
        options.apply = true
        options.journalDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("respond-\(UUID().uuidString)").path
        await #expect(throws: RespondInputError.self) {
            _ = try await Responder(client: recordedClient(transport), options: options, printSecret: { _, _ in }).run()
        }
        #expect(transport.requests.map(\.operation) == ["GetCallerIdentity", "GetAccessKeyLastUsed", "ListAccessKeys", "ListAttachedUserPolicies"])
        #expect(!FileManager.default.fileExists(atPath: options.journalDirectory))
    }
}
