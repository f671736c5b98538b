#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes (Sources/FuzzTargets) for a fixed time per target, and
# turns an input that crashed or hung a parser into a regression input under
# Tests/FuzzTests/Regressions/TARGET/, which every later test run replays.
#
# usage: scripts/fuzz.sh [--libfuzzer] [SECONDS_PER_TARGET] [TARGET]     (default 30 s, every target)
#
#   default       the seeded mutation harness (Tests/FuzzTests) in the normal debug build; the same
#                 suite runs for 2 s per target inside scripts/test.sh. MAMORI_FUZZ_SEED=N repeats a run.
#   --libfuzzer   coverage-guided libFuzzer with AddressSanitizer: builds `mamori-fuzz` into
#                 .build-fuzz (`--sanitize fuzzer --sanitize address`, a second full build: about
#                 10 minutes on 2 cores the first time) and runs it per target over a copy of the
#                 committed corpus, with the target's dictionary, 20 s per input and 2 GB of memory at most.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=mutation
if [[ "${1:-}" == "--libfuzzer" ]]; then mode=libfuzzer; shift; fi
SECONDS_PER_TARGET=${1:-30}
ONLY=${2:-}
status=0

keep() {  # keep INPUT TARGET: a crashing or hanging input becomes a regression input
    local dir="Tests/FuzzTests/Regressions/$2"
    mkdir -p "$dir"
    local name="crash-$(sha256sum "$1" | cut -c1-16)"
    cp "$1" "$dir/$name"
    echo "fuzz: $2 crashed or hung on an input, kept as $dir/$name (replayed by every test run from now on)" >&2
    status=1
}

if [[ $mode == mutation ]]; then
    work="${TMPDIR:-/tmp}/mamori-fuzz"
    rm -f "$work"/*.current
    swift build --build-tests >&2 || exit 2
    filter="FuzzTests"
    [[ -n "$ONLY" ]] && filter="FuzzTests.FuzzTests/parserSurvivesMutatedInput"
    MAMORI_FUZZ_SECONDS=$SECONDS_PER_TARGET swift test --skip-build --filter "$filter" 2>&1 | grep -E "^fuzz |✘|error|signal"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    for current in "$work"/*.current; do
        [[ -e "$current" ]] && keep "$current" "$(basename "$current" .current)"
    done
else
    swift build --build-path .build-fuzz --product mamori-fuzz --sanitize fuzzer --sanitize address \
        -Xswiftc -parse-as-library -Xswiftc -DMAMORI_LIBFUZZER >&2 || exit 2
    bin=.build-fuzz/debug/mamori-fuzz
    out=bench-out/fuzz
    mkdir -p "$out"
    swift build --product mamori-fuzz >&2 || exit 2   # the replay build lists targets and writes dictionaries
    targets=$(.build/debug/mamori-fuzz list)
    for target in $targets; do
        [[ -n "$ONLY" && "$target" != "$ONLY" ]] && continue
        corpus="$out/corpus-$target" artifacts="$out/artifacts-$target/"
        rm -rf "$artifacts" && mkdir -p "$corpus" "$artifacts"
        cp Tests/FuzzTests/Corpus/"$target"/* "$corpus"/
        cp Tests/FuzzTests/Regressions/"$target"/* "$corpus"/ 2>/dev/null
        .build/debug/mamori-fuzz dict "$target" > "$out/$target.dict"
        echo "== libFuzzer $target ($SECONDS_PER_TARGET s)"
        MAMORI_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$bin" "$corpus" -dict="$out/$target.dict" \
            -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
            -artifact_prefix="$artifacts" -print_final_stats=1 > "$out/$target.log" 2>&1
        grep -E "^stat::number_of_executed_units|^Done|ERROR|SUMMARY" "$out/$target.log" | head -5
        for found in "$artifacts"*; do
            [[ -e "$found" ]] && keep "$found" "$target"
        done
    done
fi
[[ $status -eq 0 ]] && echo "fuzz: no crash, no hang ($mode, $SECONDS_PER_TARGET s per target)"
exit $status
