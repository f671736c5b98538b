import Foundation
import HTTPTypes
import Hummingbird
import History
import NIOCore

/// Answers every request: the token check, then only GET and HEAD (the dashboard is read-only),
/// the page, and the security headers on every response, errors included.
struct DashboardResponder: HTTPResponder {
    typealias Context = DashboardContext

    let pages: DashboardPages
    let templates: DashboardTemplates
    let gate: TokenGate
    /// How long a connection that sent a request body may stay open (the idle timeout).
    let bodyDeadline: Duration

    /// Scripts, frames, fonts, connections: none. Styles are inline, images are inline SVG.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = await answer(request)
        if Self.carriesBody(request) {
            // The dashboard never reads a body, but the server drains it before the next request, and
            // a body trickled a byte at a time counts as activity, so the idle timeout never fires.
            // Such a connection gets a fixed deadline instead; real browsers never send one.
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: .nanoseconds(bodyDeadline.nanoseconds)) { channel.close(promise: nil) }
            response.headers[.connection] = "close"
        }
        for (name, value) in Self.securityHeaders {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return request.method == .head ? response.createHeadResponse() : response
    }

    static func carriesBody(_ request: Request) -> Bool {
        if request.headers[.transferEncoding] != nil { return true }
        return (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
    }

    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        // Findings name resources and accounts: keep them out of shared caches and the disk cache.
        ("Cache-Control", "no-store"),
    ]

    func answer(_ request: Request) async -> Response {
        let query = QueryParameters(request.uri.query)
        // The token first: without it nobody learns anything, not even which methods exist.
        let decision = await gate.decide(authorization: request.headers[.authorization], queryToken: query["token"],
                                   cookies: TokenGate.cookies(request.headers[values: .cookie]))
        switch decision {
        case .denied(let reason):
            var response = html(PageError(.unauthorized, reason))
            response.headers[.wwwAuthenticate] = "Bearer realm=\"mamori\""
            return response
        case .allowedFromQuery where request.method == .get || request.method == .head:
            return await signIn(request)
        case .allowed, .allowedFromQuery:
            break
        }
        guard request.method == .get || request.method == .head else {
            var response = html(PageError(.methodNotAllowed, "The dashboard is read-only: only GET and HEAD requests are answered, not \(request.method.rawValue)."))
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        do {
            let page = try await self.page(Route.parse(path: request.uri.path), query: query)
            return html(templates.render(page), status: page.status)
        } catch {
            return html(error)
        }
    }

    func page(_ route: Route, query: QueryParameters) async throws(PageError) -> Page {
        switch route {
        case .scans: try await pages.scanList()
        case .scan(let id): try await pages.scanSummary(id)
        case .findings(let id): try await pages.findingsTable(id, query: query)
        case .finding(let id, let fingerprint): try await pages.findingDetail(id, fingerprint: fingerprint)
        case .metrics(let id): try await pages.metrics(id)
        case .diff: try await pages.diff(query: query)
        case .hunts: try await pages.huntList()
        case .hunt(let key): try await pages.huntDetail(key)
        }
    }

    /// A valid `?token=`: set the cookie and send the browser to the same page without the token,
    /// so it does not stay in the address bar, the history or a copied link.
    func signIn(_ request: Request) async -> Response {
        let rest = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("token=") && $0 != "token" }
        // One leading slash only: "//host/x" would be a protocol-relative link to another site.
        let path = "/" + request.uri.path.drop { $0 == "/" || $0 == "\\" }
        let location = path + (rest.isEmpty ? "" : "?" + rest.joined(separator: "&"))
        var headers = HTTPFields()
        headers[.location] = location
        headers[.setCookie] = await gate.startSession()
        headers[.contentType] = "text/html; charset=utf-8"
        let body = "<!DOCTYPE html><title>Signed in</title><p>Signed in. Continue to the dashboard.</p>"
        return Response(status: .seeOther, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func html(_ error: PageError) -> Response {
        html(templates.render(error: error), status: error.status.rawValue)
    }

    func html(_ text: String, status: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Hummingbird's basic context plus the connection, so a request with a body can be given a deadline.
struct DashboardContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
