import ArgumentParser

/// `mamori respond`: guided incident responses.
struct RespondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Guided incident response (explains, shows before it changes, journals every change).",
        discussion: """
            Example:
              mamori respond leaked-key AKIAIOSFODNN7EXAMPLE             # the plan: read-only
            """,
        subcommands: [RespondLeakedKeyCommand.self, RespondUndoCommand.self]
    )
}
