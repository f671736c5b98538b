import Foundation
import LogReaders

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
        /// Where it was found (file and line, or the process environment); nil for whole-host facts.
        public var location: String? = nil
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
        let (ec2Item, onEC2) = ec2Detection()
        items.append(ec2Item)
        items.append(contentsOf: environmentChecks())
        items.append(contentsOf: serviceEnvironmentChecks())
        for path in configPaths() { items.append(contentsOf: configChecks(path)) }
        items.append(contentsOf: ssmAgentChecks())
        items.append(contentsOf: containerChecks())
        items.append(contentsOf: routeChecks())
        items.append(contentsOf: arpChecks())
        items.append(contentsOf: listenerChecks())
        items.append(contentsOf: hostsChecks())
        guard onEC2 else { return items }
        // On EC2, IMDS is the instance's own and AWS tools are meant to use it: the advice for
        // machines outside AWS does not apply, so it is reported as information, not as failures.
        // A custom metadata endpoint or a process posing as IMDS stays a finding.
        let stillFindings: Set<String> = ["config.ec2_metadata_service_endpoint", "network.listener", "container.metadata_proxy"]
        return items.map { item in
            guard item.status == .fail || item.status == .warn, !stillFindings.contains(item.id) else { return item }
            var item = item
            item.status = .info
            item.message = "on EC2 this is expected: " + item.message
            item.fix = ""
            return item
        }
    }

    /// `path` (absolute on the checked host) below the root.
    func full(_ path: String) -> String {
        root == "/" ? path : String(root.reversed().drop(while: { $0 == "/" }).reversed()) + path
    }

    func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: full(path)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func ec2Detection() -> (Item, Bool) {
        let vendor = read("/sys/devices/virtual/dmi/id/sys_vendor")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let asset = read("/sys/devices/virtual/dmi/id/board_asset_tag")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if vendor == "Amazon EC2" || asset.hasPrefix("i-") {
            return (Item(id: "host.ec2", status: .info,
                         message: "this machine is an EC2 instance (\(vendor.isEmpty ? asset : vendor)): 169.254.169.254 is its own instance metadata service, reached inside AWS, and AWS tools rightly use it. Bulletin AWS-2025-021 is about machines outside EC2; here, require IMDSv2 (HttpTokens=required, checked by mamori scan) and keep IMDS from containers with a hop limit of 1",
                         fix: "", location: "/sys/devices/virtual/dmi/id"), true)
        }
        return (Item(id: "host.ec2", status: .info, message: "this machine does not look like an EC2 instance; IMDS traffic from it should never exist", fix: ""), false)
    }

    /// Files below `dir` (relative to the root), sorted; unreadable directories give none.
    func files(in dir: String, suffixes: [String]) -> [String] {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: full(dir)) else { return [] }
        return names.filter { n in suffixes.contains { n.hasSuffix($0) } }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    /// The AWS variables the bulletin's advice is about, found in one environment assignment.
    func environmentAssignment(_ name: String, _ value: String, at location: String) -> Item? {
        let value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        switch name {
        case "AWS_EC2_METADATA_SERVICE_ENDPOINT":
            var item = endpointItem(value, source: "\(name) in \(location)")
            item.location = location
            return item
        case "AWS_EC2_METADATA_DISABLED":
            return value.lowercased() == "true"
                ? Item(id: "service.AWS_EC2_METADATA_DISABLED", status: .ok, message: "\(name)=true in \(location)", fix: "", location: location)
                : Item(id: "service.AWS_EC2_METADATA_DISABLED", status: .fail, message: "\(name)=\(value) in \(location) lets AWS tools ask IMDS",
                       fix: "set \(name)=true in \(location)", location: location)
        default:
            return nil
        }
    }

    /// `Environment=` lines of systemd units and drop-ins, the `EnvironmentFile=` files they name,
    /// and /etc/environment: the environment of system services, which a login shell never shows.
    func serviceEnvironmentChecks() -> [Item] {
        var items: [Item] = []
        var envFiles: [String] = ["/etc/environment"]
        for dir in ["/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"] {
            for unit in files(in: dir, suffixes: [".service", ".conf"]) {
                guard let text = read(unit) else { continue }
                for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.hasPrefix("EnvironmentFile=") {
                        let path = line.dropFirst("EnvironmentFile=".count).trimmingCharacters(in: .whitespaces)
                        let file = path.hasPrefix("-") ? String(path.dropFirst()) : path
                        if file.hasPrefix("/"), !envFiles.contains(file) { envFiles.append(file) }
                    } else if line.hasPrefix("Environment=") {
                        for assignment in HostCheck.words(String(line.dropFirst("Environment=".count))) {
                            guard let eq = assignment.firstIndex(of: "=") else { continue }
                            if let item = environmentAssignment(String(assignment[..<eq]), String(assignment[assignment.index(after: eq)...]), at: "\(unit):\(n + 1)") {
                                items.append(item)
                            }
                        }
                    }
                }
            }
        }
        for file in envFiles {
            guard let text = read(file) else { continue }
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
                guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
                if let item = environmentAssignment(String(line[..<eq]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: eq)...]), at: "\(file):\(n + 1)") {
                    items.append(item)
                }
            }
        }
        return items
    }

    /// systemd's quoting of `Environment=`: space-separated, double or single quotes group.
    static func words(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        for ch in s {
            if let q = quote { if ch == q { quote = nil } else { current.append(ch) }; continue }
            if ch == "\"" || ch == "'" { quote = ch; continue }
            if ch == " " { if !current.isEmpty { out.append(current); current = "" }; continue }
            current.append(ch)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `AWS_CONFIG_FILE` or this user's `~/.aws/config`, then every other user's that is readable
    /// (home directories from /etc/passwd, and /root).
    func configPaths() -> [String] {
        var paths = [environment["AWS_CONFIG_FILE"] ?? (home as NSString).appendingPathComponent(".aws/config")]
        var homes: [String] = ["/root"]
        if let passwd = read("/etc/passwd") {
            for line in passwd.split(separator: "\n") {
                let cols = line.split(separator: ":", omittingEmptySubsequences: false)
                if cols.count >= 6, cols[5].hasPrefix("/"), !homes.contains(String(cols[5])) { homes.append(String(cols[5])) }
            }
        }
        for h in homes {
            let path = full(h) + (h.hasSuffix("/") ? "" : "/") + ".aws/config"
            if !paths.contains(path), FileManager.default.isReadableFile(atPath: path) { paths.append(path) }
        }
        return paths
    }

    /// The SSM Agent on a hybrid (on-premises) node: registered with an activation, it must not
    /// look for an EC2 identity first, which means asking whatever answers 169.254.169.254.
    func ssmAgentChecks() -> [Item] {
        let configPath = "/etc/amazon/ssm/amazon-ssm-agent.json"
        let registrationPath = "/var/lib/amazon/ssm/registration"
        let config = read(configPath)
        let registration = read(registrationPath)
        let installed = config != nil || registration != nil || read("/etc/amazon/ssm/amazon-ssm-agent.json.template") != nil
            || FileManager.default.fileExists(atPath: full("/usr/bin/amazon-ssm-agent"))
        guard installed else { return [] }
        var items: [Item] = []
        if let registration, registration.contains("mi-") {
            items.append(Item(id: "ssm.registration", status: .ok, message: "the SSM Agent is registered as a hybrid managed node (\(registrationPath))", fix: "", location: registrationPath))
        } else {
            items.append(Item(id: "ssm.registration", status: .fail,
                              message: "the SSM Agent is installed but not registered with a hybrid activation: it will look for an EC2 identity and take one from whatever answers 169.254.169.254",
                              fix: "register it (amazon-ssm-agent -register -code … -id … -region …) as the hybrid install guide says, or remove it", location: registrationPath))
        }
        var order: [String]?
        if let config, let data = config.data(using: .utf8),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let identity = json["Identity"] as? [String: Any] {
            order = identity["ConsumptionOrder"] as? [String]
        }
        if let order, !order.contains("EC2") {
            items.append(Item(id: "ssm.identity_order", status: .ok, message: "Identity.ConsumptionOrder \(order) never asks IMDS", fix: "", location: configPath))
        } else {
            items.append(Item(id: "ssm.identity_order", status: .warn,
                              message: order.map { "Identity.ConsumptionOrder \($0) includes EC2: without a valid registration the agent asks IMDS" }
                                ?? "the SSM Agent uses its default identity order (OnPrem, EC2, ECS): without a valid registration it asks IMDS",
                              fix: "set \"Identity\": {\"ConsumptionOrder\": [\"OnPrem\"]} in \(configPath) and restart the agent", location: configPath))
        }
        return items
    }

    /// Images of IMDS emulators and credential proxies that answer as 169.254.169.254.
    static let metadataProxyImages = ["ec2-metadata-mock", "aws-vault", "kube2iam", "kiam", "metadata-proxy", "imds-proxy", "localstack", "ec2metadata"]

    /// Container runtimes' metadata proxies: Docker and Podman containers running an IMDS
    /// emulator or credential proxy, or started with a metadata endpoint in their environment.
    func containerChecks() -> [Item] {
        var items: [Item] = []
        for config in files(in: "/var/lib/docker/containers", suffixes: ["config.v2.json"]) + files(in: "/var/lib/containers/storage/overlay-containers", suffixes: ["containers.json"]) {
            guard let text = read(config), let data = text.data(using: .utf8),
                  let json = try? JSONSerialization.jsonObject(with: data) else { continue }
            let containers: [[String: Any]] = (json as? [[String: Any]]) ?? [(json as? [String: Any]) ?? [:]]
            for c in containers {
                let inner = c["Config"] as? [String: Any] ?? [:]
                let image = (inner["Image"] as? String) ?? (c["image"] as? String) ?? ""
                let name = ((c["Name"] as? String) ?? ((c["names"] as? [String])?.first) ?? "?").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                let env = inner["Env"] as? [String] ?? []
                if let hit = HostCheck.metadataProxyImages.first(where: { image.lowercased().contains($0) }) {
                    items.append(Item(id: "container.metadata_proxy", status: .warn,
                                      message: "container \(name) runs \(image) (\(hit)), which answers as the instance metadata service",
                                      fix: "make sure it is yours and bound to a loopback address, not 169.254.169.254 on a shared network", location: config))
                }
                for e in env where e.hasPrefix("AWS_EC2_METADATA_SERVICE_ENDPOINT=") || e.hasPrefix("ECS_CONTAINER_METADATA_URI") {
                    var item = endpointItem(String(e.split(separator: "=", maxSplits: 1).last ?? ""), source: "container \(name)'s environment")
                    item.location = config
                    if e.hasPrefix("ECS_") { item = Item(id: "container.ecs_metadata", status: .info, message: "container \(name) has \(e.prefix(while: { $0 != "=" })) (ECS Anywhere task metadata)", fix: "", location: config) }
                    items.append(item)
                }
            }
        }
        return items
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
        for i in items.indices { items[i].location = "environment of this process" }
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

    func configChecks(_ path: String) -> [Item] {
        guard let data = FileManager.default.contents(atPath: path) else {
            return [Item(id: "config.file", status: .info, message: "no AWS config file at \(path)", fix: "", location: path)]
        }
        var items: [Item] = []
        var profile = "default"
        var v1DisabledSomewhere = false
        var profiles: [String] = []
        for (n, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            let before = items.count
            defer { for i in before..<items.count { items[i].location = "\(path):\(n + 1)" } }
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
            ? Item(id: "config.ec2_metadata_v1_disabled", status: .ok, message: "ec2_metadata_v1_disabled = true is set in \(path)", fix: "", location: path)
            : Item(id: "config.ec2_metadata_v1_disabled", status: .warn,
                   message: "ec2_metadata_v1_disabled is not set in \(path): if IMDS is ever used, IMDSv1 (no session token) is allowed as a fallback",
                   fix: "add 'ec2_metadata_v1_disabled = true' under [default]\(profiles.isEmpty ? "" : " and each profile") in \(path)", location: path))
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
