import Foundation

/// The proxy's shared mutable state: the seeded fault sequence, the request log and counters.
/// An actor, so concurrent connections draw from the one sequence in arrival order.
actor ProxyState {
    private var chooser: FaultChooser
    private let log: FileHandle?
    private(set) var requests = 0
    private(set) var injected: [FaultKind: Int] = [:]

    init(options: ProxyOptions) throws(ProxyOptionError) {
        chooser = FaultChooser(options: options)
        if let path = options.logPath {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw ProxyOptionError("--log: cannot create \(path)")
                }
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw ProxyOptionError("--log: cannot open \(path) for writing") }
            handle.seekToEndOfFile()
            log = handle
        } else {
            log = nil
        }
    }

    /// Draws the fault for one request; returns it with a request number.
    func decide(_ info: RequestInfo) -> (fault: FaultKind?, number: Int) {
        requests += 1
        let fault = chooser.choose(service: info.service)
        if let fault { injected[fault, default: 0] += 1 }
        return (fault, requests)
    }

    /// Logs what happened to one request: the fault's name, `pass`, or `upstream-error` when
    /// the proxy could not reach the upstream.
    func record(_ info: RequestInfo, outcome: String) {
        log?.write(Data(RequestLogLine(service: info.service, action: info.action, outcome: outcome).text.utf8))
    }
}

/// One line of `--log`: tab-separated service, action and outcome (a fault name or `pass`).
public struct RequestLogLine: Sendable, Equatable {
    public var service: String?
    public var action: String?
    public var outcome: String

    public init(service: String?, action: String?, outcome: String) {
        self.service = service
        self.action = action
        self.outcome = outcome
    }

    public var text: String {
        "\(service ?? "-")\t\(clean(action) ?? "-")\t\(outcome)\n"
    }

    /// Reads a line back (for tests and tooling).
    public init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        service = fields[0] == "-" ? nil : String(fields[0])
        action = fields[1] == "-" ? nil : String(fields[1])
        outcome = String(fields[2])
    }

    private func clean(_ text: String?) -> String? {
        text.map { String($0.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }) }
    }
}
