#!/usr/bin/env bash
# Benchmark: `mamori scan --org` over a moto organisation of 20, 100 and 200 member accounts, and
# Prowler's documented per-account loop (`prowler aws --role ...` once per member) on a subset,
# in one run. Not a timed test: it records numbers and checks the findings, it asserts no speed.
#
#   scripts/bench-org.sh                        # 20, 100 and 200 accounts; then Prowler on 5 members of the 200
#   ACCOUNTS="20 100" scripts/bench-org.sh      # other sizes
#   PROWLER_ACCOUNTS=20 scripts/bench-org.sh    # Prowler on more members (about a minute or more each)
#   SKIP_PROWLER=1 scripts/bench-org.sh
#   MAMORI=/path/to/release/mamori scripts/bench-org.sh   # skip the build
#   SCRATCH_PATH=/tmp/build scripts/bench-org.sh          # build with this --scratch-path
#
# Each size gets a fresh estate (Tests/Support/org_bench_estate.py: OUs with nesting; per member
# 4 IAM users, 3 instances per region, 2 buckets, one of them public) in us-east-1 and eu-west-1.
# Wall time and peak RSS come from GNU time; the request count is the number of lines the estate's
# request log gained during the run. Results: bench-out/org/results.tsv and results.md.
# The estate only listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${ACCOUNTS:-20 100 200}
PROWLER_ACCOUNTS=${PROWLER_ACCOUNTS:-5}
MAX_ACCOUNTS=${MAX_ACCOUNTS:-4}   # mamori's default --max-accounts
REGIONS=(us-east-1 eu-west-1)
read -r -a SERVICES <<< "${PROWLER_SERVICES:-iam ec2 s3 sns sqs cloudtrail guardduty securityhub}"  # what mamori checks
OUT=bench-out/org; mkdir -p "$OUT"
scripts/setup-python.sh

if [ -z "${MAMORI:-}" ]; then
  BUILD=(swift build -c release --product mamori); [ -n "${SCRATCH_PATH:-}" ] && BUILD+=(--scratch-path "$SCRATCH_PATH")
  "${BUILD[@]}" >&2
  MAMORI="$("${BUILD[@]}" --show-bin-path)/mamori"
fi
PROWLER=bench-out/prowler-venv/bin/prowler
if [ -z "${SKIP_PROWLER:-}" ] && [ ! -x "$PROWLER" ]; then
  python3 -m venv bench-out/prowler-venv
  bench-out/prowler-venv/bin/pip install --quiet prowler
fi
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN

ESTATE_PID=
start_estate() {  # accounts
  local n=$1
  rm -f "$OUT/estate-$n.out" "$OUT/requests-$n.jsonl" "$OUT/members-$n.json"
  python3 Tests/Support/org_bench_estate.py --port 0 --accounts "$n" --log "$OUT/requests-$n.jsonl" \
    --members "$OUT/members-$n.json" < <(while kill -0 $$ 2>/dev/null; do sleep 5; done) \
    > "$OUT/estate-$n.out" 2> "$OUT/estate-$n.err" &
  ESTATE_PID=$!
  for _ in $(seq 1 3600); do
    grep -q READY "$OUT/estate-$n.out" 2>/dev/null && break
    kill -0 "$ESTATE_PID" 2>/dev/null || { echo "estate died:" >&2; tail "$OUT/estate-$n.err" >&2; exit 2; }
    sleep 1
  done
  ENDPOINT=$(awk '/^READY/ {print $2}' "$OUT/estate-$n.out")
  [ -n "$ENDPOINT" ] || { echo "estate did not start" >&2; exit 2; }
}
stop_estate() {
  [ -n "$ESTATE_PID" ] || return 0
  kill -TERM "$ESTATE_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$ESTATE_PID" 2>/dev/null || break; sleep 1; done
  kill -KILL "$ESTATE_PID" 2>/dev/null || true
  wait "$ESTATE_PID" 2>/dev/null || true
  ESTATE_PID=
}
trap stop_estate EXIT

