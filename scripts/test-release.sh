#!/usr/bin/env bash
# The release artifact works without Swift: builds it (scripts/release.sh), checks its SHA-256,
# unpacks it into an empty directory and runs `mamori version`, `policy`, `secrets` and `iac` with
# `env -i PATH=/usr/bin:/bin`, in a private mount namespace where the Swift toolchain (/opt/swift)
# and the build folder are hidden by empty tmpfs mounts — so neither the runtime libraries nor the
# build's resource bundles can be found by accident. Then checks with objdump that the binary needs
# only libraries of Debian's base system, and prints the minimum glibc version it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${MAMORI_RELEASE_SCRATCH:-.build-release}
commit=$(git rev-parse HEAD)   # what release.sh builds: the committed tree
tarball=$(scripts/release.sh | tail -1)
name=$(basename "$tarball" .tar.gz)
version=$(echo "$name" | cut -d- -f2)
fail() { echo "test-release: FAIL: $*" >&2; exit 1; }
(cd dist && sha256sum -c "$name.tar.gz.sha256" >/dev/null) || fail "checksum does not match"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["bomFormat"]=="CycloneDX" and d["components"], "empty SBOM"' \
  "dist/mamori-$version.cdx.json" || fail "SBOM"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
root="$work/$name"
for f in bin/mamori LICENSE NOTICE share/mamori/rules/imds_non_ec2_network.yml share/man/man1/mamori.1 \
         share/bash-completion/completions/mamori share/zsh/site-functions/_mamori share/fish/vendor_completions.d/mamori.fish; do
  [ -e "$root/$f" ] || fail "missing $f in the tarball"
done

# Inputs for the commands.
mkdir -p "$work/in/repo" "$work/in/iac" "$work/home"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}' > "$work/in/policy.json"
# A key pair assembled at run time, so this script holds no key-shaped literal.
key_id="AKIA$(printf 'QYLPMN5HFIQR7XYZ')"; secret="$(printf 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKQ' | tr 'A-Z' 'N-ZA-M')"
printf 'aws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$secret" > "$work/in/repo/creds.ini"
printf 'data "aws_ami" "app" {\n  most_recent = true\n  filter {\n    name   = "name"\n    values = ["app-*"]\n  }\n}\n' > "$work/in/iac/main.tf"

# Hide the toolchain and the build from the commands (needs root for a mount namespace, as CI has;
# without it the commands still run with the scrubbed environment, and the script says so).
if ! unshare -m true 2>/dev/null; then
  echo "test-release: no mount namespace here (not root?): /opt/swift and the build folder stay visible" >&2
  run_scrubbed() { env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"; }
else
run_scrubbed() {
  unshare -m bash -c '
    for hidden in /opt/swift "$0/'"$SCRATCH"'" "$0/.build"; do [ -d "$hidden" ] && mount -t tmpfs none "$hidden"; done
    shift; exec "$@"' "$PWD" -- env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"
}
fi
expect() { # CODE DESCRIPTION COMMAND...
  local want=$1 what=$2; shift 2
  set +e; out=$(run_scrubbed "$@" 2>&1); got=$?; set -e
  [ "$got" = "$want" ] || fail "$what: exit $got, expected $want: $out"
  printf '%s' "$out"
}
out=$(expect 0 "mamori version" "$root/bin/mamori" version --format json)
echo "$out" | grep -q '"version"' || fail "version JSON: $out"
echo "$out" | grep -q "\"commit\" : \"$commit\"" || fail "version names another commit than $commit: $out"
out=$(expect 1 "mamori policy" "$root/bin/mamori" policy "$work/in/policy.json" --type s3)
echo "$out" | head -1 | grep -qx "public" || fail "policy: $out"
out=$(expect 1 "mamori secrets" "$root/bin/mamori" secrets "$work/in/repo")
echo "$out" | grep -q "$key_id" || fail "secrets did not report the key: $out"
echo "$out" | grep -qF "$secret" && fail "secrets printed the secret"
out=$(expect 1 "mamori iac" "$root/bin/mamori" iac "$work/in/iac")
echo "$out" | grep -q "main.tf" || fail "iac: $out"
# The known-accounts list (a resource bundle next to the binary) loads without the build folder.
expect 0 "mamori --help" "$root/bin/mamori" scan --help >/dev/null

# The GitHub Action's two steps (action.yml) against a file:// "release page".
mkdir -p "$work/releases/v$version" "$work/runner"
cp "$tarball" "$work/releases/v$version/"
sha=$(cut -d' ' -f1 "dist/$name.tar.gz.sha256")
: > "$work/runner/path"; : > "$work/runner/output"
env MAMORI_VERSION="$version" MAMORI_SHA256="$sha" MAMORI_RELEASE_URL="file://$work/releases" \
  RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/runner/path" scripts/action/install.sh >/dev/null || fail "action install"
bad=$(printf '0%.0s' $(seq 1 64))
env MAMORI_VERSION="$version" MAMORI_SHA256="$bad" MAMORI_RELEASE_URL="file://$work/releases" RUNNER_TEMP="$(mktemp -d)" \
  scripts/action/install.sh >/dev/null 2>&1 && fail "action install accepted a wrong sha256"
(cd "$work/in" && env PATH="$(cat "$work/runner/path"):/usr/bin:/bin" GITHUB_OUTPUT="$work/runner/output" MAMORI_COMMAND=secrets \
  MAMORI_ARGS="repo" MAMORI_SARIF="$work/action.sarif" "$OLDPWD/scripts/action/run.sh" >/dev/null) || fail "action run"
grep -qx "exit-code=1" "$work/runner/output" || fail "action exit-code output: $(cat "$work/runner/output")"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; assert r, "no results"' "$work/action.sarif" || fail "action SARIF"
grep -qF "$secret" "$work/action.sarif" && fail "the action's SARIF holds the secret"

# Libraries: only Debian's base system (libc6, libgcc-s1, libstdc++6, zlib1g are Priority: required).
needed=$(objdump -p "$root/bin/mamori" | awk '/NEEDED/ {print $2}' | sort)
allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|libz\.so\.1|ld-linux-x86-64\.so\.2)$'
extra=$(echo "$needed" | grep -Ev "$allowed" || true)
[ -z "$extra" ] || fail "the binary needs libraries outside Debian's base system: $extra"
glibc=$(objdump -T "$root/bin/mamori" | grep -o 'GLIBC_[0-9.]*' | sort -t. -k1,1 -k2,2n -V | tail -1)
echo "test-release: OK: $tarball ($(du -h "$tarball" | cut -f1)); needs $(echo $needed | tr '\n' ' '); minimum $glibc"
