import Foundation
import Testing
import LogDetect
import StreamIO
import SigmaEngine

/// A FIFO in a fresh temporary folder; nothing ever writes to it, so any `open`/`read` of it would block.
func makeFIFO() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-fifo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("pipe").path
    #expect(mkfifo(path, 0o600) == 0)
    return path
}

/// Inputs named directly are regular files only: a FIFO or device is refused at once, with the real cause.
@Suite struct RegularFileTests {
    @Test func fifoIsRefusedWithoutBlocking() throws {
        let fifo = try makeFIFO()
        #expect(throws: StreamIOError.self) { _ = try RegularFile.open(fifo) }
        do { _ = try FileReader(path: fifo); Issue.record("opened a FIFO") } catch {
            #expect(error.description.contains("named pipe (FIFO)"), "\(error)")
        }
    }

    @Test func devicesAreRefusedAsDevicesNotPermissions() throws {
        for device in ["/dev/zero", "/dev/null", "/dev/urandom"] {
            do { _ = try FileReader(path: device); Issue.record("opened \(device)") } catch {
                #expect(error.description == "cannot open \(device): it is a device, not a regular file")
            }
        }
    }

    @Test func linksAreFollowedToTheirTarget() throws {
        let fifo = try makeFIFO()
        let link = fifo + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        #expect(throws: StreamIOError.self) { try RegularFile.check(link) }
        let file = try writeTemp("hello")
        let fileLink = file + "-link"
        try FileManager.default.createSymbolicLink(atPath: fileLink, withDestinationPath: file)
        #expect(try RegularFile.read(fileLink, maxBytes: 100) == Array("hello".utf8))
    }

    @Test func readRefusesFilesAboveTheLimit() throws {
        let path = try writeTemp(String(repeating: "x", count: 2048))
        #expect(throws: StreamIOError.tooLarge(path: path, limit: 1024)) { _ = try RegularFile.read(path, maxBytes: 1024) }
        #expect(try RegularFile.read(path, maxBytes: 2048).count == 2048)
        #expect(StreamIOError.tooLarge(path: "p", limit: 1024 * 1024).description.contains("larger than 1 MB"))
    }

    @Test func imdsScanReportsFIFOAndDeviceAsFileErrors() async throws {
        let fifo = try makeFIFO()
        for path in [fifo, "/dev/zero"] {
            let report = try await scanFile(path)
            let error = report.files.first?.error ?? ""
            #expect(error.contains("not a regular file"), "\(path): \(error)")
            #expect(report.hasErrors)
        }
    }

    @Test func ruleAndConfigFilesMustBeRegular() throws {
        let fifo = try makeFIFO()
        do { _ = try RuleLoader.load(files: [fifo], includeBuiltIn: false); Issue.record("read a FIFO rule") } catch {
            #expect(error.description.contains("named pipe"), "\(error)")
        }
        do { _ = try ImdsConfig.load(path: "/dev/zero"); Issue.record("read /dev/zero as config") } catch {
            #expect(error.description.contains("device"), "\(error)")
        }
    }
}

/// SIGMA rules and the `imds:` config section nested 5,000 levels deep are refused, not a segfault.
@Suite struct DeepYAMLRuleTests {
    static let block = "title: t\ndetection:\n" + (1...5_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
    static let flow = "title: t\ndetection:\n  sel: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n  condition: sel\n"

    @Test(arguments: [block, flow])
    func deepRulesAreRefusedWithTheLimit(yaml: String) {
        #expect(throws: LogDetectError.self) { _ = try SigmaParser.parse(yaml: yaml, file: "deep.yml") }
        do { _ = try SigmaParser.parse(yaml: yaml, file: "deep.yml") } catch {
            #expect(error.description.contains("deep.yml"), "\(error)")
            #expect(error.description.contains("more than 64 levels"), "\(error)")
        }
    }

    @Test(arguments: [block, flow])
    func deepImdsConfigIsRefused(yaml: String) {
        let text = "imds:\n  field_map:\n" + yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        do { _ = try ImdsConfig.parse(text, file: "mamori.yml"); Issue.record("parsed") } catch {
            #expect(error.description.contains("more than 64 levels"), "\(error)")
        }
    }
}
