import Foundation

/// The optional shared token. A request passes with `Authorization: Bearer TOKEN`, `?token=TOKEN`
/// (which starts a browser session so the page's links work) or that session's cookie. Comparisons
/// take the same time wherever the first wrong byte is, so the token cannot be guessed byte by byte.
///
/// The cookie never carries the token: it carries a random session id that expires, so a cookie
/// copied out of a browser stops working and says nothing about the token itself.
struct TokenGate: Sendable {
    /// Name of the HttpOnly, SameSite=Strict session cookie set after a `?token=` visit.
    static let cookieName = "mamori_session"

    enum Decision: Sendable, Equatable {
        /// No token configured, or a valid header or session cookie.
        case allowed
        /// A valid `?token=`: answer with a redirect to the same page without it, starting a session.
        case allowedFromQuery
        case denied(String)
    }

    let token: String?
    let sessions: SessionStore

    init(token: String?, sessionLifetime: Duration = DashboardConfiguration.defaultSessionLifetime) {
        self.token = token
        sessions = SessionStore(lifetime: sessionLifetime)
    }

    func decide(authorization: String?, queryToken: String?, cookies: [String: String]) async -> Decision {
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
        if let cookie = cookies[Self.cookieName] {
            return await sessions.isValid(cookie) ? .allowed
                : .denied("Your dashboard session has expired (or the server restarted): open the dashboard with ?token=<token> again.")
        }
        return .denied("This dashboard needs a token: open it with ?token=<token> once (a session cookie keeps you signed in), "
                       + "or send 'Authorization: Bearer <token>'. The token is the one given to mamori serve (--token or MAMORI_TOKEN).")
    }

    /// The `Set-Cookie` value for a new session.
    func startSession() async -> String {
        let id = await sessions.start()
        return "\(Self.cookieName)=\(id); Path=/; Max-Age=\(Int(sessions.lifetime.components.seconds)); HttpOnly; SameSite=Strict"
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

/// Browser sessions started with a valid `?token=`: 256-bit random ids, in memory only (a restart
/// signs everyone out), each valid for `lifetime` from its start. Only holders of the token can
/// start one, and the store keeps at most `capacity` (the oldest go first), so it cannot grow
/// without bound.
actor SessionStore {
    nonisolated let lifetime: Duration
    let capacity: Int
    private var expiries: [String: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    func start() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = TokenGate.hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let now = clock.now
        if expiries.count >= capacity {
            expiries = expiries.filter { $0.value > now }
            while expiries.count >= capacity, let oldest = expiries.min(by: { $0.value < $1.value }) {
                expiries[oldest.key] = nil
            }
        }
        expiries[id] = now.advanced(by: lifetime)
        return id
    }

    /// Constant-time on the id's bytes: the dictionary lookup hashes the whole id, and the hash is seeded per process.
    func isValid(_ id: String) -> Bool {
        guard let expiry = expiries[id] else { return false }
        guard expiry > clock.now else {
            expiries[id] = nil
            return false
        }
        return true
    }

    var count: Int { expiries.count }
}
