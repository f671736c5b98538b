#!/bin/bash
aws ec2 describe-images --filters '[{"Name":"name","Values":["build-agent-*"]}]' --output json > images.json
