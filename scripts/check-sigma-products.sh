#!/usr/bin/env bash
# Compares mamori's product-field SIEM conversions of the IMDS rule (qradar, sentinel-asim,
# sentinel-cef, kibana-kql) with pySigma where pySigma has a matching backend or pipeline, atom by
# atom (field, test, value). scripts/check-sigma.sh covers the targets that keep the rule's own
# field names; this script covers the ones that rename fields. Differences are printed; the
# intended ones are explained in docs/imds.md ("Product field names").
#
# usage: scripts/check-sigma-products.sh [RULE]     env: MAMORI=path/to/mamori (default: builds it)
#
# The product pipelines need the pySigma 1.x line, which conflicts with the pySigma 0.11 that
# sigma-cli 1.0.6 and pysigma-backend-sqlite 0.2 (scripts/test.sh) need, so they live in their own
# venv, created on first use with pinned versions:
VENV=${VENV:-.venv-sigma-products}
PINS=(pysigma==1.5.1 sigma-cli==3.1.0 pysigma-backend-kusto==1.0.1
      pysigma-backend-elasticsearch==2.1.1 pysigma-backend-qradar-community==0.4.0)
set -euo pipefail
cd "$(dirname "$0")/.."
RULE=${1:-rules/imds_non_ec2_network.yml}
OUT=${OUT:-bench-out/sigma-products}
rm -rf "$OUT" && mkdir -p "$OUT"
if [[ -z "${MAMORI:-}" ]]; then
    swift build --product mamori >&2
    MAMORI=.build/debug/mamori
fi
if [[ ! -x "$VENV/bin/sigma" ]]; then
    echo "creating $VENV (${PINS[*]})" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
fi
SIGMA="$VENV/bin/sigma"
PY="$VENV/bin/python"
compare() { python3 scripts/imds/compare_queries.py "$@"; }
convert() { "$SIGMA" convert "$@" 2>&1 | grep -v '^Parsing'; }
status=0

echo "== sentinel-asim (pySigma: kusto + sentinel_asim pipeline, reduced rules per ASIM table)"
"$MAMORI" imds rule --target sentinel-asim --rule "$RULE" > "$OUT/mamori-sentinel-asim.txt" 2>/dev/null
: > "$OUT/pysigma-sentinel-asim.txt"
for reduced in $("$PY" scripts/imds/reduce_rule.py sentinel-asim "$RULE" "$OUT/reduced"); do
    echo "  $(basename "$reduced"): $(grep -c 'sel_[0-9]*:' "$reduced") detection items" >&2
    convert -t kusto -p sentinel_asim "$reduced" >> "$OUT/pysigma-sentinel-asim.txt"
done
compare kusto "$OUT/mamori-sentinel-asim.txt" "$OUT/pysigma-sentinel-asim.txt" || status=1

echo
echo "== qradar (pySigma: qradar-aql-community + qradar-aql-fields, reduced rule)"
"$MAMORI" imds rule --target qradar --rule "$RULE" > "$OUT/mamori-qradar.txt" 2>/dev/null
reduced=$("$PY" scripts/imds/reduce_rule.py qradar "$RULE" "$OUT/reduced")
convert -t qradar-aql-community -p qradar-aql-fields "$reduced" > "$OUT/pysigma-qradar.txt"
if grep -q "^Error\|Traceback" "$OUT/pysigma-qradar.txt"; then
    echo "  pySigma cannot convert the reduced rule: $(grep -m1 'Error' "$OUT/pysigma-qradar.txt")"
    status=1
else
    compare aql "$OUT/mamori-qradar.txt" "$OUT/pysigma-qradar.txt" || status=1
fi

echo
echo "== kibana-kql (no pySigma KQL backend: compared with pySigma's Lucene on the same fields)"
"$MAMORI" imds rule --target kibana-kql --rule "$RULE" > "$OUT/mamori-kibana-kql.txt" 2>/dev/null
convert -t lucene --without-pipeline "$RULE" > "$OUT/pysigma-lucene.txt"
compare kql:lucene "$OUT/mamori-kibana-kql.txt" "$OUT/pysigma-lucene.txt" || status=1

echo
echo "== sentinel-cef (no pySigma pipeline maps CommonSecurityLog: compared with mamori's ASIM atoms)"
"$MAMORI" imds rule --target sentinel-cef --rule "$RULE" > "$OUT/mamori-sentinel-cef.txt" 2>/dev/null
compare --rename DestinationIP=DstIpAddr,DestinationHostName=HttpHost,RequestURL=Url \
    kusto "$OUT/mamori-sentinel-cef.txt" "$OUT/mamori-sentinel-asim.txt" || status=1
exit $status
