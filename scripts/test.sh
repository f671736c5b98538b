#!/usr/bin/env bash
# Runs every test: unit tests and end-to-end tests against a local moto server (started by the
# tests themselves on 127.0.0.1), plus `sigma check` on the shipped SIGMA rule. Installs the
# Python test dependencies when missing, Chromium for the dashboard's browser tests, and starts a
# throwaway PostgreSQL on 127.0.0.1 for the PostgreSQL history tests (skipped, with a message,
# when PostgreSQL is not available).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-native.sh
scripts/setup-python.sh
if ! python3 -c "import sigma.cli.main" 2>/dev/null; then
  echo "installing sigma-cli from PyPI..." >&2
  python3 -m pip install --quiet --disable-pip-version-check "sigma-cli==1.0.6"
fi
echo "== sigma check rules/imds_non_ec2_network.yml" >&2
report=$(python3 -m sigma.cli.main check rules/imds_non_ec2_network.yml)
echo "$report" | tail -3
echo "$report" | grep -q "Found 0 errors, 0 condition errors and 0 issues"
# The CloudTrail hunt rules; ATT&CK/D3FEND tag validators are off (tags name sub-techniques the
# bundled tables of sigma-cli 1.0.6 do not all know).
echo "== sigma check rules/cloudtrail" >&2
report=$(python3 -m sigma.cli.main check -x attacktag -x d3_fendtag rules/cloudtrail)
echo "$report" | tail -3
echo "$report" | grep -q "Found 0 errors, 0 condition errors and 0 issues"
# Mamori's matches against pySigma's SQLite conversion of the same rules over the same events.
scripts/compare-hunt-pysigma.sh
scripts/setup-chromium.sh
# A throwaway PostgreSQL on 127.0.0.1 for the history-store and shard tests; empty (tests skipped, with the reason) when unavailable.
MAMORI_TEST_POSTGRES_URL=$(scripts/setup-postgres.sh start) || MAMORI_TEST_POSTGRES_URL=
export MAMORI_TEST_POSTGRES_URL
trap 'scripts/setup-postgres.sh stop >/dev/null 2>&1 || true' EXIT
# Package.swift declares exactly what each target imports (the pipeline map stays true).
python3 scripts/check-deps.py
swift build --build-tests
if [ "$#" -gt 0 ]; then
  swift test --skip-build "$@"
else
  # Two runs: the end-to-end tests wait on child processes (mamori, moto, the fault proxy) and hold
  # Swift concurrency's threads meanwhile, which would starve the in-process servers of the
  # dashboard and proxy tests if both ran in one process.
  swift test --skip-build --skip EndToEndTests
  swift test --skip-build --filter EndToEndTests
fi
scripts/validate-reports.sh
# The release tarball: a static release build, then the binary run in a scrubbed environment.
scripts/test-release.sh
