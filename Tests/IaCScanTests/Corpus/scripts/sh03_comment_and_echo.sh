#!/bin/bash
# aws ec2 describe-images --filters Name=name,Values=app-* --query 'sort_by(Images,&CreationDate)[-1]'
echo "never run 'aws ec2 describe-images --filters Name=name,Values=x' without --owners"
AMI_ID=$(aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 \
  --query Parameter.Value --output text)
