import ArgumentParser

struct IacCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "iac", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
