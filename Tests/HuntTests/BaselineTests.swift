import Foundation
import Hunt
import StreamIO
import Testing
import SigmaEngine

/// A CloudTrail event in AWS's shape (management event, JSON line).
private func trailEvent(_ id: String, _ time: String, key: String = "AKIAIOSFODNN7EXAMPLE", ip: String = "203.0.113.10",
                        agent: String = "aws-cli/2.15.0", region: String = "eu-west-1", name: String = "DescribeInstances",
                        account: String = "111122223333") -> String {
    let identity = key.hasPrefix("AKIA")
        ? #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::\#(account):user/ci","accountId":"\#(account)","accessKeyId":"\#(key)","userName":"ci"}"#
        : #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::\#(account):assumed-role/app/s","accountId":"\#(account)","accessKeyId":"\#(key)"}"#
    return #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(time)","eventSource":"ec2.amazonaws.com","eventName":"\#(name)","awsRegion":"\#(region)","sourceIPAddress":"\#(ip)","userAgent":"\#(agent)","requestParameters":null,"responseElements":null,"requestID":"r-\#(id)","eventID":"\#(id)","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\#(account)","eventCategory":"Management"}"#
}

/// Days of ordinary use: one event every 6 hours from `days` days before 2026-01-10.
private func history(days: Int, key: String = "AKIAIOSFODNN7EXAMPLE", region: String = "eu-west-1") -> [String] {
    (0..<(days * 4)).map { i in
        let time = Date(timeIntervalSince1970: 1_768_003_200 - Double(days * 86_400) + Double(i * 6 * 3600)) // 2026-01-10T00:00:00Z
        return trailEvent("h\(i)", EventTime.format(time), key: key, region: region)
    }
}

private func hunt(_ files: [[String]], settings: BaselineSettings = BaselineSettings()) throws -> HuntResult {
    var session = HuntSession(rules: try HuntRules.builtIn(), baseline: settings)
    for (i, lines) in files.enumerated() {
        session.read(MemorySource(Data(lines.joined(separator: "\n").utf8), name: "f\(i)"), origin: "f\(i)")
    }
    return session.finish()
}

private func baselineAlerts(_ result: HuntResult) -> [String: [String]] {
    var out: [String: [String]] = [:]
    for alert in result.alerts where KeyBaseline.ruleIDs.contains(alert.ruleId) { out[alert.ruleId, default: []] += alert.eventIds }
    return out
}

@Suite struct KeyBaselineTests {
    @Test func aKeyUsedFromItsUsualAddressForDaysThenANewOneAlerts() throws {
        let late = trailEvent("new-ip", "2026-01-10T09:00:00Z", ip: "198.51.100.7")
        let result = try hunt([history(days: 3) + [late]])
        #expect(baselineAlerts(result) == [KeyBaseline.newSourceIP.id: ["new-ip"]])
        let alert = try #require(result.alerts.first { $0.ruleId == KeyBaseline.newSourceIP.id })
        #expect(alert.keyId == "AKIAIOSFODNN7EXAMPLE" && alert.sourceIPs == ["198.51.100.7"])
        #expect(result.problems.isEmpty)
    }

    @Test func aNewUserAgentAlertsAtLowLevel() throws {
        let late = trailEvent("new-ua", "2026-01-10T09:00:00Z", agent: "python-requests/2.31")
        let result = try hunt([history(days: 3) + [late]])
        #expect(baselineAlerts(result) == [KeyBaseline.newUserAgent.id: ["new-ua"]])
        #expect(result.alerts.first { $0.ruleId == KeyBaseline.newUserAgent.id }?.level == "low")
    }

