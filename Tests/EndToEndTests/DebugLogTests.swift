import Foundation
import Testing

/// `--debug` logs every AWS request and never what signs or authorises it.
@Suite struct DebugLogTests {
    @Test func debugLogOfAScanHoldsNoSecret() throws {
        let estate = try MotoEstate.demo()
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEBUGSECRET"
        let token = "FwoGZXIvYXdzEDEBUGSESSIONTOKENxyz0123456789"
        let keyId = "AKIADEBUGLOGTEST0001"
        let env = Mamori.environment(extra: ["AWS_ACCESS_KEY_ID": keyId, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token])
        let run = try Mamori.run(["scan", "--debug", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet"], environment: env)
        #expect([0, 1, 3].contains(run.status), "\(run.status) \(run.stderr.suffix(2000))")
        let lines = run.stderr.split(separator: "\n").filter { $0.contains("mamori.aws") }
        #expect(lines.count > 20, "\(run.stderr.prefix(2000))")
        // The fields a user needs: method, host, service, action, region, status, latency, attempt.
        #expect(lines.contains { $0.contains("POST 127.0.0.1 sts GetCallerIdentity us-east-1: HTTP 200 in ") && $0.contains(" ms, attempt 1") },
                "\(lines.prefix(5))")
        #expect(lines.contains { $0.contains(" ec2 DescribeInstances us-east-1: HTTP 200") })
        for text in [run.stderr, run.stdout] {
            for forbidden in [secret, token, keyId, "Signature=", "Credential=", "X-Amz-Security-Token", "x-amz-security-token", "Authorization:", "AWS4-HMAC-SHA256"] {
                #expect(!text.contains(forbidden), "\(forbidden) appears in the output")
            }
        }
        // Without --debug: no request log at all.
        let quiet = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--quiet"], environment: env)
        #expect(!quiet.stderr.contains("mamori.aws"))
    }
}
