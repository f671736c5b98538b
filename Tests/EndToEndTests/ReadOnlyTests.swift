import Foundation
import Testing

/// Proves from the emulator's own request log that a scan only reads, and that the published
/// least-privilege policy is exactly the set of calls a scan makes.
@Suite(.serialized)
struct ReadOnlyTests {
    static let policyPath = MotoEstate.repoRoot.appendingPathComponent("docs/iam/mamori-scan-policy.json").path

    func recordedActions(of arguments: [String]) throws -> Set<String> {
        // A fresh estate so the log holds this scan's requests only.
        let estate = try MotoEstate.start(scenario: "demo")
        _ = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--quiet", "--format", "json"] + arguments)
        let log = try String(contentsOfFile: estate.requestLog, encoding: .utf8)
        var actions = Set<String>()
        for line in log.split(separator: "\n") {
            let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let action = entry?["action"] as? String { actions.insert(action) }
        }
        return actions
    }

    @Test func aScanOnlyReadsAndMatchesThePublishedPolicy() throws {
        let actions = try recordedActions(of: ["--region", "us-east-1", "--region", "eu-west-1"])
        #expect(!actions.isEmpty)
        // AssumeRole is not made here; GenerateCredentialReport only builds the read-only report; BatchGet (codebuild:BatchGetProjects) reads.
        let readOnly = ["Get", "List", "Describe", "BatchGet", "GenerateCredentialReport"]
        for action in actions {
            let name = String(action.split(separator: ":").last ?? "")
            #expect(readOnly.contains { name.hasPrefix($0) }, "\(action) is not a read call")
        }
        let policy = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.policyPath))) as? [String: Any]
        let statements = policy?["Statement"] as? [[String: Any]] ?? []
        let allowed = Set(statements.flatMap { $0["Action"] as? [String] ?? [] })
        // Calls made only in some situations (an AMI that DescribeImages no longer returns; `amis plan` in audit mode).
        let conditional: Set<String> = ["ec2:DescribeInstanceImageMetadata", "cloudtrail:LookupEvents"]
        #expect(actions.subtracting(["sts:GetCallerIdentity"]).subtracting(allowed).isEmpty, "not in policy: \(actions.subtracting(allowed))")
        #expect(allowed.subtracting(actions).subtracting(conditional).isEmpty, "in policy but never called: \(allowed.subtracting(actions))")
    }

    /// Only the Remediation module changes accounts: no other module's source names a mutating AWS
    /// action in a request (`action: "Create…"`, `operation: "Delete…"`). A new write elsewhere fails here.
    @Test func onlyRemediationCallsMutatingActions() throws {
        let sources = MotoEstate.repoRoot.appendingPathComponent("Sources")
        let verbs = ["Create", "Delete", "Put", "Update", "Attach", "Detach", "Modify", "Terminate", "Cancel", "Enable", "Disable",
                     "Reset", "Revoke", "Authorize", "Stop", "Start", "Run", "Tag", "Untag", "Remove", "Add", "Set", "Replace",
                     "Register", "Deregister", "Associate", "Disassociate", "Import", "Copy", "Restore", "Reboot", "Send", "Publish"]
        // Calls whose names start with a verb but only read (report generation, look-ups, STS identity and role
        // sessions; SSO OIDC CreateToken renews the caller's own IAM Identity Center token, no account change).
        let reads: Set<String> = ["GenerateCredentialReport", "AssumeRole", "CreateToken"]
        let pattern = try NSRegularExpression(pattern: #"(?:action|operation):\s*"([A-Za-z0-9]+)""#)
        var offenders: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.path.contains("/Sources/Remediation/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let name = String(text[range])
                if !reads.contains(name), verbs.contains(where: { name.hasPrefix($0) && name.dropFirst($0.count).first?.isUppercase == true }) {
                    offenders.append("\(url.path.replacingOccurrences(of: sources.path + "/", with: "")): \(name)")
                }
            }
        }
        #expect(offenders.isEmpty, "mutating AWS calls outside Remediation: \(offenders)")
    }
}
