/// One way the proxy can spoil a request, named as on the command line (`--faults`).
public enum FaultKind: String, CaseIterable, Sendable, Hashable {
    /// The service's own throttling error for its protocol (RequestLimitExceeded, Throttling, SlowDown…).
    case throttle
    /// HTTP 500 with the service's internal-error document.
    case internalError = "500"
    /// HTTP 503 with the service's unavailable document.
    case unavailable = "503"
    /// The connection is reset without any response.
    case reset
    /// The request is held for `--slow-ms`, then forwarded normally.
    case slow
    /// The real response's headers (with its full Content-Length) and only part of its body, then a close.
    case truncate

    /// Whether the client sees a failed attempt (a slow answer still succeeds).
    public var failsTheAttempt: Bool { self != .slow }

    /// The word written in the request log.
    public var logName: String { rawValue }
}
