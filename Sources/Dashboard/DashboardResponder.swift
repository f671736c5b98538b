import Foundation
import HTTPTypes
import Hummingbird
import History

/// Answers every request: the token check, then only GET and HEAD (the dashboard is read-only),
/// the page, and the security headers on every response, errors included.
struct DashboardResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let pages: DashboardPages
    let templates: DashboardTemplates
    let gate: TokenGate

    /// Scripts, frames, fonts, connections: none. Styles are inline, images are inline SVG.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = await answer(request)
        for (name, value) in Self.securityHeaders {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return request.method == .head ? response.createHeadResponse() : response
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
