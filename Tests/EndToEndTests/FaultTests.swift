import Foundation
import Testing

/// The scan through `mamori-fault-proxy`: throttling, 5xx, resets, slow and truncated answers
/// change nothing at a 30% fault rate, and a service that always fails is reported, not guessed.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct FaultTests {
    /// An estate of our own: other suites apply changes to the shared demo estate, and the two
    /// runs compared here must see the same account.
    static let estate: Result<MotoEstate, EstateError> = Result { () throws(EstateError) in try MotoEstate.start(scenario: "demo") }
    static let regions = ["us-east-1", "eu-west-1"]
    /// The clean run every faulty run is compared with, made once.
    static let clean: Result<ScanOutcome, EstateError> = Result { () throws(EstateError) in
        let endpoint = try estate.get().endpoint
        do { return try ScanOutcome.scan(endpoint: endpoint, regions: regions) }
        catch let error as EstateError { throw error }
        catch { throw EstateError("clean scan: \(error)") }
    }

    @Test func thirtyPercentFaultsChangeNoFinding() throws {
        let estate = try Self.estate.get(), clean = try Self.clean.get()
        #expect(clean.run.status == 3, "moto lacks a few calls, so the clean demo scan is partial: \(clean.run.stderr)")
        #expect(clean.errors.allSatisfy { $0.hasPrefix("unsupported ") }, "\(clean.errors)")
        #expect(!clean.findings.isEmpty)

        let proxy = try FaultProxyProcess.start(upstream: estate.endpoint, ["--rate", "0.3", "--seed", "20261125", "--slow-ms", "800"])
        defer { proxy.stop() }
        // 10 attempts: a call fails 10 times in a row with probability 0.25^10, about 1 in a million.
        let faulty = try ScanOutcome.scan(endpoint: proxy.endpoint, regions: Self.regions,
                                          environment: Mamori.environment(extra: ["AWS_MAX_ATTEMPTS": "10"]))

        let entries = try proxy.entries()
        let counts = Dictionary(grouping: entries, by: \.outcome).mapValues(\.count)
        for fault in ["throttle", "500", "503", "reset", "slow", "truncate"] {
            #expect((counts[fault] ?? 0) > 0, "no \(fault) injected: \(counts)")
        }
        let faults = entries.count - (counts["pass"] ?? 0)
        #expect(Double(faults) / Double(entries.count) > 0.2 && Double(faults) / Double(entries.count) < 0.4, "\(counts)")
        #expect(counts["upstream-error"] == nil)

        #expect(faulty.run.status == clean.run.status, "stderr: \(faulty.run.stderr)")
        #expect(faulty.errors == clean.errors, "errors only the faulty run has: \(faulty.errorEntries.filter { $0["kind"] != "unsupported" })")
        #expect(faulty.findings.count == clean.findings.count)
        #expect(faulty.findings == clean.findings,
                "only clean: \(Set(clean.findings).subtracting(faulty.findings).prefix(3)), only faulty: \(Set(faulty.findings).subtracting(clean.findings).prefix(3))")
    }

    @Test func aServiceThatAlwaysFailsIsReportedAndTheRestIsComplete() throws {
        let estate = try Self.estate.get(), clean = try Self.clean.get()
        // Every SNS answer is a fault (slow ones would still succeed, so they are left out).
        let proxy = try FaultProxyProcess.start(upstream: estate.endpoint, ["--rate", "0", "--service", "sns=1.0", "--seed", "8",
                                                                          "--faults", "throttle,500,503,reset,truncate"])
        defer { proxy.stop() }
        let faulty = try ScanOutcome.scan(endpoint: proxy.endpoint, regions: Self.regions, extra: ["--max-attempts", "3"])

        #expect(faulty.run.status == 3, "stderr: \(faulty.run.stderr)")
        #expect(faulty.run.stderr.contains("partial scan"))
        // SNS is unreadable in each region, and named as such.
        let snsErrors = faulty.errorEntries.filter { $0["service"] == "sns" }
        #expect(Set(snsErrors.compactMap { $0["region"] }) == Set(Self.regions), "\(snsErrors)")
        for entry in snsErrors {
            #expect(entry["kind"] == "failed")
            #expect(entry["operation"] == "ListTopics")
        }
        // Everything else is exactly the clean run: the same findings, the same known gaps.
        #expect(faulty.errors.filter { !$0.contains(" sns ") } == clean.errors)
        let isSNS: (String) -> Bool = { $0.contains(#""check":"sns."#) }
        #expect(!clean.findings.filter(isSNS).isEmpty, "the demo has SNS findings to lose")
        #expect(faulty.findings.filter(isSNS).isEmpty)
        #expect(faulty.findings == clean.findings.filter { !isSNS($0) })

        // Three attempts per SNS call, every one a fault; no other service was touched.
        let entries = try proxy.entries()
        let sns = entries.filter { $0.service == "sns" }
        #expect(!sns.isEmpty && sns.allSatisfy { $0.outcome != "pass" && $0.outcome != "slow" })
        #expect(sns.count == 3 * Self.regions.count, "\(sns)")
        #expect(entries.filter { $0.service != "sns" }.allSatisfy { $0.outcome == "pass" })
    }
}
