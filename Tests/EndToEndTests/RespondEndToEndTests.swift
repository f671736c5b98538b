import Foundation
import MamoriTestSupport
import Testing

/// The leaked-key estate of `Tests/Support/respond_estate.py`; one per test, because the tests change it.
final class RespondEstate: Sendable {
    let endpoint: String
    let facts: [String: String]
    let instances: [String: String]
    private let process: Process
    private let stdin: Pipe

    init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", MotoEstate.repoRoot.appendingPathComponent("Tests/Support/respond_estate.py").path, "--port", "0"]
        let stdout = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // An estate that never gets ready is killed, which ends its output and fails the test.
        let watchdog = Watchdog(pid: process.processIdentifier, seconds: 180, name: "respond_estate.py")
        defer { watchdog.finish() }
        var buffer = Data()
        var facts: [String: Any] = [:]
        var endpoint: String?
        while endpoint == nil {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { throw EstateError("respond_estate.py exited before it was ready (is moto[server] installed?)") }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") {
                if line.hasPrefix("FACTS "), let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any] {
                    facts = object
                }
                if line.hasPrefix("READY ") { endpoint = String(line.dropFirst(6)) }
            }
        }
        self.endpoint = endpoint ?? ""
        self.facts = facts.compactMapValues { $0 as? String }
        self.instances = (facts["instances"] as? [String: String]) ?? [:]
        self.process = process
        self.stdin = stdin
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        awaitExit(process)
    }

    /// `[[keyId, status]]` of a user's keys, read straight from moto with boto3.
    func keys(of user: String) throws -> [[String]] {
        let script = """
            import boto3, json, sys
            c = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
            print(json.dumps(sorted([[k['AccessKeyId'], k['Status']] for k in c.list_access_keys(UserName=sys.argv[2])['AccessKeyMetadata']])))
            """
        let data = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, endpoint, user], deadline: 120, name: "boto3 list_access_keys").stdout
        return (try JSONSerialization.jsonObject(with: data) as? [[String]]) ?? []
    }

    /// An instance's state name, read straight from moto.
    func instanceState(_ id: String, region: String) throws -> String {
        let script = """
            import boto3, sys
            c = boto3.client('ec2', endpoint_url=sys.argv[1], region_name=sys.argv[3], aws_access_key_id='testing', aws_secret_access_key='testing')
            print(c.describe_instances(InstanceIds=[sys.argv[2]])['Reservations'][0]['Instances'][0]['State']['Name'])
            """
        let data = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, endpoint, id, region], deadline: 120,
                                        name: "boto3 describe_instances").stdout
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func undo(_ arguments: [String], cwd: String) throws -> Run {
        try Mamori.run(["respond", "undo"] + arguments + ["--endpoint-url", endpoint, "--region", "us-east-1"],
                       environment: Mamori.environment(), cwd: cwd)
    }

    func respond(_ arguments: [String], cwd: String, extra: [String: String] = [:]) throws -> Run {
        try Mamori.run(["respond", "leaked-key"] + arguments + ["--endpoint-url", endpoint, "--region", "us-east-1", "--region", "eu-west-1"],
                       environment: Mamori.environment(extra: extra), cwd: cwd)
    }
}

