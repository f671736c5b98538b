import * as ec2 from "aws-cdk-lib/aws-ec2";

export const image = ec2.MachineImage.lookup({
  name: "golden-*",
  owners: ["123456789012"],
});
export const viaFilter = new ec2.LookupMachineImage({
  name: "golden-*",
  filters: { "owner-alias": ["amazon"] },
});
