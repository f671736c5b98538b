#!/usr/bin/env bash
# Benchmark `mamori imds scan` against ripgrep (the practical limit for a literal search) and
# pySigma's evaluation path for local files (pysigma-backend-sqlite over the same data loaded
# into SQLite), in one run, on a generated Zeek http.log with planted IMDS requests. The table
# gives wall time, CPU time (user + system) and peak memory, with the machine and its load.
# Kingfisher and Betterleaks are secret scanners with no IMDS rules, so they have no row here.
#
# usage: scripts/bench-imds.sh [LINES] [PLANTED]      (defaults: 10000000 300)
# env:   MAMORI=path/to/mamori (default: builds .build/release/mamori)
#        BENCH_DIR=dir for generated data (default: bench-out/imds, git-ignored)
#        SKIP_SQLITE=1 to leave out the SQLite load (slow: minutes for 10M rows)
#        RUNS=3 timed runs per tool (the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-10000000}
PLANTED=${2:-300}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-bench-out/imds}
mkdir -p "$DIR"
LOG="$DIR/http-$LINES.log"
RULE=rules/imds_non_ec2_network.yml

if [[ -z "${MAMORI:-}" ]]; then
    swift build -c release --product mamori >&2
    MAMORI=.build/release/mamori
fi
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install ripgrep" >&2; exit 2; }

if [[ ! -s "$LOG" ]]; then
    echo "generating $LOG ($LINES lines, $PLANTED planted)" >&2
    python3 scripts/imds/gen_zeek_http.py "$LOG" "$LINES" "$PLANTED"
fi
BYTES=$(stat -L -c %s "$LOG")
cat "$LOG" > /dev/null  # warm the page cache so every tool reads from memory

# median wall seconds, user+sys CPU seconds and peak resident memory (MB) of RUNS runs of a
# command (stdout to $2). On a shared machine CPU time is the steadier figure: wall time
# includes waiting for a core.
timed() {
    local name=$1 out=$2; shift 2
    local walls=() cpus=() mems=()
    for _ in $(seq "$RUNS"); do
        local t
        /usr/bin/time -o "$DIR/time.txt" -f "%e %U %S %M" "$@" > "$out" 2>/dev/null || true
        t=$(tail -1 "$DIR/time.txt")
        walls+=("$(echo "$t" | awk '{print $1}')")
        cpus+=("$(echo "$t" | awk '{printf "%.2f", $2 + $3}')")
        mems+=("$(echo "$t" | awk '{printf "%.0f", $4 / 1024}')")
    done
    local mid=$(( (RUNS + 1) / 2 ))
    local wall cpu mem
    wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")
    mem=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "${mid}p")
    echo "$name $wall $cpu $mem"
}

PATTERNS=(-e 169.254.169.254 -e fd00:ec2::254 -e fd00:ec2:0:0:0:0:0:254 -e /latest/meta-data -e /latest/api/token
          -e /latest/user-data -e /latest/dynamic/instance-identity -e x-aws-ec2-metadata-token)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
results=()
results+=("$(timed "mamori imds scan --format json" "$DIR/mamori.json" "$MAMORI" imds scan --format json "$LOG")")
results+=("$(timed "rg -n -i -F (same literals)" "$DIR/rg-i.txt" rg -n -i -F "${PATTERNS[@]}" "$LOG")")
results+=("$(timed "rg -n -F (case-sensitive)" "$DIR/rg.txt" rg -n -F "${PATTERNS[@]}" "$LOG")")
# The equivalent search ripgrep is fast at: the literals case-sensitive, the header name in any
# case (as SIGMA compares it). Eight case-insensitive literals (-i -F) are too many case variants
# for ripgrep's SIMD literal search and it falls back to a slower engine.
HEADER_ANY_CASE='169\.254\.169\.254|fd00:ec2::254|fd00:ec2:0:0:0:0:0:254|/latest/meta-data|/latest/api/token|/latest/user-data|/latest/dynamic/instance-identity|(?i:x-aws-ec2-metadata-token)'
results+=("$(timed "rg -n (literals, header name any case)" "$DIR/rg-h.txt" rg -n -e "$HEADER_ANY_CASE" "$LOG")")

found=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(a['count'] for a in r['alerts']))" "$DIR/mamori.json")
rg_found=$(wc -l < "$DIR/rg-i.txt")
planted=$(wc -l < "$LOG.planted")
missing=$(( planted - found ))

echo
echo "Zeek http.log: $LINES data lines, $(( BYTES / 1000000 )) MB, $planted planted IMDS requests; $RUNS runs, median."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| tool | wall s | CPU s | peak MB | lines/s (wall) | lines/CPU-s | matches |"
echo "|---|---:|---:|---:|---:|---:|---|"
for r in "${results[@]}"; do
    wall=$(echo "$r" | awk '{print $(NF-2)}'); cpu=$(echo "$r" | awk '{print $(NF-1)}'); mem=$(echo "$r" | awk '{print $NF}')
    name=$(echo "$r" | awk '{$NF=""; $(NF-1)=""; $(NF-2)=""; print}' | sed 's/ *$//')
    rate=$(python3 -c "print(f'{$LINES/max($wall,0.001)/1e6:.2f} M')")
    cpurate=$(python3 -c "print(f'{$LINES/max($cpu,0.001)/1e6:.2f} M')")
    case "$name" in
        mamori*) m="$found requests in $(python3 -c "import json; print(len(json.load(open('$DIR/mamori.json'))['alerts']))") alerts" ;;
        "rg -n -i"*) m="$rg_found lines" ;;
        "rg -n (literals"*) m="$(wc -l < "$DIR/rg-h.txt") lines" ;;
        *) m="$(wc -l < "$DIR/rg.txt") lines" ;;
    esac
    echo "| $name | $wall | $cpu | $mem | $rate | $cpurate | $m |"
done

if [[ -z "${SKIP_SQLITE:-}" ]] && command -v sigma >/dev/null; then
    read -r load query rows < <(python3 scripts/imds/sqlite_bench.py "$LOG" "$RULE" "$DIR/logs.sqlite")
    echo "| pySigma sqlite backend: load into SQLite | $load | | | $(python3 -c "print(f'{$LINES/max($load,0.001)/1e6:.2f} M')") | | |"
    echo "| pySigma sqlite backend: run converted query | $query | | | $(python3 -c "print(f'{$LINES/max($query,0.001)/1e6:.2f} M')") | | $rows rows |"
    rm -f "$DIR/logs.sqlite"
fi
echo
if [[ "$missing" != "0" ]]; then echo "mamori missed $missing planted requests" >&2; exit 1; fi
echo "mamori found all $planted planted requests."
