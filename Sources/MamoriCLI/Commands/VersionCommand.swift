import ArgumentParser
import Foundation
import MamoriCore

/// `mamori version`: the version, the git commit and date of the build, and the Swift version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Mamori's version, git commit, build date and Swift version.",
        discussion: """
            Example:
              mamori version --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "table or json.")
    var format: Format = .table

    func run() throws {
        let info = BuildInfo.current
        switch format {
        case .table:
            print("""
                mamori \(info.version)
                commit:  \(info.commit)
                built:   \(info.buildDate)
                swift:   \(info.swiftVersion)
                """)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(info), as: UTF8.self))
        }
    }
}
