import AWSClient
import AWSTestSupport
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
        #expect(report.rotation.map(\.state) == [.planned, .later, .later])
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

/// #16: an unusable `--secret-file` stops `--apply` before the first change.
@Suite struct UnusableSecretFileTests {
    func transport() -> RecordedTransport {
        RecordedTransport([
            "GetCallerIdentity": ["<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"],
            "GetAccessKeyLastUsed": ["<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult><UserName>deployer</UserName></GetAccessKeyLastUsedResult></GetAccessKeyLastUsedResponse>"],
            "ListAccessKeys": ["<ListAccessKeysResponse><ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata><member><AccessKeyId>\(leaked)</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>"],
            "ListAttachedUserPolicies": ["<ListAttachedUserPoliciesResponse><ListAttachedUserPoliciesResult><IsTruncated>false</IsTruncated><AttachedPolicies/></ListAttachedUserPoliciesResult></ListAttachedUserPoliciesResponse>"],
            "CreateAccessKey": ["<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>deployer</UserName><AccessKeyId>AKIANEWREPLACEMENT01</AccessKeyId><Status>Active</Status><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>"],
            "UpdateAccessKey": ["<UpdateAccessKeyResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></UpdateAccessKeyResponse>"],
        ])
    }

    @Test(arguments: ["exists", "dangling-link", "missing-folder", "/dev/stdout"])
    func unusableSecretFileChangesNothing(_ kind: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("respond-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path: String
        switch kind {
        case "exists": path = "\(dir)/key.ini"; try "old".write(toFile: path, atomically: true, encoding: .utf8)
        case "dangling-link": path = "\(dir)/key.ini"; try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "\(dir)/nowhere")
        case "missing-folder": path = "\(dir)/no/such/folder/key.ini"
        default: path = kind
        }
        let transport = transport()
        var options = RespondOptions(keyId: leaked)
        options.apply = true
        options.offlineTrail = true
        options.secretDestination = .file(path)
        options.journalDirectory = "\(dir)/journal"
        await #expect(throws: RespondInputError.self) {
            _ = try await Responder(client: recordedClient(transport), options: options, printSecret: { _, _ in }).run()
        }
        let writes = transport.requests.map(\.operation).filter { ["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"].contains($0) }
        #expect(writes.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: options.journalDirectory))
        if kind == "exists" { #expect(try String(contentsOfFile: path, encoding: .utf8) == "old") }
    }

    @Test func reasonsNameTheProblem() {
        #expect(OutputFiles.problem(newFile: "/dev/stdout")?.contains("existing file or device") == true)
        #expect(OutputFiles.problem(newFile: "/no/such/folder/x")?.contains("does not exist") == true)
        #expect(OutputFiles.problem(reportFile: "/dev/stdout") != nil)
        #expect(OutputFiles.problem(newFile: FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path) == nil)
    }
}

/// The reply to AWS says only what happened.
@Suite struct SupportSummaryTests {
    func report(rotation: [RotationStep], status: String = "Active", resources: [SuspectResource] = [], removed: [String] = []) -> IncidentReport {
        let key = AccessKeyInfo(accessKeyId: leaked, status: status, createDate: nil)
        let identity = KeyIdentity(keyId: leaked, decodedAccount: "123456789012", callerAccount: "123456789012", accountConfirmed: true,
                                   userName: "deployer", key: key, userKeys: [key], lastUse: nil, ageDays: nil)
        return IncidentReport(keyId: leaked, generated: Date(), mode: "apply", identity: identity, quarantine: nil, rotation: rotation,
                              journal: nil, earlierJournals: [], since: Date(), regions: ["us-east-1"], followedKeys: [leaked],
                              followedUsers: [], followedRoles: [], events: [], eventsRead: 0, resources: resources, removed: removed,
                              guardrails: nil, notes: [], needsHuman: [], timeline: [], supportSummary: "")
    }

    @Test func failedReplacementIsNotCalledReplacedOrRotated() {
        var r = report(rotation: [RotationStep(kind: .createKey, state: .failed, detail: "create", keyId: nil),
                                  RotationStep(kind: .deactivateKey, state: .blocked, detail: "deactivate", keyId: leaked)])
        let backdoor = SuspectResource(type: "iam-user", id: "backdoor", region: "global", created: nil, createdBy: nil,
                                       attributedToLeak: true, removal: "aws iam delete-user --user-name backdoor")
        let instance = SuspectResource(type: "ec2-instance", id: "i-0abc", region: "eu-west-1", created: nil, createdBy: nil,
                                       attributedToLeak: true, removal: "aws ec2 terminate-instances")
        r.resources = [backdoor, instance]
        r.removed = ["i-0abc"]
        r.followedUsers = ["backdoor"]
        r.followedRoles = ["ops-admin"]
        ReportAssembler.finish(&r, history: JournalHistory(files: [], entries: []))
        let text = r.supportSummary
        #expect(!text.contains("replaced"))
        #expect(!text.contains("rotated"))
        #expect(!text.contains("deactivated"))
        #expect(text.contains("Done: removed i-0abc."))
        #expect(text.contains("resources attributed to the leak are still present: backdoor, ops-admin"))
        #expect(text.contains("no replacement key has been created yet"))
        #expect(text.contains("the exposed key \(leaked) is still active"))
        #expect(text.hasPrefix("[DRAFT"))
    }
}

