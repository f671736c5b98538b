#!/usr/bin/env python3
"""Writes a synthetic Zeek http.log (TSV) for the `mamori imds scan` benchmark.

usage: gen_zeek_http.py OUT LINES PLANTED [--gzip]

Deterministic (fixed seed). Background traffic looks like a corporate proxy sensor: internal
clients, public servers, ordinary URIs, including decoys that share text with IMDS paths
("/latest/news", "metadata") so a prefilter must verify its hits. PLANTED lines are real IMDS
requests (IPv4, IPv6 compressed and full notation, token PUTs); their line numbers go to
OUT.planted so the benchmark can check the scanner found all of them.
"""
import gzip
import random
import sys

FIELDS = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "method", "host", "uri",
          "referrer", "version", "user_agent", "origin", "request_body_len", "response_body_len", "status_code",
          "status_msg", "info_code", "info_msg", "tags", "username", "password", "proxied", "orig_fuids",
          "orig_filenames", "orig_mime_types", "resp_fuids", "resp_filenames", "resp_mime_types"]
TYPES = ["time", "string", "addr", "port", "addr", "port", "count", "string", "string", "string", "string", "string",
         "string", "string", "count", "count", "count", "string", "count", "string", "set[enum]", "string", "string",
         "set[string]", "vector[string]", "vector[string]", "vector[string]", "vector[string]", "vector[string]",
         "vector[string]"]

HOSTS = ["www.example.com", "cdn.example.net", "api.github.com", "updates.vendor.io", "news.example.org",
         "login.example.com", "s3.amazonaws.com", "ec2.amazonaws.com", "static.example.com"]
URIS = ["/", "/index.html", "/api/v1/items?page=2", "/static/app.js", "/latest/news", "/images/logo.png",
        "/v2/metadata/catalog", "/download/pkg-1.2.3.tar.gz", "/search?q=latest+release", "/health"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
          "curl/8.4.0", "python-requests/2.31.0", "Go-http-client/1.1", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64"]
IMDS = [("169.254.169.254", "169.254.169.254", "GET", "/latest/meta-data/iam/security-credentials/"),
        ("169.254.169.254", "169.254.169.254", "PUT", "/latest/api/token"),
        ("fd00:ec2::254", "[fd00:ec2::254]", "GET", "/latest/meta-data/instance-id"),
        ("fd00:ec2:0:0:0:0:0:254", "[fd00:ec2::254]", "GET", "/latest/user-data"),
        ("169.254.169.254", "169.254.169.254", "GET", "/latest/dynamic/instance-identity/document")]


def main():
    out, total, planted = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    use_gzip = "--gzip" in sys.argv
    rng = random.Random(20251008)
    plant_at = set(rng.sample(range(total), planted))
    opener = gzip.open if use_gzip else open
    planted_lines = []
    with opener(out, "wt", encoding="utf-8", newline="\n") as f:
        header = ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\thttp",
                  "#open\t2025-10-08-00-00-00", "#fields\t" + "\t".join(FIELDS), "#types\t" + "\t".join(TYPES)]
        f.write("\n".join(header) + "\n")
        line_no = len(header)
        ts = 1759881600.0
        alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        # Pools keep generation fast enough for 10M lines (per-character random choice is not).
        uids = ["C" + "".join(rng.choice(alnum) for _ in range(17)) for _ in range(50000)]
        fuids = ["F" + "".join(rng.choice(alnum) for _ in range(17)) for _ in range(50000)]
        srcs = [f"10.{rng.randrange(1, 40)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(5000)]
        dsts = [f"{rng.randrange(11, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(20000)]
        rand = rng.random
        buf = []
        for i in range(total):
            line_no += 1
            ts += 0.0007
            r = int(rand() * 1_000_000_007)
            uid = uids[r % 50000]
            src = srcs[r % 4999]
            if i in plant_at:
                dst, host, method, uri = IMDS[len(planted_lines) % len(IMDS)]
                planted_lines.append(line_no)
                port = 80
            else:
                dst = dsts[r % 19997]
                host = HOSTS[r % 9]
                method = "GET" if r % 10 else "POST"
                uri = URIS[(r >> 4) % 10]
                port = 80 if (r >> 8) % 5 else 8080
            ua = AGENTS[(r >> 12) % 5]
            fuid = fuids[(r >> 3) % 50000]
            row = [f"{ts:.6f}", uid, src, str(1024 + r % 64000), dst, str(port), "1", method, host, uri, "-",
                   "1.1", ua, "-", "0", str(r % 200000), "200", "OK", "-", "-", "(empty)", "-", "-", "-",
                   "-", "-", "-", fuid, "-", "text/html"]
            buf.append("\t".join(row))
            if len(buf) >= 10000:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")
        f.write("#close\t2025-10-08-01-00-00\n")
    with open(out + ".planted", "w") as p:
        p.write("\n".join(map(str, planted_lines)) + "\n")


if __name__ == "__main__":
    main()
