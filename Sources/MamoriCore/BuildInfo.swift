internal import CBuildInfo

/// This binary's version and how it was built (`mamori version`). Release builds stamp the commit,
/// date and Swift version (scripts/release.sh); development builds say so.
public struct BuildInfo: Sendable, Codable, Equatable {
    public var version: String
    public var commit: String
    public var buildDate: String
    public var swiftVersion: String

    /// Mamori's release version: one place, used by reports, the history store and `--version`.
    public static let version = "0.1.0"

    public static let current: BuildInfo = {
        func text(_ pointer: UnsafePointer<CChar>?) -> String? {
            guard let pointer, pointer.pointee != 0 else { return nil }
            return String(cString: pointer)
        }
        return BuildInfo(version: version,
                         commit: text(mamori_build_git_commit()) ?? "unknown (development build)",
                         buildDate: text(mamori_build_date()) ?? "unknown (development build)",
                         swiftVersion: text(mamori_build_swift_version()) ?? compilerVersion)
    }()

    /// The compiler's major.minor when the build did not stamp the full version string.
    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}
