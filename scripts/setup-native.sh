#!/usr/bin/env bash
# Installs the native libraries the build links (Debian packages) when they are missing:
# libdeflate-dev (whole-file gzip decoding; its static library goes into release builds) and
# libsqlite3-dev (the history store; static library for releases). Safe to run repeatedly.
set -euo pipefail
missing=()
[ -f /usr/include/libdeflate.h ] || missing+=(libdeflate-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
command -v apt-get >/dev/null 2>&1 || { echo "setup-native: install ${missing[*]} (Debian/Ubuntu package names) and run again" >&2; exit 2; }
echo "installing ${missing[*]} from Debian..." >&2
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
