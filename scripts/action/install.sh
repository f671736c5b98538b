#!/usr/bin/env bash
# action.yml, step 1: download the release tarball, check its SHA-256, unpack it and put `mamori` on
# PATH. Inputs: MAMORI_VERSION, MAMORI_SHA256, MAMORI_RELEASE_URL; RUNNER_TEMP and GITHUB_PATH as the
# runner sets them. Tested by scripts/test-release.sh with a file:// release URL.
set -euo pipefail
: "${MAMORI_VERSION:?version is required}" "${MAMORI_SHA256:?sha256 is required}" "${MAMORI_RELEASE_URL:?release-url is required}"
case "$MAMORI_VERSION" in *[!0-9A-Za-z.+-]*) echo "mamori action: version '$MAMORI_VERSION' is not a version" >&2; exit 2 ;; esac
case "$MAMORI_SHA256" in *[!0-9a-f]*|"") echo "mamori action: sha256 must be 64 lower-case hex digits" >&2; exit 2 ;; esac
[ "${#MAMORI_SHA256}" = 64 ] || { echo "mamori action: sha256 must be 64 lower-case hex digits" >&2; exit 2; }
name="mamori-$MAMORI_VERSION-linux-$(uname -m)"
dir="${RUNNER_TEMP:-$(mktemp -d)}"
curl -fsSL --retry 3 -o "$dir/$name.tar.gz" "$MAMORI_RELEASE_URL/v$MAMORI_VERSION/$name.tar.gz"
echo "$MAMORI_SHA256  $dir/$name.tar.gz" | sha256sum -c --status - \
  || { echo "mamori action: $name.tar.gz does not match the given sha256; refusing to run it" >&2; exit 2; }
tar -xzf "$dir/$name.tar.gz" -C "$dir"
echo "$dir/$name/bin" >> "${GITHUB_PATH:-/dev/null}"
"$dir/$name/bin/mamori" version
