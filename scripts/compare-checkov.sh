#!/usr/bin/env bash
# Runs `mamori iac` and Checkov (CKV_AWS_386, the whoAMI rule) on the IaC corpus and prints a
# side-by-side table: case, expected verdict, mamori, checkov. Results are recorded in docs/iac.md.
#
#   scripts/compare-checkov.sh                # builds mamori (release) and installs checkov in a venv
#   MAMORI=/path/to/mamori scripts/compare-checkov.sh
#   CHECKOV=/path/to/checkov scripts/compare-checkov.sh
#   BENCH_COPIES=50 scripts/compare-checkov.sh   # also time both on 50 copies of the Terraform corpus
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/Tests/IaCScanTests/Corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mamori="${MAMORI:-}"
if [[ -z "$mamori" ]]; then
  (cd "$root" && swift build -c release --product mamori >&2)
  mamori="$root/.build/release/mamori"
fi

checkov="${CHECKOV:-$(command -v checkov || true)}"
if [[ -z "$checkov" ]]; then
  venv="${CHECKOV_VENV:-$root/.build/checkov-venv}"
  if [[ ! -x "$venv/bin/checkov" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet checkov
  fi
  checkov="$venv/bin/checkov"
fi

now() { date +%s.%N; }

start=$(now)
# Exit 1 means "findings", which the corpus is full of; 2 is an error (a parse error is expected here).
"$mamori" iac "$corpus" --format json > "$work/mamori.json" 2> "$work/mamori.err" || true
mamori_s=$(echo "$(now) - $start" | bc)

start=$(now)
# --skip-download keeps Checkov off the network (it otherwise fetches guideline links from Prisma Cloud).
"$checkov" -d "$corpus" --framework terraform --check CKV_AWS_386 --skip-download -o json \
  > "$work/checkov.json" 2> "$work/checkov.err" || true
checkov_s=$(echo "$(now) - $start" | bc)

echo "mamori: $("$mamori" --version 2>/dev/null || echo unknown); checkov: $("$checkov" --version 2>/dev/null)"
echo
python3 "$root/scripts/iac/compare_checkov.py" "$corpus" "$work/mamori.json" "$work/checkov.json" \
  "$(printf '%.2f' "$mamori_s")" "$(printf '%.2f' "$checkov_s")"

copies="${BENCH_COPIES:-0}"
if [[ "$copies" -gt 0 ]]; then
  bench="$work/bench"
  for i in $(seq 1 "$copies"); do
    mkdir -p "$bench/m$i" && cp "$corpus"/terraform/* "$bench/m$i/"
  done
  files=$(find "$bench" -type f | wc -l)
  start=$(now); "$mamori" iac "$bench" --format json > /dev/null 2>&1 || true; m=$(echo "$(now) - $start" | bc)
  start=$(now); "$checkov" -d "$bench" --framework terraform --check CKV_AWS_386 --skip-download -o json > /dev/null 2>&1 || true
  c=$(echo "$(now) - $start" | bc)
  echo
  echo "benchmark: $files Terraform files ($copies copies of the corpus): mamori $(printf '%.2f' "$m")s, checkov $(printf '%.2f' "$c")s"
fi
