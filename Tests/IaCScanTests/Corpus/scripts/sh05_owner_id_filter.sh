#!/bin/bash
aws ec2 describe-images --filters Name=name,Values=build-agent-* Name=owner-id,Values=123456789012 | jq -r '.Images | sort_by(.CreationDate) | last | .ImageId'
