import Foundation
import Hunt
import Testing

@Suite struct ListingCheckpointTests {
    @Test func anotherListingsCheckpointOrGarbageIsRefusedAndRemoveDeletes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hunt-ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/listing.json"
        // A new checkpoint is written at once, so an unwritable path fails before any listing.
        let fresh = try ListingCheckpoint(path: path, source: "s3://trail/org/")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(fresh.resumed.done == 0 && fresh.resumed.partial == 0)
        #expect(fresh.flush() == nil)
        #expect(throws: HuntError.self) { try ListingCheckpoint(path: path, source: "s3://other/") }
        _ = try ListingCheckpoint(path: path, source: "s3://trail/org/")
        fresh.remove()
        #expect(!FileManager.default.fileExists(atPath: path))
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HuntError.self) { try ListingCheckpoint(path: path, source: "s3://trail/org/") }
        #expect(throws: HuntError.self) { try ListingCheckpoint(path: dir + "/missing-dir/listing.json", source: "s3://trail/org/") }
    }
}
