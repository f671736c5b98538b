import Foundation
import Testing

/// `mamori amis plan` through the real binary against the demo estate.
@Suite(.serialized)
struct AmisTests {
    @Test func planNamesTheLookAlikeAndPrintsTheJSON() throws {
        let estate = try MotoEstate.demo()
        let run = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--json",
                                  "--trust-account", "666677778888"])
        #expect(run.status == 1, "an in-use AMI would be blocked: \(run.stderr)")
        let plan = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(plan?["providers"] as? [String] == ["amazon", "666677778888"])
        let excluded = plan?["excluded"] as? [[String: Any]] ?? []
        // The running look-alike, and the two nothing runs yet (an SSM parameter's, the fleets').
        #expect(excluded.count == 3)
        #expect(excluded.allSatisfy { ($0["reason"] as? String)?.contains("444455556666") == true })
        let regions = plan?["regions"] as? [[String: Any]] ?? []
        #expect(regions.first?["currentState"] as? String == "unknown", "moto does not serve GetAllowedImagesSettings")
        #expect((plan?["untrustedOwners"] as? [[String: Any]])?.map { $0["ownerId"] as? String } == ["444455556666"])

        // Without --trust-account the image builder's shared AMI (in use) is flagged by
        // ec2.shared_ami_untrusted, so the plan must not allow its owner: it lists it instead.
        let untrusted = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--region", "us-east-1"], cwd: Mamori.tempDir())
        #expect(untrusted.status == 1, "\(untrusted.stderr)")
        let providersLine = untrusted.stdout.split(separator: "\n").first { $0.hasPrefix("Recommended image providers:") }
        #expect(providersLine == "Recommended image providers: amazon")
        #expect(untrusted.stdout.contains("account 666677778888 (shared):"))
        #expect(untrusted.stdout.contains("--trust-account ID"))
        let policies = untrusted.stdout.components(separatedBy: "4. Phases per region:")[0]
        #expect(!policies.components(separatedBy: "1. Criteria")[1].contains("666677778888"), "neither criteria, declarative policy nor SCP")
    }

    /// FSBP AutoScaling.4 end to end: moto returns the launch configuration's MetadataOptions
    /// (demo-legacy-lc sets HttpPutResponseHopLimit 1): the saved inventory holds them, and the check
    /// passes the configuration (the JSON report lists failures only, the table counts passes).
    @Test func launchConfigurationHopLimitIsReadFromDescribeLaunchConfigurations() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let run = try Mamori.run(["scan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--format", "table", "--no-history",
                                  "--checks", "autoscaling.launch_configuration_imds_hop_limit", "--save", "\(dir)/inventory.json"], cwd: dir)
        #expect([0, 3].contains(run.status), "stderr: \(run.stderr)")
        #expect(run.stdout.contains("0 failing finding(s); 1 passed"), "\(run.stdout)")
        let inventory = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/inventory.json"))) as? [String: Any]
        let regional = ((inventory?["accounts"] as? [[String: Any]])?.first?["regional"] as? [[String: Any]]) ?? []
        let configs = regional.flatMap { (($0["images"] as? [String: Any])?["launchConfigurations"] as? [[String: Any]]) ?? [] }
        let legacy = try #require(configs.first { $0["name"] as? String == "demo-legacy-lc" })
        let metadata = legacy["metadata"] as? [String: Any]
        #expect(metadata?["httpPutResponseHopLimit"] as? Int == 1)
        #expect(metadata?["httpTokens"] as? String == "required")
        #expect((legacy["arn"] as? String)?.hasPrefix("arn:aws:autoscaling:us-east-1:") == true, "the ARN DescribeLaunchConfigurations returns")
    }

    /// Conditions beyond providers: the shared image builder's AMI allowed by its name family only, an age
    /// limit on every criterion; the look-alike stays blocked, so the plan still exits 1.
    @Test func planProposesAFamilyCriterionAndAgeCondition() throws {
        let estate = try MotoEstate.demo()
        let run = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--format", "json",
                                  "--allow-family", "666677778888", "--max-days-since-created", "3650"], cwd: Mamori.tempDir())
        #expect(run.status == 1, "\(run.stderr)")
        let plan = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let criteria = plan?["criteria"] as? [[String: Any]] ?? []
        #expect(criteria.count == 2)
        #expect(criteria.last?["providers"] as? [String] == ["666677778888"])
        #expect(criteria.last?["names"] as? [String] == ["golden-image-builder-*"])
        #expect(criteria.allSatisfy { $0["maxDaysSinceCreated"] as? Int == 3650 })
        let excluded = (plan?["excluded"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(!excluded.isEmpty && excluded.allSatisfy { $0.contains("444455556666") }, "only the look-alike's AMIs stay blocked")
        let bad = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--allow-family", "canonical"])
        #expect(bad.status == 2 && bad.stderr.contains("12-digit"))
    }

    @Test func applyRefusesEnabledWhileInUseImagesWouldBeBlocked() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let run = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--apply", "enabled"], cwd: dir)
        #expect(run.status == 2)
        #expect(run.stderr.contains("refusing to enable"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/.mamori/journal"), "nothing was changed, so nothing was journaled")
    }

    @Test func applyAuditModeJournalsTheAttempt() throws {
        let estate = try MotoEstate.demo()
        let dir = Mamori.tempDir()
        let run = try Mamori.run(["amis", "plan", "--endpoint-url", estate.endpoint, "--region", "us-east-1", "--apply", "audit-mode"], cwd: dir)
        // moto does not implement the call: the change fails cleanly and the journal says so.
        #expect(run.status == 2)
        #expect(run.stdout.contains("Applying audit-mode"))
        let journals = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/.mamori/journal")
        #expect(journals.count == 1)
        let text = try String(contentsOfFile: "\(dir)/.mamori/journal/\(journals[0])", encoding: .utf8)
        #expect(text.contains("\"phase\":\"before\""))
        #expect(text.contains("\"phase\":\"failed\""))
        #expect(text.contains("ReplaceImageCriteriaInAllowedImagesSettings"))
    }
}
