import Foundation

/// An HTTP response the proxy makes up instead of asking upstream.
public struct CannedResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// In order, including Content-Type and Content-Length.
    public var headers: [Header]
    public var body: String

    /// A header name and value (a struct so the response stays `Equatable`).
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The error documents AWS services answer when they throttle or fail, per protocol, as the
/// SDKs expect to parse them (botocore's parsers and the services' API references).
public enum FaultResponses {
    /// The made-up answer for `throttle`, `500` and `503`; nil for faults that are not a response.
    public static func response(for fault: FaultKind, request: RequestInfo, requestId: String) -> CannedResponse? {
        let error: (status: Int, code: String, message: String, sender: Bool)
        switch (fault, request.style) {
        case (.throttle, .ec2): error = (503, "RequestLimitExceeded", "Request limit exceeded.", true)
        case (.throttle, .query): error = (400, "Throttling", "Rate exceeded", true)
        case (.throttle, .restXML): error = (503, "SlowDown", "Please reduce your request rate.", true)
        case (.throttle, .json): error = (400, "ThrottlingException", "Rate exceeded", true)
        case (.throttle, .restJSON): error = (429, "TooManyRequestsException", "Too Many Requests", true)
        case (.internalError, .ec2): error = (500, "InternalError", "An internal error has occurred.", false)
        case (.internalError, .query): error = (500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", false)
        case (.internalError, .restXML): error = (500, "InternalError", "We encountered an internal error. Please try again.", false)
        case (.internalError, .json): error = (500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", false)
        case (.internalError, .restJSON): error = (500, "InternalServerErrorException", "Internal server error", false)
        case (.unavailable, .ec2): error = (503, "Unavailable", "The server is overloaded and can't handle the request.", false)
        case (.unavailable, .query): error = (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", false)
        case (.unavailable, .restXML): error = (503, "ServiceUnavailable", "Service is unable to handle request.", false)
        case (.unavailable, .json): error = (503, "ServiceUnavailableException", "The request has failed due to a temporary failure of the server.", false)
        case (.unavailable, .restJSON): error = (503, "ServiceUnavailableException", "Service Unavailable", false)
        case (.reset, _), (.slow, _), (.truncate, _): return nil
        }
        let body: String
        var headers: [CannedResponse.Header]
        switch request.style {
        case .ec2:
            body = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<Response><Errors><Error><Code>\(error.code)</Code><Message>\(escape(error.message))</Message></Error></Errors><RequestID>\(requestId)</RequestID></Response>"
            headers = [.init("Content-Type", "text/xml;charset=UTF-8")]
        case .query:
            let type = error.sender ? "Sender" : "Receiver"
            body = "<ErrorResponse><Error><Type>\(type)</Type><Code>\(error.code)</Code><Message>\(escape(error.message))</Message></Error><RequestId>\(requestId)</RequestId></ErrorResponse>"
            headers = [.init("x-amzn-RequestId", requestId), .init("Content-Type", "text/xml")]
        case .restXML:
            body = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<Error><Code>\(error.code)</Code><Message>\(escape(error.message))</Message><RequestId>\(requestId)</RequestId><HostId>mamori-fault-proxy</HostId></Error>"
            headers = [.init("x-amz-request-id", requestId), .init("Content-Type", "application/xml")]
        case .json:
            body = #"{"__type":"\#(error.code)","message":"\#(error.message)"}"#
            headers = [.init("x-amzn-RequestId", requestId), .init("Content-Type", "application/x-amz-json-\(request.jsonVersion ?? "1.1")")]
        case .restJSON:
            body = #"{"message":"\#(error.message)"}"#
            headers = [.init("x-amzn-RequestId", requestId), .init("x-amzn-ErrorType", "\(error.code):http://internal.amazon.com/coral/com.amazon.coral.service/"),
                       .init("Content-Type", "application/json")]
        }
        headers.append(.init("Content-Length", String(body.utf8.count)))
        return CannedResponse(status: error.status, reason: reason(error.status), headers: headers, body: body)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "'", with: "&apos;")
    }

    /// How many body bytes a `truncate` fault lets through: about half, never all of a non-empty body.
    public static func truncatedLength(of length: Int) -> Int {
        length <= 1 ? 0 : length / 2
    }
}
