import ArgumentParser

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
