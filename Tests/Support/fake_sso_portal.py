#!/usr/bin/env python3
"""A fake IAM Identity Center portal (GetRoleCredentials) on 127.0.0.1 that records every request.

    python3 Tests/Support/fake_sso_portal.py --log requests.txt

Answers `GET /federation/credentials?account_id=&role_name=` (botocore `sso` 2019-06-10):
with `x-amz-sso_bearer_token: good-token` it returns role credentials valid for one hour, with
any other token 401 UnauthorizedException. `POST /token` (SSO OIDC CreateToken) with
`refreshToken: good-refresh` answers a new `good-token` and a rotated refresh token. Prints `READY http://127.0.0.1:PORT`, appends
`METHOD PATH TOKEN` per request to the log, and serves until stdin closes.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_TOKEN = "good-token"


def handler(log_path):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, body, error=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if error:
                self.send_header("x-amzn-ErrorType", error)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            token = self.headers.get("x-amz-sso_bearer_token", "-")
            with lock, open(log_path, "a") as log:
                log.write(f"{self.command} {self.path} {token}\n")
            if not self.path.startswith("/federation/credentials?"):
                return self.answer(404, {"message": "not found"})
            if token != GOOD_TOKEN:
                return self.answer(401, {"message": "Session token not found or invalid"}, "UnauthorizedException")
            expiration = int((time.time() + 3600) * 1000)
            self.answer(200, {"roleCredentials": {"accessKeyId": "ASIAFAKESSO00000000", "secretAccessKey": "fake-sso-secret",
                                                  "sessionToken": "fake-sso-session-token", "expiration": expiration}})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with lock, open(log_path, "a") as log:
                log.write(f"{self.command} {self.path} {body.get('grantType', '-')}\n")
            if self.path != "/token":
                return self.answer(404, {"message": "not found"})
            if body.get("refreshToken") != "good-refresh" or body.get("clientSecret") != "client-secret":
                return self.answer(400, {"error": "invalid_grant"}, "InvalidGrantException")
            self.answer(200, {"accessToken": GOOD_TOKEN, "tokenType": "Bearer", "expiresIn": 28800, "refreshToken": "rotated-refresh"})

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
