package main

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		ami, err := ec2.LookupAmi(ctx, &ec2.LookupAmiArgs{
			MostRecent: pulumi.BoolRef(true),
			Filters: []ec2.GetAmiFilter{
				{Name: "name", Values: []string{"amzn2-ami-hvm-*-x86_64-ebs"}},
			},
		}, nil)
		if err != nil {
			return err
		}
		ctx.Export("ami", pulumi.String(ami.Id))
		return nil
	})
}
