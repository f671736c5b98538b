import Testing
@testable import FaultProxy

/// Made-up errors look like the real service's for its protocol.
struct FaultResponsesTests {
    static let id = "fa017000-0000-4000-8000-000000000001"

    func response(_ fault: FaultKind, _ style: WireStyle, json: String? = nil) throws -> CannedResponse {
        try #require(FaultResponses.response(for: fault, request: RequestInfo(service: "x", action: nil, style: style, jsonVersion: json), requestId: Self.id))
    }

    @Test func ec2ThrottleIsRequestLimitExceeded503() throws {
        let r = try response(.throttle, .ec2)
        #expect(r.status == 503)
        #expect(r.body == """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fa017000-0000-4000-8000-000000000001</RequestID></Response>
            """)
        #expect(r.header("content-length") == String(r.body.utf8.count))
    }

    @Test func queryThrottleIsSenderThrottling400() throws {
        let r = try response(.throttle, .query)
        #expect(r.status == 400)
        #expect(r.body == "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fa017000-0000-4000-8000-000000000001</RequestId></ErrorResponse>")
        let failure = try response(.internalError, .query)
        #expect(failure.status == 500)
        #expect(failure.body.contains("<Type>Receiver</Type><Code>InternalFailure</Code>"))
    }

    @Test func s3ThrottleIsSlowDown503() throws {
        let r = try response(.throttle, .restXML)
        #expect(r.status == 503)
        #expect(r.body.contains("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"))
        #expect(r.header("x-amz-request-id") == Self.id)
        #expect(try response(.unavailable, .restXML).body.contains("<Code>ServiceUnavailable</Code>"))
    }

    @Test func jsonThrottleIsThrottlingException400InTheRequestsVersion() throws {
        let r = try response(.throttle, .json, json: "1.0")
        #expect(r.status == 400)
        #expect(r.body == #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
        #expect(r.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(r.header("x-amzn-RequestId") == Self.id)
    }

    @Test func restJSONThrottleIs429WithTheErrorTypeHeader() throws {
        let r = try response(.throttle, .restJSON)
        #expect(r.status == 429)
        #expect(r.header("x-amzn-ErrorType")?.hasPrefix("TooManyRequestsException:") == true)
        #expect(r.body == #"{"message":"Too Many Requests"}"#)
        #expect(try response(.unavailable, .restJSON).status == 503)
        #expect(try response(.internalError, .restJSON).status == 500)
    }

    @Test func fiveHundredsAreNeverHTMLPages() throws {
        // An HTML 500 from an emulator means "not implemented" to Mamori, so faults must not look like one.
        for style in [WireStyle.ec2, .query, .restXML, .json, .restJSON] {
            for fault in [FaultKind.internalError, .unavailable] {
                let r = try response(fault, style)
                #expect(r.status == (fault == .internalError ? 500 : 503))
                #expect(!r.body.lowercased().contains("<html"))
            }
        }
    }

    @Test func connectionFaultsHaveNoCannedResponse() {
        let info = RequestInfo(service: "ec2", action: nil, style: .ec2)
        #expect(FaultResponses.response(for: .reset, request: info, requestId: "1") == nil)
        #expect(FaultResponses.response(for: .slow, request: info, requestId: "1") == nil)
        #expect(FaultResponses.response(for: .truncate, request: info, requestId: "1") == nil)
    }

    @Test func truncationKeepsLessThanTheWholeBody() {
        #expect(FaultResponses.truncatedLength(of: 0) == 0)
        #expect(FaultResponses.truncatedLength(of: 1) == 0)
        #expect(FaultResponses.truncatedLength(of: 2) == 1)
        #expect(FaultResponses.truncatedLength(of: 1001) == 500)
    }

    @Test func logLinesRoundTrip() {
        let line = RequestLogLine(service: "s3", action: "GET /b?policy", outcome: "truncate")
        #expect(line.text == "s3\tGET /b?policy\ttruncate\n")
        #expect(RequestLogLine(line: line.text.dropLast()) == line)
        #expect(RequestLogLine(service: nil, action: "a\tb", outcome: "pass").text == "-\ta b\tpass\n")
    }
}
