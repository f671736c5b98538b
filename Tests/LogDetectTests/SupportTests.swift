import Foundation
import Testing
import LogDetect
import LogReaders

@Suite struct RedactorTests {
    @Test func tokensAndKeysAreRedacted() {
        #expect(Redactor.redact("token AQAEAFakeTokenValueNotRealAQAEAFakeTokenValue12== end") == "token [REDACTED] end")
        #expect(Redactor.redact("key AKIAIOSFODNN7EXAMPLE") == "key [REDACTED]")
        #expect(Redactor.redact("GET http://169.254.169.254/latest/meta-data/iam/security-credentials/") == "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    }
}

@Suite struct HostCheckTests {
    func fakeRoot(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mamori-host-\(UUID().uuidString)").path
        for (path, text) in files {
            let full = root + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func spoofedIMDSIsFound() throws {
        let root = try fakeRoot([
            "/proc/net/arp": "IP address       HW type     Flags       HW address            Mask     Device\n169.254.169.254  0x1         0x2         02:42:ac:11:00:02     *        eth0\n",
            "/proc/net/route": "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\tFEA9FEA9\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0\n",
            "/proc/net/tcp": "  sl  local_address rem_address   st\n   0: FEA9FEA9:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n",
            "/etc/hosts": "127.0.0.1 localhost\n169.254.169.254 instance-data.ec2.internal\n",
            "/home/u/.aws/config": "[default]\nregion = eu-west-1\n[profile ci]\ncredential_source = Ec2InstanceMetadata\nec2_metadata_service_endpoint = http://10.9.9.9:8080\n",
        ])
        let items = HostCheck(root: root, environment: [:], home: root + "/home/u").run()
        func status(_ id: String) -> [HostCheck.Item.Status] { items.filter { $0.id == id }.map(\.status) }
        #expect(status("env.AWS_EC2_METADATA_DISABLED") == [.fail])
        #expect(status("network.arp") == [.fail])
        #expect(status("network.route") == [.fail])
        #expect(status("network.listener") == [.fail])
        #expect(status("hosts.override") == [.warn])
        #expect(status("config.credential_source") == [.fail])
        #expect(status("config.ec2_metadata_service_endpoint") == [.fail])
        #expect(status("config.ec2_metadata_v1_disabled") == [.warn])
        #expect(items.first { $0.id == "network.arp" }?.message.contains("02:42:ac:11:00:02") == true)
    }

    /// What the bulletin tells people to check outside EC2, each item with where it was found.
    @Test func servicesUsersSSMAndContainers() throws {
        let root = try fakeRoot([
            "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nci:x:1001:1001::/home/ci:/bin/bash\n",
            "/home/ci/.aws/config": "[profile build]\n# comment\ncredential_source = Ec2InstanceMetadata\n",
            "/root/.aws/config": "[default]\nec2_metadata_service_endpoint = http://192.168.7.7/\n",
            "/etc/systemd/system/backup.service": "[Service]\nEnvironment=\"AWS_EC2_METADATA_SERVICE_ENDPOINT=http://10.0.0.66\" LANG=C\nEnvironmentFile=-/etc/default/backup\nExecStart=/usr/bin/backup\n",
            "/etc/systemd/system/sync.service.d/override.conf": "[Service]\nEnvironment=AWS_EC2_METADATA_DISABLED=false\n",
            "/etc/default/backup": "export AWS_EC2_METADATA_DISABLED=true\n",
            "/etc/amazon/ssm/amazon-ssm-agent.json": #"{"Identity": {"ConsumptionOrder": ["OnPrem", "EC2"]}}"#,
            "/var/lib/docker/containers/abc/config.v2.json": #"{"Name": "/imds", "Config": {"Image": "public.ecr.aws/aws-ec2/amazon-ec2-metadata-mock:v1.11.2", "Env": ["PATH=/bin"]}}"#,
        ])
        let items = HostCheck(root: root, environment: ["AWS_EC2_METADATA_DISABLED": "true"], home: root + "/home/nobody").run()
        func find(_ id: String) -> [HostCheck.Item] { items.filter { $0.id == id } }
        #expect(find("config.credential_source").map(\.location) == [root + "/home/ci/.aws/config:3"])
        #expect(find("config.ec2_metadata_service_endpoint").map(\.location) == ["/etc/systemd/system/backup.service:2", root + "/root/.aws/config:2"])
        #expect(find("service.AWS_EC2_METADATA_DISABLED").map(\.status) == [.fail, .ok])
        #expect(find("service.AWS_EC2_METADATA_DISABLED").map(\.location) == ["/etc/systemd/system/sync.service.d/override.conf:2", "/etc/default/backup:1"])
        #expect(find("ssm.registration").map(\.status) == [.fail])
        #expect(find("ssm.identity_order").map(\.status) == [.warn])
        #expect(find("container.metadata_proxy").first?.location == "/var/lib/docker/containers/abc/config.v2.json")
        #expect(find("container.metadata_proxy").first?.message.contains("container imds") == true)
    }

    /// On EC2 the host says so and what it means; the outside-AWS advice is information, not failure.
    @Test func onEC2ItSaysSoInsteadOfFailing() throws {
        let root = try fakeRoot([
            "/sys/devices/virtual/dmi/id/sys_vendor": "Amazon EC2\n",
            "/proc/net/arp": "IP address       HW type     Flags       HW address            Mask     Device\n169.254.169.254  0x1         0x2         0a:1b:2c:3d:4e:5f     *        ens5\n",
            "/etc/amazon/ssm/amazon-ssm-agent.json": "{}",
        ])
        let items = HostCheck(root: root, environment: [:], home: root + "/home/u").run()
        #expect(items.first?.id == "host.ec2")
        #expect(items.first?.message.contains("is an EC2 instance") == true)
        #expect(items.allSatisfy { $0.status == .ok || $0.status == .info })
    }

    @Test func wellConfiguredHostIsClean() throws {
        let root = try fakeRoot([
            "/proc/net/arp": "IP address       HW type     Flags       HW address            Mask     Device\n10.0.0.1  0x1         0x2         02:42:ac:11:00:01     *        eth0\n",
            "/proc/net/route": "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n",
            "/proc/net/tcp": "  sl  local_address rem_address   st\n",
            "/etc/hosts": "127.0.0.1 localhost\n",
            "/home/u/.aws/config": "[default]\nec2_metadata_v1_disabled = true\n",
        ])
        let items = HostCheck(root: root, environment: ["AWS_EC2_METADATA_DISABLED": "true"], home: root + "/home/u").run()
        #expect(items.allSatisfy { $0.status == .ok || $0.status == .info })
    }
}
