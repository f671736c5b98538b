#!/usr/bin/env python3
"""A stand-in for CloudTrail's LookupEvents, which moto does not implement, on 127.0.0.1 only.

    python3 Tests/Support/fake_cloudtrail.py TRAIL_DIR LOG

Serves the events of the trail files under TRAIL_DIR (hunt_trail.py's layout) the way the API
answers (botocore's cloudtrail 2013-11-01 shapes: Events[] with EventId, EventName, EventTime in
epoch seconds and CloudTrailEvent as a JSON string; newest first; NextToken; 2 events per page so
paging is exercised), for the region the request is signed for, within StartTime/EndTime.
Appends "REGION EPOCH_SECONDS" per request to LOG (the test checks the 2 requests/s pace).
Prints `READY http://127.0.0.1:PORT` and serves until stdin closes.
"""
import gzip
import json
import os
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = 2


def load(trail):
    events = []
    for root, _, files in os.walk(trail):
        for name in sorted(files):
            with gzip.open(os.path.join(root, name)) as f:
                events += json.load(f)["Records"]
    for e in events:
        e["_epoch"] = datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ").timestamp() + 0.0
    return sorted(events, key=lambda e: e["_epoch"], reverse=True)


def main():
    trail, log = sys.argv[1], sys.argv[2]
    events = load(trail)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            auth = self.headers.get("Authorization", "")
            region = auth.split("Credential=")[1].split("/")[2] if "Credential=" in auth else "?"
            with lock, open(log, "a") as out:
                out.write(f"{region} {time.time():.3f}\n")
            if not self.headers.get("X-Amz-Target", "").endswith(".LookupEvents"):
                self.send_response(400)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.end_headers()
                self.wfile.write(b'{"__type":"UnknownOperationException","message":"only LookupEvents"}')
                return
            start, end = body.get("StartTime"), body.get("EndTime")
            chosen = [e for e in events if e["awsRegion"] == region
                      and (start is None or e["_epoch"] >= start) and (end is None or e["_epoch"] <= end)]
            offset = int(body.get("NextToken") or 0)
            page = chosen[offset:offset + PAGE]
            answer = {"Events": [{"EventId": e["eventID"], "EventName": e["eventName"], "EventTime": e["_epoch"],
                                  "CloudTrailEvent": json.dumps({k: v for k, v in e.items() if k != "_epoch"})} for e in page]}
            if offset + PAGE < len(chosen):
                answer["NextToken"] = str(offset + PAGE)
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        sys.stdin.read()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
