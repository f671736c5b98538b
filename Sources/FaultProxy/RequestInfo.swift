import Foundation

/// How a service shapes its errors on the wire (botocore's `metadata.protocol`).
public enum WireStyle: String, Sendable, Equatable {
    /// EC2 query: `<Response><Errors><Error>…`.
    case ec2
    /// AWS query (IAM, STS, SNS, RDS…): `<ErrorResponse><Error><Type>…`.
    case query
    /// S3's REST-XML: `<Error><Code>…`.
    case restXML
    /// JSON 1.0 / 1.1 (`X-Amz-Target`): `{"__type": …}`.
    case json
    /// REST-JSON (GuardDuty, Security Hub, Lambda): the code in `x-amzn-ErrorType`.
    case restJSON
}

/// What the proxy can tell about a request without changing it: the service (from the SigV4
/// credential scope), the operation when visible, and the error style of its protocol.
public struct RequestInfo: Sendable, Equatable {
    public var service: String?
    public var action: String?
    public var style: WireStyle
    /// `1.0` or `1.1` for JSON services (the error's Content-Type repeats it).
    public var jsonVersion: String?

    public init(service: String?, action: String?, style: WireStyle, jsonVersion: String? = nil) {
        self.service = service
        self.action = action
        self.style = style
        self.jsonVersion = jsonVersion
    }

    /// Classifies a request. `headers` as received (any case); `body` the full request body.
    public static func classify(method: String, uri: String, headers: [(String, String)], body: [UInt8]) -> RequestInfo {
        func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
        let (path, query) = splitURI(uri)
        let service = serviceName(authorization: header("Authorization"), query: query)
        let contentType = header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-amz-json-") || header("X-Amz-Target") != nil {
            let version = contentType.hasPrefix("application/x-amz-json-") ? String(contentType.dropFirst("application/x-amz-json-".count).prefix(3)) : "1.1"
            let action = header("X-Amz-Target").map { target in target.split(separator: ".").last.map(String.init) ?? target }
            return RequestInfo(service: service, action: action, style: .json, jsonVersion: version)
        }
        if service == "s3" {
            return RequestInfo(service: service, action: restAction(method: method, path: path, query: query), style: .restXML)
        }
        let formAction = formValue("Action", in: query) ?? (contentType.hasPrefix("application/x-www-form-urlencoded")
            ? formValue("Action", in: String(decoding: body, as: UTF8.self)) : nil)
        if let formAction {
            return RequestInfo(service: service, action: formAction, style: service == "ec2" ? .ec2 : .query)
        }
        if service == "ec2" { return RequestInfo(service: service, action: nil, style: .ec2) }
        return RequestInfo(service: service, action: restAction(method: method, path: path, query: query), style: .restJSON)
    }

    /// The service of `Credential=AKID/DATE/REGION/SERVICE/aws4_request`, from the
    /// Authorization header or a presigned URL's `X-Amz-Credential`.
    public static func serviceName(authorization: String?, query: String) -> String? {
        var scope: String?
        if let authorization, let range = authorization.range(of: "Credential=") {
            scope = String(authorization[range.upperBound...].prefix { $0 != "," && $0 != " " })
        } else if let credential = formValue("X-Amz-Credential", in: query) {
            scope = credential
        }
        guard let scope else { return nil }
        let parts = scope.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[parts.count - 1] == "aws4_request" else { return nil }
        return parts[parts.count - 2].lowercased()
    }

    static func splitURI(_ uri: String) -> (path: String, query: String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

    /// A form-encoded value (`a=1&Action=ListUsers`), percent-decoded.
    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            let raw = parts[1].replacingOccurrences(of: "+", with: " ")
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }

    /// For REST calls the method, path and sub-resource say which operation it is (`GET /bucket?policy`).
    static func restAction(method: String, path: String, query: String) -> String {
        let subresources = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
            .filter { !$0.isEmpty && !$0.lowercased().hasPrefix("x-amz-") }
        return "\(method) \(path)" + (subresources.isEmpty ? "" : "?" + subresources.joined(separator: "&"))
    }
}
