#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A repository named by URL for `--git` (`https://…`, `ssh://…`, `git@host:path`, `file://…`):
/// cloned bare into a private temporary directory, scanned, and removed.
///
/// A URL may carry credentials (`https://user:TOKEN@host/…`); they are used for the clone only and
/// never printed: every message names the repository by ``display``, and git's own messages are
/// scrubbed of the user-info part before they reach one.
public struct GitRemote: Sendable, Hashable {
    /// The URL as given, credentials included: handed to git, never printed.
    let url: String
    /// The URL with its user-info (`user:password@`, an https user name) replaced by `***`.
    public let display: String
    /// The user-info part, as given (for scrubbing git's messages).
    private let userInfo: String?

    /// Where `--git` reads from.
    public enum Location: Sendable, Hashable {
        case local(String)
        case remote(GitRemote)
    }

    /// URL schemes cloned as given. Plain `http://` and `git://` are refused: the history would
    /// travel unauthenticated and could be altered on the way.
    static let schemes = ["https", "ssh", "git+ssh", "ssh+git", "file"]

    /// Decides whether `text` is a local path or a URL to clone. scp-like `user@host:path` counts
    /// as a URL (git's rule: no slash before the first colon), other text is a path.
    public static func classify(_ text: String) throws(SecretScanError) -> Location {
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            let afterScheme = text[schemeEnd.upperBound...]
            let authority = afterScheme.prefix { $0 != "/" }
            var userInfo: String?
            var display = text
            if let at = authority.lastIndex(of: "@") {
                let info = String(authority[..<at])
                // An ssh user name (`git@`) is not a secret; an https user name often is a token.
                if info.contains(":") || !scheme.contains("ssh") {
                    userInfo = info
                    display = String(text[..<schemeEnd.upperBound]) + "***" + String(text[at...])
                }
            }
            guard schemes.contains(scheme) else {
                let reason = scheme == "http" || scheme == "git"
                    ? "\(scheme):// is unencrypted and unauthenticated; use https:// or ssh://"
                    : "unsupported URL scheme '\(scheme)' (use https://, ssh://, git@host:path or file://)"
                throw .badRemote(display, reason: reason)
            }
            if scheme != "file" && (authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "").isEmpty {
                throw .badRemote(display, reason: "no host in the URL")
            }
            return .remote(GitRemote(url: text, display: display, userInfo: userInfo))
        }
        if isScpLike(text), !FileManager.default.fileExists(atPath: text) {
            return .remote(GitRemote(url: text, display: text, userInfo: nil))
        }
        return .local(text)
    }

    /// `user@host:path`: a user, an `@`, a host, a colon, and no slash before that colon.
    static func isScpLike(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let at = text.firstIndex(of: "@"), at < colon else { return false }
        let user = text[..<at], host = text[text.index(after: at)..<colon]
        let hostChars = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-[]"))
        return !user.isEmpty && !host.isEmpty && !user.contains("/") && !host.contains("/")
            && host.unicodeScalars.allSatisfy(hostChars.contains) && text.index(after: colon) < text.endIndex
    }

    /// git's message with the credentials of this URL taken out.
    func scrub(_ message: String) -> String {
        var out = message.replacingOccurrences(of: url, with: display).replacingOccurrences(of: Self.placeholder, with: display)
        if let userInfo, !userInfo.isEmpty {
            out = out.replacingOccurrences(of: userInfo, with: "***")
            if let decoded = userInfo.removingPercentEncoding, decoded != userInfo {
                out = out.replacingOccurrences(of: decoded, with: "***")
            }
        }
        return out
    }

    /// What git is asked to clone; `url.<URL>.insteadOf` turns it into the real URL.
    static let placeholder = "mamori-remote:"

    /// A bare clone in a private temporary directory; `remove()` deletes it.
    public struct Clone: Sendable {
        public let path: String
        let root: String
        public func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Clones the repository bare: every branch and tag, as `git log --all` sees them in a local
    /// clone, and no work tree. (`--mirror` would also copy host-specific refs such as GitHub's
    /// `refs/pull/*`, every pull request ever opened.) git never prompts: a repository that needs
    /// credentials it has no helper or key for fails with git's message.
    public func cloneBare() throws(SecretScanError) -> Clone {
        var template = Array((NSTemporaryDirectory() + "mamori-clone-XXXXXX").utf8CString)
        // mkdtemp makes the directory 0700: the clone's config holds the URL, credentials included.
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .cloneFailed(display, reason: "cannot create a temporary directory in \(NSTemporaryDirectory())")
        }
        let root = String(cString: made)
        let clone = Clone(path: root + "/repository.git", root: root)
        // The URL reaches git through its environment, as the target of an `insteadOf` rewrite of
        // a placeholder, never on the command line: a process's arguments are readable by every
        // user of the machine (`ps`), its environment only by its owner; and the clone's config
        // keeps the placeholder, not the credentials.
        // Configuration already passed this way (a CI's auth header) is kept: ours is added after it.
        let inherited = ProcessInfo.processInfo.environment
        let index = inherited["GIT_CONFIG_COUNT"].flatMap(Int.init) ?? 0
        // A stalled transfer (under 1 KB/s for a minute) is abandoned rather than waited on forever.
        let config = [("url.\(url).insteadOf", Self.placeholder), ("http.lowSpeedLimit", "1000"), ("http.lowSpeedTime", "60")]
        var environment = ["GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "GIT_CONFIG_COUNT": String(index + config.count)]
        for (i, (key, value)) in config.enumerated() {
            environment["GIT_CONFIG_KEY_\(index + i)"] = key
            environment["GIT_CONFIG_VALUE_\(index + i)"] = value
        }
        if inherited["GIT_SSH_COMMAND"] == nil {
            environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4"
        }
        do throws(SecretScanError) {
            _ = try GitProcess.output(["clone", "--bare", "--quiet", "--", Self.placeholder, clone.path],
                                      environment: environment, scrub: scrub)
        } catch {
            clone.remove()
            if case .gitFailed(let message) = error { throw .cloneFailed(display, reason: message) }
            throw error
        }
        return clone
    }
}
