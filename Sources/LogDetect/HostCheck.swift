import Foundation

/// `mamori imds host`: checks a machine outside EC2 against bulletin AWS-2025-021's advice, so
/// its AWS tools never ask (or believe) an instance metadata service.
public struct HostCheck: Sendable {
    /// Outcome of one check.
    public struct Item: Codable, Sendable, Equatable {
        public enum Status: String, Codable, Sendable { case ok, warn, fail, info }
        public var id: String
        public var status: Status
        public var message: String
        /// What to change; empty when nothing.
        public var fix: String
    }

    /// Where to read the system state (a different root and environment in tests).
    public var root: String
    public var environment: [String: String]
    public var home: String

    public init(root: String = "/", environment: [String: String] = ProcessInfo.processInfo.environment,
                home: String = NSHomeDirectory()) {
        self.root = root
        self.environment = environment
        self.home = home
    }

    static let imdsV4 = "169.254.169.254"
    static let imdsV6 = IPAddress("fd00:ec2::254")!

    public func run() -> [Item] {
        var items: [Item] = []
        items.append(ec2Detection())
        items.append(contentsOf: environmentChecks())
        items.append(contentsOf: configChecks())
        items.append(contentsOf: routeChecks())
        items.append(contentsOf: arpChecks())
        items.append(contentsOf: listenerChecks())
        items.append(contentsOf: hostsChecks())
        return items
    }

    func read(_ path: String) -> String? {
        let full = root == "/" ? path : (root as NSString).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: full) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func ec2Detection() -> Item {
        let vendor = read("/sys/devices/virtual/dmi/id/sys_vendor")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let asset = read("/sys/devices/virtual/dmi/id/board_asset_tag")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if vendor == "Amazon EC2" || asset.hasPrefix("i-") {
            return Item(id: "host.ec2", status: .info,
                        message: "this machine looks like an EC2 instance (\(vendor.isEmpty ? asset : vendor)); IMDS is legitimate here and the checks below matter only outside AWS",
                        fix: "")
        }
        return Item(id: "host.ec2", status: .info, message: "this machine does not look like an EC2 instance; IMDS traffic from it should never exist", fix: "")
    }

    func environmentChecks() -> [Item] {
        var items: [Item] = []
        let disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased()
        if disabled == "true" {
            items.append(Item(id: "env.AWS_EC2_METADATA_DISABLED", status: .ok, message: "AWS_EC2_METADATA_DISABLED=true: AWS CLI and SDKs will not ask IMDS for credentials or region", fix: ""))
        } else {
            items.append(Item(id: "env.AWS_EC2_METADATA_DISABLED", status: .fail,
                              message: "AWS_EC2_METADATA_DISABLED is \(disabled.map { "'\($0)'" } ?? "not set"): when no other credentials are found, AWS tools fall back to IMDS, and whoever answers 169.254.169.254 on this network can hand them credentials",
                              fix: "export AWS_EC2_METADATA_DISABLED=true (in /etc/environment, the service unit, or the shell profile of every user running AWS tools)"))
        }
        if let endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !endpoint.isEmpty {
            items.append(endpointItem(endpoint, source: "AWS_EC2_METADATA_SERVICE_ENDPOINT"))
        }
        if environment["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() == "true" {
            items.append(Item(id: "env.AWS_EC2_METADATA_V1_DISABLED", status: .ok, message: "AWS_EC2_METADATA_V1_DISABLED=true: no IMDSv1 fallback", fix: ""))
        }
        return items
    }

    func endpointItem(_ endpoint: String, source: String) -> Item {
        let host = URLParts.host(endpoint) ?? endpoint
        let bare = host.trimmingCharacters(in: "[]")
        let isStandard = bare == HostCheck.imdsV4 || IPAddress(bare) == HostCheck.imdsV6
        if isStandard {
            return Item(id: "config.ec2_metadata_service_endpoint", status: .warn,
                        message: "\(source) points AWS tools at IMDS (\(endpoint)) on a machine outside EC2",
                        fix: "remove \(source) and set AWS_EC2_METADATA_DISABLED=true")
        }
        return Item(id: "config.ec2_metadata_service_endpoint", status: .fail,
                    message: "\(source) sends AWS tools' metadata requests to \(endpoint), not to IMDS: whoever runs it can supply credentials",
                    fix: "remove \(source) unless you run that endpoint yourself (e.g. a local emulator), and set AWS_EC2_METADATA_DISABLED=true")
    }

