#!/usr/bin/env python3
"""An AWS Organization with many member accounts, for the organisation-scale benchmark.

Runs moto in-process on 127.0.0.1 (never any other address) with the same request log and
READY/stdin protocol as moto_estate.py:

    python3 Tests/Support/org_bench_estate.py --port 0 --accounts 200 --log requests.jsonl \
        --members members.json

creates an organisation with --accounts member accounts spread over nested OUs and seeds every
member, in each of --regions, with the same small risky estate (see seed_member). Prints
`READY http://127.0.0.1:PORT` once seeded and serves until stdin closes or SIGTERM/SIGINT.

--members writes the account ids, their OU paths and what was seeded, so the benchmark can
check a scan's findings against what is really there.

Speed: users, buckets and instances go into moto's backend objects directly (the same objects
the server answers from, keyed by account id and region) instead of ~25 HTTP calls per account,
and moto loads only its 44 base AMIs per EC2 backend instead of its full "latest AMIs" catalogue
(about a second per account and region otherwise). Every backend a scan touches is created while
seeding, so the timed scan measures moto serving requests, not moto building backends.
"""
import argparse
import json
import os
import sys
import tempfile
import time

# Before moto is imported: these settings are read at import time.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "false"  # ~1,000 AWS policies per account otherwise
if "MOTO_AMIS_PATH" not in os.environ:
    import gzip
    from importlib.resources import files
    base_amis = gzip.decompress(files("moto").joinpath("ec2/resources/amis.json.gz").read_bytes()).decode()
    amis_file = os.path.join(tempfile.gettempdir(), "mamori-org-bench-amis.json")
    with open(amis_file, "w") as out:
        out.write(base_amis)
    os.environ["MOTO_AMIS_PATH"] = amis_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
from moto_estate import client, days_ago, honour_restorable_by, serve, serve_until_closed  # noqa: E402

# OUs as (name, parent name); None is the root. Accounts are dealt round-robin over all of them
# (the root included), so there are accounts at every depth.
OUS = [("Prod", None), ("Payments", "Prod"), ("Data", "Prod"), ("Dev", None), ("Sandbox", "Dev"),
       ("Security", None)]

# What each member account gets: IAM users and buckets once, instances in every region.
USERS = {  # name: (console password, MFA, access key age in days or None)
    "alice": (True, False, None),     # console without MFA
    "bob": (True, True, None),        # console with MFA
    "carol": (False, False, 400),     # access key 400 days old, never used
    "dave": (False, False, 10),       # fresh key
}
INSTANCES_PER_REGION = {"imdsv1": 1, "imdsv2": 2}  # HttpTokens optional / required
# Services whose backends a scan touches; created while seeding (see module doc).
WARM = ["sts", "iam", "s3", "s3control", "ec2", "sns", "sqs", "cloudtrail", "guardduty", "securityhub",
        "organizations", "rds", "autoscaling", "ssm", "account", "budgets", "ce", "support", "cloudwatch", "logs"]


def create_org(endpoint, count):
    """The organisation through the API, as a real management account sees it."""
    org = client(endpoint, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ous = {None: (root, "Root")}
    for name, parent in OUS:
        parent_id, parent_path = ous[parent]
        ou = org.create_organizational_unit(ParentId=parent_id, Name=name)["OrganizationalUnit"]["Id"]
        ous[name] = (ou, f"{parent_path}/{name}")
    homes = [None] + [name for name, _ in OUS]
    members = []
    for i in range(count):
        name = f"member-{i:04d}"
        account = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
        home = homes[i % len(homes)]
        if home is not None:
            org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ous[home][0])
        members.append({"id": account, "name": name, "ou_path": ous[home][1]})
    return members, {path: ou for ou, path in ous.values()}


def seed_member(endpoint, account, regions):
    """Seeds one member account through moto's backends (what the server answers from)."""
    from moto.ec2.models import ec2_backends
    from moto.iam.models import AccessKeyLastUsed, iam_backends
    from moto.s3.models import get_canned_acl, s3_backends

    iam = iam_backends[account]["aws"]
    for name, (console, mfa, key_age) in USERS.items():
        user = iam.create_user(region_name="us-east-1", user_name=name, path="/", tags=[])
        user.create_date = days_ago(500)
        if console:
            iam.create_login_profile(name, "Correct-Horse-1!")
            user.password_last_used = days_ago(3)
        if mfa:
            device = iam.create_virtual_mfa_device(f"{name}-mfa", "/")
            iam.enable_mfa_device(name, device.serial_number, "123456", "654321")
        if key_age is not None:
            key = iam.create_access_key(name)
            key.create_date = days_ago(key_age)
            if key_age < 90:
                key.last_used = AccessKeyLastUsed(timestamp=days_ago(1), service="s3", region="us-east-1")

    s3 = s3_backends[account]["aws"]
    public = f"org-{account}-public"
    s3.create_bucket(public, "us-east-1")
    s3.put_bucket_acl(public, get_canned_acl("public-read"))  # what `--acl public-read` stores
    s3.create_bucket(f"org-{account}-private", "us-east-1")

    for region in regions:
        ec2 = ec2_backends[account][region]
        image = next(iter(ec2.amis))
        for tokens, count in [("optional", INSTANCES_PER_REGION["imdsv1"]), ("required", INSTANCES_PER_REGION["imdsv2"])]:
            run_instances(endpoint, account, region, ec2, image, count, tokens)


