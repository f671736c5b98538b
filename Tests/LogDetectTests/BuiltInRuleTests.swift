import Foundation
import LogDetect
import SigmaEngine
import Testing

/// The IMDS rule as LogDetect ships it, through the SIGMA engine's needle derivation.
@Suite struct BuiltInRuleTests {
    @Test func needlesComeFromTheRule() throws {
        let r = CompiledRule(try BuiltInRules.imdsRule())
        let needles = try #require(Needles.derive([r]))
        #expect(Set(needles) == ["fd00", "169.254.169.254", "/latest/meta-data", "/latest/api/token", "/latest/user-data",
                                 "/latest/dynamic/instance-identity", "x-aws-ec2-metadata-token"])
    }

    @Test func builtInRuleIsTheShippedFile() throws {
        let path = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/imds_non_ec2_network.yml").path
        let shipped = try String(contentsOfFile: path, encoding: .utf8)
        #expect(shipped == BuiltInRules.imdsNonEC2Network)
    }
}