    func configChecks() -> [Item] {
        let path = environment["AWS_CONFIG_FILE"] ?? (home as NSString).appendingPathComponent(".aws/config")
        guard let data = FileManager.default.contents(atPath: path) else {
            return [Item(id: "config.file", status: .info, message: "no AWS config file at \(path)", fix: "")]
        }
        var items: [Item] = []
        var profile = "default"
        var v1DisabledSomewhere = false
        var profiles: [String] = []
        for rawLine in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.hasPrefix(";") || line.isEmpty { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                profile = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                profiles.append(profile)
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "ec2_metadata_service_endpoint":
                items.append(endpointItem(value, source: "ec2_metadata_service_endpoint in [\(profile)] of \(path)"))
            case "ec2_metadata_v1_disabled":
                if value.lowercased() == "true" { v1DisabledSomewhere = true }
            case "credential_source":
                if value.lowercased() == "ec2instancemetadata" {
                    items.append(Item(id: "config.credential_source", status: .fail,
                                      message: "[\(profile)] in \(path) takes credentials from Ec2InstanceMetadata, which outside EC2 is whoever answers 169.254.169.254",
                                      fix: "use sso_session, credential_process or source_profile for [\(profile)] on this machine"))
                }
            default: break
            }
        }
        items.append(v1DisabledSomewhere
            ? Item(id: "config.ec2_metadata_v1_disabled", status: .ok, message: "ec2_metadata_v1_disabled = true is set in \(path)", fix: "")
            : Item(id: "config.ec2_metadata_v1_disabled", status: .warn,
                   message: "ec2_metadata_v1_disabled is not set in \(path): if IMDS is ever used, IMDSv1 (no session token) is allowed as a fallback",
                   fix: "add 'ec2_metadata_v1_disabled = true' under [default]\(profiles.isEmpty ? "" : " and each profile") in \(path)"))
        return items
    }

    /// /proc/net/route lists IPv4 routes with little-endian hex addresses.
    func routeChecks() -> [Item] {
        var items: [Item] = []
        if let table = read("/proc/net/route") {
            for line in table.split(separator: "\n").dropFirst() {
                let cols = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                guard cols.count >= 8, let dest = UInt32(cols[1], radix: 16), let mask = UInt32(cols[7], radix: 16), mask != 0 else { continue }
                let imds: UInt32 = 0xFEA9_FEA9 // 169.254.169.254 as stored little-endian
                if imds & mask == dest & mask {
                    let gateway = UInt32(cols[2], radix: 16).map(HostCheck.dotted) ?? "?"
                    let prefix = mask.nonzeroBitCount
                    items.append(Item(id: "network.route", status: prefix == 32 ? .fail : .warn,
                                      message: "route to \(HostCheck.dotted(dest))/\(prefix) via \(cols[0])\(gateway == "0.0.0.0" ? "" : " gateway \(gateway)") covers 169.254.169.254",
                                      fix: prefix == 32 ? "find who added a host route for the IMDS address; remove it (ip route del 169.254.169.254)" : "link-local routes are common (avahi, zeroconf); make sure no device on \(cols[0]) answers 169.254.169.254"))
                }
            }
        }
        if let table6 = read("/proc/net/ipv6_route") {
            for line in table6.split(separator: "\n") {
                let cols = line.split(separator: " ", omittingEmptySubsequences: true)
                guard cols.count >= 10, let prefix = Int(cols[1], radix: 16), prefix > 0, let net = HostCheck.ipv6(fromHex: String(cols[0])) else { continue }
                if let range = CIDR("\(net)/\(prefix)"), range.contains(HostCheck.imdsV6), prefix >= 8 {
                    items.append(Item(id: "network.route6", status: .warn,
                                      message: "IPv6 route \(net)/\(prefix) on \(cols[9]) covers fd00:ec2::254",
                                      fix: "make sure nothing on \(cols[9]) answers fd00:ec2::254"))
                }
            }
        }
        if items.isEmpty {
            items.append(Item(id: "network.route", status: .ok, message: "no route singles out 169.254.169.254 or fd00:ec2::254", fix: ""))
        }
        return items
    }

    func arpChecks() -> [Item] {
        guard let arp = read("/proc/net/arp") else { return [] }
        for line in arp.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            if cols.count >= 6, cols[0] == HostCheck.imdsV4, cols[3] != "00:00:00:00:00:00" {
                return [Item(id: "network.arp", status: .fail,
                             message: "a device on \(cols[5]) (MAC \(cols[3])) answered ARP for 169.254.169.254: something on this network is posing as IMDS",
                             fix: "find the device with MAC \(cols[3]) on \(cols[5]) and remove it; meanwhile set AWS_EC2_METADATA_DISABLED=true")]
            }
        }
        return [Item(id: "network.arp", status: .ok, message: "no ARP entry for 169.254.169.254", fix: "")]
    }

    func listenerChecks() -> [Item] {
        var items: [Item] = []
        for (file, isV6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
            guard let table = read(file) else { continue }
            for line in table.split(separator: "\n").dropFirst() {
                let cols = line.split(separator: " ", omittingEmptySubsequences: true)
                guard cols.count >= 4, cols[3] == "0A" else { continue } // 0A = LISTEN
                let local = cols[1].split(separator: ":")
                guard local.count == 2, let port = Int(local[1], radix: 16) else { continue }
                let hex = String(local[0])
                let matches = isV6 ? HostCheck.ipv6(fromProcHex: hex) == HostCheck.imdsV6 : hex == "FEA9FEA9"
                if matches {
                    items.append(Item(id: "network.listener", status: .fail,
                                      message: "a process on this machine listens on \(isV6 ? "[fd00:ec2::254]" : HostCheck.imdsV4):\(port)",
                                      fix: "find it with 'ss -ltnp' and stop it, unless it is an IMDS emulator you run on purpose (amazon-ec2-metadata-mock, LocalStack)"))
                }
            }
        }
        if items.isEmpty {
            items.append(Item(id: "network.listener", status: .ok, message: "nothing listens on 169.254.169.254 or fd00:ec2::254", fix: ""))
        }
        return items
    }

    func hostsChecks() -> [Item] {
        guard let hosts = read("/etc/hosts") else { return [] }
        var items: [Item] = []
        for (n, rawLine) in hosts.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let cols = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard cols.count >= 2 else { continue }
            let address = cols[0]
            let names = cols.dropFirst()
            let isImds = address == HostCheck.imdsV4 || IPAddress(address) == HostCheck.imdsV6
            let namesImds = names.contains { $0.lowercased().hasPrefix("instance-data") }
            if isImds || namesImds {
                items.append(Item(id: "hosts.override", status: .warn,
                                  message: "/etc/hosts line \(n + 1) maps \(names.joined(separator: " ")) to \(address)",
                                  fix: "remove line \(n + 1) of /etc/hosts unless you added it on purpose"))
            }
        }
        if items.isEmpty {
            items.append(Item(id: "hosts.override", status: .ok, message: "/etc/hosts has no IMDS entries", fix: ""))
        }
        return items
    }

    static func dotted(_ littleEndian: UInt32) -> String {
        (0..<4).map { String((littleEndian >> (8 * UInt32($0))) & 0xFF) }.joined(separator: ".")
    }

    /// /proc/net/ipv6_route writes addresses as 32 plain hex digits.
    static func ipv6(fromHex hex: String) -> String? {
        guard hex.count == 32 else { return nil }
        var groups: [String] = []
        var s = Substring(hex)
        while !s.isEmpty { groups.append(String(s.prefix(4))); s = s.dropFirst(4) }
        return groups.joined(separator: ":")
    }

    /// /proc/net/tcp6 writes each 32-bit word of the address in host (little-endian) order.
    static func ipv6(fromProcHex hex: String) -> IPAddress? {
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var s = Substring(hex)
        for _ in 0..<4 {
            let word = s.prefix(8)
            s = s.dropFirst(8)
            var wb: [UInt8] = []
            var w = Substring(word)
            while !w.isEmpty { guard let b = UInt8(w.prefix(2), radix: 16) else { return nil }; wb.append(b); w = w.dropFirst(2) }
            bytes += wb.reversed()
        }
        return IPAddress(bytes: bytes)
    }
}
