#!/usr/bin/env bash
# Renders every report format from the fixed fixture inventory with the real CLI and validates
# them: SARIF against the vendored OASIS 2.1.0 schema, OCSF Detection Finding and ASFF required
# fields, CSV quoting, HTML self-containment and escaping. Offline; exits non-zero on any problem.
#   scripts/validate-reports.sh                 # builds mamori first (swift build --product mamori)
#   MAMORI_BIN=path/to/mamori scripts/validate-reports.sh
#   MAMORI_SCRATCH_PATH=/tmp/build scripts/validate-reports.sh
#   MAMORI_OCSF_PYTHON=venv/bin/python scripts/validate-reports.sh   # also check OCSF with py-ocsf-models
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${MAMORI_BIN:-}" ]]; then
  scratch=()
  [[ -n "${MAMORI_SCRATCH_PATH:-}" ]] && scratch=(--scratch-path "$MAMORI_SCRATCH_PATH")
  swift build --product mamori "${scratch[@]}" >&2
  MAMORI_BIN="$(swift build --show-bin-path "${scratch[@]}")/mamori"
fi
python3 -c 'import jsonschema' 2>/dev/null || { echo "validate-reports: python3 with jsonschema is required (pip install jsonschema)" >&2; exit 2; }

inventory=Tests/ReportsTests/Golden/inventory.json
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Exit 3: the fixture has one unreadable part (a partial scan), by design.
set +e
"$MAMORI_BIN" report render --inventory "$inventory" --config scripts/reports/mamori.yml \
  --format sarif,ocsf,asff,csv,markdown,html,json --output-dir "$out" 2>"$out/stderr"
code=$?
set -e
if [[ $code -ne 3 ]]; then
  echo "validate-reports: mamori report render exited $code (expected 3, partial fixture):" >&2
  cat "$out/stderr" >&2
  exit 1
fi
for file in findings.sarif findings.ocsf.json findings.asff.json findings.csv findings.md report.html findings.json; do
  [[ -s "$out/$file" ]] || { echo "validate-reports: $file was not written" >&2; exit 1; }
done

"$MAMORI_BIN" report metrics --inventory "$inventory" --format json --output "$out/metrics.json" || [[ $? -eq 1 ]]
python3 - "$out/metrics.json" <<'PY'
import json, sys
metrics = json.load(open(sys.argv[1]))
ids = {m["id"]: m for m in metrics["metrics"]}
expected = {"iam.console_users_without_mfa": (1, 4, "worse"), "s3.public_buckets": (1, 2, "worse"),
            "ec2.instances_without_imdsv2": (1, 2, "better"), "iam.users_with_active_key_over_90d": (2, 3, "better")}
for key, (count, total, verdict) in expected.items():
    m = ids[key]
    got = (m["value"]["count"], m["value"]["total"], m["verdict"])
    if got != (count, total, verdict):
        sys.exit(f"validate-reports: metric {key} is {got}, expected {(count, total, verdict)}")
PY

python3 scripts/reports/validate.py "$out"

# With --all: passing and muted findings too (muted ones as SARIF suppressions, OCSF Suppressed,
# ASFF SUPPRESSED, status muted with mutedReason in JSON and CSV), validated the same way.
mkdir "$out/all"
set +e
"$MAMORI_BIN" report render --inventory "$inventory" --config scripts/reports/mamori.yml --all \
  --format sarif,ocsf,asff,csv,json --output-dir "$out/all" 2>/dev/null
code=$?
set -e
[[ $code -eq 3 ]] || { echo "validate-reports: report render --all exited $code (expected 3)" >&2; exit 1; }
python3 scripts/reports/validate.py "$out/all" all

# OCSF against Prowler's own pydantic models when a Python with py-ocsf-models is at hand
# (MAMORI_OCSF_PYTHON=/path/to/venv/bin/python); skipped otherwise.
set +e
"${MAMORI_OCSF_PYTHON:-python3}" scripts/reports/validate-ocsf-models.py "$out/findings.ocsf.json"
code=$?
set -e
if [[ $code -eq 77 ]]; then echo "validate-reports: py-ocsf-models not installed, skipping the Prowler model check" >&2
elif [[ $code -ne 0 ]]; then exit 1; fi

# The page's script against a minimal DOM (Node.js; skipped without it): the fixture, then
# 50,000 findings, where only one page of rows may be rendered.
if command -v node >/dev/null; then
  node scripts/reports/check-html.js "$out/report.html" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out/findings.json")"
  python3 scripts/reports/big-inventory.py 50000 > "$out/big-inventory.json"
  set +e
  "$MAMORI_BIN" report render --inventory "$out/big-inventory.json" --format html --output "$out/big.html"
  code=$?
  set -e
  [[ $code -eq 1 ]] || { echo "validate-reports: rendering 50,000 findings exited $code (expected 1)" >&2; exit 1; }
  size=$(wc -c < "$out/big.html")
  echo "validate-reports: report.html with 50,000 findings is $size bytes"
  (( size < 25000000 )) || { echo "validate-reports: report.html for 50,000 findings is too big ($size bytes)" >&2; exit 1; }
  node scripts/reports/check-html.js "$out/big.html" 50000
else
  echo "validate-reports: node not found, skipping the HTML script check" >&2
fi
