#!/usr/bin/env bash
# Validates the IMDS SIGMA rule with `sigma check` and compares mamori's SIEM conversions with
# pySigma's own backends (same fields, same field/value tests). Differences are printed; the
# intended ones are explained in docs/imds.md.
#
# usage: scripts/check-sigma.sh [RULE]       env: MAMORI=path/to/mamori (default: builds it)
# needs: pip install sigma-cli pysigma-backend-splunk pysigma-backend-elasticsearch \
#                    pysigma-backend-kusto pysigma-backend-qradar-aql
set -euo pipefail
cd "$(dirname "$0")/.."
RULE=${1:-rules/imds_non_ec2_network.yml}
OUT=${OUT:-bench-out/sigma-check}
mkdir -p "$OUT"
if [[ -z "${MAMORI:-}" ]]; then
    swift build -c release --product mamori >&2
    MAMORI=.build/release/mamori
fi
command -v sigma >/dev/null || { echo "sigma-cli missing: pip install sigma-cli" >&2; exit 2; }

echo "== sigma check $RULE"
sigma check "$RULE" | tee "$OUT/check.txt"
grep -q "Found 0 errors, 0 condition errors" "$OUT/check.txt" || { echo "sigma check reported errors" >&2; exit 1; }
# The CloudTrail hunt rules are checked too (they are run by mamori's engine, not converted here).
echo "== sigma check rules/cloudtrail"
sigma check -x attacktag -x d3_fendtag rules/cloudtrail | tee "$OUT/check-cloudtrail.txt"
grep -q "Found 0 errors, 0 condition errors and 0 issues" "$OUT/check-cloudtrail.txt" || { echo "sigma check reported problems in rules/cloudtrail" >&2; exit 1; }

status=0
# mamori target : pySigma target : comparator dialect
for pair in splunk:splunk:splunk elastic-lucene:lucene:lucene esql:esql:esql kusto:kusto:kusto qradar:q_radar_aql:qradar; do
    ours=${pair%%:*}; rest=${pair#*:}; theirs=${rest%%:*}; dialect=${rest#*:}
    "$MAMORI" imds rule --target "$ours" --rule "$RULE" > "$OUT/mamori-$ours.txt"
    pipeline=(--without-pipeline)
    [[ "$theirs" == q_radar_aql ]] && pipeline=(-p qradar-aql-fields)
    if ! sigma convert -t "$theirs" "${pipeline[@]}" "$RULE" 2>&1 | grep -v '^Parsing' > "$OUT/pysigma-$theirs.txt"; then
        :
    fi
    echo
    echo "== $ours (pySigma: $theirs)"
    if grep -q "^Error" "$OUT/pysigma-$theirs.txt"; then
        echo "  pySigma cannot convert this rule: $(grep '^Error' "$OUT/pysigma-$theirs.txt" | head -1)"
        continue
    fi
    python3 scripts/imds/compare_queries.py "$dialect" "$OUT/mamori-$ours.txt" "$OUT/pysigma-$theirs.txt" || status=1
done
exit $status
