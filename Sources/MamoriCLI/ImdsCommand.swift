import ArgumentParser

struct ImdsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "imds", abstract: "(not yet implemented)")
    func run() async throws { throw ExitCode(2) }
}
