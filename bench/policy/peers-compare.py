#!/usr/bin/env python3
"""Side-by-side verdicts on the Mamori policy corpus: mamori policy vs Prowler 5.46.0 vs policyuniverse.

Usage:
  MAMORI_EXPORT_CORPUS=/tmp/corpus.json swift test --filter exportCorpus   # writes the corpus
  python3 peers-compare.py /tmp/corpus.json path/to/mamori                  # needs prowler, policyuniverse importable

Prowler is called through its own helpers, the way its s3_bucket_public_access,
sns_topics_not_publicly_accessible and sqs_queues_not_publicly_accessible checks call them.
"""
import json, subprocess, sys, tempfile, time, types

# Prowler's policy helpers import its AWS provider only for a regions file; stub it out.
stub = types.ModuleType("prowler.providers.aws.aws_provider")
stub.read_aws_regions_file = lambda: {}
sys.modules["prowler.providers.aws.aws_provider"] = stub
from prowler.providers.aws.services.iam.lib import policy as pl  # noqa: E402
from policyuniverse.policy import Policy  # noqa: E402

OWNER = "123456789012"


def unwrap(text):
    doc = json.loads(text)
    if "Statement" not in doc:
        if isinstance(doc.get("Policy"), str):
            return json.loads(doc["Policy"])
        if isinstance(doc.get("Attributes"), dict):
            inner = doc["Attributes"].get("Policy")
            return json.loads(inner) if inner else {"Statement": []}
    if isinstance(doc.get("Statement"), dict):
        doc["Statement"] = [doc["Statement"]]
    return doc


def prowler_verdict(kind, doc, account):
    if kind == "s3":
        return pl.is_policy_public(doc, account)
    for st in doc.get("Statement", []):
        if st.get("Effect") != "Allow":
            continue
        if kind == "sns":
            if not pl.has_public_principal(st):
                continue
            if pl.has_restrictive_source_arn_condition(st):
                return False  # the check stops at the first such statement
            if "Condition" not in st:
                return True
            c = st["Condition"]
            if not (pl.is_condition_block_restrictive(c, account)
                    or pl.is_condition_block_restrictive_organization(c)
                    or pl.is_condition_block_restrictive_sns_endpoint(c)):
                return True
        else:  # sqs
            p = st.get("Principal", "")
            if "*" in p or ("AWS" in p and "*" in p["AWS"]) or ("CanonicalUser" in p and "*" in p["CanonicalUser"]):
                if "Condition" not in st or not pl.is_condition_block_restrictive(st["Condition"], account, True):
                    return True
    return False


def pu_verdict(doc):
    return Policy(doc).is_internet_accessible()


def mamori_verdict(binary, case):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        f.write(case["policy"]); f.flush()
        args = [binary, "policy", f.name, "--type", case["type"]]
        if case.get("account"):
            args += ["--account", case["account"]]
        rc = subprocess.run(args, capture_output=True).returncode
    return {0: False, 1: True}.get(rc, "error")


def main():
    corpus = json.load(open(sys.argv[1]))
    binary = sys.argv[2]
    score = {"mamori": 0, "prowler": 0, "policyuniverse": 0}
    rows, seconds = [], {"mamori": 0.0, "prowler": 0.0, "policyuniverse": 0.0}
    for case in corpus:
        doc = unwrap(case["policy"])
        account = case.get("account") or OWNER
        got = {}
        for name, fn in (("mamori", lambda: mamori_verdict(binary, case)),
                         ("prowler", lambda: prowler_verdict(case["type"], doc, account)),
                         ("policyuniverse", lambda: pu_verdict(doc))):
            t = time.perf_counter()
            try:
                got[name] = fn()
            except Exception as e:  # a crash counts as a wrong answer
                got[name] = f"crash: {type(e).__name__}"
            seconds[name] += time.perf_counter() - t
        for name in score:
            score[name] += got[name] == case["expectPublic"]
        wrong = [n for n in score if got[n] != case["expectPublic"]]
        rows.append((case["name"], case["expectPublic"], got, wrong))
    print(f"| case | expected | wrong |\n|---|---|---|")
    for name, expected, got, wrong in rows:
        if wrong:
            print(f"| {name} | {'public' if expected else 'not public'} | "
                  + ", ".join(f"{n} ({got[n]})" for n in wrong) + " |")
    print()
    total = len(corpus)
    for name in score:
        print(f"{name}: {score[name]}/{total} correct, {seconds[name]*1000:.0f} ms total")


if __name__ == "__main__":
    main()
