"""Docs: never call ec2.describe_images(Filters=[{"Name": "name", "Values": ["x-*"]}]) without Owners."""
# ec2.describe_images(Filters=[{"Name": "name", "Values": ["x-*"]}])
HELP = 'ec2.describe_images(Filters=[{"Name": "name"}])'


def describe_images(name):  # a local helper that only shares the name
    return name
