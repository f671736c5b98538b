import * as aws from "@pulumi/aws";

export const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["137112412989"],
    allowUnsafeFilter: true,
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
});
