import ArgumentParser
import Foundation
import Respond

/// `mamori respond undo JOURNAL`: reverses what a `respond leaked-key` run journaled.
struct RespondUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Reverse the changes a respond journal recorded (shows what it would do; --apply does it).",
        discussion: """
            A replacement key is deleted again, a deactivated key re-activated; a deleted key or a removed
            resource cannot be restored (said so). Exit codes: 0 everything reversed (or nothing to do),
            1 something could not be reversed or was refused, 2 error.
            Example:
              mamori respond undo .mamori/journal/respond-AKIA…-2026-12-04T220300Z.jsonl            # what it would do
              mamori respond undo .mamori/journal/respond-AKIA…-2026-12-04T220300Z.jsonl --apply    # do it
            """
    )

    @Argument(help: "A journal written by `mamori respond leaked-key` (.mamori/journal/respond-KEY-TIME.jsonl).")
    var journal: String

    @Flag(help: "Make the changes (otherwise print what would be reversed).")
    var apply = false

    @Flag(help: "Delete a replacement key even when its user would be left without an active key.")
    var force = false

    @OptionGroup var aws: AWSOptions

    func run() async throws {
        try await Console.run {
            guard FileManager.default.isReadableFile(atPath: journal) else { throw CLIError("cannot read the journal \(journal)") }
            let client = try aws.client()
            let (actions, written) = try await JournalUndo.run(journal: journal, apply: apply, force: force, client: client, region: aws.homeRegion())
            var out = ["# Undo \(journal)", "", apply ? "Mode: **apply**" : "Mode: **plan** (nothing was changed; add --apply)", ""]
            for action in actions { out.append("- [\(action.state.rawValue)] \(action.step): \(action.detail)") }
            if let written { out += ["", "Journal: `\(written)`"] }
            print(out.joined(separator: "\n"))
            let open: Set<UndoAction.State> = apply ? [.planned, .refused, .impossible, .failed] : [.refused, .impossible, .failed]
            return actions.contains { open.contains($0.state) } ? 1 : 0
        }
    }
}
