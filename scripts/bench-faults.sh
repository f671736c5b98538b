#!/usr/bin/env bash
# Times the demo scan clean and through the fault-injecting proxy (seeded), side by side in one run,
# and checks the findings are identical. Loopback only: moto and the proxy listen on 127.0.0.1.
#   scripts/bench-faults.sh            # debug build (what the tests use)
#   BUILD=release scripts/bench-faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-debug}
swift build -c "$BUILD" --product mamori >/dev/null
swift build -c "$BUILD" --product mamori-fault-proxy >/dev/null
BIN=.build/$BUILD
work=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ready() { # FILE: wait for the READY line, print the endpoint
  for _ in $(seq 1 600); do
    line=$(grep -m1 '^READY ' "$1" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line#READY }"; return; fi
    sleep 0.1
  done
  echo "not ready: $1" >&2; exit 2
}
mkfifo "$work/estate-in"
python3 Tests/Support/moto_estate.py --port 0 --scenario demo < "$work/estate-in" > "$work/estate.out" 2>/dev/null &
exec 7>"$work/estate-in"
moto=$(ready "$work/estate.out")
scan() { # ENDPOINT OUT
  local start end
  start=$(date +%s.%N)
  env -i PATH=/usr/bin:/bin HOME="$work" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
    AWS_MAX_ATTEMPTS=10 "$BIN/mamori" scan --endpoint-url "$1" --region us-east-1 --region eu-west-1 --all --format json \
    --no-history --quiet > "$2" 2>/dev/null || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
findings() { python3 -c 'import json,sys; print("\n".join(sorted("|".join(str(f[k]) for k in ("check","status","account","region","resource","message")) for f in json.load(open(sys.argv[1])))))' "$1"; }
clean=$(scan "$moto" "$work/clean.json")
findings "$work/clean.json" > "$work/clean.txt"
printf '| run | time (s) | × clean | requests: outcome counts | findings |\n|---|---:|---:|---|---|\n'
printf '| clean (no proxy) | %.1f | 1.0 | — | %s |\n' "$clean" "$(wc -l < "$work/clean.txt")"
n=0
for faults in "throttle,500,503,reset,slow,truncate" "reset" "truncate"; do
  n=$((n + 1))
  mkfifo "$work/proxy-in-$n"
  "$BIN/mamori-fault-proxy" --upstream "$moto" --port 0 --rate 0.3 --seed 20261125 --slow-ms 800 --faults "$faults" \
    --log "$work/faults-$n.log" < "$work/proxy-in-$n" > "$work/proxy-$n.out" 2>/dev/null &
  exec 8>"$work/proxy-in-$n"
  proxy=$(ready "$work/proxy-$n.out")
  took=$(scan "$proxy" "$work/faulty-$n.json")
  exec 8>&-
  findings "$work/faulty-$n.json" > "$work/faulty-$n.txt"
  same=$(cmp -s "$work/clean.txt" "$work/faulty-$n.txt" && echo "identical" || echo "DIFFERENT")
  counts=$(cut -f3 "$work/faults-$n.log" | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}' | sed 's/, $//')
  printf '| 30%% %s | %.1f | %.1f | %s | %s |\n' "$faults" "$took" "$(echo "$took / $clean" | bc -l)" "$counts" "$same"
done
