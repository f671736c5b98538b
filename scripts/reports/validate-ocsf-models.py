#!/usr/bin/env python3
"""Validates findings.ocsf.json with py-ocsf-models, the pydantic OCSF models Prowler emits with
(PyPI `py-ocsf-models`). Exit 0 when valid, 1 when not, 77 when the package is not installed."""
import json
import sys

try:
    from py_ocsf_models.events.findings.detection_finding import DetectionFinding
except ImportError:
    sys.exit(77)

events = json.load(open(sys.argv[1], encoding="utf-8"))
for index, event in enumerate(events):
    try:
        DetectionFinding(**event)
    except Exception as error:  # noqa: BLE001 - pydantic's ValidationError, reported as is
        print(f"validate-reports: findings.ocsf.json[{index}] is not a py-ocsf-models DetectionFinding: {error}", file=sys.stderr)
        sys.exit(1)
print(f"validate-reports: {len(events)} OCSF events valid for py-ocsf-models (Prowler's model)")
