import * as aws from "@pulumi/aws";

const owners = ["137112412989"];
export const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners,
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
});
