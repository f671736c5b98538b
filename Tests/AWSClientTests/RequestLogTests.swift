import AWSTestSupport
import Foundation
import Logging
import Testing
@testable import AWSClient

/// `--debug`: one line per attempt, retries included, and nothing that signs or authorises.
@Suite struct RequestLogTests {
    /// Keeps every line logged.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.append("\(event.message)") }
    }

    @Test func everyAttemptIsLoggedWithoutSecrets() async throws {
        let token = "FwoGZXIvYXdzESESSIONTOKEN"
        // AWS quotes the canonical request, token included, in SignatureDoesNotMatch messages.
        let leaky = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The Canonical String for this request should have been "
            + "'POST / x-amz-security-token:\(token)'</Message></Error></ErrorResponse>"
        let transport = ReplayTransport([failure(503, "<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>"),
                                         ok("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"),
                                         failure(403, leaky)])
        let lines = Lines()
        let configuration = ClientConfiguration(
            endpoints: EndpointResolver(override: URL(string: "http://127.0.0.1:1")),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01), transport: transport,
            requestLog: RequestLog(logger: Logger(label: "test") { _ in Capture(lines: lines) }))
        let client = AWSClient(credentials: StaticCredentialProvider(Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-key",
                                                                                 sessionToken: token)),
                               configuration: configuration)
        _ = try await client.query(.sts, region: "us-east-1", action: "GetCallerIdentity")
        await #expect(throws: AWSError.self) { _ = try await client.query(.sts, region: "us-east-1", action: "GetCallerIdentity") }
        let logged = lines.all
        #expect(logged.count == 3, "\(logged)")
        #expect(logged[0].hasPrefix("POST 127.0.0.1 sts GetCallerIdentity us-east-1: HTTP 503 ServiceUnavailable in "))
        #expect(logged[0].contains("attempt 1, retrying in "))
        #expect(logged[1].hasPrefix("POST 127.0.0.1 sts GetCallerIdentity us-east-1: HTTP 200 in ") && logged[1].hasSuffix("ms, attempt 2"))
        #expect(logged[2].hasPrefix("POST 127.0.0.1 sts GetCallerIdentity us-east-1: HTTP 403 SignatureDoesNotMatch in "))
        for line in logged {
            for forbidden in [token, "secret-key", "AKIDEXAMPLE", "Signature=", "Canonical"] { #expect(!line.contains(forbidden), "\(line)") }
        }
    }
}