extension SupportSummaryTests {
    /// #15: one key handled is never "All keys rotated": the reply names the keys left as they were.
    @Test func oneRotatedKeyIsNotAllKeys() {
        var r = report(rotation: [RotationStep(kind: .createKey, state: .done, detail: "", keyId: "AKIANEWREPLACEMENT01"),
                                  RotationStep(kind: .deactivateKey, state: .done, detail: "", keyId: leaked)], status: "Active")
        r.otherActiveKeys = [
            OtherAccessKey(user: "deployer", accessKeyId: "AKIANEWREPLACEMENT01", createDate: nil, ageDays: 0, lastUse: nil,
                           note: "the replacement created by this response"),
            OtherAccessKey(user: "alice", accessKeyId: "AKIAALICE00000000001", createDate: nil, ageDays: 300,
                           lastUse: LastUse(date: nil, region: nil, service: nil), note: nil),
        ]
        ReportAssembler.finish(&r, history: JournalHistory(files: [], entries: []))
        #expect(!r.supportSummary.contains("All keys rotated"))
        #expect(r.supportSummary.contains("Done: created the replacement key AKIANEWREPLACEMENT01; deactivated the exposed key \(leaked)."))
        #expect(r.supportSummary.contains("Not done: \(leaked) is deactivated but not yet deleted."))
        #expect(r.supportSummary.contains("1 other active access key(s) (AKIAALICE00000000001 of alice); they were not rotated"))
        let markdown = ReportRenderer.markdown(r)
        #expect(markdown.contains("| alice | AKIAALICE00000000001 | 300 days | never |  |"))
        #expect(markdown.contains("| deployer | AKIANEWREPLACEMENT01 | 0 days | unknown | the replacement created by this response |"))
    }
}

/// #15: the root user's key gets a procedure for a human, never a change.
@Suite struct RootKeyTests {
    @Test func rootKeyGetsGuidanceAndNoChange() async throws {
        let account = "581039954779"  // decoded offline from AKIAIOSFODNN7EXAMPLE
        let transport = RecordedTransport([
            "GetCallerIdentity": ["<GetCallerIdentityResponse><GetCallerIdentityResult><Account>\(account)</Account><Arn>arn:aws:iam::\(account):user/responder</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>"],
            "GetAccessKeyLastUsed": ["HTTP 404 <ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no such key</Message></Error></ErrorResponse>"],
            "ListUsers": ["<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated><Users/></ListUsersResult></ListUsersResponse>",
                          "<ListUsersResponse><ListUsersResult><IsTruncated>false</IsTruncated><Users/></ListUsersResult></ListUsersResponse>"],
            "GetAccountSummary": ["<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>AccountAccessKeysPresent</key><value>1</value></entry><entry><key>AccountMFAEnabled</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>"],
        ])
        var options = RespondOptions(keyId: leaked)
        options.apply = true
        options.secretDestination = .standardOutput
        options.regions = ["us-east-1"]
        options.offlineTrail = true
        options.journalDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("respond-\(UUID().uuidString)").path
        let report = try await Responder(client: recordedClient(transport), options: options, printSecret: { _, _ in }).run()
        #expect(report.identity.rootKey)
        #expect(report.rotation.isEmpty)
        #expect(report.rootProcedure.count == 5)
        #expect(report.rootProcedure[0].hasPrefix("Sign in to the AWS console as the root user of account \(account)"))
        #expect(report.rootProcedure.contains { $0.contains("Do not create a new root key") })
        #expect(report.needsHuman.contains { $0.contains("root key procedure") })
        let markdown = ReportRenderer.markdown(report)
        #expect(markdown.contains("## Root key procedure (guidance only: Mamori never changes the root user)"))
        #expect(markdown.contains("most likely the account's **root user**"))
        let writes = transport.requests.map(\.operation).filter { ["CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey"].contains($0) }
        #expect(writes.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: options.journalDirectory))
    }

    @Test func quarantineV2ExplainsLookupEventsAndKeepingIt() {
        let status = QuarantineStatus(attached: ["AWSCompromisedKeyQuarantineV2"], deniedActions: ["cloudtrail:LookupEvents", "iam:CreateUser"], error: nil)
        #expect(status.deniesLookupEvents)
        let asOther = status.explanation(user: "deployer", callerArn: "arn:aws:iam::123456789012:user/responder")
        #expect(asOther.contains { $0.contains("denies `cloudtrail:LookupEvents` to deployer: the CloudTrail review must run as another principal") })
        #expect(asOther.contains { $0.contains("does not recommend removing it before the response is complete") })
        #expect(!asOther.contains { $0.hasPrefix("Mamori is running as") })
        let asItself = status.explanation(user: "deployer", callerArn: "arn:aws:iam::123456789012:user/deployer")
        #expect(asItself.contains { $0.hasPrefix("Mamori is running as deployer itself") })
        let v1 = QuarantineStatus(attached: ["AWSCompromisedKeyQuarantine"], deniedActions: ["iam:CreateUser"], error: nil)
        #expect(!v1.deniesLookupEvents)
    }
}
