import Foundation
import Testing
@testable import AWSClient

/// Runs every case of the AWS SigV4 test suite (aws-c-auth, Apache-2.0) in header and query form.
struct SigV4SuiteTests {
    static let suiteURL = Bundle.module.url(forResource: "Fixtures/sigv4-test-suite", withExtension: nil)!

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: suiteURL.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") && $0 != "LICENSE" }.sorted()
    }

    struct Context: Decodable {
        struct Creds: Decodable {
            let access_key_id: String
            let secret_access_key: String
            let token: String?
        }
        let credentials: Creds
        let expiration_in_seconds: Int
        let normalize: Bool
        let region: String
        let service: String
        let sign_body: Bool
        let timestamp: String
        let omit_session_token: Bool?
    }

    func load(_ name: String) throws -> (HTTPRequest, SigV4Signer, Date, URL) {
        let dir = Self.suiteURL.appendingPathComponent(name)
        let ctx = try JSONDecoder().decode(Context.self, from: Data(contentsOf: dir.appendingPathComponent("context.json")))
        let raw = try String(contentsOf: dir.appendingPathComponent("request.txt"), encoding: .utf8)
        let request = try Self.parse(raw)
        let options = SigningOptions(normalizePath: ctx.normalize, doubleEncodePath: false,
                                     signBodyHeader: ctx.sign_body, omitSessionToken: ctx.omit_session_token ?? false)
        let creds = Credentials(accessKeyId: ctx.credentials.access_key_id,
                                secretAccessKey: ctx.credentials.secret_access_key, sessionToken: ctx.credentials.token)
        let date = ISO8601DateFormatter().date(from: ctx.timestamp)!
        return (request, SigV4Signer(credentials: creds, region: ctx.region, service: ctx.service, options: options), date, dir)
    }

    /// Parses the suite's raw HTTP request text, with obs-fold continuation lines.
    static func parse(_ raw: String) throws -> HTTPRequest {
        let parts = raw.components(separatedBy: "\n\n")
        var lines = parts[0].components(separatedBy: "\n")
        let first = lines.removeFirst()
        let method = String(first.prefix { $0 != " " })
        let target = String(first.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var headers: [HTTPHeader] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t" {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [QueryItem] = []
        if pathPart.count > 1 {
            for pair in pathPart[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append(QueryItem(URIEncoding.decode(String(kv[0])), kv.count > 1 ? URIEncoding.decode(String(kv[1])) : ""))
            }
        }
        let host = headers.first { $0.name.lowercased() == "host" }?.value ?? "example.amazonaws.com"
        let body = parts.count > 1 ? parts[1...].joined(separator: "\n\n") : ""
        return HTTPRequest(method: method, host: host, path: String(pathPart[0]), query: query,
                           headers: headers, body: Data(body.utf8))
    }

    func expected(_ dir: URL, _ file: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
    }

    @Test("header signing", arguments: SigV4SuiteTests.caseNames)
    func headerSigning(name: String) throws {
        var (request, signer, date, dir) = try load(name)
        let trace = signer.sign(&request, date: date)
        #expect(trace.canonicalRequest == (try expected(dir, "header-canonical-request.txt")))
        #expect(trace.stringToSign == (try expected(dir, "header-string-to-sign.txt")))
        #expect(trace.signature == (try expected(dir, "header-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
        let auth = request.header("Authorization") ?? ""
        let signedText = try expected(dir, "header-signed-request.txt")
        #expect(signedText.contains("Authorization:\(auth)"))
    }

    @Test("query signing", arguments: SigV4SuiteTests.caseNames)
    func querySigning(name: String) throws {
        var (request, signer, date, dir) = try load(name)
        let trace = signer.presign(&request, expires: 3600, date: date)
        #expect(trace.canonicalRequest == (try expected(dir, "query-canonical-request.txt")))
        #expect(trace.stringToSign == (try expected(dir, "query-string-to-sign.txt")))
        #expect(trace.signature == (try expected(dir, "query-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func caseCount() {
        #expect(Self.caseNames.count == 38)
    }

    @Test func descriptionNeverShowsSecret() {
        let creds = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "tok")
        #expect(!creds.description.contains("wJalr"))
        #expect(!creds.description.contains("tok)"))
    }
}
