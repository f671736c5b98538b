#!/usr/bin/env python3
"""A moto estate for `mamori respond leaked-key` end-to-end tests.

User `deployer` owns the "leaked" key. With it an attacker created user `backdoor` and an access
key for it, launched instances in us-east-1 and eu-west-1 and made a key pair; the backdoor key
then created role `ops-admin`. CloudTrail log files for all of that (plus unrelated activity by
`alice`) are seeded gzip'd into S3 under AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/, as a trail
delivers them. moto has no CloudTrail, so the records are written here with the real IDs.

    python3 Tests/Support/respond_estate.py --port 0 [--log requests.jsonl]

Prints `FACTS {json}` (the seeded IDs) then `READY http://127.0.0.1:PORT`, and serves on
127.0.0.1 only until stdin closes or SIGTERM/SIGINT.
"""
import argparse
import base64
import gzip
import io
import json
import os
import sys
import uuid
import zipfile
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_estate  # noqa: E402  (sets the moto environment before boto3 is imported)
from moto_estate import ACCOUNT, NOW, client, days_ago, serve, serve_until_closed  # noqa: E402

BUCKET = "acme-cloudtrail-logs"


def record(name, source, region, key, arn, when, request=None, response=None, user_type="IAMUser", user_name=None):
    identity = {"type": user_type, "arn": arn, "accountId": ACCOUNT, "accessKeyId": key}
    if user_name:
        identity["userName"] = user_name
    return {"eventVersion": "1.08", "userIdentity": identity, "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": source, "eventName": name, "awsRegion": region, "sourceIPAddress": "203.0.113.66",
            "userAgent": "aws-cli/2.15", "requestParameters": request, "responseElements": response,
            "eventID": str(uuid.uuid4()), "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT}


def put_log(s3, region, when, records):
    key = (f"AWSLogs/{ACCOUNT}/CloudTrail/{region}/{when:%Y/%m/%d}/"
           f"{ACCOUNT}_CloudTrail_{region}_{when:%Y%m%dT%H%MZ}_{uuid.uuid4().hex[:16]}.json.gz")
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": records}).encode()))
    return key


def lambda_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def seed(endpoint):
    iam = client(endpoint, "iam")
    iam.create_user(UserName="deployer")
    iam.create_user(UserName="alice")
    leaked = iam.create_access_key(UserName="deployer")["AccessKey"]["AccessKeyId"]
    alice_key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.attach_user_policy(UserName="deployer", PolicyArn="arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2")

    # What the attacker did with the leaked key (moto does not check signatures, so any key works).
    iam.create_user(UserName="backdoor")
    backdoor_key = iam.create_access_key(UserName="backdoor")["AccessKey"]["AccessKeyId"]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="ops-admin", AssumeRolePolicyDocument=trust)
    iam.create_user(UserName="intern")  # alice's, legitimate
    instances = {}
    for region in ["us-east-1", "eu-west-1"]:
        ec2 = client(endpoint, "ec2", region)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        instances[region] = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="c5.4xlarge")["Instances"][0]["InstanceId"]
    ec2_eu = client(endpoint, "ec2", "eu-west-1")
    ec2_eu.create_key_pair(KeyName="miner")
    lambda_role = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    client(endpoint, "lambda", "eu-west-1").create_function(
        FunctionName="crypto-relay", Runtime="python3.12", Role=lambda_role, Handler="index.handler", Code={"ZipFile": lambda_zip()})
    # An instance profile's role: its session credentials (ASIA…) leak from an instance. moto's STS
    # does not issue ASIA keys, so the key ID is made the way AWS makes them (the account in its bits).
    ec2_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="web-app", AssumeRolePolicyDocument=ec2_trust)
    session_key = "ASIA" + base64.b32encode(((int(ACCOUNT) << 7) | 5).to_bytes(6, "big") + bytes([1, 2, 3, 4])).decode()
    # A legitimate, older instance: must not be reported as created in the window.
    ec2_us = client(endpoint, "ec2", "us-east-1")
    image = ec2_us.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    old_instance = ec2_us.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]

    # Guardrails: a trail that logs, a budget and a GuardDuty detector.
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket=BUCKET)
    trail = client(endpoint, "cloudtrail")
    trail.create_trail(Name="management", S3BucketName=BUCKET, IsMultiRegionTrail=True)
    trail.start_logging(Name="management")
    client(endpoint, "budgets").create_budget(AccountId=ACCOUNT, Budget={
        "BudgetName": "monthly", "BudgetLimit": {"Amount": "100", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"})
    client(endpoint, "guardduty").create_detector(Enable=True)

    # Age things through moto's backends: the leaked key is 40 days old, alice and her key 300.
    from moto.ec2.models import ec2_backends
    from moto.iam.models import AccessKeyLastUsed, iam_backends
    users = iam_backends[ACCOUNT]["aws"].users
    users["deployer"].create_date = days_ago(400)
    users["alice"].create_date = days_ago(300)
    for k in users["deployer"].access_keys:
        k.create_date = days_ago(40)
        k.last_used = AccessKeyLastUsed(timestamp=days_ago(3), service="ec2", region="eu-west-1")
    for k in users["alice"].access_keys:
        k.create_date = days_ago(300)
    roles = iam_backends[ACCOUNT]["aws"].roles
    for role in roles.values():
        if role.name in ("lambda-exec", "web-app"):
            role.create_date = days_ago(200)
    ec2_backends[ACCOUNT]["us-east-1"].get_instance(old_instance).launch_time = days_ago(100).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    # CloudTrail, as the trail would have delivered it.
    t1 = NOW - timedelta(days=3)
    t2 = NOW - timedelta(days=2)
    deployer_arn = f"arn:aws:iam::{ACCOUNT}:user/deployer"
    backdoor_arn = f"arn:aws:iam::{ACCOUNT}:user/backdoor"
    alice_arn = f"arn:aws:iam::{ACCOUNT}:user/alice"
    us = [
        record("GetCallerIdentity", "sts.amazonaws.com", "us-east-1", leaked, deployer_arn, t1, user_name="deployer"),
        record("CreateUser", "iam.amazonaws.com", "us-east-1", leaked, deployer_arn, t1 + timedelta(minutes=1),
               {"userName": "backdoor"}, {"user": {"userName": "backdoor"}}, user_name="deployer"),
        record("CreateAccessKey", "iam.amazonaws.com", "us-east-1", leaked, deployer_arn, t1 + timedelta(minutes=2),
               {"userName": "backdoor"}, {"accessKey": {"accessKeyId": backdoor_key, "status": "Active", "userName": "backdoor"}},
               user_name="deployer"),
        record("RunInstances", "ec2.amazonaws.com", "us-east-1", leaked, deployer_arn, t1 + timedelta(minutes=5),
               {"instanceType": "c5.4xlarge", "maxCount": 1}, {"instancesSet": {"items": [{"instanceId": instances["us-east-1"]}]}},
               user_name="deployer"),
        record("CreateUser", "iam.amazonaws.com", "us-east-1", alice_key, alice_arn, t1 + timedelta(minutes=7),
               {"userName": "intern"}, {"user": {"userName": "intern"}}, user_name="alice"),
    ]
    eu = [
        record("RunInstances", "ec2.amazonaws.com", "eu-west-1", leaked, deployer_arn, t1 + timedelta(minutes=9),
               {"instanceType": "c5.4xlarge", "maxCount": 1}, {"instancesSet": {"items": [{"instanceId": instances["eu-west-1"]}]}},
               user_name="deployer"),
        record("CreateKeyPair", "ec2.amazonaws.com", "eu-west-1", leaked, deployer_arn, t1 + timedelta(minutes=8),
               {"keyName": "miner"}, {"keyName": "miner"}, user_name="deployer"),
        record("CreateFunction20150331", "lambda.amazonaws.com", "eu-west-1", leaked, deployer_arn, t1 + timedelta(minutes=10),
               {"functionName": "crypto-relay"}, {"functionName": "crypto-relay"}, user_name="deployer"),
    ]
    chained = [
        record("CreateRole", "iam.amazonaws.com", "us-east-1", backdoor_key, backdoor_arn, t2,
               {"roleName": "ops-admin"}, {"role": {"roleName": "ops-admin"}}, user_name="backdoor"),
        record("AttachRolePolicy", "iam.amazonaws.com", "us-east-1", backdoor_key, backdoor_arn, t2 + timedelta(minutes=1),
               {"roleName": "ops-admin", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None, user_name="backdoor"),
    ]
    # The bill, as Cost Explorer would answer GetCostAndUsage (moto serves a queued answer): half a
    # dollar a day of EC2 in us-east-1 before the window, then 48 a day in eu-west-1 the last three days.
    ec2_service = "Amazon Elastic Compute Cloud - Compute"
    by_time = []
    for back in range(47, -1, -1):
        start = (NOW - timedelta(days=back)).date()
        groups = [{"Keys": ["us-east-1", ec2_service], "Metrics": {"UnblendedCost": {"Amount": "0.5", "Unit": "USD"}}}]
        if back <= 2:
            groups.append({"Keys": ["eu-west-1", ec2_service], "Metrics": {"UnblendedCost": {"Amount": "48.0", "Unit": "USD"}}})
        by_time.append({"TimePeriod": {"Start": str(start), "End": str(start + timedelta(days=1))}, "Total": {}, "Groups": groups,
                        "Estimated": back <= 1})
    import urllib.request
    request = urllib.request.Request(f"{endpoint}/moto-api/static/ce/cost-and-usage-results", method="POST",
                                     data=json.dumps({"results": [{"ResultsByTime": by_time}]}).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()

    keys = [put_log(s3, "us-east-1", t1, us), put_log(s3, "eu-west-1", t1, eu), put_log(s3, "us-east-1", t2, chained)]
    return {"account": ACCOUNT, "leakedKey": leaked, "sessionKey": session_key, "aliceKey": alice_key, "backdoorKey": backdoor_key,
            "instances": instances, "oldInstance": old_instance, "bucket": BUCKET, "logKeys": keys}


def generate_trail(out, files, per, leaked):
    """Benchmark input: FILES gzip CloudTrail files of PER records, 1% by the LEAKED key."""
    import random
    os.makedirs(out, exist_ok=True)
    names = ["DescribeInstances", "GetObject", "ListBuckets", "AssumeRole", "RunInstances", "CreateUser", "PutObject"]
    random.seed(1)
    for f in range(files):
        recs = []
        for i in range(per):
            key = leaked if random.random() < 0.01 else "AKIA" + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
            recs.append({"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/u", "accessKeyId": key, "userName": "u"},
                         "eventTime": "2026-11-%02dT10:%02d:%02dZ" % (1 + f % 20, i % 60, (i // 60) % 60), "eventSource": "ec2.amazonaws.com",
                         "eventName": random.choice(names), "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.1",
                         "requestParameters": {"instanceType": "t3.micro"}, "responseElements": None, "eventID": str(uuid.uuid4())})
        with gzip.open(f"{out}/f{f:04d}.json.gz", "wt") as fh:
            json.dump({"Records": recs}, fh)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    parser.add_argument("--gen-trail", nargs=4, metavar=("OUT", "FILES", "PER", "LEAKED"),
                        help="write benchmark CloudTrail files instead of serving")
    args = parser.parse_args()
    if args.gen_trail:
        out, files, per, leaked = args.gen_trail
        generate_trail(out, int(files), int(per), leaked)
        return
    server = serve(args.port, None)
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    facts = seed(endpoint)
    if args.log:
        server.app.path = args.log
    print("FACTS " + json.dumps(facts), flush=True)
    print(f"READY {endpoint}", flush=True)
    serve_until_closed(server)


if __name__ == "__main__":
    main()