requests() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
# CPU seconds the estate (moto) has used so far: shows whether moto is the bottleneck.
estate_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$ESTATE_PID/stat"; }

measure() {  # name, accounts scanned, request log, command...
  local name=$1 scanned=$2 log=$3; shift 3
  local before after cpu_before cpu_after
  local load; load=$(cut -d' ' -f1 /proc/loadavg)  # the machine is shared: how busy it was
  before=$(requests "$log"); cpu_before=$(estate_cpu)
  /usr/bin/time -v "$@" > "$OUT/$name.stdout" 2> "$OUT/$name.time" || true
  after=$(requests "$log"); cpu_after=$(estate_cpu)
  python3 - "$name" "$scanned" "$((after - before))" "$OUT/$name.time" "$cpu_before" "$cpu_after" "$load" >> "$OUT/results.tsv" <<'PY'
import re, sys
name, scanned, reqs, timing = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), open(sys.argv[4]).read()
moto_cpu = float(sys.argv[6]) - float(sys.argv[5])
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", timing).group(1)) for k in ("User", "System"))
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
print(f"{name}\t{scanned}\t{seconds:.1f}\t{cpu:.1f}\t{moto_cpu:.1f}\t{reqs}\t{reqs / max(seconds, 0.01):.0f}\t{rss / 1024:.0f}\t{seconds / scanned:.2f}\t{sys.argv[7]}")
PY
}

check_findings() {  # findings.json, members.json -> prints a summary, exits 2 on a wrong count
  python3 - "$1" "$2" <<'PY'
import collections, json, sys
findings, members = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ids = {m["id"] for m in members["accounts"]}
counts = collections.Counter(f["check"] for f in findings if f["account"] in ids and f["status"] == "fail")
wrong = {c: (counts[c], n) for c, n in members["expected"].items() if "." in c and counts[c] != n}
seen = {f["account"] for f in findings}
missing = (ids | {members["management"]}) - seen
print(f"{len(findings)} findings; " + ", ".join(f"{c} {counts[c]}" for c in members["expected"] if "." in c)
      + f"; accounts with findings {len(seen)}/{len(ids) + 1}")
if wrong or missing:
    print(f"WRONG: expected vs found {wrong}; accounts without findings {sorted(missing)[:5]}", file=sys.stderr)
    sys.exit(2)
PY
}

