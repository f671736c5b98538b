#!/usr/bin/env python3
"""Times Prowler's is_policy_public and policyuniverse's is_internet_accessible on one policy file, in-process (no interpreter start-up)."""
import json, sys, time, types
stub = types.ModuleType("prowler.providers.aws.aws_provider"); stub.read_aws_regions_file = lambda: {}
sys.modules["prowler.providers.aws.aws_provider"] = stub
from prowler.providers.aws.services.iam.lib.policy import is_policy_public
from policyuniverse.policy import Policy
text = open(sys.argv[1]).read()
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
for name, fn in (("prowler is_policy_public", lambda d: is_policy_public(d, "123456789012")),
                 ("policyuniverse is_internet_accessible", lambda d: Policy(d).is_internet_accessible())):
    t = time.perf_counter()
    for _ in range(runs):
        verdict = fn(json.loads(text))
    print(f"{name}: {verdict}, {(time.perf_counter() - t) / runs * 1000:.1f} ms per policy (json.loads included, {runs} runs)")
