import SigmaEngine

/// Rules compiled into the binary, so `mamori imds` works without the repository checked out.
/// `BuiltInRulesTests` keeps this text identical to `rules/imds_non_ec2_network.yml`.
public enum BuiltInRules {
    /// The file name the rule is shipped as.
    public static let imdsFileName = "rules/imds_non_ec2_network.yml"

    /// The IMDS-on-a-non-EC2-network rule (bulletin AWS-2025-021).
    public static let imdsNonEC2Network = #"""
title: EC2 Instance Metadata Service Traffic on a Non-EC2 Network
id: 4f0c1d52-7b3e-4c1a-9a52-6d2b8e3f1a07
status: experimental
description: |
    Detects traffic to the EC2 instance metadata service (IMDS) address 169.254.169.254 or
    fd00:ec2::254, HTTP requests for IMDS paths, or the IMDSv2 token headers, on networks outside
    AWS. Such traffic should never exist there; when it does, a party on the network may be
    answering as IMDS and handing AWS tools (CLI, SDKs, SSM agent) credentials it controls
    (AWS security bulletin AWS-2025-021). Field variants cover Zeek, Suricata EVE, ECS, Sysmon,
    W3C extended (IIS and proxy exports), Squid and generic firewall CSV schemas; suppress
    alerts from real EC2/VPC source ranges.
references:
    - https://aws.amazon.com/security/security-bulletins/AWS-2025-021/
    - https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
author: Mamori project
date: 2025-10-10
modified: 2026-11-25
tags:
    - attack.credential-access
    - attack.t1552.005
    - attack.initial-access
    - attack.t1557
logsource:
    category: network
detection:
    # Connections to the IMDS addresses. The cidr form matches IPv6 in full and compressed notation.
    ip_aws_dst:
        dst_ip|cidr:
            - 169.254.169.254/32
            - fd00:ec2::254/128
    ip_ecs_destination:
        destination.ip|cidr:
            - 169.254.169.254/32
            - fd00:ec2::254/128
    ip_sysmon_destination:
        DestinationIp|cidr:
            - 169.254.169.254/32
            - fd00:ec2::254/128
    ip_suricata_dest:
        dest_ip|cidr:
            - 169.254.169.254/32
            - fd00:ec2::254/128
    ip_zeek_resp:
        id.resp_h|cidr:
            - 169.254.169.254/32
            - fd00:ec2::254/128
    ip_w3c_server:
        # c-ip is listed in the bulletin's rule; r-ip / s-ip carry the upstream server in proxy exports.
        - c-ip|cidr:
              - 169.254.169.254/32
              - fd00:ec2::254/128
        - r-ip|cidr:
              - 169.254.169.254/32
              - fd00:ec2::254/128
        - s-ip|cidr:
              - 169.254.169.254/32
              - fd00:ec2::254/128
    ip_http_host:
        # Host header or proxy target host written as an address.
        - host:
              - 169.254.169.254
              - '[fd00:ec2::254]'
        - cs-host:
              - 169.254.169.254
              - '[fd00:ec2::254]'
        - http.hostname:
              - 169.254.169.254
              - 'fd00:ec2::254'
              - '[fd00:ec2::254]'
    # HTTP requests for IMDS paths, under the URL field names of each schema.
    http_url_paths:
        url|contains:
            - /latest/meta-data
            - /latest/api/token
            - /latest/user-data
            - /latest/dynamic/instance-identity
    http_request_url:
        request_url|contains:
            - /latest/meta-data
            - /latest/api/token
            - /latest/user-data
            - /latest/dynamic/instance-identity
    http_w3c_uri:
        - cs-uri-stem|contains:
              - /latest/meta-data
              - /latest/api/token
              - /latest/user-data
              - /latest/dynamic/instance-identity
        - cs-uri|contains:
              - /latest/meta-data
              - /latest/api/token
              - /latest/user-data
              - /latest/dynamic/instance-identity
    http_zeek_uri:
        uri|contains:
            - /latest/meta-data
            - /latest/api/token
            - /latest/user-data
            - /latest/dynamic/instance-identity
    http_suricata_url:
        http.url|contains:
            - /latest/meta-data
            - /latest/api/token
            - /latest/user-data
            - /latest/dynamic/instance-identity
    http_ecs_url:
        url.original|contains:
            - /latest/meta-data
            - /latest/api/token
            - /latest/user-data
            - /latest/dynamic/instance-identity
    # IMDSv2 session token headers (the TTL header is covered by the same substring).
    http_token_header:
        request_headers|contains: X-aws-ec2-metadata-token
    http_suricata_headers:
        # Suricata EVE with dump-all-headers: a list of {name, value} objects (ECS: http.request_headers.name).
        http.request_headers|contains: X-aws-ec2-metadata-token
    http_zeek_headers:
        client_header_names|contains: X-aws-ec2-metadata-token
    http_w3c_header:
        - cs(X-aws-ec2-metadata-token)|exists: true
        - cs(X-aws-ec2-metadata-token-ttl-seconds)|exists: true
    condition: 1 of ip_* or 1 of http_*
falsepositives:
    - Hosts that really run inside EC2 or a VPC whose traffic reaches this sensor (suppress their source ranges)
    - Local IMDS emulators used in development (amazon-ec2-metadata-mock, LocalStack) bound to 169.254.169.254
level: high

"""#

    /// The built-in rule, parsed.
    public static func imdsRule() throws(LogDetectError) -> SigmaRule {
        try SigmaParser.parse(yaml: imdsNonEC2Network, file: imdsFileName)
    }
}
