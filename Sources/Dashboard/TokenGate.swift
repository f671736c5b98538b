import Foundation

/// The optional shared token. A request passes with `Authorization: Bearer TOKEN`, `?token=TOKEN`
/// (which also sets a cookie so the page's links work) or that cookie. Comparisons take the same
/// time wherever the first wrong byte is, so the token cannot be guessed byte by byte.
struct TokenGate: Sendable {
    /// Name of the HttpOnly, SameSite=Strict cookie set after a `?token=` visit.
    static let cookieName = "mamori_token"

    enum Decision: Sendable, Equatable {
        /// No token configured, or a valid header or cookie.
        case allowed
        /// A valid `?token=`: answer with a redirect to the same page without it, setting the cookie.
        case allowedFromQuery
        case denied(String)
    }

    let token: String?

    /// The cookie carries the token hex-encoded: any bytes a user put in the token stay cookie-safe.
    var cookieValue: String? { token.map { Self.hex(Array($0.utf8)) } }

    func decide(authorization: String?, queryToken: String?, cookies: [String: String]) -> Decision {
        guard let token else { return .allowed }
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                return .denied("The Authorization header must be 'Bearer <token>'.")
            }
            return Self.equal(String(parts[1]).trimmingCharacters(in: .whitespaces), token) ? .allowed : .denied("Wrong token.")
        }
        if let queryToken {
            return Self.equal(queryToken, token) ? .allowedFromQuery : .denied("Wrong token.")
        }
        if let cookie = cookies[Self.cookieName], let expected = cookieValue {
            return Self.equal(cookie, expected) ? .allowed : .denied("The token cookie is out of date: open the dashboard with ?token=<token> again.")
        }
        return .denied("This dashboard needs a token: open it with ?token=<token> once (a cookie keeps you signed in), "
                       + "or send 'Authorization: Bearer <token>'. The token is the one given to mamori serve (--token or MAMORI_TOKEN).")
    }

    /// Constant-time comparison: every byte of the longer input is visited whatever the content.
    static func equal(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        let length = max(a.count, b.count)
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// `name=value; name2=value2` from every Cookie header.
    static func cookies(_ headers: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if cookies[name] == nil { cookies[name] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return cookies
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
