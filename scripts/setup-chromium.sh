#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the dashboard's browser tests
# (Tests/DashboardTests/BrowserTests.swift). Idempotent: does nothing when `chromium` is on PATH.
# The tests skip (with a message) when Chromium is missing, so this is optional for local runs
# and required in CI, where the browser test is the proof that every page renders.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    echo "chromium already installed: $(chromium --version 2>/dev/null || echo unknown version)"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    # Not Debian/Ubuntu: the browser tests skip with a message; the rest of the suite still runs.
    echo "note: apt-get not found; install Chromium and put 'chromium' on PATH to run the dashboard's browser tests" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "error: run as root or install sudo to install chromium" >&2
        exit 2
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# fonts-liberation: readable screenshots (Chromium falls back to tofu boxes without any font).
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "installed: $(chromium --version 2>/dev/null || echo chromium)"
