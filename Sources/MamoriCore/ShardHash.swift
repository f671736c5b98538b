/// The one hash that splits work over `--shard I/N` workers: FNV-1a of a key, modulo N. Every worker
/// computes it alone and they agree without talking (`scan --org` hashes account ids, `hunt` hashes
/// `ACCOUNT/REGION/YYYY/MM/DD` trail keys).
public enum ShardHash {
    public static func bucket(of key: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(hash % UInt64(max(count, 1)))
    }
}
