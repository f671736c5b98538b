import Foundation
import Remediation

/// Builds `Journal.Entry` values from outside the Remediation module, whose memberwise initialiser
/// is internal: through its Codable form, which is the journal's contract anyway.
enum JournalEntries {
    private struct Mirror: Codable {
        var time: Date
        var phase: String
        var step: String
        var region: String
        var call: String
        var parameters: [String: String]
        var result: String?
        var undo: String?
    }

    static func make(time: Date = Date(), phase: String, step: String, region: String, call: String,
                     parameters: [String: String], result: String?, undo: String?) throws -> Journal.Entry {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let mirror = Mirror(time: time, phase: phase, step: step, region: region, call: call, parameters: parameters, result: result, undo: undo)
        do { return try decoder.decode(Journal.Entry.self, from: try encoder.encode(mirror)) }
        catch { throw JournalError("cannot build a journal entry: \(error)") }
    }
}
