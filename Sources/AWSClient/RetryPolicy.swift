import Foundation

/// Standard retry mode: capped exponential backoff with full jitter on retryable errors.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Delay before attempt `attempt + 1` (attempt counts from 1); throttling backs off harder.
    public func delay(afterAttempt attempt: Int, throttled: Bool) -> TimeInterval {
        let base = throttled ? max(baseDelay, 0.5) : baseDelay
        let ceiling = min(maxDelay, base * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling)
    }
}

/// Bounds the number of requests in flight (per client: one account, one set of credentials).
public actor ConcurrencyLimiter {
    private let limit: Int
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    public func acquire() async {
        if inFlight < limit {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// One limiter per key (a region), created on first use.
public actor LimiterPool {
    private let limit: Int
    private var limiters: [String: ConcurrencyLimiter] = [:]

    public init(limit: Int) { self.limit = limit }

    public func limiter(for key: String) -> ConcurrencyLimiter {
        if let existing = limiters[key] { return existing }
        let created = ConcurrencyLimiter(limit: limit)
        limiters[key] = created
        return created
    }
}
