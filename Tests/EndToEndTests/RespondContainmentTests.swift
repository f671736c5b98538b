import Foundation
import MamoriTestSupport
import Testing

extension RespondEstate {
    /// The inline policy `name` of a user or role (`kind` "user" or "role"), read with boto3; "" when absent.
    func inlinePolicy(_ kind: String, _ principal: String, _ name: String) throws -> String {
        let script = """
            import boto3, json, sys
            c = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
            try:
                if sys.argv[2] == 'user':
                    d = c.get_user_policy(UserName=sys.argv[3], PolicyName=sys.argv[4])['PolicyDocument']
                else:
                    d = c.get_role_policy(RoleName=sys.argv[3], PolicyName=sys.argv[4])['PolicyDocument']
                print(json.dumps(d))
            except c.exceptions.NoSuchEntityException:
                print('')
            """
        let data = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, endpoint, kind, principal, name], deadline: 120,
                                        name: "boto3 get inline policy").stdout
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `--contain`, temporary keys (the role's sessions revoked) and `--from-event`, against moto.
@Suite(.serialized) struct RespondContainmentTests {
    static let instance = "i-0123456789abcdef0"

    func journal(_ run: Run) throws -> String {
        try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Journal: `") }.map { String($0.dropFirst("Journal: `".count).dropLast()) })
    }

    /// Two CloudTrail records of the instance's session key, used from outside AWS an hour ago.
    func writeSessionTrail(_ key: String, cwd: String) throws -> String {
        let formatter = ISO8601DateFormatter()
        let when = formatter.string(from: Date().addingTimeInterval(-3600))
        let identity = #"{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/web-app/\#(Self.instance)","accountId":"123456789012","accessKeyId":"\#(key)","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::123456789012:role/web-app","userName":"web-app"}}}"#
        let records = ["GetCallerIdentity", "ListBuckets"].enumerated().map { index, name in
            #"{"eventVersion":"1.08","userIdentity":\#(identity),"eventTime":"\#(when)","eventSource":"sts.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"curl","requestParameters":null,"responseElements":null,"eventID":"session-\#(index)"}"#
        }
        let path = "\(cwd)/session-trail.json"
        try #"{"Records":[\#(records.joined(separator: ","))]}"#.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func temporaryKeyRevokesTheRolesSessionsWithUndo() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["sessionKey"])
        let cwd = Mamori.tempDir()
        let trail = try writeSessionTrail(key, cwd: cwd)

        // Without an event of the key, the role is unknown: blocked, with what to do.
        let unknown = try estate.respond([key, "--offline-trail"], cwd: cwd)
        #expect(unknown.status == 1, "\(unknown.stderr)")
        #expect(unknown.stdout.contains("[blocked] revoke-sessions: no CloudTrail event read names the role of \(key)"))
        #expect(unknown.stdout.contains("pass --role NAME"))
        let named = try estate.respond([key, "--offline-trail", "--role", "web-app"], cwd: cwd)
        #expect(named.stdout.contains("Role: `web-app` (from --role)"))
        #expect(named.stdout.contains("[planned] revoke-sessions"))

        // The plan: role and instance from CloudTrail, nothing changed.
        let plan = try estate.respond([key, "--cloudtrail", trail, "--offline-trail"], cwd: cwd)
        #expect(plan.status == 1, "\(plan.stderr)")
        #expect(plan.stdout.contains("Temporary (STS) key: it cannot be rotated"))
        #expect(plan.stdout.contains("Role: `web-app` (from CloudTrail)"))
        #expect(plan.stdout.contains("the role credentials of **instance \(Self.instance)**"))
        #expect(plan.stdout.contains("from 198.51.100.7"))
        #expect(plan.stdout.contains("[planned] revoke-sessions: deny every session of role/web-app issued before the time of the run"))
        #expect(plan.stdout.contains("Nothing to rotate: temporary credentials expire"))
        #expect(plan.stdout.contains("require IMDSv2 on it"))
        #expect(try estate.inlinePolicy("role", "web-app", "AWSRevokeOlderSessions").isEmpty)

        // Phases of a long-term key do not apply.
        let deactivate = try estate.respond([key, "--deactivate", "--offline-trail"], cwd: cwd)
        #expect(deactivate.status == 2)
        #expect(deactivate.stderr.contains("temporary (STS) key: it cannot be rotated, deactivated or deleted"))

        // --apply revokes: the console's policy, journaled.
        let applied = try estate.respond([key, "--apply", "--cloudtrail", trail, "--offline-trail"], cwd: cwd)
        #expect(applied.status == 1, "\(applied.stderr)")
        #expect(applied.stdout.contains("[done] revoke-sessions: sessions of role/web-app issued before"))
        let policy = try estate.inlinePolicy("role", "web-app", "AWSRevokeOlderSessions")
        #expect(policy.contains("aws:TokenIssueTime") && policy.contains("DateLessThan") && policy.contains("Deny"))
        let journalPath = try journal(applied)
        #expect(applied.stdout.contains("mamori respond undo \(journalPath) --apply"))
        #expect(applied.stdout.contains("revoked sessions of role/web-app") || applied.stdout.contains("sessions of role/web-app issued before"))
        #expect(!applied.stdout.contains("[DRAFT"))

        // A re-run finds it done and changes nothing.
        let again = try estate.respond([key, "--apply", "--cloudtrail", trail, "--offline-trail"], cwd: cwd)
        #expect(again.stdout.contains("[done] revoke-sessions"))
        #expect(!again.stdout.contains("Journal: `"))

        // Undo removes exactly that policy.
        let undone = try estate.undo([journalPath, "--apply"], cwd: cwd)
        #expect(undone.status == 0, "\(undone.stdout)\(undone.stderr)")
        #expect(undone.stdout.contains("[done] revoke-sessions: delete the inline policy AWSRevokeOlderSessions of web-app"))
        #expect(try estate.inlinePolicy("role", "web-app", "AWSRevokeOlderSessions").isEmpty)
    }

    @Test func containDeniesTheUserAndUndoRestoresIt() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let cwd = Mamori.tempDir()

        let plan = try estate.respond([key, "--contain", "--offline-trail"], cwd: cwd)
        #expect(plan.status == 1, "\(plan.stderr)")
        #expect(plan.stdout.contains("## Contain (--contain)"))
        #expect(plan.stdout.contains("[planned] contain-deny-all: attach the inline deny-all policy MamoriContainmentDenyAll to user/deployer"))
        #expect(plan.stdout.contains("[planned] contain-deactivate-key: deactivate (not delete) \(key) of user/deployer (the exposed key)"))
        #expect(try estate.inlinePolicy("user", "deployer", "MamoriContainmentDenyAll").isEmpty)
        #expect(try estate.keys(of: "deployer") == [[key, "Active"]])
        // The bill of the window (Cost Explorer, seeded): the new eu-west-1 spend is called out.
        #expect(plan.stdout.contains("## 7. Cost in the exposure window"))
        #expect(plan.stdout.contains("(recent days are estimates)"))
        #expect(plan.stdout.contains("| eu-west-1 | Amazon Elastic Compute Cloud - Compute | 0.00 |"))
        #expect(plan.stdout.contains("Spend on Amazon Elastic Compute Cloud - Compute in eu-west-1 rose to"))
        #expect(!plan.stdout.contains("Spend on Amazon Elastic Compute Cloud - Compute in us-east-1 rose"))

        let contained = try estate.respond([key, "--contain", "--apply", "--offline-trail"], cwd: cwd)
        #expect(contained.status == 1, "\(contained.stderr)")
        #expect(contained.stdout.contains("Mode: **contain**"))
        #expect(contained.stdout.contains("[done] contain-deny-all"))
        #expect(contained.stdout.contains("[done] contain-deactivate-key"))
        #expect(try estate.inlinePolicy("user", "deployer", "MamoriContainmentDenyAll").contains("MamoriContainment"))
        #expect(try estate.keys(of: "deployer") == [[key, "Inactive"]])
        // Containment rotates nothing: no replacement key was made.
        #expect(contained.stdout.contains("[planned] create-key") || contained.stdout.contains("create-key"))
        #expect(contained.stdout.contains("deactivated the exposed key \(key)"))
        let journalPath = try journal(contained)

        let undone = try estate.undo([journalPath, "--apply"], cwd: cwd)
        #expect(undone.status == 0, "\(undone.stdout)\(undone.stderr)")
        #expect(undone.stdout.contains("[done] contain-deny-all: delete the inline policy MamoriContainmentDenyAll of deployer"))
        #expect(undone.stdout.contains("[done] contain-deactivate-key: re-activate \(key) of deployer"))
        #expect(try estate.inlinePolicy("user", "deployer", "MamoriContainmentDenyAll").isEmpty)
        #expect(try estate.keys(of: "deployer") == [[key, "Active"]])
    }

    @Test func startsFromAHealthEventOrAGuardDutyFinding() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let sessionKey = try #require(estate.facts["sessionKey"])
        let cwd = Mamori.tempDir()

        let health = #"{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"AWS Health Event","source":"aws.health","account":"123456789012","time":"2026-12-01T06:27:57Z","region":"us-east-1","resources":["\#(key)"],"detail":{"eventArn":"arn:aws:health:global::event/RISK/AWS_RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED_0123","service":"RISK","eventTypeCode":"AWS_RISK_CREDENTIALS_EXPOSED","eventTypeCategory":"issue","startTime":"Tue, 1 Dec 2026 06:27:57 GMT","eventDescription":[{"language":"en_US","latestDescription":"Your access key was found publicly."}],"affectedEntities":[{"entityValue":"\#(key)"}]}}"#
        try health.write(toFile: "\(cwd)/health.json", atomically: true, encoding: .utf8)
        let fromHealth = try estate.respond(["--from-event", "\(cwd)/health.json", "--offline-trail"], cwd: cwd)
        #expect(fromHealth.status == 1, "\(fromHealth.stderr)")
        #expect(fromHealth.stderr.contains("AWS Health AWS_RISK_CREDENTIALS_EXPOSED: responding to \(key)"))
        #expect(fromHealth.stdout.contains("# Leaked key response: \(key)"))
        #expect(fromHealth.stdout.contains("Owner: IAM user `deployer`"))

        let finding = #"{"version":"0","id":"c8c4daa7-a20c-2f03-0070-b7393dd542ad","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","time":"2026-12-04T10:00:00Z","region":"us-east-1","resources":[],"detail":{"schemaVersion":"2.0","accountId":"123456789012","region":"us-east-1","partition":"aws","type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"\#(sessionKey)","principalId":"AROAEXAMPLEROLEID:\#(Self.instance)","userName":"web-app","userType":"AssumedRole"}},"service":{"action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"ListBuckets","remoteIpDetails":{"ipAddressV4":"198.51.100.7"}}}},"severity":8,"createdAt":"2026-12-04T09:58:00Z","updatedAt":"2026-12-04T10:00:00Z"}}"#
        try finding.write(toFile: "\(cwd)/finding.json", atomically: true, encoding: .utf8)
        let fromFinding = try estate.respond(["--from-event", "\(cwd)/finding.json", "--offline-trail"], cwd: cwd)
        #expect(fromFinding.status == 1, "\(fromFinding.stderr)")
        #expect(fromFinding.stderr.contains("responding to \(sessionKey) (instance \(Self.instance)), used from 198.51.100.7"))
        #expect(fromFinding.stdout.contains("Role: `web-app` (from the GuardDuty finding)"))
        #expect(fromFinding.stdout.contains("[planned] revoke-sessions"))

        try #"{"detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}}"#.write(toFile: "\(cwd)/other.json", atomically: true, encoding: .utf8)
        let other = try estate.respond(["--from-event", "\(cwd)/other.json", "--offline-trail"], cwd: cwd)
        #expect(other.status == 2)
        #expect(other.stderr.contains("is neither an AWS Health event (detail.eventTypeCode) nor a GuardDuty finding (detail.type)"))
    }
}
