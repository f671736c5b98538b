import Foundation

/// Retries with capped exponential backoff and full jitter on retryable errors, in one of the
/// AWS SDKs' retry modes.
public struct RetryPolicy: Sendable, Equatable {
    /// The SDKs' `retry_mode` / `AWS_RETRY_MODE` values.
    public enum Mode: String, Sendable, CaseIterable {
        /// Backoff only.
        case legacy
        /// Backoff only (the SDKs' default).
        case standard
        /// Backoff, plus client-side pacing per region and service once AWS throttles (Mamori's default).
        case adaptive
    }

    /// Attempts in all, the first included (`max_attempts` counts the same way).
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var mode: Mode

    /// Mamori's default is 5 attempts: a scan reads thousands of things and a partial one costs more
    /// than a few seconds of backoff.
    public static let defaultMaxAttempts = 5

    public init(maxAttempts: Int = RetryPolicy.defaultMaxAttempts, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20,
                mode: Mode = .adaptive) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.mode = mode
    }

    /// Whether throttling answers switch on client-side pacing.
    public var paces: Bool { mode == .adaptive }

    /// Delay before attempt `attempt + 1` (attempt counts from 1); throttling backs off harder.
    public func delay(afterAttempt attempt: Int, throttled: Bool) -> TimeInterval {
        let base = throttled ? max(baseDelay, 0.5) : baseDelay
        let ceiling = min(maxDelay, base * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling)
    }

    /// The highest `max_attempts` accepted: more only hides an outage behind minutes of backoff.
    public static let attemptsLimit = 100

    /// The policy the AWS CLI would use: an explicit value (`--max-attempts`) first, then
    /// `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`, then the profile's `max_attempts` / `retry_mode`.
    /// - Parameter profile: the selected profile's settings (keys lower-cased), if any.
    public static func resolve(maxAttempts explicit: Int? = nil, environment: [String: String],
                               profile: [String: String] = [:]) throws(RetryConfigurationError) -> RetryPolicy {
        var policy = RetryPolicy()
        if let text = environment["AWS_RETRY_MODE"].flatMap(nonEmpty) {
            policy.mode = try mode(text, source: "AWS_RETRY_MODE")
        } else if let text = profile["retry_mode"].flatMap(nonEmpty) {
            policy.mode = try mode(text, source: "retry_mode in the AWS config profile")
        }
        if let explicit {
            policy.maxAttempts = try attempts(String(explicit), source: "--max-attempts")
        } else if let text = environment["AWS_MAX_ATTEMPTS"].flatMap(nonEmpty) {
            policy.maxAttempts = try attempts(text, source: "AWS_MAX_ATTEMPTS")
        } else if let text = profile["max_attempts"].flatMap(nonEmpty) {
            policy.maxAttempts = try attempts(text, source: "max_attempts in the AWS config profile")
        }
        return policy
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func mode(_ text: String, source: String) throws(RetryConfigurationError) -> Mode {
        guard let mode = Mode(rawValue: text.lowercased()) else {
            throw RetryConfigurationError("\(source) '\(text)' is not a retry mode (use legacy, standard or adaptive)")
        }
        return mode
    }

    private static func attempts(_ text: String, source: String) throws(RetryConfigurationError) -> Int {
        guard let value = Int(text), value >= 1, value <= attemptsLimit else {
            throw RetryConfigurationError("\(source) '\(text)' should be a whole number of attempts from 1 to \(attemptsLimit) (1 means no retries)")
        }
        return value
    }
}

/// A retry setting (flag, environment variable or profile entry) that cannot be used.
public struct RetryConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
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
