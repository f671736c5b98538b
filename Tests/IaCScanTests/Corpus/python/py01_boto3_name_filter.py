import boto3


def latest_ubuntu(region: str) -> str:
    ec2 = boto3.client("ec2", region_name=region)
    response = ec2.describe_images(
        Filters=[
            {"Name": "name", "Values": ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]},
            {"Name": "state", "Values": ["available"]},
        ],
    )
    images = sorted(response["Images"], key=lambda i: i["CreationDate"], reverse=True)
    return images[0]["ImageId"]
