import Foundation

/// The proxy's command line, parsed without any framework so it can be unit-tested.
public struct ProxyOptions: Sendable, Equatable {
    public var upstreamHost = "127.0.0.1"
    public var upstreamPort = 0
    public var listenHost = "127.0.0.1"
    public var listenPort = 0
    /// Fault probability per request, 0…1.
    public var rate = 0.0
    public var seed: UInt64 = 1
    public var faults: [FaultKind] = FaultKind.allCases
    /// Per-service probabilities (service signing name, lower-case), overriding `rate`.
    public var serviceRates: [String: Double] = [:]
    /// How long a `slow` fault holds the request.
    public var slowMilliseconds = 2000
    /// One line per request is appended here.
    public var logPath: String?

    public init() {}

    public static let usage = """
        usage: mamori-fault-proxy --upstream http://127.0.0.1:PORT [options]
          --upstream URL         where requests go (loopback only), e.g. a moto server
          --port N               port to listen on (default 0: any free port)
          --rate P               fault probability per request, 0 to 1 (default 0)
          --seed N               seed for the fault choice (default 1)
          --faults LIST          comma-separated: throttle,500,503,reset,slow,truncate (default all)
          --service NAME=P       fault probability for one service (signing name, e.g. sns=1.0); repeatable
          --slow-ms N            delay of a slow response in milliseconds (default 2000)
          --log FILE             append one line per request: service, action, fault or pass
        Prints "READY http://127.0.0.1:PORT" when listening; stops when stdin closes or on SIGTERM.
        """

    /// Parses arguments (without the program name).
    public static func parse(_ arguments: [String]) throws(ProxyOptionError) -> ProxyOptions {
        var options = ProxyOptions()
        var sawUpstream = false
        var index = 0
        func value(_ flag: String) throws(ProxyOptionError) -> String {
            index += 1
            guard index < arguments.count else { throw ProxyOptionError("\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            var flag = arguments[index]
            var inline: String?
            if flag.hasPrefix("--"), let eq = flag.firstIndex(of: "=") {
                inline = String(flag[flag.index(after: eq)...])
                flag = String(flag[..<eq])
            }
            func next() throws(ProxyOptionError) -> String {
                if let inline { return inline }
                return try value(flag)
            }
            switch flag {
            case "--upstream":
                let text = try next()
                (options.upstreamHost, options.upstreamPort) = try parseUpstream(text)
                sawUpstream = true
            case "--port":
                let text = try next()
                guard let port = Int(text), (0...65535).contains(port) else { throw ProxyOptionError("--port '\(text)' is not a port number (0-65535)") }
                options.listenPort = port
            case "--rate":
                options.rate = try probability(try next(), flag: "--rate")
            case "--seed":
                let text = try next()
                guard let seed = UInt64(text) else { throw ProxyOptionError("--seed '\(text)' is not a non-negative integer") }
                options.seed = seed
            case "--faults":
                options.faults = try parseFaults(try next())
            case "--service":
                let text = try next()
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    throw ProxyOptionError("--service '\(text)' should be NAME=RATE, e.g. sns=1.0")
                }
                let name = text[..<eq].lowercased()
                options.serviceRates[name] = try probability(String(text[text.index(after: eq)...]), flag: "--service \(name)")
            case "--slow-ms":
                let text = try next()
                guard let ms = Int(text), ms >= 0, ms <= 600_000 else { throw ProxyOptionError("--slow-ms '\(text)' should be 0-600000 milliseconds") }
                options.slowMilliseconds = ms
            case "--log":
                options.logPath = try next()
            case "--help", "-h":
                throw ProxyOptionError(usage, isHelp: true)
            default:
                throw ProxyOptionError("unknown option '\(arguments[index])'\n\(usage)")
            }
            index += 1
        }
        guard sawUpstream else { throw ProxyOptionError("--upstream http://127.0.0.1:PORT is required\n\(usage)") }
        return options
    }

    static func probability(_ text: String, flag: String) throws(ProxyOptionError) -> Double {
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw ProxyOptionError("\(flag) '\(text)' should be a probability between 0 and 1 (e.g. 0.3)")
        }
        return value
    }

    static func parseFaults(_ text: String) throws(ProxyOptionError) -> [FaultKind] {
        var kinds: [FaultKind] = []
        for word in text.split(separator: ",") {
            let name = word.trimmingCharacters(in: .whitespaces).lowercased()
            guard let kind = FaultKind(rawValue: name) else {
                throw ProxyOptionError("--faults: unknown fault '\(name)' (known: \(FaultKind.allCases.map(\.rawValue).joined(separator: ",")))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { throw ProxyOptionError("--faults needs at least one fault") }
        return kinds
    }

    /// `http://127.0.0.1:5000` → ("127.0.0.1", 5000). Loopback only: the proxy is a test tool.
    static func parseUpstream(_ text: String) throws(ProxyOptionError) -> (String, Int) {
        guard text.hasPrefix("http://") else {
            throw ProxyOptionError("--upstream '\(text)' should be http://127.0.0.1:PORT (plain HTTP on loopback)")
        }
        var rest = text.dropFirst("http://".count)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
            throw ProxyOptionError("--upstream '\(text)' needs a port, e.g. http://127.0.0.1:5000")
        }
        let host = String(rest[..<colon])
        guard ["127.0.0.1", "localhost", "[::1]"].contains(host) else {
            throw ProxyOptionError("--upstream '\(text)' is not a loopback address: the proxy only talks to 127.0.0.1")
        }
        return (host == "localhost" ? "127.0.0.1" : host == "[::1]" ? "::1" : host, port)
    }
}

/// A command-line mistake, with the message to print.
public struct ProxyOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// `--help` was asked for: print the usage and exit 0.
    public let isHelp: Bool
    public init(_ description: String, isHelp: Bool = false) {
        self.description = description
        self.isHelp = isHelp
    }
}