@Suite(.serialized) struct RespondEndToEndTests {
    func journalLines(_ dir: String) throws -> [[String: Any]] {
        // In the order they were written: NAME-STAMP.jsonl, then NAME-STAMP-2.jsonl for a second run
        // in the same second (plain name order would put "-2" first).
        func order(_ file: String) -> (String, Int) {
            let stem = String(file.dropLast(".jsonl".count))
            if let dash = stem.lastIndex(of: "-"), let attempt = Int(stem[stem.index(after: dash)...]), attempt < 1000 {
                return (String(stem[..<dash]), attempt)
            }
            return (stem, 0)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }
            .sorted { order($0) < order($1) }
        return try files.flatMap { name in
            try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8).split(separator: "\n").map {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
            }
        }
    }

    @Test func planApplyInterruptResumeFinish() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let backdoorKey = try #require(estate.facts["backdoorKey"])
        let cwd = Mamori.tempDir()
        let journals = "\(cwd)/.mamori/journal"

        // 1. Plan (dry run): explains, changes nothing, exit 1 because work remains.
        let plan = try estate.respond([key], cwd: cwd)
        #expect(plan.status == 1, "\(plan.stderr)")
        #expect(plan.stdout.contains("Mode: **plan**"))
        #expect(plan.stdout.contains("Account decoded from the key ID: 123456789012 (confirmed"))
        #expect(plan.stdout.contains("Owner: IAM user `deployer`"))
        #expect(plan.stdout.contains("Status: Active; created"))
        #expect(plan.stdout.contains("(40 days ago)"))
        #expect(plan.stdout.contains("Last used:") && plan.stdout.contains("in eu-west-1 by ec2"))
        #expect(plan.stdout.contains("AWS attached **AWSCompromisedKeyQuarantineV2**"))
        #expect(plan.stdout.contains("It also denies `cloudtrail:LookupEvents` to deployer: the CloudTrail review must run as another principal."))
        #expect(plan.stdout.contains("The seed does not recommend removing it before the response is complete"))
        #expect(plan.stdout.contains("[planned] create-key: create a new access key for deployer"))
        #expect(plan.stdout.contains("[later] deactivate-key: after every workload uses the replacement: `mamori respond leaked-key \(key) --deactivate`"))
        #expect(plan.stdout.contains("[later] delete-key"))
        #expect(plan.stdout.contains("Nothing to go back from: no key was changed."))
        // CloudTrail from the S3 trail: 10 records seeded, 9 by the leaked key or its chain (alice's CreateUser is not).
        #expect(plan.stdout.contains("10 events read"))
        #expect(plan.stdout.contains("9 by the leaked key or what it created; 8 flagged"))
        #expect(plan.stdout.contains("Followed keys: \(min(key, backdoorKey)), \(max(key, backdoorKey)); users: backdoor; roles: ops-admin"))
        for instance in estate.instances.values { #expect(plan.stdout.contains("| ec2-instance | \(instance) |")) }
        #expect(!plan.stdout.contains(try #require(estate.facts["oldInstance"])))
        #expect(plan.stdout.contains("| key-pair | miner | eu-west-1 |"))
        #expect(plan.stdout.contains("| lambda-function | crypto-relay | eu-west-1 |"))
        #expect(plan.stdout.contains("Remove access-key \(backdoorKey) (global), created by the leaked key: aws iam delete-access-key --user-name backdoor --access-key-id \(backdoorKey)"))
        #expect(plan.stdout.contains("| iam-role | ops-admin | global |"))
        #expect(plan.stdout.contains("| iam-user | intern | global |"))
        #expect(plan.stdout.contains("Review 1 resource(s) created since"))
        #expect(plan.stdout.contains("[DRAFT: not true yet"))
        #expect(plan.stdout.contains("- CloudTrail: on"))
        #expect(plan.stdout.contains("- Budgets: on"))
        #expect(plan.stdout.contains("- GuardDuty: on"))
        #expect(!FileManager.default.fileExists(atPath: journals))
        #expect(try estate.keys(of: "deployer") == [[key, "Active"]])
        // #15: the account's other active keys are listed (owner, age, last use), and the reply does not claim them.
        let aliceKey = try #require(estate.facts["aliceKey"])
        #expect(plan.stdout.contains("## Other active access keys in the account"))
        #expect(plan.stdout.contains("| alice | \(aliceKey) | 300 days | never |"))
        #expect(plan.stdout.contains("| backdoor | \(backdoorKey) |") && plan.stdout.contains("created by the leaked key's chain"))
        #expect(plan.stdout.contains("they were not rotated as part of this response"))

        // 2. --apply, interrupted by the test hook right after the new key was created.
        let secretFile = "\(cwd)/new-key.ini"
        let interrupted = try estate.respond([key, "--apply", "--secret-file", secretFile], cwd: cwd,
                                             extra: ["MAMORI_TEST_FAIL_AFTER_STEP": "create-key"])
        #expect(interrupted.status == 2)
        #expect(interrupted.stderr.contains("stopped after step create-key"))
        let afterCrash = try estate.keys(of: "deployer")
        #expect(afterCrash.count == 2)
        let newKey = try #require(afterCrash.first { $0[0] != key }?[0])
        #expect(afterCrash.contains([key, "Active"]))
        let attributes = try FileManager.default.attributesOfItem(atPath: secretFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secretText = try String(contentsOfFile: secretFile, encoding: .utf8)
        #expect(secretText.hasPrefix("[default]\naws_access_key_id = \(newKey)\naws_secret_access_key = "))
        let secret = try #require(secretText.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        #expect(secret.count >= 20)
        var lines = try journalLines(journals)
        #expect(lines.map { "\($0["phase"] ?? "") \($0["step"] ?? "")" } == ["before create-key", "after create-key"])
        #expect(lines[1]["result"] as? String == newKey)
        #expect(lines[1]["undo"] as? String == "aws iam delete-access-key --user-name deployer --access-key-id \(newKey)")

        // 3. --resume: does not create another key, and does NOT deactivate the exposed one (phase 1 only).
        let resumed = try estate.respond([key, "--resume", "--secret-file", "\(cwd)/unused.ini"], cwd: cwd)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("[done] create-key: replacement key \(newKey) was created by an earlier run"))
        #expect(resumed.stdout.contains("[later] deactivate-key"))
        #expect(resumed.stdout.contains("Move every workload that uses \(key) to \(newKey), then run `mamori respond leaked-key \(key) --deactivate`"))
        #expect(resumed.stdout.contains("To withdraw the replacement: `aws iam delete-access-key --user-name deployer --access-key-id \(newKey)`"))
        #expect(!FileManager.default.fileExists(atPath: "\(cwd)/unused.ini"))
        #expect(try estate.keys(of: "deployer") == [[key, "Active"], [newKey, "Active"]].sorted { $0[0] < $1[0] })
        #expect(try journalLines(journals).count == 2)

        // 4. Re-running --apply is idempotent: nothing planned, no journal written, no key created.
        let again = try estate.respond([key, "--apply", "--format", "json"], cwd: cwd)
        #expect(again.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let states = (report["rotation"] as? [[String: Any]])?.compactMap { $0["state"] as? String }
        #expect(states == ["done", "later", "later"])
        #expect(report["journal"] == nil)
        #expect((report["goBack"] as? [String])?.first?.contains("delete-access-key") == true)
        #expect(try journalLines(journals).count == 2)
        #expect(try estate.keys(of: "deployer").count == 2)

        // 5. --deactivate refuses while the key was used within the quiet period (moto: 3 days ago; 5000 minutes > 3 days).
        let refused = try estate.respond([key, "--deactivate", "--quiet-minutes", "5000"], cwd: cwd)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("[blocked] deactivate-key: \(key) was used"))
        #expect(refused.stdout.contains("within the last 5000") && refused.stdout.contains("--force"))
        #expect(try estate.keys(of: "deployer").contains([key, "Active"]))
        #expect(try journalLines(journals).count == 2)

        // 6. --deactivate (default quiet period): the old key is turned off, journaled; the report says how to go back.
        let deactivated = try estate.respond([key, "--deactivate"], cwd: cwd)
        #expect(deactivated.status == 1, "\(deactivated.stderr)")
        #expect(deactivated.stdout.contains("Mode: **deactivate**"))
        #expect(deactivated.stdout.contains("[done] deactivate-key: deactivate (not delete) \(key); last used"))
        #expect(try estate.keys(of: "deployer") == [[key, "Inactive"], [newKey, "Active"]].sorted { $0[0] < $1[0] })
        let deactivation = try #require(try JSONSerialization.jsonObject(with: Data(try estate.respond([key, "--format", "json", "--offline-trail"], cwd: cwd).stdout.utf8)) as? [String: Any])
        #expect((deactivation["rotation"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["done", "done", "later"])
        lines = try journalLines(journals)
        #expect(lines.map { "\($0["phase"] ?? "") \($0["step"] ?? "")" }
                == ["before create-key", "after create-key", "before deactivate-key", "after deactivate-key"])
        #expect(lines[3]["parameters"] as? [String: String] == ["UserName": "deployer", "AccessKeyId": key, "Status": "Inactive"])
        let deactivateJournal = try #require(deactivated.stdout.split(separator: "\n").first { $0.hasPrefix("Journal: `") }
            .map { String($0.dropFirst("Journal: `".count).dropLast()) })
        #expect(deactivated.stdout.contains("re-activate the old key: `aws iam update-access-key --user-name deployer --access-key-id \(key) --status Active`"
            + " (or `mamori respond undo \(deactivateJournal) --apply`"))
        #expect(deactivated.stdout.contains("then run `mamori respond leaked-key \(key) --finish` to delete it"))

        // 7. undo: a dry run first, then --apply re-activates the old key (journaled); deactivate again.
        let undoPlan = try estate.undo([deactivateJournal], cwd: cwd)
        #expect(undoPlan.status == 0, "\(undoPlan.stdout)\(undoPlan.stderr)")
        #expect(undoPlan.stdout.contains("[planned] deactivate-key: re-activate \(key) of deployer"))
        #expect(try estate.keys(of: "deployer").contains([key, "Inactive"]))
        let undone = try estate.undo([deactivateJournal, "--apply"], cwd: cwd)
        #expect(undone.status == 0, "\(undone.stdout)\(undone.stderr)")
        #expect(undone.stdout.contains("[done] deactivate-key: re-activate \(key) of deployer"))
        #expect(try estate.keys(of: "deployer").contains([key, "Active"]))
        #expect(try journalLines(journals).suffix(2).map { "\($0["phase"] ?? "") \($0["step"] ?? "") \($0["call"] ?? "")" }
                == ["before undo-deactivate-key iam:UpdateAccessKey", "after undo-deactivate-key iam:UpdateAccessKey"])
        #expect(try estate.undo([deactivateJournal, "--apply"], cwd: cwd).stdout.contains("[skipped] deactivate-key: \(key) of deployer is already active"))
        let redone = try estate.respond([key, "--deactivate", "--offline-trail"], cwd: cwd)
        #expect(redone.status == 1, "\(redone.stderr)")
        #expect(try estate.keys(of: "deployer").contains([key, "Inactive"]))

        // 8. --finish deletes the deactivated key, journaled; its undo says a deleted key cannot be restored.
        let finished = try estate.respond([key, "--finish"], cwd: cwd)
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        #expect(finished.stdout.contains("[done] delete-key"))
        #expect(finished.stdout.contains("\(key) is deleted and cannot be restored"))
        #expect(try estate.keys(of: "deployer") == [[newKey, "Active"]])
        lines = try journalLines(journals)
        #expect(lines.suffix(2).map { "\($0["phase"] ?? "") \($0["step"] ?? "")" } == ["before delete-key", "after delete-key"])
        let finishJournal = try #require(finished.stdout.split(separator: "\n").first { $0.hasPrefix("Journal: `") }
            .map { String($0.dropFirst("Journal: `".count).dropLast()) })
        let undoDelete = try estate.undo([finishJournal, "--apply"], cwd: cwd)
        #expect(undoDelete.status == 1)
        #expect(undoDelete.stdout.contains("[impossible] delete-key: \(key) was deleted: a deleted key cannot be restored"))

        // The secret is in the 0600 file only: never in the journal or any output.
        let journalText = try FileManager.default.contentsOfDirectory(atPath: journals)
            .map { try String(contentsOfFile: "\(journals)/\($0)", encoding: .utf8) }.joined()
        for text in [journalText, plan.stdout, interrupted.stdout, interrupted.stderr, resumed.stdout, resumed.stderr,
                     again.stdout, refused.stdout, deactivated.stdout, deactivated.stderr, undone.stdout, finished.stdout, finished.stderr] {
            #expect(!text.contains(secret))
            #expect(!text.contains("All keys rotated"))
        }
        #expect(finished.stdout.contains("deleted the exposed key \(key)."))
        #expect(finished.stdout.contains("Done: created the replacement key \(newKey); deleted the exposed key \(key)."))
        #expect(finished.stdout.contains("\(aliceKey) of alice"))
    }

    /// Undoing phase 1 deletes the replacement, but never while the old key is off (that would leave no working key).
    @Test func undoOfApplyKeepsAWorkingKey() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let cwd = Mamori.tempDir()
        func journal(_ run: Run) throws -> String {
            try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Journal: `") }.map { String($0.dropFirst("Journal: `".count).dropLast()) })
        }
        let applied = try estate.respond([key, "--apply", "--print-secret", "--offline-trail"], cwd: cwd)
        #expect(applied.status == 1, "\(applied.stderr)")
        let newKey = try #require(try estate.keys(of: "deployer").first { $0[0] != key }?[0])
        let applyJournal = try journal(applied)
        #expect(applied.stdout.contains("(or `mamori respond undo \(applyJournal) --apply`, which reverses this run's changes)"))
        let deactivated = try estate.respond([key, "--deactivate", "--offline-trail"], cwd: cwd)
        let deactivateJournal = try journal(deactivated)

        let refused = try estate.undo([applyJournal, "--apply"], cwd: cwd)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("[refused] create-key: deleting the replacement \(newKey) would leave deployer without an active key"))
        #expect(try estate.keys(of: "deployer") == [[key, "Inactive"], [newKey, "Active"]].sorted { $0[0] < $1[0] })

        #expect(try estate.undo([deactivateJournal, "--apply"], cwd: cwd).status == 0)
        let undone = try estate.undo([applyJournal, "--apply"], cwd: cwd)
        #expect(undone.status == 0, "\(undone.stdout)")
        #expect(undone.stdout.contains("[done] create-key: delete the replacement \(newKey) of deployer"))
        #expect(try estate.keys(of: "deployer") == [[key, "Active"]])

        // The journals record the undo: the next --apply plans a new replacement instead of trusting the deleted one.
        let plan = try estate.respond([key, "--offline-trail"], cwd: cwd)
        #expect(plan.stdout.contains("[planned] create-key: create a new access key for deployer"))
    }

    @Test func printSecretAndFindingsInput() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let cwd = Mamori.tempDir()
        let findings = "\(cwd)/findings.json"
        try #"[{"type":"aws-access-key-id","keyId":"\#(key)","file":"app.env","line":1,"column":1}]"#
            .write(toFile: findings, atomically: true, encoding: .utf8)
        let run = try estate.respond(["--from-findings", findings, "--apply", "--print-secret", "--offline-trail"], cwd: cwd)
        #expect(run.status == 1, "\(run.stderr)")
        let keys = try estate.keys(of: "deployer")
        let newKey = try #require(keys.first { $0[0] != key }?[0])
        #expect(run.stdout.hasPrefix("New access key: \(newKey)\nSecret access key (shown once): "))
        #expect(keys.contains([key, "Active"]))
        let journals = "\(cwd)/.mamori/journal"
        let journal = try FileManager.default.contentsOfDirectory(atPath: journals).map { try String(contentsOfFile: "\(journals)/\($0)", encoding: .utf8) }.joined()
        let secret = String(run.stdout.split(separator: "\n")[1].split(separator: " ").last ?? "")
        #expect(secret.count >= 20)
        #expect(!journal.contains(secret))
        #expect(run.stdout.components(separatedBy: secret).count == 2)  // printed exactly once
    }

    /// Rogue resources are removed one by one, only when named, only with --apply, journaled.
    @Test func removesOnlyNamedResources() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let eu = try #require(estate.instances["eu-west-1"])
        let us = try #require(estate.instances["us-east-1"])
        let cwd = Mamori.tempDir()
        let dry = try estate.respond([key, "--remove", eu, "--remove", "ops-admin", "--remove", "i-0notlisted"], cwd: cwd)
        #expect(dry.status == 1)
        #expect(dry.stdout.contains("would remove ec2-instance \(eu) in eu-west-1 (add --apply)"))
        #expect(dry.stdout.contains("--remove ops-admin: a iam-role is removed by hand"))
        #expect(dry.stdout.contains("--remove i-0notlisted: not among the resources this run listed"))
        #expect(try estate.instanceState(eu, region: "eu-west-1") == "running")

        let applied = try estate.respond([key, "--apply", "--print-secret", "--remove", eu, "--remove", "miner"], cwd: cwd)
        #expect(applied.status == 1, "\(applied.stderr)")
        #expect(applied.stdout.contains("Removed in this run (journaled): \(eu), miner"))
        #expect(!applied.stdout.contains("Remove ec2-instance \(eu)"))
        #expect(applied.stdout.contains("Remove ec2-instance \(us) (us-east-1), created by the leaked key"))
        #expect(try estate.instanceState(eu, region: "eu-west-1") == "terminated")
        #expect(try estate.instanceState(us, region: "us-east-1") == "running")
        let journals = "\(cwd)/.mamori/journal"
        let removals = try journalLines(journals).filter { $0["step"] as? String == "remove-resource" }
        #expect(removals.map { "\($0["phase"] ?? "") \($0["call"] ?? "")" }
                == ["before ec2:TerminateInstances", "after ec2:TerminateInstances", "before ec2:DeleteKeyPair", "after ec2:DeleteKeyPair"])
    }

    /// #16: an unusable --secret-file (or --report) stops --apply before any change: the exposed key stays active, no journal.
    @Test func unusableOutputsChangeNothing() throws {
        let estate = try RespondEstate()
        let key = try #require(estate.facts["leakedKey"])
        let cwd = Mamori.tempDir()
        try "old".write(toFile: "\(cwd)/exists.ini", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(cwd)/dangling.ini", withDestinationPath: "\(cwd)/nowhere")
        for (path, reason) in [("\(cwd)/exists.ini", "already exists"), ("\(cwd)/dangling.ini", "dangling symbolic link"),
                               ("\(cwd)/missing/key.ini", "does not exist"), ("/dev/stdout", "existing file or device")] {
            let run = try estate.respond([key, "--apply", "--secret-file", path, "--offline-trail"], cwd: cwd)
            #expect(run.status == 2, "\(path): \(run.stdout)")
            #expect(run.stderr.contains(reason) && run.stderr.contains("nothing was changed"), "\(path): \(run.stderr)")
            #expect(try estate.keys(of: "deployer") == [[key, "Active"]])
        }
        let badReport = try estate.respond([key, "--apply", "--secret-file", "\(cwd)/new.ini", "--report", "\(cwd)/missing/report.md"], cwd: cwd)
        #expect(badReport.status == 2)
        #expect(badReport.stderr.contains("--report \(cwd)/missing/report.md: the folder \(cwd)/missing does not exist; nothing was changed"))
        #expect(!FileManager.default.fileExists(atPath: "\(cwd)/new.ini"))
        #expect(try estate.keys(of: "deployer") == [[key, "Active"]])
        #expect(!FileManager.default.fileExists(atPath: "\(cwd)/.mamori/journal"))
        #expect(try String(contentsOfFile: "\(cwd)/exists.ini", encoding: .utf8) == "old")
    }

    @Test func badInputIsAClearError() throws {
        let run = try Mamori.run(["respond", "leaked-key", "ASIAIOSFODNN7EXAMPLE", "--finish", "--endpoint-url", "http://127.0.0.1:9"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("temporary (STS) key: it cannot be rotated, deactivated or deleted"))
        let malformed = try Mamori.run(["respond", "leaked-key", "ASIA123", "--endpoint-url", "http://127.0.0.1:9"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("is not an access key ID (expected AKIA or ASIA"))
        let containPhase = try Mamori.run(["respond", "leaked-key", "AKIAIOSFODNN7EXAMPLE", "--contain", "--deactivate"])
        #expect(containPhase.status == 2)
        #expect(containPhase.stderr.contains("--contain runs on its own"))
        let noEvent = try Mamori.run(["respond", "leaked-key", "--from-event", "/nonexistent/event.json", "--endpoint-url", "http://127.0.0.1:9"])
        #expect(noEvent.status == 2)
        #expect(noEvent.stderr.contains("--from-event"))
        let both = try Mamori.run(["respond", "leaked-key", "AKIAIOSFODNN7EXAMPLE", "--apply", "--finish"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--finish runs on its own"))
        let twoPhases = try Mamori.run(["respond", "leaked-key", "AKIAIOSFODNN7EXAMPLE", "--apply", "--deactivate"])
        #expect(twoPhases.status == 2)
        #expect(twoPhases.stderr.contains("--deactivate runs on its own"))
        let force = try Mamori.run(["respond", "leaked-key", "AKIAIOSFODNN7EXAMPLE", "--apply", "--force"])
        #expect(force.status == 2)
        #expect(force.stderr.contains("--force only applies to --deactivate"))
    }
}
