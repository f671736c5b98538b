#!/usr/bin/env python3
"""A fake EC2 instance metadata service (IMDSv2) on 127.0.0.1 that records every request.

Tests point Mamori at it (AWS_EC2_METADATA_SERVICE_ENDPOINT or a profile's
ec2_metadata_service_endpoint) to prove that off EC2 it receives no request at all: it would
hand out credentials to anyone who asks, as a rogue metadata service on a foreign network does.

    python3 Tests/Support/fake_imds.py --log requests.txt

Prints `READY http://127.0.0.1:PORT` on stdout, appends `METHOD PATH` per request to the log,
and serves until stdin closes.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = "fake-role"
CREDENTIALS = {"Code": "Success", "AccessKeyId": "ASIAFAKEIMDS0000000", "SecretAccessKey": "fake-imds-secret",
               "Token": "fake-imds-token", "Expiration": "2099-01-01T00:00:00Z"}


def handler(log_path):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def record(self):
            with lock, open(log_path, "a") as log:
                log.write(f"{self.command} {self.path}\n")

        def answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self):
            self.record()
            self.answer(200, "fake-token") if self.path == "/latest/api/token" else self.answer(404, "")

        def do_GET(self):
            self.record()
            base = "/latest/meta-data/iam/security-credentials/"
            if self.path == base:
                self.answer(200, ROLE)
            elif self.path.startswith(base):
                self.answer(200, json.dumps(CREDENTIALS))
            else:
                self.answer(404, "")

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    open(args.log, "w").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(args.log))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