rm -f "$OUT/results.tsv" "$OUT/checks.txt"
WRONG=
REGION_ARGS=(); for r in "${REGIONS[@]}"; do REGION_ARGS+=(--region "$r"); done
last=${ACCOUNTS##* }
for n in $ACCOUNTS; do
  echo "seeding an organisation of $n member accounts..." >&2
  start_estate "$n"
  echo "seeded in $(python3 -c "import json;print(json.load(open('$OUT/members-$n.json'))['seed_seconds'])") s; scanning" >&2
  measure "mamori-org-$n" $((n + 1)) "$OUT/requests-$n.jsonl" \
    "$MAMORI" scan --org --max-accounts "$MAX_ACCOUNTS" "${REGION_ARGS[@]}" --endpoint-url "$ENDPOINT" \
    --format json --output "$OUT/mamori-org-$n.json" --quiet
  summary=$(check_findings "$OUT/mamori-org-$n.json" "$OUT/members-$n.json" 2>&1) || WRONG=1
  echo "mamori-org-$n: $summary" | tee -a "$OUT/checks.txt" >&2
  grep -o "partial scan: [0-9]* part(s)" "$OUT/mamori-org-$n.time" | sed "s/^/mamori-org-$n: /" >> "$OUT/checks.txt" || true

  if [ "$n" = "$last" ] && [ -z "${SKIP_PROWLER:-}" ]; then
    # After the scaling runs, on the largest estate, so their numbers are in even if this is cut short.
    # The same members for both tools: the first PROWLER_ACCOUNTS of this organisation.
    python3 -c "import json,sys;[print(m['id']) for m in json.load(open(sys.argv[1]))['accounts'][:int(sys.argv[2])]]" \
      "$OUT/members-$n.json" "$PROWLER_ACCOUNTS" > "$OUT/subset.txt"
    k=$(wc -l < "$OUT/subset.txt")
    measure "mamori-subset-$k" "$k" "$OUT/requests-$n.jsonl" \
      "$MAMORI" scan --org --accounts "$OUT/subset.txt" --max-accounts "$MAX_ACCOUNTS" "${REGION_ARGS[@]}" \
      --endpoint-url "$ENDPOINT" --format json --output "$OUT/mamori-subset.json" --quiet
    # Prowler's documented way to scan several accounts: one run per account with --role.
    cat > "$OUT/prowler-loop.sh" <<EOF
#!/usr/bin/env bash
while read -r account; do
  start=\$(date +%s.%N)
  AWS_ENDPOINT_URL="$ENDPOINT" "$PROWLER" aws --no-banner --role "arn:aws:iam::\$account:role/OrganizationAccountAccessRole" \\
    --services ${SERVICES[*]} --region ${REGIONS[*]} --output-formats json-ocsf \\
    --output-directory "$OUT/prowler/\$account" --output-filename findings > "$OUT/prowler-\$account.log" 2>&1 || true
  echo "\$account \$(awk "BEGIN {printf \\"%.1f\\", \$(date +%s.%N) - \$start}")" >> "$OUT/prowler-per-account.txt"
done < "$OUT/subset.txt"
EOF
    chmod +x "$OUT/prowler-loop.sh"
    rm -rf "$OUT/prowler" "$OUT/prowler-per-account.txt"
    echo "prowler: $k member accounts, one run each" >&2
    measure "prowler-loop-$k" "$k" "$OUT/requests-$n.jsonl" "$OUT/prowler-loop.sh"
    sed 's/^/prowler run for account (wall s): /' "$OUT/prowler-per-account.txt" >> "$OUT/checks.txt"
    python3 - "$OUT/prowler" "$OUT/subset.txt" <<'PY' | tee -a "$OUT/checks.txt" >&2
import collections, glob, json, sys
accounts = open(sys.argv[2]).read().split()
# Prowler's names for the checks the estate plants one of (per account, or per account and region).
planted = ["s3_bucket_public_access", "iam_user_mfa_enabled_console_access", "iam_rotate_access_key_90_days",
           "ec2_instance_imdsv2_enabled"]
counts, failed, done = collections.Counter(), 0, 0
for account in accounts:
    files = glob.glob(f"{sys.argv[1]}/{account}/findings.ocsf.json")
    if not files:
        continue
    done += 1
    for f in json.load(open(files[0])):
        if f.get("status_code") == "FAIL":
            failed += 1
            counts[f["metadata"]["event_code"]] += 1
print(f"prowler-loop-{len(accounts)}: {done}/{len(accounts)} accounts reported, {failed} failing findings; "
      + ", ".join(f"{c} {counts[c]}" for c in planted))
PY
  fi
  stop_estate
done

python3 - "$OUT/results.tsv" > "$OUT/results.md" <<'PY'
import sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
print("| run | accounts scanned | wall (s) | tool CPU (s) | moto CPU (s) | requests | requests/s | peak RSS (MB) | s/account | load at start |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print("| " + " | ".join(r) + " |")
by = {r[0]: r for r in rows}
m = [r for r in rows if r[0].startswith("mamori-subset")]
p = [r for r in rows if r[0].startswith("prowler-loop")]
if m and p:
    per = float(p[0][2]) / int(p[0][1])
    print(f"\nProwler per account: {per:.1f} s (measured on {p[0][1]} accounts); extrapolated to 200 accounts: "
          f"{per * 200 / 3600:.1f} h. mamori on the same {m[0][1]} accounts: {float(m[0][2]):.1f} s.")
PY
echo >&2
cat "$OUT/results.md"
echo
cat "$OUT/checks.txt"
[ -z "$WRONG" ] || { echo "some findings differ from what the estate planted (see above)" >&2; exit 1; }
