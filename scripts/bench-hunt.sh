#!/usr/bin/env bash
# Benchmark `mamori hunt` against `zcat | jq` with the same filter (one rule: CloudTrail
# StopLogging) on generated CloudTrail logs in the S3 layout (gzip'd `{"Records":[…]}` files), at
# two sizes, to show events/s per CPU second and that peak memory stays flat as events grow.
#
# usage: scripts/bench-hunt.sh [SMALL_EVENTS] [LARGE_EVENTS]      (defaults: 1000000 4000000)
# env:   MAMORI=path/to/mamori (default: builds .build/release/mamori; a debug build is 20-50x slower)
#        BENCH_DIR=dir for generated data (default: bench-out/hunt, git-ignored)
#        PER_FILE=events per log file (default 5000, what a busy region delivers in 5 minutes)
#        RUNS=timed runs per tool (default 3; the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-1000000}
LARGE=${2:-4000000}
PER_FILE=${PER_FILE:-5000}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-bench-out/hunt}
mkdir -p "$DIR"

if [[ -z "${MAMORI:-}" ]]; then
    swift build -c release --product mamori >&2
    MAMORI=.build/release/mamori
fi
command -v jq >/dev/null || { echo "jq missing: apt-get install jq" >&2; exit 2; }

RULE="$DIR/stop-logging.yml"
cat > "$RULE" <<'YAML'
title: CloudTrail logging stopped (benchmark)
id: 0d5e2f7a-3b1c-4d6e-9f80-000000000b01
status: experimental
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventSource: cloudtrail.amazonaws.com
    eventName: StopLogging
  condition: selection
level: high
YAML
JQ_FILTER='.Records[] | select(.eventSource == "cloudtrail.amazonaws.com" and .eventName == "StopLogging") | .eventID'

# median of RUNS runs: wall seconds, user+sys CPU seconds, peak RSS in MB
timed() {
    local out=$1; shift
    local walls=() cpus=() rss=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$DIR/time.txt" -f "%e %U %S %M" bash -c "$*" > "$out" 2>/dev/null || true
        local t; t=$(tail -1 "$DIR/time.txt")
        walls+=("$(echo "$t" | awk '{print $1}')")
        cpus+=("$(echo "$t" | awk '{printf "%.2f", $2 + $3}')")
        rss+=("$(echo "$t" | awk '{printf "%.0f", $4 / 1024}')")
    done
    local mid=$(( (RUNS + 1) / 2 ))
    echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${rss[@]}" | sort -n | sed -n "${mid}p")"
}

printf '%-10s %-28s %8s %8s %8s %14s %10s\n' events tool wall_s cpu_s rss_MB "events/cpu_s" matches
for EVENTS in "$SMALL" "$LARGE"; do
    FILES=$(( (EVENTS + PER_FILE - 1) / PER_FILE ))
    TRAIL="$DIR/trail-$EVENTS"
    if [[ ! -d "$TRAIL/AWSLogs" ]]; then
        echo "generating $TRAIL ($FILES files of $PER_FILE events)" >&2
        python3 Tests/Support/hunt_trail.py bench "$TRAIL" "$FILES" "$PER_FILE" >&2
    fi
    find "$TRAIL" -name '*.json.gz' | sort > "$DIR/files.txt"
    cat $(cat "$DIR/files.txt") > /dev/null  # warm the page cache: both tools read from memory
    TOTAL=$(( FILES * PER_FILE ))
    read -r mw mc mr <<< "$(timed "$DIR/mamori.json" "$MAMORI hunt $TRAIL --rule $RULE --no-builtin-rules --format json")"
    read -r jw jc jr <<< "$(timed "$DIR/jq.txt" "xargs -a $DIR/files.txt zcat | jq -r '$JQ_FILTER'")"
    mm=$(python3 -c "import json,sys; print(sum(len(a['eventIds']) for a in json.load(open(sys.argv[1]))))" "$DIR/mamori.json")
    jm=$(wc -l < "$DIR/jq.txt")
    printf '%-10s %-28s %8s %8s %8s %14.0f %10s\n' "$TOTAL" "mamori hunt" "$mw" "$mc" "$mr" "$(echo "$TOTAL / $mc" | bc -l)" "$mm"
    printf '%-10s %-28s %8s %8s %8s %14.0f %10s\n' "$TOTAL" "zcat | jq" "$jw" "$jc" "$jr" "$(echo "$TOTAL / $jc" | bc -l)" "$jm"
    echo "speed-up (CPU): $(echo "scale=1; $jc / $mc" | bc -l)x   (wall): $(echo "scale=1; $jw / $mw" | bc -l)x" >&2
    if [[ "$mm" != "$jm" ]]; then echo "MISMATCH: mamori found $mm events, jq $jm" >&2; exit 1; fi
done
