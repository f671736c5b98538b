"""Writes FILES gzip CloudTrail files of PER records each (1% by LEAKED) for the respond benchmark:
    python3 Tests/Support/respond_trail_gen.py OUT FILES PER LEAKED"""
import gzip, json, os, sys, uuid, random
out = sys.argv[1]; files = int(sys.argv[2]); per = int(sys.argv[3]); leaked = sys.argv[4]
os.makedirs(out, exist_ok=True)
names = ["DescribeInstances", "GetObject", "ListBuckets", "AssumeRole", "RunInstances", "CreateUser", "PutObject"]
random.seed(1)
for f in range(files):
    recs = []
    for i in range(per):
        key = leaked if random.random() < 0.01 else "AKIA" + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        recs.append({"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/u", "accessKeyId": key, "userName": "u"},
                     "eventTime": "2026-11-%02dT10:%02d:%02dZ" % (1 + f % 20, i % 60, (i // 60) % 60), "eventSource": "ec2.amazonaws.com",
                     "eventName": random.choice(names), "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.1",
                     "requestParameters": {"instanceType": "t3.micro"}, "responseElements": None, "eventID": str(uuid.uuid4())})
    with gzip.open(f"{out}/f{f:04d}.json.gz", "wt") as fh:
        json.dump({"Records": recs}, fh)