    @Test func nearMissesGiveNoAlert() throws {
        // A key whose only history is one event: nothing to compare with.
        let lone = [trailEvent("a", "2026-01-09T00:00:00Z"), trailEvent("b", "2026-01-10T00:00:00Z", ip: "198.51.100.7")]
        #expect(baselineAlerts(try hunt([lone])).isEmpty)
        // Many events but all within an hour: the learning period has not passed.
        let burst = (0..<30).map { trailEvent("c\($0)", "2026-01-10T00:\(String(format: "%02d", $0)):00Z") }
            + [trailEvent("d", "2026-01-10T00:45:00Z", ip: "198.51.100.7")]
        #expect(baselineAlerts(try hunt([burst])).isEmpty)
        // The same address as always; a temporary key (ASIA) is not baselined.
        let usual = history(days: 3) + [trailEvent("e", "2026-01-10T09:00:00Z")]
            + history(days: 3, key: "ASIAY34FZKBOKMUTVV7A") + [trailEvent("f", "2026-01-10T09:00:00Z", key: "ASIAY34FZKBOKMUTVV7A", ip: "198.51.100.7")]
        #expect(baselineAlerts(try hunt([usual])).isEmpty)
    }

    @Test func filesReadOutOfTimeOrderGiveTheSameAlerts() throws {
        let old = history(days: 3)
        let late = [trailEvent("new-ip", "2026-01-10T09:00:00Z", ip: "198.51.100.7")]
        let inOrder = baselineAlerts(try hunt([old, late]))
        // The newest file first (files per region or shard), and the history itself reversed.
        let reversed = baselineAlerts(try hunt([late, Array(old.reversed())]))
        #expect(inOrder == [KeyBaseline.newSourceIP.id: ["new-ip"]])
        #expect(reversed == inOrder)
    }

    @Test func runInstancesInARegionTheAccountNeverUsedAlerts() throws {
        // The account's history comes from a role session: events no rule parses (read raw).
        let usual = history(days: 3, key: "ASIAY34FZKBOKMUTVV7A")
        let launch = trailEvent("run-new", "2026-01-10T09:00:00Z", region: "ap-south-1", name: "RunInstances")
        let home = trailEvent("run-home", "2026-01-10T09:05:00Z", region: "eu-west-1", name: "RunInstances")
        let result = try hunt([[launch, home], usual])
        #expect(baselineAlerts(result)[KeyBaseline.newRegion.id] == ["run-new"])
        #expect(result.alerts.first { $0.ruleId == KeyBaseline.newRegion.id }?.level == "high")
        // Near miss: a region the account used before.
        #expect(baselineAlerts(try hunt([usual + [home]]))[KeyBaseline.newRegion.id] == nil)
    }

    @Test func aTruncatedBaselineIsReported() throws {
        var settings = BaselineSettings()
        settings.maxValuesPerKey = 2
        let events = history(days: 3) + ["198.51.100.1", "198.51.100.2", "198.51.100.3"].enumerated().map { i, ip in
            trailEvent("x\(i)", "2026-01-10T0\(i + 1):00:00Z", ip: ip)
        }
        let result = try hunt([events], settings: settings)
        #expect(result.problems.contains { $0.source == "baseline" && $0.reason.hasPrefix("baseline truncated") })
        // The values first seen earliest are kept: the usual address and the first new one.
        #expect(baselineAlerts(result)[KeyBaseline.newSourceIP.id] == ["x0"])
    }

    @Test func disabledOrOffGivesNoBaselineAlert() throws {
        var off = BaselineSettings()
        off.enabled = false
        let events = history(days: 3) + [trailEvent("new-ip", "2026-01-10T09:00:00Z", ip: "198.51.100.7")]
        #expect(baselineAlerts(try hunt([events], settings: off)).isEmpty)
    }

    @Test func settingsAreReadFromMamoriYml() throws {
        let config = try HuntConfig.parse("hunt:\n  baseline:\n    min_events: 3\n    learning_hours: 1.5\n    max_keys: 10\n    enabled: false\n", file: "m.yml")
        #expect(config.baseline.minEvents == 3 && config.baseline.learningHours == 1.5 && config.baseline.maxKeys == 10 && !config.baseline.enabled)
        #expect(throws: HuntError.self) { try HuntConfig.parse("hunt:\n  baseline:\n    min_event: 3\n", file: "m.yml") }
        #expect(throws: HuntError.self) { try HuntConfig.parse("hunt:\n  baseline:\n    min_events: 0\n", file: "m.yml") }
        #expect(try HuntConfig.parse("hunt:\n  egress_cidrs: []\n", file: "m.yml").baseline == BaselineSettings())
    }
}
