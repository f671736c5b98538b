import MamoriCore

/// `--shard I/N`: this worker's part of the organisation, chosen by a hash of the account id so
/// every worker agrees without talking to the others, even if one lists the accounts later.
public struct Shard: Sendable, Hashable {
    public var index: Int
    public var count: Int

    /// Parses `I/N` (I from 0, N up to 10,000); nil for anything else.
    public init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 10_000,
              index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether this shard scans the account (or, for `hunt`, the trail key): see ``ShardHash``.
    public func contains(_ accountId: String) -> Bool {
        ShardHash.bucket(of: accountId, count: count) == index
    }

    /// `I/N`, as stored in the scan's parameters.
    public var text: String { "\(index)/\(count)" }
}
