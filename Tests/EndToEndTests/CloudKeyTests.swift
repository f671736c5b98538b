import Foundation
import Testing

/// `secrets.key_in_cloud_resource` against the demo estate: keys planted by seed_cloud_keys in
/// Tests/Support/moto_estate.py are found where they hide, and nothing of them but the redacted
/// key ID reaches the report, the saved inventory or the history store.
@Suite(.serialized)
struct CloudKeyTests {
    /// CLOUD_KEYS in moto_estate.py, by where they were planted; `reported` are expected findings.
    static let reported = [
        "instance": "AKIABZPUZDIKGVQ7WTZM", "instance_gzip": "AKIADCH6YDSYWVK6DWPN", "template": "AKIABZPUZDIKGVR4NBKD",
        "launch_configuration": "AKIADCH6YDSYWVT6CXJB", "lambda": "AKIABZPUZDIKGVH2PXVC", "ecs": "AKIADCH6YDSYWVV2HMQL",
        "ssm": "AKIABZPUZDIKGVJ5TLQW", "stack_output": "AKIABZPUZDIKGVM3GYRF", "codebuild": "AKIADCH6YDSYWVZ4RKTP",
    ]
    /// In a SecureString parameter: never read, never reported.
    static let secureStringKey = "AKIABZPUZDIKGVW7QNJD"
    /// CLOUD_SECRETS: next to the instance's and the Lambda function's keys, and in the SecureString.
    static let secrets = ["AbeuEchsVEoR7TJYHSDATOCN1D61/k7U4O5Zi/cz", "rwcK+tmoYgj7LZDwTkENNvOX8R4jI8so+XWbHlKi",
                          "f5hGu+9+fh8k7D5GkbhQW3ShM5Nd3XbSXasGF+QP"]
    static let exampleKey = "AKIAIOSFODNN7EXAMPLE"

    static func redacted(_ key: String) -> String { String(key.prefix(4)) + "…" + String(key.suffix(4)) }

    @Test func keysInsideResourcesAreFoundAndNeverStored() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let (inventory, db) = (dir + "/inventory.json", dir + "/history.sqlite")
        let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--region", "eu-west-1",
                                  "--format", "json", "--quiet", "--save", inventory, "--db", db])
        #expect(run.status == 3, "moto lacks a few unrelated calls: \(run.stderr)")
        // The scan summary counts what the hunt read and what it cost.
        let summary = try #require(run.stderr.split(separator: "\n").first { $0.contains("keys in cloud resources:") })
        #expect(summary.contains("API call(s)") && summary.contains("9 hold an AWS key"), "\(summary)")

        let findings = try run.json().filter { $0["check"] as? String == "secrets.key_in_cloud_resource" }
        let messages = findings.compactMap { $0["message"] as? String }
        for (place, key) in Self.reported {
            let matching = messages.filter { $0.contains(Self.redacted(key)) }
            #expect(matching.count == 1, "\(place): \(Self.redacted(key)) expected once in \(messages)")
        }
        #expect(findings.count == Self.reported.count)
        #expect(!messages.contains { $0.contains(Self.redacted(Self.secureStringKey)) }, "a SecureString value was read")
        #expect(!messages.contains { $0.contains("EXAMPLE") }, "AWS's documentation example key was reported")

        // Field, decoded account and severity: this account's keys critical, another account's high.
        let lambda = try #require(findings.first { ($0["message"] as? String)?.contains(Self.redacted(Self.reported["lambda"]!)) == true })
        #expect(lambda["severity"] as? String == "critical")
        #expect(lambda["resource"] as? String == "arn:aws:lambda:us-east-1:123456789012:function:demo-uploader")
        #expect((lambda["message"] as? String)?.contains("field Environment.Variables.AWS_ACCESS_KEY_ID") == true)
        #expect((lambda["message"] as? String)?.contains("account 123456789012, this account, with its secret access key") == true)
        let gzipped = try #require(findings.first { ($0["message"] as? String)?.contains(Self.redacted(Self.reported["instance_gzip"]!)) == true })
        #expect(gzipped["severity"] as? String == "high")
        #expect((gzipped["message"] as? String)?.contains("account 210987654321") == true)
        let template = try #require(findings.first { $0["resourceType"] as? String == "AwsEc2LaunchTemplate" })
        #expect((template["message"] as? String)?.contains("(version 2)") == true)
        #expect((template["remediation"] as? String)?.contains("mamori respond leaked-key") == true)

        // Neither the full key IDs nor any secret in the report, the inventory or the store (and its WAL).
        var outputs = [("report", Data(run.stdout.utf8)), ("inventory", try Data(contentsOf: URL(fileURLWithPath: inventory)))]
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasPrefix("history.sqlite") {
            outputs.append((file, try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))))
        }
        let planted = Array(Self.reported.values) + [Self.secureStringKey] + Self.secrets
        for (name, data) in outputs {
            for value in planted { #expect(data.range(of: Data(value.utf8)) == nil, "\(name) holds \(value.prefix(4))…") }
        }
        // ...while the store does hold the findings, redacted: the search above looked in the right place.
        let store = outputs.filter { $0.0.hasPrefix("history.sqlite") }.map(\.1).reduce(Data(), +)
        #expect(store.range(of: Data(Self.redacted(Self.reported["ssm"]!).utf8)) != nil)
        let saved = try #require(String(data: outputs[1].1, encoding: .utf8))
        #expect(saved.contains("\"cloudKeys\"") && saved.contains(Self.redacted(Self.reported["codebuild"]!)))

        // The saved inventory re-evaluates to the same findings offline.
        let check = try Mamori.run(["check", "--inventory", inventory, "--format", "json"])
        let offline = try check.json().filter { $0["check"] as? String == "secrets.key_in_cloud_resource" }
        #expect(offline.count == findings.count)
    }
}
