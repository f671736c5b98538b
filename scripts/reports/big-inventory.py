#!/usr/bin/env python3
"""Writes an inventory with N EC2 instances that accept IMDSv1 (N failing findings), for the
50,000-finding HTML check:  big-inventory.py 50000 > inventory.json"""
import json
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
regions = ["us-east-1", "eu-west-1", "ap-northeast-1"]
regional = []
for index, region in enumerate(regions):
    instances = [{"id": f"i-{n:017x}", "state": "running", "metadata": {"httpTokens": "optional", "httpEndpoint": "enabled"}}
                 for n in range(index, count, len(regions))]
    regional.append({"region": region, "instances": instances})
inventory = {"schema": 1, "collectedAt": "2026-01-15T12:00:00Z", "tool": "mamori", "accounts": [{
    "accountId": "111122223333", "partition": "aws", "regions": regions, "regional": regional,
    "guardrails": {"budgets": 1, "anomalyMonitors": 1}, "errors": []}]}
json.dump(inventory, sys.stdout)
