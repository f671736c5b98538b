/// One log per format, shaped after each format's own documentation, with IMDS lines planted.
/// Expected alerts in the tests were worked out by hand from these lines.
enum Fixtures {
    /// Zeek http.log, TSV. Header and first data line as in the Zeek documentation
    /// ("Zeek Logs > http.log", docs.zeek.org); lines 10 and 11 are IMDS requests.
    static let zeekHTTP = """
    #separator \\x09
    #set_separator\t,
    #empty_field\t(empty)
    #unset_field\t-
    #path\thttp
    #open\t2020-12-29-14-47-27
    #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tversion\tuser_agent\torigin\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\torig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types
    #types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]\tvector[string]
    1320279566.452687\tCwFs1P2UcUdlSxD2La\t192.168.2.76\t52026\t132.235.215.119\t80\t1\tGET\twww.reddit.com\t/\t-\t1.1\tMozilla/5.0 (Macintosh; Intel Mac OS X 10.7; rv:7.0.1) Gecko/20100101 Firefox/7.0.1\t-\t0\t109978\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\tFp3NCG2BvP4OWFEf0k\t-\ttext/html
    1759881600.100000\tCimds00000000000001\t10.1.2.3\t40000\t169.254.169.254\t80\t1\tPUT\t169.254.169.254\t/latest/api/token\t-\t1.1\taws-cli/2.15.0\t-\t0\t56\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-\t-\t-
    1759881601.200000\tCimds00000000000002\t10.1.2.3\t40001\t169.254.169.254\t80\t1\tGET\t169.254.169.254\t/latest/meta-data/iam/security-credentials/\t-\t1.1\taws-cli/2.15.0\t-\t0\t12\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-\t-\t-
    #close\t2020-12-29-14-47-27
    """

    /// Zeek conn.log, TSV (fields as documented for conn.log); line 9 goes to fd00:ec2::254.
    static let zeekConn = """
    #separator \\x09
    #set_separator\t,
    #empty_field\t(empty)
    #unset_field\t-
    #path\tconn
    #open\t2025-10-08-00-00-00
    #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents
    #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]
    1759881600.000000\tCconnimds0000001\tfd00:10::5\t50000\tfd00:ec2::254\t80\ttcp\thttp\t0.01\t100\t200\tSF\tT\tF\t0\tShADadFf\t5\t400\t4\t500\t-
    1258531221.486539\tCHhAvVGS1DHFjwGM9\t192.168.1.102\t68\t192.168.1.1\t67\tudp\t-\t0.163820\t301\t300\tSF\t-\t-\t0\tDd\t1\t329\t1\t328\t-
    """

    /// Zeek http.log as JSON (the testmyids.com example of the Zeek docs), then an IMDS line.
    static let zeekJSON = """
    {"ts":1591367999.430166,"uid":"C5bLoe2Mvxqhawzqqd","id.orig_h":"192.168.4.76","id.orig_p":46378,"id.resp_h":"31.3.245.133","id.resp_p":80,"trans_depth":1,"method":"GET","host":"testmyids.com","uri":"/","version":"1.1","user_agent":"curl/7.47.0","request_body_len":0,"response_body_len":39,"status_code":200,"status_msg":"OK","tags":[],"resp_fuids":["FEEsZS1w0Z0VJIb5x4"],"resp_mime_types":["text/plain"]}
    {"ts":1759881602.5,"uid":"Cimdsjson00000001","id.orig_h":"192.168.4.80","id.orig_p":46400,"id.resp_h":"169.254.169.254","id.resp_p":80,"trans_depth":1,"method":"GET","host":"169.254.169.254","uri":"/latest/user-data","version":"1.1","user_agent":"Boto3/1.34","request_body_len":0,"response_body_len":10,"status_code":200,"status_msg":"OK","tags":[]}
    """

    /// Suricata EVE JSON: the http event of the Suricata docs ("Eve JSON Format"), then an IMDSv2
    /// session token sent to a rogue host on the LAN, logged with `dump-all-headers: both`
    /// (`request_headers`/`response_headers` are lists of `{"name", "value"}` objects, as the
    /// Suricata docs show). Neither the address nor the path is IMDS's: only the header gives it away.
    static let suricataToken = "AQAEAFakeRogueTokenValue0123456789abcdefghij=="
    static let suricata = """
    {"timestamp":"2009-11-24T21:27:09.534255","event_type":"http","src_ip":"192.168.2.7","src_port":1041,"dest_ip":"93.184.216.34","dest_port":80,"proto":"TCP","http":{"hostname":"www.digip.org","url":"/jansson/releases/jansson-2.6.tar.gz","http_user_agent":"<User-Agent>","http_content_type":"application/x-gzip","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":461168}}
    {"timestamp":"2025-10-08T00:00:03.000000+0000","flow_id":1848915123456789,"in_iface":"eth0","event_type":"http","src_ip":"10.50.0.7","src_port":50100,"dest_ip":"10.50.0.1","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"metadata.local","url":"/v1/credentials","http_user_agent":"aws-cli/2.15.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":1302,"request_headers":[{"name":"Host","value":"metadata.local"},{"name":"User-Agent","value":"aws-cli/2.15.0"},{"name":"Accept","value":"*/*"},{"name":"X-aws-ec2-metadata-token","value":"\(suricataToken)"}],"response_headers":[{"name":"Content-Type","value":"application/json"},{"name":"Content-Length","value":"1302"}]}}
    {"timestamp":"2025-10-08T00:00:04.000000+0000","flow_id":1848915123456790,"in_iface":"eth0","event_type":"http","src_ip":"10.50.0.8","src_port":50102,"dest_ip":"10.50.0.1","dest_port":80,"proto":"TCP","tx_id":0,"http":{"hostname":"metadata.local","url":"/v1/credentials","http_user_agent":"curl/8.5.0","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":12,"request_headers":[{"name":"Host","value":"metadata.local"},{"name":"X-Request-Id","value":"abc"}],"response_headers":[]}}
    """

