#!/usr/bin/env python3
"""A local AWS estate for Mamori's demo and end-to-end tests.

Runs moto's server in-process on 127.0.0.1 (never any other address), seeds it with a risky
estate through boto3, backdates credentials through moto's backend objects (moto stamps
everything "now"), and records every request it serves so tests can prove a scan only reads.

    python3 Tests/Support/moto_estate.py --port 0 --scenario demo --log requests.jsonl

Prints `READY http://127.0.0.1:PORT` on stdout once seeded, then serves until stdin closes or
it receives SIGTERM/SIGINT.
"""
import argparse
import io
import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

ACCOUNT = "123456789012"
NOW = datetime.now(timezone.utc)


def days_ago(days):
    return (NOW - timedelta(days=days)).replace(tzinfo=None)


class RequestLog:
    """WSGI middleware: one JSON line per request with the IAM action it maps to."""

    def __init__(self, app, path):
        self.app = app
        self.path = path
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if self.path:
            entry = describe(environ, body)
            with self.lock, open(self.path, "a") as out:
                out.write(json.dumps(entry) + "\n")
        return self.app(environ, start_response)


def describe(environ, body):
    """Maps a request to (service, operation, IAM action) the way IAM authorises it."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    scope = auth.split("Credential=")[1].split(",")[0].split("/") if "Credential=" in auth else []
    service = scope[3] if len(scope) > 3 else "?"
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        operation = target.split(".")[-1]
    elif method == "POST" and body and b"Action=" in body:
        operation = parse_qs(body.decode())["Action"][0]
    elif "Action" in query:
        operation = query["Action"][0]
    else:
        operation = rest_operation(service, method, path, query, environ)
    return {"service": service, "method": method, "path": path, "operation": operation,
            "action": iam_action(service, operation)}


def rest_operation(service, method, path, query, environ):
    if service == "s3" and "/v20180820/configuration/publicAccessBlock" in path:
        return "GetAccountPublicAccessBlock" if method == "GET" else method + "AccountPublicAccessBlock"
    if service == "s3":
        for sub, name in [("policy", "BucketPolicy"), ("acl", "BucketAcl"), ("publicAccessBlock", "PublicAccessBlock"),
                          ("location", "BucketLocation"), ("ownershipControls", "BucketOwnershipControls")]:
            if sub in query:
                return {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method) + name
        if path.strip("/") == "":
            return "ListBuckets" if method == "GET" else method + "Service"
        return {"GET": "GetObjectOrList", "PUT": "PutBucketOrObject", "DELETE": "DeleteBucketOrObject",
                "HEAD": "HeadBucketOrObject"}.get(method, method)
    if service == "guardduty":
        if path.rstrip("/") == "/detector":
            return "ListDetectors" if method == "GET" else "CreateDetector"
        if path.startswith("/detector/"):
            return "GetDetector" if method == "GET" else method + "Detector"
    if service == "lambda" and path.rstrip("/") == "/2015-03-31/functions" and method == "GET":
        return "ListFunctions"
    if service == "imagebuilder" and path.strip("/") in ("ListImageRecipes", "ListContainerRecipes", "GetImageRecipe", "GetContainerRecipe"):
        return path.strip("/")
    if service == "securityhub" and path.rstrip("/") == "/accounts":
        return {"GET": "DescribeHub", "POST": "EnableSecurityHub", "DELETE": "DisableSecurityHub"}.get(method, method)
    return f"{method} {path}"


def iam_action(service, operation):
    # IAM's names for S3 differ from the API's.
    s3 = {"ListBuckets": "s3:ListAllMyBuckets", "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
          "GetAccountPublicAccessBlock": "s3:GetAccountPublicAccessBlock"}
    if service == "s3" and operation in s3:
        return s3[operation]
    prefix = {"monitoring": "cloudwatch", "ce": "ce"}.get(service, service)
    return f"{prefix}:{operation}"


def honour_restorable_by():
    """moto ignores DescribeSnapshots RestorableBy and Owner and returns every snapshot in the backend,
    including the ones behind its built-in public AMIs. Apply AWS's documented meaning instead:
    snapshots the account owns or that grant it create-volume permission explicitly; with Owner,
    only the snapshots of those owners."""
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    original = ElasticBlockStore.describe_snapshots

    def describe_snapshots(self):
        restorable = [v for k, v in self.querystring.items() if k.startswith("RestorableBy.")]
        owners = [v for k, v in self.querystring.items() if k.startswith("Owner.")]
        if not restorable and not owners:
            return original(self)
        def accounts(values):
            return {self.current_account if v[0] == "self" else v[0] for v in values}
        users, owned_by = accounts(restorable), accounts(owners)
        snapshots = [snap for snap in self.ec2_backend.describe_snapshots(filters=self._filters_from_querystring())
                     if (not restorable or snap.owner_id in users or users & snap.create_volume_permission_userids)
                     and (not owners or snap.owner_id in owned_by)]
        from moto.core.responses import ActionResult
        return ActionResult({"Snapshots": snapshots})

    ElasticBlockStore.describe_snapshots = describe_snapshots


def serve(port, log_path):
    # Unimplemented calls raise inside moto; the client sees a 500, the console needs no traceback.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    app = RequestLog(DomainDispatcherApplication(create_backend_app), log_path)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def seed_demo(endpoint):
    """The demo estate. Expected findings are listed in Tests/EndToEndTests/DemoEstate.swift."""
    iam = client(endpoint, "iam")
    for name in ["alice", "bob", "carol", "dave", "eve"]:
        iam.create_user(UserName=name)
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-1!")  # console, no MFA
    iam.create_login_profile(UserName="bob", Password="Correct-Horse-2!")    # console with MFA, idle
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="bob", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
    keys = {name: iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"] for name in ["alice", "carol", "dave", "eve"]}
    iam.attach_user_policy(UserName="eve", PolicyArn="arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2")

    s3 = client(endpoint, "s3")
    for bucket in ["demo-public-policy", "demo-public-acl", "demo-private", "demo-restricted", "demo-vpce-only"]:
        s3.create_bucket(Bucket=bucket)
        # AWS creates buckets with ACLs disabled since April 2023; moto leaves ownership controls unset (an
        # older bucket's ObjectWriter). Only the ACL-granting bucket keeps ACLs, as it must to grant them.
        if bucket != "demo-public-acl":
            s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    s3.put_bucket_policy(Bucket="demo-public-policy", Policy=policy([
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::demo-public-policy/*"}]))
    s3.put_bucket_acl(Bucket="demo-public-acl", ACL="public-read")
    s3.put_bucket_policy(Bucket="demo-restricted", Policy=policy([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::demo-restricted/*"}]))
    s3.put_public_access_block(Bucket="demo-restricted", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_policy(Bucket="demo-vpce-only", Policy=policy([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::demo-vpce-only/*",
         "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]))

    sns = client(endpoint, "sns")
    default_topic = sns.create_topic(Name="demo-default")["TopicArn"]  # moto applies the console default policy
    public_topic = sns.create_topic(Name="demo-public")["TopicArn"]
    sns.set_topic_attributes(TopicArn=public_topic, AttributeName="Policy", AttributeValue=policy([
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": public_topic}]))

    sqs = client(endpoint, "sqs")
    public_queue = sqs.create_queue(QueueName="demo-public")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=public_queue, Attributes={"Policy": policy([
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
         "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:demo-public"}])})
    scoped_queue = sqs.create_queue(QueueName="demo-scoped")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=scoped_queue, Attributes={"Policy": policy([
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
         "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:demo-scoped",
         "Condition": {"ArnEquals": {"aws:SourceArn": default_topic}}}])})

    ec2 = client(endpoint, "ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "legacy-v1"}]}])
    # IMDSv2 required, but the token may travel a hop beyond the instance, which runs no containers.
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2})
    ec2.create_launch_template(LaunchTemplateName="demo-v1-template",
                               LaunchTemplateData={"ImageId": image, "MetadataOptions": {"HttpTokens": "optional"}})
    ec2.create_launch_template(LaunchTemplateName="demo-v2-template",
                               LaunchTemplateData={"ImageId": image, "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}})
    # An EKS node template: hop limit 2 is what its containers need, so it passes.
    ec2.create_launch_template(LaunchTemplateName="demo-eks-nodes",
                               LaunchTemplateData={"ImageId": image, "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}},
                               TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "eks:cluster-name", "Value": "demo"}]}])
    ec2_eu = client(endpoint, "ec2", "eu-west-1")
    image_eu = ec2_eu.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2_eu.run_instances(ImageId=image_eu, MinCount=1, MaxCount=1, InstanceType="t3.micro")

    seed_images(ec2, image)
    seed_cloud_keys(endpoint, image)

    client(endpoint, "s3").create_bucket(Bucket="demo-trail-logs")
    client(endpoint, "s3").put_bucket_ownership_controls(Bucket="demo-trail-logs", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    trail = client(endpoint, "cloudtrail")
    trail.create_trail(Name="demo-trail", S3BucketName="demo-trail-logs", IsMultiRegionTrail=True)  # never started
    client(endpoint, "guardduty").create_detector(Enable=True)
    client(endpoint, "securityhub").enable_security_hub()
    client(endpoint, "budgets").create_budget(AccountId=ACCOUNT, Budget={
        "BudgetName": "monthly", "BudgetLimit": {"Amount": "100", "Unit": "USD"}, "TimeUnit": "MONTHLY", "BudgetType": "COST"})

    backdate(keys)


def seed_china(endpoint):
    """A small estate in the China partition (cn-north-1): moto answers with arn:aws-cn: ARNs, and a
    scan must write none of its own with arn:aws: (Tests/EndToEndTests/PartitionTests.swift)."""
    region = "cn-north-1"
    iam = client(endpoint, "iam", region)
    iam.create_user(UserName="li")
    iam.create_login_profile(UserName="li", Password="Correct-Horse-3!")  # console, no MFA
    iam.create_access_key(UserName="li")
    s3 = client(endpoint, "s3", region)
    s3.create_bucket(Bucket="cn-public", CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_policy(Bucket="cn-public", Policy=policy([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::cn-public/*"}]))
    topic = client(endpoint, "sns", region).create_topic(Name="cn-public")["TopicArn"]
    client(endpoint, "sns", region).set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy([
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": topic}]))
    ec2 = client(endpoint, "ec2", region)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    # IMDSv1 allowed, and a key of this account in its user data (CloudKeyCollector builds this ARN).
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      UserData=f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={CLOUD_KEYS['instance']}\n")
    ec2.create_launch_template(LaunchTemplateName="cn-template",
                               LaunchTemplateData={"ImageId": image, "MetadataOptions": {"HttpTokens": "optional"}})
    client(endpoint, "ssm", region).put_parameter(Name="/cn/app/key", Type="String", Value=f"id={CLOUD_KEYS['ssm']}")
    client(endpoint, "cloudtrail", region).create_trail(Name="cn-trail", S3BucketName="cn-public", IsMultiRegionTrail=True)
    client(endpoint, "guardduty", region).create_detector(Enable=True)


ATTACKER, PARTNER, TRUSTED = "444455556666", "555566667777", "666677778888"

# Keys planted inside resources for secrets.key_in_cloud_resource (Tests/EndToEndTests/CloudKeyTests.swift
# greps the saved inventory and the history store for every one of them). Made up: the first ten
# characters after AKIA encode the account (123456789012 = this one, 210987654321 = someone else's).
CLOUD_KEYS = {
    "instance": "AKIABZPUZDIKGVQ7WTZM", "instance_gzip": "AKIADCH6YDSYWVK6DWPN", "template": "AKIABZPUZDIKGVR4NBKD",
    "launch_configuration": "AKIADCH6YDSYWVT6CXJB", "lambda": "AKIABZPUZDIKGVH2PXVC", "ecs": "AKIADCH6YDSYWVV2HMQL",
    "ssm": "AKIABZPUZDIKGVJ5TLQW", "ssm_secure": "AKIABZPUZDIKGVW7QNJD", "stack_output": "AKIABZPUZDIKGVM3GYRF",
    "codebuild": "AKIADCH6YDSYWVZ4RKTP",
}
CLOUD_SECRETS = ["AbeuEchsVEoR7TJYHSDATOCN1D61/k7U4O5Zi/cz", "rwcK+tmoYgj7LZDwTkENNvOX8R4jI8so+XWbHlKi",
                 "f5hGu+9+fh8k7D5GkbhQW3ShM5Nd3XbSXasGF+QP"]
EXAMPLE_KEY, EXAMPLE_SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def seed_cloud_keys(endpoint, image):
    """Seed 004's "keys inside the cloud": a key in each place the scan looks, plus AWS's documented
    example key and a SecureString parameter holding a key, neither of which may be reported.
    Every resource is otherwise clean (IMDSv2 required, hop limit 1, AWS's own AMI)."""
    import base64, gzip, io, zipfile
    k, secret = CLOUD_KEYS, CLOUD_SECRETS
    imds = {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1}
    ec2 = client(endpoint, "ec2")
    script = f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={k['instance']}\nexport AWS_SECRET_ACCESS_KEY={secret[0]}\n/opt/app/start\n"
    # boto3 base64-encodes RunInstances user data itself: plain text, and gzip bytes (cloud-init unpacks them).
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", MetadataOptions=imds, UserData=script)
    packed = gzip.compress(f"#cloud-config\nwrite_files:\n- path: /root/.aws/credentials\n  content: |\n"
                           f"    [default]\n    aws_access_key_id = {k['instance_gzip']}\n".encode())
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", MetadataOptions=imds, UserData=packed)
    # Launch templates take user data already base64-encoded; the key is only in version 2 (gzip), not the default.
    ec2.create_launch_template(LaunchTemplateName="demo-app-template", LaunchTemplateData={
        "ImageId": image, "MetadataOptions": imds, "UserData": base64.b64encode(b"#!/bin/bash\n/opt/app/start\n").decode()})
    ec2.create_launch_template_version(LaunchTemplateName="demo-app-template", LaunchTemplateData={
        "ImageId": image, "MetadataOptions": imds,
        "UserData": base64.b64encode(gzip.compress(f"export AWS_ACCESS_KEY_ID={k['template']}\n".encode())).decode()})
    client(endpoint, "autoscaling").create_launch_configuration(
        LaunchConfigurationName="demo-legacy-lc", ImageId=image, InstanceType="t3.micro",
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
        UserData=f"#!/bin/bash\necho {k['launch_configuration']} > /etc/app.key\n")

    role = client(endpoint, "iam").create_role(RoleName="demo-app-role", AssumeRolePolicyDocument=policy([
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    lam = client(endpoint, "lambda")
    lam.create_function(FunctionName="demo-uploader", Runtime="python3.12", Role=role, Handler="handler.handler",
                        Code={"ZipFile": code.getvalue()},
                        Environment={"Variables": {"AWS_ACCESS_KEY_ID": k["lambda"], "AWS_SECRET_ACCESS_KEY": secret[1], "BUCKET": "demo"}})
    lam.create_function(FunctionName="demo-docs-sample", Runtime="python3.12", Role=role, Handler="handler.handler",
                        Code={"ZipFile": code.getvalue()},
                        Environment={"Variables": {"AWS_ACCESS_KEY_ID": EXAMPLE_KEY, "AWS_SECRET_ACCESS_KEY": EXAMPLE_SECRET}})
    client(endpoint, "ecs").register_task_definition(family="demo-worker", containerDefinitions=[{
        "name": "worker", "image": "public.ecr.aws/docker/library/busybox:latest", "memory": 128,
        "environment": [{"name": "PARTNER_KEY_ID", "value": k["ecs"]}, {"name": "QUEUE", "value": "jobs"}]}])
    ssm = client(endpoint, "ssm")
    ssm.put_parameter(Name="/demo/app/access-key-id", Type="String", Value=k["ssm"])
    ssm.put_parameter(Name="/demo/app/regions", Type="StringList", Value="us-east-1,eu-west-1")
    ssm.put_parameter(Name="/demo/app/credentials", Type="SecureString", Value=f"{k['ssm_secure']}:{secret[2]}")
    template = {"Parameters": {"Owner": {"Type": "String"}},
                "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {"DeployKeyId": {"Value": k["stack_output"]}, "Owner": {"Value": {"Ref": "Owner"}}}}
    client(endpoint, "cloudformation").create_stack(StackName="demo-deploy-user", TemplateBody=json.dumps(template),
                                                    Parameters=[{"ParameterKey": "Owner", "ParameterValue": "platform"}])
    client(endpoint, "codebuild").create_project(
        name="demo-build", source={"type": "S3", "location": "demo-artifacts/source.zip"}, artifacts={"type": "NO_ARTIFACTS"},
        serviceRole=role, environment={
            "type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL",
            "environmentVariables": [{"name": "DEPLOY_KEY_ID", "value": k["codebuild"], "type": "PLAINTEXT"},
                                     {"name": "DEPLOY_SECRET", "value": "/demo/app/credentials", "type": "PARAMETER_STORE"}]})


def seed_images(ec2, base_image):
    """whoAMI: a public look-alike from an unknown account that the account runs; an image and a
    snapshot a partner shared privately; an image a trusted image-builder account shared.
    moto keeps one backend per account, so foreign ownership is set on the backend objects."""
    from moto.ec2.models import ec2_backends
    builder = ec2.run_instances(ImageId=base_image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    backend = ec2_backends[ACCOUNT]["us-east-1"]
    def foreign(name, owner, permission):
        image_id = ec2.create_image(InstanceId=builder, Name=name)["ImageId"]
        image = backend.amis[image_id]
        image.owner_id = owner
        image.launch_permissions = [permission]
        return image_id
    lookalike = foreign("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250101", ATTACKER, {"Group": "all"})
    foreign("partner-hardened-base-2025", PARTNER, {"UserId": ACCOUNT})
    trusted = foreign("golden-image-builder-2025", TRUSTED, {"UserId": ACCOUNT})
    # Look-alikes nothing runs yet: one only an SSM parameter names, one only fleets name.
    parameter_only = foreign("amzn2-ami-hvm-2.0.20250101.0-x86_64-gp2", ATTACKER, {"Group": "all"})
    fleet_only = foreign("al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", ATTACKER, {"Group": "all"})
    ec2.terminate_instances(InstanceIds=[builder])
    client(ec2.meta.endpoint_url, "ssm").put_parameter(Name="/demo/golden/ami", Type="String", Value=parameter_only,
                                                       DataType="aws:ec2:image")
    # The look-alike only in version 2 of 3: neither default (1) nor latest (3), launchable by number.
    required = {"HttpTokens": "required"}
    ec2.create_launch_template(LaunchTemplateName="demo-batch", LaunchTemplateData={"ImageId": base_image, "MetadataOptions": required})
    for image in [lookalike, base_image]:
        ec2.create_launch_template_version(LaunchTemplateName="demo-batch",
                                           LaunchTemplateData={"ImageId": image, "MetadataOptions": required})
    # ...and only as an Auto Scaling mixed instances policy override (the group's template is AWS's image).
    batch = ec2.describe_launch_templates(LaunchTemplateNames=["demo-batch"])["LaunchTemplates"][0]["LaunchTemplateId"]
    client(ec2.meta.endpoint_url, "autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="demo-workers", MinSize=0, MaxSize=0, DesiredCapacity=0, AvailabilityZones=["us-east-1a"],
        MixedInstancesPolicy={"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateId": batch, "Version": "1"},
                                                 "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3.small", "ImageId": lookalike}]}})
    # An EC2 Fleet whose override and a Spot Fleet whose launch specification name the fleet-only
    # look-alike; capacity 0, so nothing is launched from it yet.
    ec2.create_fleet(LaunchTemplateConfigs=[{"LaunchTemplateSpecification": {"LaunchTemplateId": batch, "Version": "1"},
                                             "Overrides": [{"InstanceType": "t3.micro", "ImageId": fleet_only}]}],
                     TargetCapacitySpecification={"TotalTargetCapacity": 0, "DefaultTargetCapacityType": "on-demand"}, Type="maintain",
                     TagSpecifications=[{"ResourceType": "fleet", "Tags": [{"Key": "aws:cloudformation:stack-name", "Value": "demo-batch-stack"}]}])
    ec2.request_spot_fleet(SpotFleetRequestConfig={
        "IamFleetRole": f"arn:aws:iam::{ACCOUNT}:role/demo-spot-fleet", "TargetCapacity": 0, "AllocationStrategy": "lowestPrice",
        "LaunchSpecifications": [{"ImageId": fleet_only, "InstanceType": "t3.micro"}]})
    ec2.run_instances(ImageId=lookalike, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      MetadataOptions={"HttpTokens": "required"},
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "whoami-victim"}]}])
    ec2.run_instances(ImageId=trusted, MinCount=1, MaxCount=1, InstanceType="t3.micro", MetadataOptions={"HttpTokens": "required"})
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    snapshot_id = ec2.create_snapshot(VolumeId=volume, Description="partner data export")["SnapshotId"]
    snapshot = backend.snapshots[snapshot_id]
    snapshot.owner_id = PARTNER
    snapshot.create_volume_permission_userids = {ACCOUNT}
    share_rds_snapshot(ec2.meta.endpoint_url)
    share_out(ec2, builder_image=base_image)


