import Crypto
import Foundation

/// Options that differ between services and between the cases of the SigV4 test suite.
public struct SigningOptions: Sendable {
    /// Remove `.`/`..` segments and repeated slashes from the path (every service but S3).
    public var normalizePath = true
    /// Encode the already-encoded path again (every service but S3).
    public var doubleEncodePath = true
    /// Add and sign `x-amz-content-sha256` (S3 requires it).
    public var signBodyHeader = false
    /// Send the session token but leave it out of the signature (a few legacy services).
    public var omitSessionToken = false
    /// Use `UNSIGNED-PAYLOAD` as the payload hash.
    public var unsignedPayload = false

    public init(normalizePath: Bool = true, doubleEncodePath: Bool = true, signBodyHeader: Bool = false,
                omitSessionToken: Bool = false, unsignedPayload: Bool = false) {
        self.normalizePath = normalizePath
        self.doubleEncodePath = doubleEncodePath
        self.signBodyHeader = signBodyHeader
        self.omitSessionToken = omitSessionToken
        self.unsignedPayload = unsignedPayload
    }

    /// S3 signs its path as sent and always carries the payload hash.
    public static let s3 = SigningOptions(normalizePath: false, doubleEncodePath: false, signBodyHeader: true)
}

/// AWS Signature Version 4, header and query (presigned) forms.
public struct SigV4Signer: Sendable {
    public var credentials: Credentials
    public var region: String
    public var service: String
    public var options: SigningOptions

    public init(credentials: Credentials, region: String, service: String, options: SigningOptions = SigningOptions()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// The intermediate texts, exposed for tests against the AWS test suite.
    public struct Trace: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
    }

    /// Signs with an `Authorization` header.
    @discardableResult
    public func sign(_ request: inout HTTPRequest, date: Date = Date()) -> Trace {
        let (amzDate, scopeDate) = Self.timestamps(date)
        request.headers.removeAll { ["authorization", "x-amz-date"].contains($0.name.lowercased()) }
        if request.header("host") == nil { request.headers.append(HTTPHeader("Host", request.hostHeader)) }
        request.headers.append(HTTPHeader("X-Amz-Date", amzDate))
        let payloadHash = self.payloadHash(request.body)
        if options.signBodyHeader { request.setHeader("x-amz-content-sha256", payloadHash) }
        if let token = credentials.sessionToken, !options.omitSessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonical = [
            request.method, canonicalURI(request.path), Self.canonicalQuery(request.query),
            canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let trace = finish(canonical: canonical, amzDate: amzDate, scopeDate: scopeDate)
        request.headers.append(HTTPHeader(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(scopeDate)), SignedHeaders=\(signedHeaders), Signature=\(trace.signature)"))
        if let token = credentials.sessionToken, options.omitSessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        return trace
    }

    /// Signs in the query string (a presigned URL) valid for `expires` seconds.
    @discardableResult
    public func presign(_ request: inout HTTPRequest, expires: Int, date: Date = Date()) -> Trace {
        let (amzDate, scopeDate) = Self.timestamps(date)
        if request.header("host") == nil { request.headers.append(HTTPHeader("Host", request.hostHeader)) }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        request.query += [
            QueryItem("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            QueryItem("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(scopeDate))"),
            QueryItem("X-Amz-Date", amzDate),
            QueryItem("X-Amz-SignedHeaders", signedHeaders),
            QueryItem("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken, !options.omitSessionToken {
            request.query.append(QueryItem("X-Amz-Security-Token", token))
        }
        let canonical = [
            request.method, canonicalURI(request.path), Self.canonicalQuery(request.query),
            canonicalHeaders, signedHeaders, payloadHash(request.body),
        ].joined(separator: "\n")
        let trace = finish(canonical: canonical, amzDate: amzDate, scopeDate: scopeDate)
        request.query.append(QueryItem("X-Amz-Signature", trace.signature))
        return trace
    }

    private func finish(canonical: String, amzDate: String, scopeDate: String) -> Trace {
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope(scopeDate), Self.hex(SHA256.hash(data: Data(canonical.utf8))),
        ].joined(separator: "\n")
        let key = signingKey(scopeDate)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        return Trace(canonicalRequest: canonical, stringToSign: stringToSign, signature: signature)
    }

    private func scope(_ scopeDate: String) -> String { "\(scopeDate)/\(region)/\(service)/aws4_request" }

    private func signingKey(_ scopeDate: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [scopeDate, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    private func payloadHash(_ body: Data) -> String {
        options.unsignedPayload ? "UNSIGNED-PAYLOAD" : Self.hex(SHA256.hash(data: body))
    }

    func canonicalURI(_ path: String) -> String {
        let source = options.normalizePath ? Self.normalize(path) : path
        let once = URIEncoding.encode(source, encodeSlash: false)
        return options.doubleEncodePath ? URIEncoding.encode(once, encodeSlash: false) : once
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments; keeps a trailing slash.
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(segment)
            }
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        let trailing = path.hasSuffix("/") || last == "." || last == ".."
        let joined = "/" + out.joined(separator: "/")
        return trailing && !out.isEmpty ? joined + "/" : joined
    }

    static func canonicalQuery(_ items: [QueryItem]) -> String {
        let encoded: [(name: String, value: String)] = items.map {
            (URIEncoding.encode($0.name), URIEncoding.encode($0.value))
        }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Lower-cased names, sorted; duplicate fields joined by commas in order; values trimmed and
    /// inner runs of white space folded to one space.
    static func canonicalHeaders(_ headers: [HTTPHeader]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                .joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        let names = merged.keys.sorted()
        let lines = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    static func timestamps(_ date: Date) -> (String, String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = formatter.string(from: date)
        return (amzDate, String(amzDate.prefix(8)))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
