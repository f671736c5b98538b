#!/usr/bin/env python3
"""Writes a large S3 bucket policy (N statements) for timing: mostly restricted grants, some Denies, one public grant at the end."""
import json, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
st = []
for i in range(n):
    if i % 4 == 3:
        st.append({"Sid": f"Deny{i}", "Effect": "Deny", "Principal": "*", "Action": ["s3:PutObject", f"s3:Delete*"],
                   "Resource": f"arn:aws:s3:::big-bucket/prefix{i}/*",
                   "Condition": {"StringNotEquals": {"aws:SourceVpce": [f"vpce-{i:08x}"]}}})
    else:
        st.append({"Sid": f"Grant{i}", "Effect": "Allow", "Principal": {"AWS": "*"},
                   "Action": ["s3:GetObject", "s3:ListBucket", f"s3:Get*Tagging"],
                   "Resource": [f"arn:aws:s3:::big-bucket/prefix{i}/*", "arn:aws:s3:::big-bucket"],
                   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                                 "Bool": {"aws:SecureTransport": "true"}}})
st.append({"Sid": "Oops", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::big-bucket/public/*"})
json.dump({"Version": "2012-10-17", "Statement": st}, sys.stdout, indent=1)
