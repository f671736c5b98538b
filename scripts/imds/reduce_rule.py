#!/usr/bin/env python3
"""Writes reduced copies of a SIGMA rule that a pySigma product pipeline can convert, so mamori's
product-field conversions (qradar, sentinel-asim) can be compared atom by atom with pySigma's.

usage: reduce_rule.py TARGET RULE OUT_DIR        TARGET: qradar | sentinel-asim

pySigma's product pipelines know only some of the rule's vendor field names (and refuse or pass
the rest through unchanged), so each reduced rule keeps only the detection items whose field the
pipeline maps, with their values and modifiers. The field lists come from the installed pySigma
packages, not from a copy, so a newer pipeline is compared as it is.

- qradar: pySigma-backend-QRadar-community's `aql_field_mapping`; one rule, category network.
  Its `qradar-aql-fields` pipeline fails on CIDR values (AttributeError on SigmaCIDRExpression),
  so single-address CIDRs (/32, /128) are written as the plain address; mamori's INCIDR atoms
  are compared as addresses (compare_queries.py aql).
- sentinel-asim: pySigma-backend-kusto's `sentinel_asim` table mappings; one rule for
  `network_connection` (imNetworkSession fields) and one for `proxy` (imWebSession fields).

Prints the written files, one per line.
"""
import os
import sys

import yaml


def items(detection):
    """(field, modifiers, values) of every detection item; the IMDS rule's condition is an OR."""
    for name, sel in detection.items():
        if name == "condition":
            continue
        for part in (sel if isinstance(sel, list) else [sel]):
            for key, values in part.items():
                field, *mods = key.split("|")
                yield field, mods, values if isinstance(values, list) else [values]


def single_address(value):
    for suffix in ("/32", "/128"):
        if isinstance(value, str) and value.endswith(suffix):
            return value[: -len(suffix)]
    return None


def write_rule(rule, kept, category, path, plain_cidr=False):
    detection = {}
    for i, (field, mods, values) in enumerate(kept):
        if plain_cidr and "cidr" in mods:
            addresses = [single_address(v) for v in values]
            if None in addresses:
                continue  # a wider range has no plain form; left out of this comparison
            mods, values = [m for m in mods if m != "cidr"], addresses
        detection[f"sel_{i}"] = {"|".join([field] + mods): values}
    if not detection:
        return None
    detection["condition"] = "1 of sel_*"
    reduced = {
        "title": rule["title"] + f" (reduced for {category})",
        "id": rule["id"],
        "status": rule.get("status", "experimental"),
        "logsource": {"category": category},
        "detection": detection,
        "level": rule.get("level", "high"),
    }
    with open(path, "w") as f:
        yaml.safe_dump(reduced, f, sort_keys=False)
    return path


def main():
    target, rule_path, out_dir = sys.argv[1:4]
    rule = yaml.safe_load(open(rule_path))
    os.makedirs(out_dir, exist_ok=True)
    all_items = list(items(rule["detection"]))
    written = []
    if target == "qradar":
        from sigma.mapping.fields import aql_field_mapping
        kept = [it for it in all_items if it[0] in aql_field_mapping]
        written.append(write_rule(rule, kept, "network", os.path.join(out_dir, "qradar.yml"), plain_cidr=True))
    elif target == "sentinel-asim":
        from sigma.pipelines.sentinelasim.mappings import SENTINEL_ASIM_FIELD_MAPPINGS as m
        for category, table in (("network_connection", "imNetworkSession"), ("proxy", "imWebSession")):
            mapped = m.table_mappings.get(table, {})
            kept = [it for it in all_items if it[0] in mapped]
            written.append(write_rule(rule, kept, category, os.path.join(out_dir, f"asim-{category}.yml")))
    else:
        sys.exit(f"reduce_rule.py: unknown target {target} (qradar, sentinel-asim)")
    for path in written:
        if path:
            print(path)


if __name__ == "__main__":
    main()
