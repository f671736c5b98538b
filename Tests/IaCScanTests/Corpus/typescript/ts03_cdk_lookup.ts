import { Stack, StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import { Construct } from "constructs";

export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Regex literal with a quote in it must not confuse the lexer: /"/
    const re = /name"-\d+/;
    const image = ec2.MachineImage.lookup({
      name: `golden-${props?.env?.region ?? "us-east-1"}-*`,
      windows: false,
    });
    new ec2.Instance(this, "App", { machineImage: image, instanceType: new ec2.InstanceType("t3.micro"), vpc: new ec2.Vpc(this, "Vpc") });
  }
}
