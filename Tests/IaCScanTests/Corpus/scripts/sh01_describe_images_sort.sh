#!/usr/bin/env bash
set -euo pipefail
# Find the newest Ubuntu image and launch it.
AMI_ID=$(aws ec2 describe-images \
  --region "$AWS_REGION" \
  --filters "Name=name,Values=ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*" \
            "Name=state,Values=available" \
  --query 'sort_by(Images, &CreationDate)[-1].ImageId' \
  --output text)
aws ec2 run-instances --image-id "$AMI_ID" --instance-type t3.micro
