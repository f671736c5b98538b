#!/usr/bin/env bash
# action.yml, step 2: run `mamori scan|secrets|iac` with the user's arguments (split on spaces, never
# evaluated by a shell), write SARIF, and report the exit code as the step output `exit-code`.
# Exit 2 (an error) always fails the step; findings (1) and partial results (3) only with
# MAMORI_FAIL_ON_FINDINGS=true, so the SARIF upload step that follows still runs.
set -uo pipefail
command=${MAMORI_COMMAND:-secrets}
case "$command" in scan|secrets|iac) ;; *) echo "mamori action: command must be scan, secrets or iac, not '$command'" >&2; exit 2 ;; esac
read -r -a args <<< "${MAMORI_ARGS:-}"
sarif=${MAMORI_SARIF:-mamori.sarif}
mamori "$command" "${args[@]}" --format sarif > "$sarif"
code=$?
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "mamori $command: exit $code, SARIF in $sarif"
if [ "$code" -eq 2 ] || { [ "$code" -ne 0 ] && [ "${MAMORI_FAIL_ON_FINDINGS:-false}" = true ]; }; then exit "$code"; fi
exit 0
