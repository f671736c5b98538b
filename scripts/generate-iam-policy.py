#!/usr/bin/env python3
"""Writes docs/iam/mamori-scan-policy.json from the calls a real scan makes.

Starts the demo estate, runs `mamori scan` over two regions with a request log, and turns the
logged IAM actions into a policy. ReadOnlyTests checks the committed file still matches.
    python3 scripts/generate-iam-policy.py .build/debug/mamori
"""
import json, os, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/debug/mamori")
log = tempfile.mktemp(suffix=".jsonl")
estate = subprocess.Popen([sys.executable, os.path.join(root, "Tests/Support/moto_estate.py"), "--port", "0", "--log", log],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
endpoint = estate.stdout.readline().split()[1]
env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
subprocess.run([binary, "scan", "--endpoint-url", endpoint, "--region", "us-east-1", "--region", "eu-west-1", "--quiet",
                "--format", "json"], env=env, stdout=subprocess.DEVNULL)
estate.stdin.close()
estate.wait()
# Calls a scan makes only in some situations, which the demo estate does not trigger.
conditional = {"ec2:DescribeInstanceImageMetadata", "cloudtrail:LookupEvents"}
actions = sorted(({json.loads(line)["action"] for line in open(log)} | conditional) - {"sts:GetCallerIdentity"})
policy = {"Version": "2012-10-17", "Statement": [{"Sid": "MamoriScanReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*"}]}
path = os.path.join(root, "docs/iam/mamori-scan-policy.json")
with open(path, "w") as out:
    json.dump(policy, out, indent=2)
    out.write("\n")
print(f"wrote {path} with {len(actions)} actions")
