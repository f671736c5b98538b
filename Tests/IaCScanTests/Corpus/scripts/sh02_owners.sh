#!/bin/sh
AMI_ID=$(aws ec2 describe-images \
  --filters 'Name=name,Values=ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*' \
  --owners 099720109477 \
  --query 'sort_by(Images, &CreationDate)[-1].ImageId' --output text)
echo "$AMI_ID"