def run_instances(endpoint, account, region, ec2, image, count, tokens):
    """Straight into the backend with the arguments moto's RunInstances handler passes (fast);
    through the API with the member's role credentials if this moto's backend signature differs."""
    options = {"HttpTokens": tokens, "HttpEndpoint": "enabled"}
    try:
        ec2.run_instances(image, count, None, [], **RUN_DEFAULTS, region_name=region, metadata_options=options)
        return
    except (TypeError, KeyError):
        pass
    creds = client(endpoint, "sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                                RoleSessionName="seed")["Credentials"]
    api = boto3.client("ec2", endpoint_url=endpoint, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    api.run_instances(ImageId=image, MinCount=count, MaxCount=count, InstanceType="t3.micro", MetadataOptions=options)


# What moto's RunInstances handler passes for a request naming only the image, count, type and
# metadata options (moto/ec2/responses/instances.py).
RUN_DEFAULTS = {
    "instance_type": "t3.micro", "is_instance_type_default": False, "placement": None, "placement_hostid": None,
    "subnet_id": None, "key_name": None, "security_group_ids": [], "nics": [], "private_ip": None,
    "associate_public_ip": None, "tags": {}, "ebs_optimized": False, "disable_api_stop": False,
    "instance_market_options": {}, "instance_initiated_shutdown_behavior": None, "launch_template": {},
    "hibernation_options": {}, "iam_instance_profile_name": None, "iam_instance_profile_arn": None,
    "monitoring_state": "disabled", "ipv6_address_count": None, "client_token": "ABCDE",
}


def warm(accounts, regions):
    """Creates every backend a scan will touch for these accounts (moto builds them lazily)."""
    from moto.backends import get_backend
    for service in WARM:
        try:
            backends = get_backend(service)
        except Exception:
            continue
        for account in accounts:
            for region in list(regions) + ["us-east-1", "aws", "global"]:
                try:
                    backends[account][region]
                except Exception:
                    pass


def expected(members, regions):
    """What a correct scan finds in the members (management account excluded)."""
    n = len(members)
    return {
        "s3.bucket_public": n,
        "iam.console_without_mfa": n * sum(1 for c, m, _ in USERS.values() if c and not m),
        "iam.access_key_older_90d": n * sum(1 for _, _, age in USERS.values() if age is not None and age > 90),
        "ec2.instance_imdsv2_not_required": n * len(regions) * INSTANCES_PER_REGION["imdsv1"],
        "users": n * len(USERS),
        "instances": n * len(regions) * sum(INSTANCES_PER_REGION.values()),
        "buckets": n * 2,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--accounts", type=int, default=20, help="member accounts to create")
    parser.add_argument("--regions", default="us-east-1,eu-west-1")
    parser.add_argument("--log", default=None, help="append one JSON line per request to this file")
    parser.add_argument("--members", default=None, help="write the member accounts and expected findings here (JSON)")
    args = parser.parse_args()
    if args.accounts < 1:
        parser.error("--accounts must be at least 1")
    regions = args.regions.split(",")

    honour_restorable_by()
    started = time.time()
    server = serve(args.port, None)  # seeding is not part of what the scan did: log only after it
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    members, ous = create_org(endpoint, args.accounts)
    management = client(endpoint, "sts").get_caller_identity()["Account"]
    for member in members:
        seed_member(endpoint, member["id"], regions)
    warm([management] + [m["id"] for m in members], regions)
    if args.members:
        with open(args.members, "w") as out:
            json.dump({"management": management, "regions": regions, "ous": ous, "accounts": members,
                       "expected": expected(members, regions), "seed_seconds": round(time.time() - started, 1)}, out, indent=1)
    if args.log:
        server.app.path = args.log
    print(f"READY {endpoint}", flush=True)
    serve_until_closed(server)


if __name__ == "__main__":
    main()
