import Foundation

/// Turns an error response of any wire protocol into `AWSError.service`.
enum ErrorDecoder {
    /// `emulator`: requests go to an endpoint override. Emulators answer calls they do not
    /// implement with an HTML 500 page, which AWS never sends for an API call.
    static func decode(_ response: HTTPResponse, wire: WireProtocol, operation: String, emulator: Bool = false) -> AWSError {
        let requestId = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        var code: String?
        var message = ""
        // SQS and other query-compatible JSON services put the classic code in a header.
        if let queryError = response.headers["x-amzn-query-error"] {
            code = String(queryError.split(separator: ";").first ?? "")
        }
        if let typeHeader = response.headers["x-amzn-errortype"], code == nil {
            code = clean(typeHeader)
        }
        let body = response.body
        let first = body.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        if first == UInt8(ascii: "<"), let root = try? XElement.parse(body) {
            if code == nil { code = root.first("Code")?.text }
            message = root.first("Message")?.text ?? root.first("message")?.text ?? ""
            let xmlRequestId = root.first("RequestId")?.text ?? root.first("RequestID")?.text
            return .service(code: code ?? "HTTP\(response.status)", message: message, status: response.status,
                            operation: operation, requestId: requestId ?? xmlRequestId)
        }
        // An error document that starts but does not parse was cut short (a dropped connection):
        // a decoding error, which is retried, rather than a made-up code that would not be.
        if first == UInt8(ascii: "<") || first == UInt8(ascii: "{"), code == nil,
           htmlTitle(String(decoding: body.prefix(2048), as: UTF8.self)) == nil {
            do throws(AWSError) {
                if first == UInt8(ascii: "<") { _ = try XElement.parse(body) } else { _ = try JSONValue.parse(body) }
            } catch {
                let reason = if case let .decoding(reason) = error { reason } else { error.description }
                return .decoding("\(operation): HTTP \(response.status) error document is incomplete: \(reason)")
            }
        }
        if first == UInt8(ascii: "{"), let json = try? JSONValue.parse(body) {
            if code == nil {
                code = (json["__type"]?.string ?? json["code"]?.string ?? json["Code"]?.string).map(clean)
            }
            message = json["message"]?.string ?? json["Message"]?.string ?? ""
        } else if message.isEmpty {
            let text = String(decoding: body.prefix(2048), as: UTF8.self)
            if let html = htmlTitle(text) {
                if emulator, response.status == 500, code == nil {
                    return .service(code: "NotImplemented", message: "the endpoint does not implement \(operation) (\(html))",
                                    status: 501, operation: operation, requestId: requestId)
                }
                message = html
            } else {
                message = String(text.prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        if code == nil || code == "" {
            code = switch response.status {
            case 403: "AccessDenied"
            case 404: "NotFound"
            case 429: "TooManyRequestsException"
            case 503: "ServiceUnavailable"
            default: "HTTP\(response.status)"
            }
        }
        return .service(code: code!, message: message, status: response.status, operation: operation, requestId: requestId)
    }

    /// The `<title>` of an HTML error page, if the body is one.
    static func htmlTitle(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") else { return nil }
        guard let start = lower.range(of: "<title>"), let end = lower.range(of: "</title>", range: start.upperBound..<lower.endIndex) else {
            return "HTML error page"
        }
        return String(text[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `aws.protocoltests#FooError:http://…` and `com.amazon.coral#Foo` both mean `Foo`.
    static func clean(_ raw: String) -> String {
        var value = Substring(raw)
        if let colon = value.firstIndex(of: ":") { value = value[..<colon] }
        if let hash = value.lastIndex(of: "#") { value = value[value.index(after: hash)...] }
        return String(value)
    }
}
