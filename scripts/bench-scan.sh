#!/usr/bin/env bash
# Benchmark: `mamori scan` against Prowler on the same local moto estate, in one run.
#
#   scripts/bench-scan.sh            # 500 users, 2,000 instances over 3 regions, 300 buckets, 200 topics, 200 queues
#   SCALE=4 scripts/bench-scan.sh    # everything divided by 4 (a quick run)
#   SKIP_PROWLER=1 scripts/bench-scan.sh
#
# Prowler is installed from PyPI into its own virtualenv (bench-out/prowler-venv) so its pinned
# dependencies cannot disturb the test set-up. Both tools get the same endpoint through
# AWS_ENDPOINT_URL, the same regions and the same services. Wall time and peak RSS come from
# GNU time. The estate only listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1}
USERS=$((500 / SCALE)); INSTANCES=$((2000 / SCALE)); BUCKETS=$((300 / SCALE)); TOPICS=$((200 / SCALE)); QUEUES=$((200 / SCALE))
REGIONS=${REGIONS:-us-east-1,eu-west-1,ap-northeast-1}
OUT=bench-out/scan; mkdir -p "$OUT"
scripts/setup-python.sh

swift build -c release --product mamori >&2
MAMORI="$(swift build -c release --show-bin-path)/mamori"

if [ -z "${SKIP_PROWLER:-}" ] && [ ! -x bench-out/prowler-venv/bin/prowler ]; then
  python3 -m venv bench-out/prowler-venv
  bench-out/prowler-venv/bin/pip install --quiet prowler
fi

echo "seeding: $USERS users, $INSTANCES instances over $REGIONS, $BUCKETS buckets, $TOPICS topics, $QUEUES queues" >&2
rm -f "$OUT/estate.out"
exec 3> >(python3 Tests/Support/moto_estate.py --port 0 --scenario bulk --users $USERS --instances $INSTANCES \
            --buckets $BUCKETS --topics $TOPICS --queues $QUEUES --regions $REGIONS > "$OUT/estate.out" 2>/dev/null)
for _ in $(seq 1 1200); do grep -q READY "$OUT/estate.out" 2>/dev/null && break; sleep 1; done
ENDPOINT=$(awk '/^READY/ {print $2}' "$OUT/estate.out")
[ -n "$ENDPOINT" ] || { echo "estate did not start" >&2; exit 2; }
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

measure() {  # name, command...
  local name=$1; shift
  /usr/bin/time -v "$@" > "$OUT/$name.stdout" 2> "$OUT/$name.time" || true
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
  python3 - "$name" "$wall" "$rss" >> "$OUT/results.tsv" <<'PY'
import sys
name, wall, rss = sys.argv[1], sys.argv[2], int(sys.argv[3])
parts = [float(p) for p in wall.split(":")]
seconds = parts[-1] + (parts[-2] * 60 if len(parts) > 1 else 0) + (parts[-3] * 3600 if len(parts) > 2 else 0)
print(f"{name}\t{seconds:.1f}\t{rss / 1024:.0f}")
PY
}

rm -f "$OUT/results.tsv"
REGION_ARGS=(); for r in ${REGIONS//,/ }; do REGION_ARGS+=(--region "$r"); done
measure mamori "$MAMORI" scan --endpoint-url "$ENDPOINT" "${REGION_ARGS[@]}" --format json --output "$OUT/mamori.json" --quiet
if [ -z "${SKIP_PROWLER:-}" ]; then
  AWS_ENDPOINT_URL="$ENDPOINT" measure prowler bench-out/prowler-venv/bin/prowler aws --no-banner \
    --services iam ec2 s3 sns sqs cloudtrail guardduty securityhub --region ${REGIONS//,/ } \
    --output-formats json-ocsf --output-directory "$OUT/prowler"
fi
exec 3>&-

echo
echo "estate: $USERS users, $INSTANCES instances ($REGIONS), $BUCKETS buckets, $TOPICS topics, $QUEUES queues"
printf "%-8s %10s %12s\n" tool "wall (s)" "peak RSS (MB)"
while IFS=$'\t' read -r name wall rss; do printf "%-8s %10s %12s\n" "$name" "$wall" "$rss"; done < "$OUT/results.tsv"
if [ -z "${SKIP_PROWLER:-}" ]; then
  python3 - "$OUT/results.tsv" <<'PY'
import sys
rows = {l.split("\t")[0]: l.split("\t")[1:] for l in open(sys.argv[1]).read().split("\n") if l}
m, p = rows["mamori"], rows["prowler"]
print(f"mamori is {float(p[0]) / max(float(m[0]), 0.01):.1f}x faster and uses {float(p[1]) / max(float(m[1]), 1):.1f}x less memory than prowler")
PY
fi
echo "findings: mamori $(python3 -c "import json;print(len(json.load(open('$OUT/mamori.json'))))")"
