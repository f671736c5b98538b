import Foundation
import Testing
@testable import IaCScan

/// `mamori iac` never opens a FIFO or device: named directly it is refused, found through a link it is an error.
@Suite struct IaCInputFileTests {
    func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-iac-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func fifoNamedDirectlyIsRefused() async throws {
        let fifo = try tempDir() + "/main.tf"
        #expect(mkfifo(fifo, 0o600) == 0)
        await #expect(throws: IaCScanError.notARegularFile(fifo, reason: "it is a named pipe (FIFO), not a regular file")) {
            _ = try await IaCScanner().scan(paths: [fifo])
        }
        await #expect(throws: IaCScanError.notARegularFile("/dev/zero", reason: "it is a device, not a regular file")) {
            _ = try await IaCScanner().scan(paths: ["/dev/zero"])
        }
    }

    @Test func linkToAFIFOInAFolderIsAnErrorNotAHang() async throws {
        let dir = try tempDir()
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/main.tf", withDestinationPath: dir + "/pipe")
        try "resource \"null_resource\" \"x\" {}\n".write(toFile: dir + "/ok.tf", atomically: true, encoding: .utf8)
        let result = try await IaCScanner().scan(paths: [dir])
        #expect(result.errors.map(\.file) == [dir + "/main.tf"])
        #expect(result.errors.first?.message.contains("named pipe") == true)
    }
}
