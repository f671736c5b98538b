import pulumi_aws as aws

ami = aws.ec2.get_ami(
    most_recent=True,
    filters=[
        aws.ec2.GetAmiFilterArgs(name="name", values=["amzn2-ami-hvm-*-x86_64-ebs"]),
    ],
)
server = aws.ec2.Instance("web", ami=ami.id, instance_type="t3.micro")
