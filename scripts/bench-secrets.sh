#!/usr/bin/env bash
# Benchmark `mamori secrets` against ripgrep, detect-secrets and trufflehog in one run.
#
#   scripts/bench-secrets.sh [--mb 1024] [--commits 20000] [--sample-mb 16] [--runs 3] [--real-git GIT_DIR | --no-real-git]
#
# Builds the corpus once into bench-out/secrets (git-ignored): --mb of mixed source text with
# planted key pairs, AWS documentation example keys and near misses, plus a git repository of
# --commits commits that adds keys and later deletes some. Prints a Markdown table: wall time,
# MB/s, recall on the planted keys and alarms on the documentation example key.
#
# Peers: ripgrep from Debian (apt-get install ripgrep); detect-secrets and trufflehog (2.x, the
# last Python release) from PyPI into bench-out/secrets-venv. gitleaks and trufflehog 3 are Go
# binaries that are neither in Debian nor on PyPI, so they are not measured.
#
# Then, on a real repository's history (--real-git, default the AWS CLI mirror when present),
# scripts/bench-git.sh compares `mamori secrets --git` with Kingfisher, Betterleaks and
# `git log -p --all | rg`: time, peak memory, recall of keys planted on top of the history.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=1024; COMMITS=20000; SAMPLE_MB=16; RUNS=3; REAL_GIT=/work/.mirror/aws+aws-cli/repo
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB=$2; shift 2;;
    --commits) COMMITS=$2; shift 2;;
    --sample-mb) SAMPLE_MB=$2; shift 2;;
    --runs) RUNS=$2; shift 2;;
    --real-git) REAL_GIT=$2; shift 2;;
    --no-real-git) REAL_GIT=; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
OUT=bench-out/secrets
mkdir -p bench-out

command -v rg >/dev/null || { echo "ripgrep missing: apt-get install ripgrep" >&2; exit 2; }
VENV=bench-out/secrets-venv
if [ ! -x "$VENV/bin/detect-secrets" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q detect-secrets trufflehog
fi

MAMORI=${MAMORI:-}
if [ -z "$MAMORI" ]; then
  swift build -c release --product mamori --scratch-path bench-out/build >&2
  MAMORI=bench-out/build/release/mamori
fi

if [ ! -f "$OUT/planted.jsonl" ]; then
  python3 scripts/bench-secrets/gen_corpus.py --out "$OUT" --mb "$MB" --commits "$COMMITS" >&2
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 scripts/bench-secrets/measure.py --corpus "$OUT" --mamori "$MAMORI" \
  --detect-secrets "$VENV/bin/detect-secrets" --trufflehog "$VENV/bin/trufflehog" \
  --sample-mb "$SAMPLE_MB" --runs "$RUNS"

if [ -n "$REAL_GIT" ] && [ -d "$REAL_GIT" ]; then
  MAMORI="$MAMORI" scripts/bench-git.sh --source "$REAL_GIT"
fi
