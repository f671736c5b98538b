/// SplitMix64 (Vigna's splitmix64.c): a small seeded generator, the same sequence on every
/// platform, so a failing random test or fuzz input is replayed from its printed seed. The one copy
/// the tests share (the fault proxy keeps its own: production code does not link test support).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
