#!/usr/bin/env bash
# Installs the Python side of the test and demo set-up (the moto AWS emulator and boto3, and the
# pre-commit tool the hook test drives) from PyPI when they are missing. Safe to run repeatedly.
set -euo pipefail
if ! python3 -c "import moto, boto3, flask, flask_cors, werkzeug, jsonschema, pre_commit" 2>/dev/null; then
  echo "installing moto[server], boto3 and pre-commit from PyPI..." >&2
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]>=5.1" boto3 jsonschema "pre-commit>=3.2"
fi
# pySigma's SQLite backend for the hunt-rule comparison (scripts/compare-hunt-pysigma.sh). 0.2.x is
# the line built on pySigma 0.11, which sigma-cli 1.0.6 (scripts/test.sh) needs; 1.x and later
# would upgrade pySigma past what sigma-cli accepts.
if ! python3 -c "import sigma.backends.sqlite" 2>/dev/null; then
  echo "installing pysigma-backend-sqlite from PyPI..." >&2
  python3 -m pip install --quiet --disable-pip-version-check "pysigma-backend-sqlite>=0.2,<0.3" "pysigma>=0.11.19,<0.12"
fi