def share_out(ec2, builder_image):
    """The other side of seed 002: the account's own AMI made public, its own EBS snapshot and RDS
    DB / cluster snapshots shared with an unknown account or with everyone."""
    builder = ec2.run_instances(ImageId=builder_image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    own = ec2.create_image(InstanceId=builder, Name="internal-app-2025")["ImageId"]
    ec2.terminate_instances(InstanceIds=[builder])
    ec2.modify_image_attribute(ImageId=own, LaunchPermission={"Add": [{"Group": "all"}]})
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="customer export")["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission", OperationType="add", UserIds=[ATTACKER])
    rds = client(ec2.meta.endpoint_url, "rds")
    rds.create_db_instance(DBInstanceIdentifier="orders", Engine="postgres", DBInstanceClass="db.t3.micro",
                           MasterUsername="orders", MasterUserPassword="not-a-secret-1", AllocatedStorage=20)
    rds.create_db_snapshot(DBInstanceIdentifier="orders", DBSnapshotIdentifier="orders-export")
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="orders-export", AttributeName="restore", ValuesToAdd=[ATTACKER])
    rds.create_db_cluster(DBClusterIdentifier="ledger", Engine="aurora-postgresql", MasterUsername="ledger",
                          MasterUserPassword="not-a-secret-2")
    rds.create_db_cluster_snapshot(DBClusterIdentifier="ledger", DBClusterSnapshotIdentifier="ledger-export")
    rds.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="ledger-export", AttributeName="restore", ValuesToAdd=["all"])


