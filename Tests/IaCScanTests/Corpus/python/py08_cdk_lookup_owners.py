from aws_cdk import Stack, aws_ec2 as ec2


class AppStack(Stack):
    def build(self):
        return ec2.MachineImage.lookup(
            name="my-golden-ami-*",
            owners=["123456789012"],
        )
