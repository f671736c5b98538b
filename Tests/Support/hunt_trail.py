#!/usr/bin/env python3
"""CloudTrail log files for `mamori hunt` tests and its benchmark, in CloudTrail's S3 layout.

    python3 Tests/Support/hunt_trail.py write OUT                 # the end-to-end trail (prints FACTS json)
    python3 Tests/Support/hunt_trail.py upload OUT ENDPOINT BUCKET PREFIX
                                                                  # puts OUT's files into a bucket (moto on 127.0.0.1)
    python3 Tests/Support/hunt_trail.py bench OUT FILES PER_FILE  # FILES gzip files of PER_FILE events

The end-to-end trail: a leaked long-term key stops logging on 2026-01-30 and 2026-01-31 in
us-east-1; a role session stops it on 2026-01-31 in eu-west-1; every file also holds ordinary
read-only calls. The shapes are CloudTrail's own (userIdentity, requestParameters, eventID…).
"""
import gzip
import json
import os
import random
import sys
import uuid

ACCOUNT = "123456789012"
LEAKED = "AKIAIOSFODNN7EXAMPLE"
ROLE_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/ops/i-0abc1234def567890"


def identity_key(key=LEAKED):
    return {"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER", "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer",
            "accountId": ACCOUNT, "accessKeyId": key, "userName": "deployer"}


def identity_role():
    return {"type": "AssumedRole", "principalId": "AROAEXAMPLE:i-0abc1234def567890", "arn": ROLE_ARN,
            "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLETEMPKEY01",
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{ACCOUNT}:role/ops", "userName": "ops"},
                               "attributes": {"creationDate": "2026-01-31T00:00:00Z", "mfaAuthenticated": "false"}}}


def event(event_id, when, name, region, who, source="cloudtrail.amazonaws.com", ip="203.0.113.66", request=None):
    return {"eventVersion": "1.09", "userIdentity": who, "eventTime": when, "eventSource": source, "eventName": name,
            "awsRegion": region, "sourceIPAddress": ip, "userAgent": "aws-cli/2.15.0 Python/3.11",
            "requestParameters": request, "responseElements": None, "requestID": str(uuid.uuid5(uuid.NAMESPACE_URL, event_id)),
            "eventID": event_id, "readOnly": name.startswith(("Describe", "Get", "List")), "eventType": "AwsApiCall",
            "managementEvent": True, "recipientAccountId": ACCOUNT, "eventCategory": "Management"}


def put(out, region, day, name, records):
    y, m, d = day.split("-")
    folder = os.path.join(out, "AWSLogs", ACCOUNT, "CloudTrail", region, y, m, d)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{ACCOUNT}_CloudTrail_{region}_{y}{m}{d}T{name}Z_abcdef0123456789.json.gz")
    with open(path, "wb") as f:
        f.write(gzip.compress(json.dumps({"Records": records}).encode(), mtime=0))
    return path


def write(out):
    noise = lambda i, day, region: event(f"noise-{day}-{region}-{i}", f"{day}T0{i}:30:00Z", "DescribeTrails", region, identity_key("AKIAOTHERKEY00000000"))
    put(out, "us-east-1", "2026-01-30", "0100", [noise(1, "2026-01-30", "us-east-1"),
        event("stop-30", "2026-01-30T01:00:00Z", "StopLogging", "us-east-1", identity_key(), request={"name": "main"})])
    put(out, "us-east-1", "2026-01-31", "0200", [
        event("stop-31", "2026-01-31T02:00:00Z", "StopLogging", "us-east-1", identity_key(), request={"name": "main"}),
        noise(2, "2026-01-31", "us-east-1")])
    put(out, "eu-west-1", "2026-01-31", "0300", [noise(3, "2026-01-31", "eu-west-1"),
        event("stop-role", "2026-01-31T03:00:00Z", "StopLogging", "eu-west-1", identity_role(), ip="198.51.100.20",
              request={"name": "regional"})])
    print("FACTS " + json.dumps({"account": ACCOUNT, "key": LEAKED, "role": ROLE_ARN}), flush=True)


def upload(out, endpoint, bucket, prefix):
    import boto3
    host = endpoint.split("//", 1)[-1].split(":")[0]
    assert host in ("127.0.0.1", "localhost"), "uploads only to a local emulator"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket=bucket)
    count = 0
    for root, _, files in os.walk(out):
        for name in files:
            path = os.path.join(root, name)
            key = prefix + os.path.relpath(path, out).replace(os.sep, "/")
            with open(path, "rb") as f:
                s3.put_object(Bucket=bucket, Key=key, Body=f.read())
            count += 1
    print(f"UPLOADED {count}", flush=True)


# Benchmark: realistic sizes (CloudTrail events average about 1-1.5 KB), one StopLogging per file.
NAMES = ["GetObject", "DescribeInstances", "AssumeRole", "ListBuckets", "GetCallerIdentity", "DescribeImages",
         "PutObject", "Decrypt", "GenerateDataKey", "DescribeSecurityGroups", "ListRoles", "GetBucketAcl"]


def bench(out, files, per_file):
    rng = random.Random(7)
    regions = ["us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2"]
    template = json.dumps(event("EVENTID", "TIME", "NAME", "REGION", identity_key("AKIAKEY"), source="SOURCE",
                                request={"bucketName": "acme-data", "key": "reports/2026/01/summary-PAD.csv",
                                         "filterSet": {"items": [{"name": "instance-state-name", "valueSet": {"items": [{"value": "running"}]}}]}}))
    total = 0
    for f in range(files):
        region = regions[f % len(regions)]
        day = 1 + (f * 28) // files
        records = []
        for i in range(per_file):
            name = "StopLogging" if i == per_file // 2 else NAMES[rng.randrange(len(NAMES))]
            text = (template.replace("EVENTID", f"{f:06d}-{i:06d}-{uuid.UUID(int=rng.getrandbits(128))}")
                    .replace("TIME", f"2026-01-{day:02d}T{(i * 24) // per_file:02d}:{i % 60:02d}:00Z")
                    .replace("NAME", name).replace("REGION", region)
                    .replace("AKIAKEY", f"AKIA{rng.randrange(10**15):016d}")
                    .replace("SOURCE", "cloudtrail.amazonaws.com" if name == "StopLogging" else "s3.amazonaws.com")
                    .replace("PAD", "x" * rng.randrange(200, 900)))
            records.append(text)
        y, m, d = "2026", "01", f"{day:02d}"
        folder = os.path.join(out, "AWSLogs", ACCOUNT, "CloudTrail", region, y, m, d)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{ACCOUNT}_CloudTrail_{region}_{y}{m}{d}T{f % 2400:04d}Z_{f:016x}.json.gz")
        with open(path, "wb") as out_file:
            out_file.write(gzip.compress(('{"Records":[' + ",".join(records) + "]}").encode(), compresslevel=6, mtime=0))
        total += per_file
    print(f"WROTE {total} events in {files} files", flush=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "write" and len(sys.argv) == 3:
        write(sys.argv[2])
    elif command == "upload" and len(sys.argv) == 6:
        upload(*sys.argv[2:6])
    elif command == "bench" and len(sys.argv) == 5:
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
