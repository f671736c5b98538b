import ArgumentParser

/// `mamori respond`: guided incident responses.
struct RespondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Guided incident response (explains, shows before it changes, journals every change).",
        subcommands: [RespondLeakedKeyCommand.self, RespondUndoCommand.self]
    )
}
