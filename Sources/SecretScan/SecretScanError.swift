import StreamIO

/// Why a scan (or part of it) failed. Messages name the input and what to do.
public enum SecretScanError: Error, Sendable, CustomStringConvertible {
    case io(StreamIOError)
    case pathNotFound(String)
    case corruptArchive(path: String, reason: String)
    case unsupportedArchive(path: String, reason: String)
    case notAGitRepository(String)
    case gitFailed(String)
    case badBaseline(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case badRevision(String, reason: String)
    /// A repository URL that is refused (plain http, an unknown scheme); the text is already
    /// free of credentials.
    case badRemote(String, reason: String)
    case cloneFailed(String, reason: String)

    public var description: String {
        switch self {
        case .io(let e): return e.description
        case .pathNotFound(let p): return "\(p): no such file or directory"
        case let .corruptArchive(path, reason): return "\(path): damaged archive (\(reason)); its remaining members were not scanned"
        case let .unsupportedArchive(path, reason): return "\(path): not scanned: \(reason) is not supported"
        case .notAGitRepository(let p): return "\(p) is not a git repository (run --git on a directory inside one)"
        case .gitFailed(let m): return "git failed: \(m)"
        case let .badBaseline(path, reason): return "cannot use baseline \(path): \(reason) (regenerate it with --update-baseline)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        case let .badRevision(rev, reason): return "bad revision '\(rev)': \(reason)"
        case let .badRemote(url, reason): return "cannot scan \(url): \(reason)"
        case let .cloneFailed(url, reason): return "cannot clone \(url): \(reason)"
        }
    }
}
