import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
