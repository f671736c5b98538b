import Foundation
import Logging

/// `--debug`: one line per attempt of every AWS call — method, host, service, action, region,
/// status, latency, attempt — through swift-log. What is logged is built from those fields alone,
/// never from the request or the answer: headers carry the signature and the session token, the
/// body and query can carry parameters, and an AWS error message can quote the whole canonical
/// request (SignatureDoesNotMatch does, token included). So an error shows only its code.
public struct RequestLog: Sendable {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// A logger writing to standard error at debug level, labelled `mamori.aws`.
    public static func standardError() -> RequestLog {
        var logger = Logger(label: "mamori.aws") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .debug
        return RequestLog(logger: logger)
    }

    /// How an attempt ended, in words that hold no secret.
    public enum Outcome: Sendable {
        case status(Int)
        case failed(AWSError)
    }

    func record(method: String, host: String, service: AWSService, operation: String, region: String,
                outcome: Outcome, started: ContinuousClock.Instant, attempt: Int, retryIn: TimeInterval?) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let result: String
        switch outcome {
        case .status(let status): result = "HTTP \(status)"
        case .failed(let error): result = Self.summary(error)
        }
        var line = "\(method) \(host) \(service.id) \(operation) \(region): \(result) in \(milliseconds) ms, attempt \(attempt)"
        if let retryIn { line += String(format: ", retrying in %.2f s", retryIn) }
        logger.debug("\(line)")
    }

    /// An error's kind and code only: never its message.
    static func summary(_ error: AWSError) -> String {
        switch error {
        case let .service(code, _, status, _, _): return "HTTP \(status) \(code)"
        case .transport: return "no response (connection or timeout)"
        case .decoding: return "unreadable answer"
        case .credentials: return "no credentials"
        case .cancelled: return "interrupted"
        }
    }
}