    /// Squid native access.log (format as in the Squid wiki "SquidFaq/SquidLogs"); line 2 is IMDS.
    static let squid = """
    1286536308.779    180 192.168.0.224 TCP_MISS/200 411 GET http://www.google.com/ - DIRECT/74.125.39.104 text/html
    1759881604.000     12 192.168.0.50 TCP_MISS/200 1024 GET http://169.254.169.254/latest/meta-data/instance-id - HIER_DIRECT/169.254.169.254 text/plain
    """

    /// Apache combined format (the example of Apache's log documentation), then a forward-proxy
    /// line for an IMDS token request.
    static let combined = """
    127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"
    10.7.7.7 - - [08/Oct/2025:00:00:05 +0000] "PUT http://169.254.169.254/latest/api/token HTTP/1.1" 200 56 "-" "aws-sdk-go/1.44.0"
    """

    /// W3C extended (IIS's documented field set), then a proxy export with cs-host and a token
    /// header column.
    static let w3c = """
    #Software: Microsoft Internet Information Services 10.0
    #Version: 1.0
    #Date: 2025-10-08 00:00:00
    #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
    2025-10-08 00:00:01 10.0.0.5 GET /default.htm - 80 - 10.0.0.9 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15
    #Fields: date time c-ip cs-method cs-host cs-uri-stem sc-status cs(X-aws-ec2-metadata-token)
    2025-10-08 00:00:06 10.0.0.10 GET metadata.corp.example /v1/status 200 AQAEAFakeTokenValueNotRealAQAEAFakeTokenValue==
    2025-10-08 00:00:07 10.0.0.11 GET www.example.com /index.html 200 -
    """

    /// Firewall CSV export (PAN-OS style header); the IPv6 destination is in full notation.
    static let csv = """
    Receive Time,Source address,Destination address,Destination Port,Application,Action
    2025/10/08 00:00:08,10.20.0.5,"fd00:0ec2:0000:0000:0000:0000:0000:0254",80,web-browsing,allow
    2025/10/08 00:00:09,10.20.0.6,93.184.216.34,443,ssl,allow
    """

    /// Generic JSON lines with custom field names, mapped in mamori.yml.
    static let genericJSON = """
    {"at":"2025-10-08T00:00:10Z","client":{"addr":"172.16.5.5"},"target":{"address":"169.254.169.254","port":80}}
    {"at":"2025-10-08T00:00:11Z","client":{"addr":"172.16.5.6"},"target":{"address":"8.8.8.8","port":53}}
    """

    /// gzip (Python gzip.compress, mtime 0) of a 4-line Zeek log whose line 4 is IMDS from 10.0.0.2.
    static let gzipZeek: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 93, 142, 65, 10, 194, 48, 16, 69, 215, 211, 83, 8, 93, 59, 77, 210, 180, 38, 107, 17, 47, 224, 82, 144, 96, 162, 13, 180, 36, 36, 41, 244, 248, 198, 104, 45, 56, 179, 152, 63, 111, 241, 248, 117, 52, 94, 5, 149, 92, 216, 93, 23, 34, 171, 250, 97, 205, 168, 35, 164, 8, 179, 213, 96, 53, 186, 96, 159, 183, 225, 151, 252, 59, 5, 19, 253, 135, 149, 228, 97, 50, 105, 112, 26, 6, 23, 19, 204, 193, 86, 244, 208, 73, 33, 104, 79, 8, 146, 50, 112, 84, 20, 104, 254, 242, 82, 224, 5, 201, 22, 169, 224, 200, 104, 143, 45, 7, 65, 224, 124, 186, 128, 89, 212, 228, 71, 131, 119, 55, 65, 179, 121, 232, 230, 97, 171, 135, 21, 79, 214, 246, 18, 89, 199, 241, 123, 87, 211, 63, 110, 70, 149, 76, 76, 77, 238, 170, 246, 90, 37, 213, 84, 47, 69, 75, 207, 123, 254, 0, 0, 0]
}
