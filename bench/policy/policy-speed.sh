#!/usr/bin/env bash
# Side-by-side policy analysis speed: mamori (in-process, release) vs Prowler and policyuniverse (in-process, CPython).
# Usage: bash policy-speed.sh PATH/TO/policy-bench PATH/TO/python-with-peers
set -euo pipefail
bench=$1; py=$2; here=$(cd "$(dirname "$0")" && pwd); tmp=$(mktemp -d)
python3 "$here/gen-big-policy.py" 60 > "$tmp/mid.json"     # ~23 KB, above the 20 KB S3 limit
python3 "$here/gen-big-policy.py" 400 > "$tmp/big.json"    # ~155 KB stress case
for f in mid big; do
  for round in 1 2 3; do
    "$bench" "$tmp/$f.json" 200
    "$py" "$here/peers-speed.py" "$tmp/$f.json" 200
  done
done
rm -rf "$tmp"
