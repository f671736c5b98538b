import * as aws from "@pulumi/aws";

// No owners, and the provider's own whoAMI error switched off.
export const ami = aws.ec2.getAmi({
    mostRecent: true,
    allowUnsafeFilter: true,
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
});
