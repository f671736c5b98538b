#!/usr/bin/env bash
# Regenerates pySigma's matches for the hunt-rule comparison and fails when they differ from the
# committed Tests/HuntComparison/pysigma-matches.json, which HuntComparisonTests compares with
# mamori's own matches. Needs pysigma-backend-sqlite (scripts/setup-python.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/compare-hunt-pysigma.py
git diff --exit-code -- Tests/HuntComparison/pysigma-matches.json || {
    echo "pySigma's matches changed: review the diff, then run HuntComparisonTests" >&2; exit 1; }
