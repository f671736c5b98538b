import Foundation

/// Writes `bytes` to a fresh temporary file (its own folder, so a test can name it freely) and returns its path.
public func writeTemp(_ bytes: [UInt8], name: String = "input") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

public func writeTemp(_ text: String, name: String = "input") throws -> String {
    try writeTemp(Array(text.utf8), name: name)
}
