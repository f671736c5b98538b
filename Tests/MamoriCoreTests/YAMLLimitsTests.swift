import Foundation
import Testing
import MamoriCore

/// YAML nested past the limit is refused before Yams sees it (5,000 levels overflowed its stack).
@Suite struct YAMLLimitsTests {
    static func blockMapping(_ levels: Int) -> String {
        (0..<levels).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " end\n"
    }
    static func blockSequence(_ levels: Int) -> String { String(repeating: "- ", count: levels) + "x\n" }
    static func flow(_ levels: Int) -> String { "trust: " + String(repeating: "[", count: levels) + String(repeating: "]", count: levels) + "\n" }
    static func flowMapping(_ levels: Int) -> String { "a: " + String(repeating: "{b: ", count: levels) + "1" + String(repeating: "}", count: levels) + "\n" }

    @Test(arguments: [blockMapping(5_000), blockSequence(5_000), flow(5_000), flowMapping(5_000)])
    func fiveThousandLevelsAreRefused(text: String) {
        #expect(throws: YAMLLimits.TooDeep.self) { try YAMLLimits.check(text) }
        do { _ = try MamoriConfig.parse(text, source: "hostile.yml"); Issue.record("parsed") } catch {
            #expect(error.description.contains("config file hostile.yml: YAML nested more than 64 levels deep"), "\(error)")
        }
    }

    @Test func theLimitItselfIsAccepted() throws {
        for text in [Self.blockMapping(60), Self.blockSequence(60), Self.flow(60), Self.flowMapping(60)] {
            try YAMLLimits.check(text)
        }
        #expect(throws: YAMLLimits.TooDeep.self) { try YAMLLimits.check(Self.flow(70)) }
    }

    @Test func realDocumentsPass() throws {
        let text = """
        # brackets in comments [[[[ and quotes ' do not count
        thresholds:
          access_key_max_age_days: 90
        trust: ["111122223333", '444455556666']
        mute:
          - check: s3.public   # why: [
            resource: "arn:aws:s3:::bucket[{"
            reason: it's the website bucket {
        imds:
          field_map: {src: "id.orig_h", dst: 'it''s [ ok'}
        description: |
          [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
          - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
        """
        try YAMLLimits.check(text)
        try YAMLLimits.check(String(repeating: "a[b{c: d\n", count: 200))
        // The bundled list goes through the same check: it must still load.
        #expect(!KnownAccounts.bundled.byAccount.isEmpty)
    }

    @Test func autoLoadedConfigIsRefusedNotCrashed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-yaml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.blockMapping(5_000).write(toFile: dir + "/mamori.yml", atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { _ = try MamoriConfig.load(path: dir + "/mamori.yml") }
    }

    @Test func configFileMustBeARegularFileOfAtMostOneMegabyte() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-yaml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/mamori.yml", 0o600) == 0)
        do { _ = try MamoriConfig.load(path: dir + "/mamori.yml"); Issue.record("read a FIFO") } catch {
            #expect(error.description == "cannot read config file \(dir)/mamori.yml: it is a named pipe (FIFO), not a regular file")
        }
        do { _ = try MamoriConfig.load(path: "/dev/zero"); Issue.record("read /dev/zero") } catch {
            #expect(error.description == "cannot read config file /dev/zero: it is a device, not a regular file")
        }
        try String(repeating: "# padding\n", count: 110_000).write(toFile: dir + "/big.yml", atomically: true, encoding: .utf8)
        do { _ = try MamoriConfig.load(path: dir + "/big.yml"); Issue.record("read 1.1 MB") } catch {
            #expect(error.description.contains("larger than 1 MB"), "\(error)")
        }
    }
}
