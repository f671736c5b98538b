#!/usr/bin/env bash
# Installs the Python side of the test and demo set-up (the moto AWS emulator and boto3, and the
# pre-commit tool the hook test drives) from PyPI when they are missing. Safe to run repeatedly.
set -euo pipefail
if ! python3 -c "import moto, boto3, flask, flask_cors, werkzeug, jsonschema, pre_commit" 2>/dev/null; then
  echo "installing moto[server], boto3 and pre-commit from PyPI..." >&2
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]>=5.1" boto3 jsonschema "pre-commit>=3.2"
fi
