import ArgumentParser

struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secrets", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
