import boto3

ec2 = boto3.resource("ec2")
filters = [
    {"Name": "name", "Values": ["golden-image"]},
    {"Name": "owner-id", "Values": ["123456789012"]},
]
images = ec2.images.filter(Filters=filters)