def share_rds_snapshot(endpoint):
    """The partner account shares an RDS snapshot (moto follows restore attributes across accounts)."""
    creds = client(endpoint, "sts").assume_role(RoleArn=f"arn:aws:iam::{PARTNER}:role/share", RoleSessionName="seed")["Credentials"]
    rds = boto3.client("rds", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    rds.create_db_instance(DBInstanceIdentifier="partner-db", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="Correct-Horse-9!")
    rds.create_db_snapshot(DBInstanceIdentifier="partner-db", DBSnapshotIdentifier="partner-db-export")
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="partner-db-export", AttributeName="restore", ValuesToAdd=[ACCOUNT])


def backdate(keys):
    """moto stamps everything now; age the demo's credentials through its backend objects."""
    from moto.iam.models import AccessKeyLastUsed, iam_backends
    backend = iam_backends[ACCOUNT]["aws"]
    users = backend.users
    for name in users:
        users[name].create_date = days_ago(500)
    def key(name):
        return next(k for k in users[name].access_keys if k.access_key_id == keys[name])
    key("alice").create_date = days_ago(200)
    key("alice").last_used = AccessKeyLastUsed(timestamp=days_ago(5), service="s3", region="us-east-1")
    users["alice"].password_last_used = days_ago(2)
    users["bob"].password_last_used = days_ago(120)
    key("carol").create_date = days_ago(400)  # never used
    key("dave").create_date = days_ago(10)
    key("dave").last_used = AccessKeyLastUsed(timestamp=days_ago(1), service="ec2", region="us-east-1")
    key("eve").create_date = days_ago(20)
    key("eve").last_used = AccessKeyLastUsed(timestamp=days_ago(1), service="sts", region="us-east-1")


