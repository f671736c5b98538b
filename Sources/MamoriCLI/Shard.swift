import ArgumentParser

/// `--shard I/N`: this worker's part of the organisation, chosen by a hash of the account id so
/// every worker agrees without talking to the others, even if one lists the accounts later.
struct Shard: ExpressibleByArgument, Sendable, Hashable {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 10_000,
              index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    static var defaultCompletionKind: CompletionKind { .default }

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether this shard scans the account (FNV-1a of the id, modulo N).
    func contains(_ accountId: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in accountId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(hash % UInt64(count)) == index
    }
}
