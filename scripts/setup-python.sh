#!/usr/bin/env bash
# Installs the Python side of the test and demo set-up (the moto AWS emulator and boto3) from PyPI
# when they are missing. Safe to run repeatedly.
set -euo pipefail
if ! python3 -c "import moto, boto3, flask, flask_cors, werkzeug, jsonschema" 2>/dev/null; then
  echo "installing moto[server] and boto3 from PyPI..." >&2
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]>=5.1" boto3 jsonschema
fi
