import boto3

ec2 = boto3.resource("ec2")
image_name = "golden-image"
# Filters built first, then passed by name.
filters = [{'Name': 'name', 'Values': [image_name]}]
images = ec2.images.filter(Filters=filters)
