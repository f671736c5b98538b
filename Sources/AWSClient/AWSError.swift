import Foundation

/// Every failure the AWS client reports. Each case carries what a user needs to act on it.
public enum AWSError: Error, Sendable, CustomStringConvertible {
    /// AWS answered with an error document.
    case service(code: String, message: String, status: Int, operation: String, requestId: String?)
    /// The request never got an answer (connection refused or reset, timeout, TLS).
    case transport(operation: String, reason: String)
    /// The answer could not be read (malformed XML or JSON, missing field).
    case decoding(String)
    /// No usable credentials, or the credential source failed.
    case credentials(String)
    /// The caller's task was cancelled (Ctrl-C): the request was abandoned, not failed. Never an AWS
    /// or permission problem, never retried.
    case cancelled(operation: String)

    public var description: String {
        switch self {
        case let .service(code, message, status, operation, requestId):
            let id = requestId.map { ", request id \($0)" } ?? ""
            return "\(operation): \(code) (HTTP \(status)): \(message.isEmpty ? "no message" : message)\(id)"
        case let .transport(operation, reason):
            return "\(operation): no response from AWS: \(reason)"
        case let .decoding(reason):
            return "unreadable response: \(reason)"
        case let .credentials(reason):
            return "credentials: \(reason)"
        case let .cancelled(operation):
            return "\(operation): interrupted"
        }
    }

    /// The request was abandoned because the task was cancelled.
    public var isCancellation: Bool {
        if case .cancelled = self { return true }
        return false
    }

    public var code: String? {
        if case let .service(code, _, _, _, _) = self { return code }
        return nil
    }

    public var status: Int? {
        if case let .service(_, _, status, _, _) = self { return status }
        return nil
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "InternalServerError", "InternalServerException", "IDPCommunicationError",
    ]

    static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
        "UnauthorizedAccess", "Forbidden", "AuthorizationErrorException", "AccessDeniedForDependencyException",
    ]

    static let unsupportedCodes: Set<String> = [
        "InvalidAction", "UnknownOperationException", "NotImplemented", "UnsupportedOperation",
        "UnsupportedOperationException", "InvalidRequest.NotImplemented",
    ]

    /// AWS asks us to slow down.
    public var isThrottling: Bool {
        switch self {
        case let .service(code, _, status, _, _): return Self.throttlingCodes.contains(code) || status == 429
        default: return false
        }
    }

    /// Worth trying again: throttling, 5xx, transient network trouble, a truncated body.
    public var isRetryable: Bool {
        switch self {
        case let .service(code, _, status, _, _):
            return isThrottling || Self.transientCodes.contains(code) || (status >= 500 && !Self.unsupportedCodes.contains(code))
        case .transport: return true
        case .decoding: return true
        case .credentials, .cancelled: return false
        }
    }

    /// The caller lacks permission for this call: mark that part of the inventory unreadable.
    public var isAccessDenied: Bool {
        guard case let .service(code, _, status, _, _) = self else { return false }
        return Self.accessDeniedCodes.contains(code) || (status == 403 && !isCredentialProblem)
    }

    /// The endpoint does not implement the call (an emulator, or an old partition).
    public var isUnsupported: Bool {
        guard case let .service(code, message, status, _, _) = self else { return false }
        if Self.unsupportedCodes.contains(code) { return true }
        return status == 501 || (status == 404 && message.localizedCaseInsensitiveContains("not yet implemented"))
    }

    /// The keys are wrong, expired or not valid in this region.
    public var isCredentialProblem: Bool {
        guard let code else { return false }
        return ["InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
                "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure", "IncompleteSignature",
                "MissingAuthenticationToken", "InvalidToken", "RequestExpired"].contains(code)
    }

    /// The region is switched off for this account (opt-in regions).
    public var isRegionDisabled: Bool {
        guard let code else { return false }
        return code == "OptInRequired" || code == "InvalidRegion"
    }
}
