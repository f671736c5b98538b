import Foundation

/// Why a request got no page: the status to answer with and a message for the person at the browser.
public struct PageError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Status: Int, Sendable {
        case badRequest = 400
        case unauthorized = 401
        case notFound = 404
        case methodNotAllowed = 405
        case internalError = 500

        var title: String {
            switch self {
            case .badRequest: "Bad request"
            case .unauthorized: "Token required"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .internalError: "Cannot read the history store"
            }
        }
    }

    public var status: Status
    public var message: String

    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.rawValue) \(status.title): \(message)" }

    static func badRequest(_ message: String) -> PageError { PageError(.badRequest, message) }
    static func notFound(_ message: String) -> PageError { PageError(.notFound, message) }
}
