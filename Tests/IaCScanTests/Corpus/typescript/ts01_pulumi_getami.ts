import * as aws from "@pulumi/aws";

const ami = aws.ec2.getAmi({
    mostRecent: true,
    filters: [{ name: "name", values: ["amzn2-ami-hvm-*-x86_64-ebs"] }],
});

export const server = new aws.ec2.Instance("web", {
    ami: ami.then(a => a.id),
    instanceType: "t3.micro",
});
