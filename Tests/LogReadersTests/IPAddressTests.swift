import LogReaders
import Testing

@Suite struct IPAddressTests {
    @Test func parsesForms() {
        #expect(IPAddress("fd00:ec2::254") == IPAddress("fd00:0ec2:0000:0000:0000:0000:0000:0254"))
        #expect(IPAddress("[fd00:ec2::254]") == IPAddress("fd00:ec2::254"))
        #expect(IPAddress("fe80::1%eth0") == IPAddress("fe80::1"))
        #expect(IPAddress("::") != nil)
        #expect(IPAddress("1::2::3") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("256.1.1.1") == nil)
        #expect(IPAddress("::ffff:169.254.169.254") == IPAddress("169.254.169.254"))
    }

    @Test func cidrText() {
        #expect(CIDR("fd00:0ec2:0:0:0:0:0:254/128")?.description == "fd00:ec2::254/128")
        #expect(CIDR("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDR("10.0.0.0/33") == nil)
    }
}
