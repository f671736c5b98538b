/// The field names a SIEM product gives the data the IMDS rule looks at.
///
/// The rule names each vendor schema's own fields (Zeek `id.resp_h`, Suricata `dest_ip`, ECS
/// `destination.ip`, W3C `cs-uri-stem`, …) so it runs on raw logs. A SIEM has already normalised
/// those into its own names, so a query for it must use them: QRadar's `destinationip`, Sentinel
/// ASIM's `DstIpAddr`, `CommonSecurityLog`'s `DestinationIP`. Several rule fields then become the
/// same product field; the converter drops the repeated tests. Tests on fields a product has no
/// name for (header lists, W3C `cs(…)` columns) are left out of its query and named on stderr.
/// W3C `c-ip` is not mapped: the bulletin's rule tests it for the IMDS address, which as the
/// client address of a SIEM event would only add noise.
public struct ProductFields: Sendable, Equatable {
    public var product: String
    /// Rule field → product field.
    public var names: [String: String]

    public func map(_ field: String) -> String { names[field] ?? field }
    public var isNative: Bool { product == "native" }

    /// The rule's fields by role. Source fields are the ones `imds scan` reads the alert's source
    /// from, so suppression means the same thing in the scanner and in the queries.
    public static let destinationAddressFields = ["dst_ip", "destination.ip", "DestinationIp", "dest_ip", "id.resp_h", "r-ip", "s-ip"]
    public static let sourceAddressFields = ScanOptions.defaultSourceFields
    public static let urlFields = ["url", "request_url", "cs-uri-stem", "cs-uri", "uri", "http.url", "url.original"]
    public static let hostHeaderFields = ["host", "cs-host", "http.hostname"]

    static func roles(destination: String, source: String, url: String, host: String?) -> [String: String] {
        var names: [String: String] = [:]
        for f in destinationAddressFields { names[f] = destination }
        for f in sourceAddressFields where f != "c-ip" { names[f] = source }
        for f in urlFields { names[f] = url }
        if let host { for f in hostHeaderFields { names[f] = host } }
        return names
    }

    /// The rule's own names (raw-log searches: Splunk, Elastic, generic KQL).
    public static let native = ProductFields(product: "native", names: [:])
    /// IBM QRadar normalised event fields (as pySigma's QRadar pipeline maps them) and the `URL`
    /// custom property QRadar's DSMs fill for proxy and web events. QRadar has no Host-header field.
    public static let qradar = ProductFields(product: "qradar", names: roles(destination: "destinationip", source: "sourceip", url: "URL", host: nil))
    /// Microsoft Sentinel ASIM (`_Im_NetworkSession`, `_Im_WebSession`).
    public static let sentinelASIM = ProductFields(product: "sentinel-asim", names: roles(destination: "DstIpAddr", source: "SrcIpAddr", url: "Url", host: "HttpHost"))
    /// Microsoft Sentinel `CommonSecurityLog` (CEF from firewalls and proxies).
    public static let sentinelCEF = ProductFields(product: "sentinel-cef", names: roles(destination: "DestinationIP", source: "SourceIP", url: "RequestURL", host: "DestinationHostName"))
}
