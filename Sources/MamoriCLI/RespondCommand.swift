import ArgumentParser

struct RespondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "respond", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
