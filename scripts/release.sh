#!/usr/bin/env bash
# Builds the release artifact: dist/mamori-VERSION-linux-x86_64.tar.gz with
#   bin/mamori                      the binary, Swift runtime and Foundation linked statically
#                                   (--static-swift-stdlib) and SQLite linked statically
#   bin/Mamori_*.resources          data the binary reads (known AWS accounts, dashboard templates)
#   share/mamori/rules/             the shipped SIGMA rules
#   share/bash-completion/…, share/zsh/…, share/fish/…   shell completions
#   share/man/man1/                 man pages (swift-argument-parser's generate-manual plugin)
#   LICENSE, NOTICE, README.md
# plus dist/…tar.gz.sha256 and dist/mamori-VERSION.cdx.json (CycloneDX SBOM from Package.resolved).
# The binary needs only glibc, libstdc++, libgcc_s and zlib from the system (Debian's base system);
# scripts/test-release.sh checks that in a scrubbed environment.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${MAMORI_RELEASE_SCRATCH:-.build-release}
VERSION=$(git show HEAD:Sources/MamoriCore/BuildInfo.swift | sed -n 's/.*static let version = "\(.*\)".*/\1/p')
[ -n "$VERSION" ] || { echo "release.sh: cannot read the version from Sources/MamoriCore/BuildInfo.swift" >&2; exit 2; }
COMMIT=$(git rev-parse HEAD)
# A release is built from the committed tree (HEAD), exported into the build folder, never from the
# working tree: what is released is what the commit says, and editing files during the long release
# build cannot break it. git writes only the files that changed since the last export, so the build
# stays incremental.
mkdir -p "$SCRATCH/src"
SCRATCH_ABS="$(cd "$SCRATCH" && pwd)"
SRC="$SCRATCH_ABS/src"
GIT_INDEX_FILE="$SCRATCH_ABS/src.index" git --work-tree="$SRC" checkout -f HEAD -- .
GIT_INDEX_FILE="$SCRATCH_ABS/src.index" git --work-tree="$SRC" clean -fdq -- . 2>/dev/null || true
# SOURCE_DATE_EPOCH (reproducible builds) wins over the clock.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then BUILT=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ); else BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ); fi
SWIFT_VERSION=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/\1/p' | head -1)
ARCH=$(uname -m)
NAME="mamori-$VERSION-linux-$ARCH"
SQLITE_A=$(ls /usr/lib/"$ARCH"-linux-gnu/libsqlite3.a 2>/dev/null || true)
[ -n "$SQLITE_A" ] || { echo "release.sh: libsqlite3.a not found (apt-get install libsqlite3-dev)" >&2; exit 2; }

echo "== building $NAME (commit $COMMIT, Swift $SWIFT_VERSION) in $SCRATCH" >&2
# The stamp is a header on a fixed include path: only Sources/CBuildInfo recompiles when it changes.
STAMP_DIR="$SCRATCH_ABS/stamp"
mkdir -p "$STAMP_DIR"
stamp=$(printf '#define MAMORI_GIT_COMMIT "%s"\n#define MAMORI_BUILD_DATE "%s"\n#define MAMORI_SWIFT_VERSION "%s"\n' "$COMMIT" "$BUILT" "$SWIFT_VERSION")
[ "$(cat "$STAMP_DIR/mamori_build_stamp.h" 2>/dev/null)" = "$stamp" ] || printf '%s\n' "$stamp" > "$STAMP_DIR/mamori_build_stamp.h"
build_flags=(-c release --static-swift-stdlib --product mamori --package-path "$SRC" --scratch-path "$SCRATCH_ABS/build" -Xcc "-I$STAMP_DIR")
# SQLite linked statically: GRDB's module map makes every object ask for -lsqlite3, and the clang
# driver searches the build's products folder before the system's, so a libsqlite3.a there (and no
# .so) satisfies them all. The binary then does not need libsqlite3-0 (not in Debian's base system).
BIN_DIR=$(swift build "${build_flags[@]}" --show-bin-path)
mkdir -p "$BIN_DIR"
ln -sf "$SQLITE_A" "$BIN_DIR/libsqlite3.a"
# libdeflate the same way (libdeflate0 is not in Debian's base system either).
DEFLATE_A=$(ls /usr/lib/"$ARCH"-linux-gnu/libdeflate.a 2>/dev/null || true)
[ -n "$DEFLATE_A" ] || { echo "release.sh: libdeflate.a not found (scripts/setup-native.sh)" >&2; exit 2; }
ln -sf "$DEFLATE_A" "$BIN_DIR/libdeflate.a"
swift build "${build_flags[@]}"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/$NAME"
mkdir -p "$ROOT/bin" "$ROOT/share/mamori" "$ROOT/share/man/man1" \
  "$ROOT/share/bash-completion/completions" "$ROOT/share/zsh/site-functions" "$ROOT/share/fish/vendor_completions.d"
cp "$BIN_DIR/mamori" "$ROOT/bin/"
strip "$ROOT/bin/mamori"
for bundle in "$BIN_DIR"/*.resources; do
  case "$(basename "$bundle")" in Mamori_*) cp -R "$bundle" "$ROOT/bin/" ;; esac
done
cp -R "$SRC/rules" "$ROOT/share/mamori/"
cp "$SRC/LICENSE" "$SRC/NOTICE" "$SRC/README.md" "$ROOT/"
"$ROOT/bin/mamori" --generate-completion-script bash > "$ROOT/share/bash-completion/completions/mamori"
"$ROOT/bin/mamori" --generate-completion-script zsh > "$ROOT/share/zsh/site-functions/_mamori"
"$ROOT/bin/mamori" --generate-completion-script fish > "$ROOT/share/fish/vendor_completions.d/mamori.fish"
# Man pages from the same help text (multi-page: mamori.1, mamori.scan.1, …).
# The plugin builds every product first; in debug, in the checkout's own .build (what the tests
# build anyway), because a plugin build in the release folder would use other flags and make the
# next release build start over.
swift package plugin generate-manual --configuration debug --multi-page >/dev/null
cp -R .build/plugins/GenerateManual/outputs/*/. "$ROOT/share/man/man1/" 2>/dev/null \
  || cp -R .build/plugins/GenerateManual/outputs/. "$ROOT/share/man/man1/"
ls "$ROOT"/share/man/man1/mamori.1 >/dev/null

mkdir -p dist
TARBALL="dist/$NAME.tar.gz"
# Stable order and owners so the same inputs give the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$BUILT" -C "$STAGE" -czf "$TARBALL" "$NAME"
(cd dist && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
python3 scripts/sbom.py "$SRC/Package.resolved" "$SCRATCH_ABS/build/checkouts" "$VERSION" > "dist/mamori-$VERSION.cdx.json"
echo "$TARBALL"