def seed_bulk(endpoint, users, instances, buckets, topics, queues, regions):
    """A large estate for benchmarks."""
    iam = client(endpoint, "iam")
    for i in range(users):
        iam.create_user(UserName=f"user{i:05d}")
        if i % 3 == 0:
            iam.create_access_key(UserName=f"user{i:05d}")
    per_region = instances // max(1, len(regions))
    for region in regions:
        ec2 = client(endpoint, "ec2", region)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        left = per_region
        while left > 0:
            batch = min(left, 500)
            ec2.run_instances(ImageId=image, MinCount=batch, MaxCount=batch, InstanceType="t3.micro")
            left -= batch
    s3 = client(endpoint, "s3")
    for i in range(buckets):
        s3.create_bucket(Bucket=f"bench-bucket-{i:05d}")
        s3.put_bucket_ownership_controls(Bucket=f"bench-bucket-{i:05d}", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    sns = client(endpoint, "sns")
    for i in range(topics):
        sns.create_topic(Name=f"bench-topic-{i:05d}")
    sqs = client(endpoint, "sqs")
    for i in range(queues):
        sqs.create_queue(QueueName=f"bench-queue-{i:05d}")


def seed_org(endpoint):
    """An organisation: the management account plus three members (one suspended-free, one in an
    OU), each member reached through OrganizationAccountAccessRole like a real org scan."""
    org = client(endpoint, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    prod = org.create_organizational_unit(ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    members = {}
    for name in ["payments", "analytics", "sandbox"]:
        status = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        members[name] = status["AccountId"]
    org.move_account(AccountId=members["payments"], SourceParentId=root, DestinationParentId=prod)
    sts = client(endpoint, "sts")
    for name, account in members.items():
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                RoleSessionName="seed")["Credentials"]
        session = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
        if name == "payments":
            s3 = boto3.client("s3", **session)
            s3.create_bucket(Bucket="payments-exports")
            s3.put_bucket_acl(Bucket="payments-exports", ACL="public-read")
        if name == "analytics":
            iam = boto3.client("iam", **session)
            iam.create_user(UserName="analyst")
            iam.create_login_profile(UserName="analyst", Password="Correct-Horse-3!")
    share_into_management(endpoint, members["payments"])
    with open(os.environ.get("MAMORI_ORG_MEMBERS", os.devnull), "w") as out:
        json.dump({"accounts": members, "prod_ou": prod}, out)


def share_into_management(endpoint, member):
    """Seen from the management account as AWS would show it: an AMI and a snapshot the payments
    member shared with it, and a snapshot an unknown account shared. moto keeps one backend per
    account, so foreign ownership is set on the management account's backend objects."""
    from moto.ec2.models import ec2_backends
    ec2 = client(endpoint, "ec2")
    backend = ec2_backends[ACCOUNT]["us-east-1"]
    base = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    builder = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    image_id = ec2.create_image(InstanceId=builder, Name="payments-golden-2025")["ImageId"]
    backend.amis[image_id].owner_id = member
    backend.amis[image_id].launch_permissions = [{"UserId": ACCOUNT}]
    ec2.terminate_instances(InstanceIds=[builder])
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    for owner, description in [(member, "payments export"), (ATTACKER, "unsolicited")]:
        snapshot = backend.snapshots[ec2.create_snapshot(VolumeId=volume, Description=description)["SnapshotId"]]
        snapshot.owner_id = owner
        snapshot.create_volume_permission_userids = {ACCOUNT}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--scenario", choices=["demo", "empty", "bulk", "org", "china"], default="demo")
    parser.add_argument("--log", default=None, help="append one JSON line per request to this file")
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--buckets", type=int, default=300)
    parser.add_argument("--topics", type=int, default=200)
    parser.add_argument("--queues", type=int, default=200)
    parser.add_argument("--regions", default="us-east-1,eu-west-1,ap-northeast-1")
    args = parser.parse_args()

    honour_restorable_by()
    # Seeding is not part of what the scan did: log only after seeding.
    server = serve(args.port, None)
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    if args.scenario == "demo":
        seed_demo(endpoint)
    elif args.scenario == "org":
        seed_org(endpoint)
    elif args.scenario == "china":
        seed_china(endpoint)
    elif args.scenario == "bulk":
        seed_bulk(endpoint, args.users, args.instances, args.buckets, args.topics, args.queues, args.regions.split(","))
    if args.log:
        server.app.path = args.log
    print(f"READY {endpoint}", flush=True)
    serve_until_closed(server)


def serve_until_closed(server):
    """Serves until stdin closes (the parent went away) or SIGTERM/SIGINT arrives."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        try:
            sys.stdin.read()
        except Exception:
            pass
        stop.set()
    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
