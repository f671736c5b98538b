#!/usr/bin/env bash
# One command from a fresh clone: build Mamori (release), start the demo estate (a local moto
# server on 127.0.0.1 seeded with risky resources) and scan it.
#   ./scripts/demo.sh                 # terminal report
#   ./scripts/demo.sh --format json   # any extra arguments go to `mamori scan`
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-native.sh
scripts/setup-python.sh
echo "building mamori (release)..." >&2
swift build -c release --product mamori >&2
BIN="$(swift build -c release --show-bin-path)/mamori"
mkdir -p .build/demo
LOG=.build/demo/estate.out
rm -f "$LOG"
# The estate serves until its stdin closes: tie it to this script's lifetime.
exec 3> >(python3 Tests/Support/moto_estate.py --port 0 --scenario demo > "$LOG" 2>/dev/null)
for _ in $(seq 1 120); do grep -q READY "$LOG" 2>/dev/null && break; sleep 0.5; done
ENDPOINT=$(awk '/^READY/ {print $2}' "$LOG")
[ -n "$ENDPOINT" ] || { echo "the demo estate did not start" >&2; exit 2; }
echo "demo estate at $ENDPOINT; scanning us-east-1 and eu-west-1" >&2
set +e
AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_EC2_METADATA_DISABLED=true \
  "$BIN" scan --endpoint-url "$ENDPOINT" --region us-east-1 --region eu-west-1 "$@"
status=$?
exec 3>&-
echo "mamori exited with $status (0 clean, 1 findings, 2 error, 3 partial: the emulator lacks some calls)" >&2
exit 0
