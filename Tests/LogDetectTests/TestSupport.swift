import Foundation
import StreamIO

/// Writes `bytes` to a fresh temporary file and returns its path.
func writeTemp(_ bytes: [UInt8], name: String = "input") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-imds-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func writeTemp(_ text: String, name: String = "input") throws -> String {
    try writeTemp(Array(text.utf8), name: name)
}

/// Reads every line of `path` as (number, text, truncated).
func allLines(_ path: String, bufferSize: Int = 4 << 20, maxLineLength: Int = 64 << 20) throws -> [(Int, String, Bool)] {
    let reader = try LineReader(path: path, bufferSize: bufferSize, maxLineLength: maxLineLength)
    var out: [(Int, String, Bool)] = []
    while let line = try reader.next() {
        out.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.isTruncated))
    }
    return out
}
