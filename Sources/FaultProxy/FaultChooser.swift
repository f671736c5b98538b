/// A small seeded generator (SplitMix64): the same seed gives the same sequence on every
/// platform, unlike `SystemRandomNumberGenerator`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) from the top 53 bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

/// Decides, request by request, whether to inject a fault and which one. Decisions are drawn
/// in arrival order from one seeded sequence, so a run with the same seed and the same request
/// order injects the same faults. Whether a request is spoiled is a coin with the configured
/// rate; which fault it gets is dealt from a shuffled bag of every enabled kind, so a run with
/// a handful of faults already shows each kind (a uniform pick can miss one in a short run).
public struct FaultChooser: Sendable {
    public let rate: Double
    public let serviceRates: [String: Double]
    public let faults: [FaultKind]
    private var generator: SeededGenerator
    private var bag: [FaultKind] = []

    public init(rate: Double, serviceRates: [String: Double] = [:], faults: [FaultKind] = FaultKind.allCases, seed: UInt64) {
        self.rate = rate
        self.serviceRates = serviceRates
        self.faults = faults
        self.generator = SeededGenerator(seed: seed)
    }

    public init(options: ProxyOptions) {
        self.init(rate: options.rate, serviceRates: options.serviceRates, faults: options.faults, seed: options.seed)
    }

    /// The fault probability for a service: its own `--service` rate, else `--rate`.
    public func rate(for service: String?) -> Double {
        if let service, let own = serviceRates[service.lowercased()] { return own }
        return rate
    }

    /// The fault for the next request, or nil to pass it through untouched.
    public mutating func choose(service: String?) -> FaultKind? {
        let roll = generator.unit()
        guard !faults.isEmpty, roll < rate(for: service) else { return nil }
        if bag.isEmpty { bag = faults.shuffled(using: &generator) }
        return bag.removeLast()
    }
}
