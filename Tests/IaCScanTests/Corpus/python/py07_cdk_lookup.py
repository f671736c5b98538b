from aws_cdk import Stack, aws_ec2 as ec2
from constructs import Construct


class AppStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        image = ec2.MachineImage.lookup(name="my-golden-ami-*")
        ec2.Instance(self, "App", machine_image=image,
                     instance_type=ec2.InstanceType("t3.micro"), vpc=ec2.Vpc(self, "Vpc"))
