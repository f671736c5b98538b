import Foundation

/// Client-side pacing in the spirit of the AWS SDKs' adaptive retry mode: no limit until AWS
/// throttles, then a token bucket whose rate is cut on every throttle and recovers gradually
/// on success. One bucket per key (region and service).
public actor AdaptiveRateLimiter {
    struct Bucket {
        var enabled = false
        var rate: Double           // tokens per second
        var tokens: Double
        var lastRefill: Double
        var lastThrottle: Double = 0
    }

    private var buckets: [String: Bucket] = [:]
    private let minimumRate: Double
    private let decrease: Double
    private let recovery: Double
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - minimumRate: the floor, in requests per second.
    ///   - decrease: the factor applied to the rate on a throttle (0.7 like the SDKs' beta).
    ///   - recovery: requests per second added per second without throttling.
    public init(minimumRate: Double = 0.5, decrease: Double = 0.7, recovery: Double = 1.0,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.minimumRate = minimumRate
        self.decrease = decrease
        self.recovery = recovery
        self.clock = clock
    }

    /// Waits for a token when the bucket for `key` is active; returns the seconds waited.
    /// A caller without a token reserves the next one (the balance goes negative), so callers
    /// arriving together are spaced out at the bucket's rate instead of all waking at once.
    @discardableResult
    public func acquire(_ key: String) async -> Double {
        guard var bucket = buckets[key], bucket.enabled else { return 0 }
        refill(&bucket)
        bucket.tokens -= 1
        buckets[key] = bucket
        guard bucket.tokens < 0 else { return 0 }
        let waited = -bucket.tokens / bucket.rate
        try? await Task.sleep(nanoseconds: UInt64(waited * 1_000_000_000))
        return waited
    }

    /// A throttling answer: switch pacing on (at the observed rate) or slow down further.
    public func throttled(_ key: String, observedRate: Double? = nil) {
        let now = clock()
        var bucket = buckets[key] ?? Bucket(rate: observedRate ?? 10, tokens: 0, lastRefill: now)
        refill(&bucket)
        bucket.rate = max(minimumRate, (bucket.enabled ? bucket.rate : (observedRate ?? bucket.rate)) * decrease)
        bucket.tokens = min(bucket.tokens, 1)
        bucket.enabled = true
        bucket.lastThrottle = now
        buckets[key] = bucket
    }

    /// A successful answer: recover the rate gradually.
    public func succeeded(_ key: String) {
        guard var bucket = buckets[key], bucket.enabled else { return }
        refill(&bucket)
        bucket.rate += recovery * max(0, min(1, clock() - bucket.lastThrottle)) / 10
        buckets[key] = bucket
    }

    /// The current rate for a key, nil when not paced (for tests and progress output).
    public func rate(_ key: String) -> Double? {
        guard let bucket = buckets[key], bucket.enabled else { return nil }
        return bucket.rate
    }

    private func refill(_ bucket: inout Bucket) {
        let now = clock()
        bucket.tokens = min(max(1, bucket.rate), bucket.tokens + (now - bucket.lastRefill) * bucket.rate)
        bucket.lastRefill = now
    }
}
