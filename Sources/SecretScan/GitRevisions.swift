/// Which commits `--git` scans.
public enum GitRevisions: Sendable, Hashable {
    /// Every branch and tag (`git log --all`).
    case all
    /// The commits after `REV` up to `HEAD` (`--since REV`): what a branch added since it left `REV`.
    case since(String)
    /// The commits in `FROM..TO` (`--range A..B`): a pull request's commits are `BASE..HEAD`.
    case range(from: String, to: String)

    /// Parses `A..B` (`B` defaults to `HEAD`, as in git). The three-dot form is refused: in
    /// `git log` it is the symmetric difference, which also holds the base branch's new commits.
    public static func parseRange(_ text: String) throws(SecretScanError) -> GitRevisions {
        if text.contains("...") {
            throw .badRevision(text, reason: "A...B is a symmetric difference in git log and would also scan the base branch; "
                               + "use A..B (for a pull request: BASE_SHA..HEAD_SHA)")
        }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, !parts[0].isEmpty else {
            throw .badRevision(text, reason: "--range takes A..B, two revisions separated by two dots (B defaults to HEAD)")
        }
        return .range(from: parts[0], to: parts[1].isEmpty ? "HEAD" : parts[1])
    }

    /// The revision arguments of `git log`, after checking that each end names a commit of
    /// `repository` (so a typo, or a commit a shallow CI checkout lacks, is a clear error rather
    /// than git's "ambiguous argument").
    func logArguments(repository: String, displayName: String) throws(SecretScanError) -> [String] {
        switch self {
        case .all:
            return ["--all"]
        case .since(let rev):
            try Self.check(rev, in: repository, displayName: displayName)
            return ["\(rev)..HEAD"]
        case let .range(from, to):
            try Self.check(from, in: repository, displayName: displayName)
            try Self.check(to, in: repository, displayName: displayName)
            return ["\(from)..\(to)"]
        }
    }

    private static func check(_ rev: String, in repository: String, displayName: String) throws(SecretScanError) {
        // A leading dash would make git read the revision as an option.
        guard !rev.isEmpty, !rev.hasPrefix("-"), !rev.contains("..") else {
            throw .badRevision(rev, reason: "not a revision")
        }
        if try !GitProcess.succeeds(["-C", repository, "rev-parse", "--verify", "--quiet", "\(rev)^{commit}"]) {
            throw .badRevision(rev, reason: "no such commit in \(displayName) (a shallow CI checkout may lack it: "
                               + "fetch the full history, e.g. actions/checkout with fetch-depth: 0)")
        }
    }
}
