#!/usr/bin/env bash
# Runs every test: unit tests and end-to-end tests against a local moto server (started by the
# tests themselves on 127.0.0.1). Installs the Python test dependencies when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh
swift build --build-tests
swift test --skip-build "$@"
