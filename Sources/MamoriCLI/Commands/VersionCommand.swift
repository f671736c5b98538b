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

    @Option(help: "Output format.")
    var format: FormatChoice<TableOrJSON> = .init(.table)

    func run() throws {
        let info = BuildInfo.current
        if format.value == .json {
            print(String(decoding: try StableJSON.encode(info), as: UTF8.self))
        } else {
            print("""
                mamori \(info.version)
                commit:  \(info.commit)
                built:   \(info.buildDate)
                swift:   \(info.swiftVersion)
                """)
        }
    }
}
