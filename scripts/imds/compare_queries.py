#!/usr/bin/env python3
"""Compares mamori's query for a SIEM with pySigma's, for rules whose condition is an OR of
field/value tests (as the IMDS rule is): same fields, and the same (field, test, value) atoms.

usage: compare_queries.py [--rename A=B,...] TARGET[:THEIR_TARGET] OURS_FILE PYSIGMA_FILE

TARGET is the query dialect (splunk, lucene, esql, kusto, aql, kql); THEIR_TARGET, when given,
is the other side's dialect (kibana-kql has no pySigma backend: its atoms are compared with
pySigma's Lucene ones). --rename maps our field names before comparing (sentinel-cef vs ASIM).

Prints the fields and atoms found only on one side; exits 1 when the field sets differ.
Atom differences are expected where a backend slips (see docs/imds.md) and are listed, not fatal.
"""
import re
import sys


def unescape(s):
    return re.sub(r"\\(.)", r"\1", s)


def norm_field(f):
    f = f.strip().lstrip("(")
    f = re.sub(r"^\[['\"](.*)['\"]\]$", r"\1", f)       # KQL ['a.b']
    f = f.strip("`").strip('"')
    f = re.sub(r"^'+(.*?)'+$", r"\1", f)               # KQL 'a.b' or pySigma's ''a-b''
    f = re.sub(r"^(?:to_lower|LOWER)\((.*)\)$", r"\1", f)
    f = f.strip('"')
    return unescape(f).strip("`")


def atom(field, op, value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    value = unescape(value)
    if op in ("like", "="):
        if value.startswith("*") and value.endswith("*") and len(value) > 1:
            op, value = "contains", value[1:-1]
        elif value.startswith("%") and value.endswith("%") and len(value) > 1:
            op, value = "contains", value[1:-1]
        else:
            op = "eq"
    if op in ("=~", "==", "in~", "in", "ilike"):
        op = "eq"
        if value.startswith("%") and value.endswith("%"):
            op, value = "contains", value[1:-1]
    if "/" in value and re.match(r"^[0-9a-fA-F:.]+/\d+$", value) and op in ("eq", "cidr"):
        op = "cidr"
    return (norm_field(field), op, value.lower())


def atoms(target, q):
    out = set()
    if target in ("splunk",):
        for f, vals in re.findall(r'("?[\w.\-()]+"?)\s+IN\s+\(([^)]*)\)', q):
            for v in re.findall(r'"((?:\\.|[^"])*)"', vals):
                out.add(atom(f, "=", '"' + v + '"'))
        for f, v in re.findall(r'("?[\w.\-()]+"?)=("(?:\\.|[^"])*"|\*)', q):
            out.add((norm_field(f), "exists", "") if v == "*" else atom(f, "=", v))
    elif target == "lucene":
        for f in re.findall(r"_exists_:((?:\\.|[^\s)])+(?:\)\S*)?)", q):
            out.add((norm_field(f.rstrip(")") + (")" if "(" in f else "")), "exists", ""))
        for f, vals in re.findall(r"((?:\\.|[\w.@\-])+):\(((?:\\.|[^)])*)\)", q):
            for v in re.split(r"\s+OR\s+", vals):
                out.add(atom(f, "=", v))
        for f, v in re.findall(r"(?<![\w\\\-])((?:\\.|[\w.@\-])+):((?:\\.|[^\s()\\])(?:\\.|[^\s()])*|\"[^\"]*\")", q):
            if f == "_exists_":
                continue
            out.add(atom(f, "=", v))
    elif target == "kql":
        # Kibana KQL: field:"value", field:*value*, field:* (exists); names escape ( ) with \
        for f, v in re.findall(r"(?<![\w\\\-])((?:\\.|[\w.@\-])+):(\"(?:\\.|[^\"])*\"|(?:\\.|[^\s()\\])(?:\\.|[^\s()])*)", q):
            out.add((norm_field(f), "exists", "") if v == "*" else atom(f, "=", v))
    elif target == "aql":
        # QRadar AQL. A single-address INCIDR is compared as the address: pySigma's QRadar
        # pipeline cannot take CIDR values (see reduce_rule.py), so its side has plain addresses.
        for v, f in re.findall(r"INCIDR\('([^']*)',\s*(\"?[\w.\- ]+\"?)\)", q):
            field, _, value = atom(f, "cidr", "'" + v + "'")
            single = re.match(r"^(.*)/(32|128)$", value)
            out.add((field, "eq", single.group(1)) if single else (field, "cidr", value))
        for f, op, v in re.findall(r"((?:LOWER\()?\"?[\w.\-]+\"?\)?)\s+(ILIKE|LIKE|=)\s+('(?:''|[^'])*')", q):
            out.add(atom(f, op.lower(), v))
        for f, vals in re.findall(r"(\"?[\w.\-]+\"?)\s+IN\s*\(([^)]*)\)", q):
            for v in re.findall(r"'((?:''|[^'])*)'", vals):
                out.add(atom(f, "in", "'" + v + "'"))
    elif target == "esql":
        for f, v in re.findall(r"cidr_match\(([^,]+),\s*(\"[^\"]*\")\)", q):
            out.add(atom(f, "cidr", v))
        for f, v in re.findall(r"((?:to_lower\()?`?[\w.\-()]+`?\)?)\s+like\s+(\"[^\"]*\")", q):
            out.add(atom(f, "like", v))
        for f, v in re.findall(r"((?:to_lower\()?`?[\w.\-()]+`?\)?)\s+==\s+(\"[^\"]*\")", q):
            out.add(atom(f, "==", v))
        for f, vals in re.findall(r"(`?[\w.\-()]+`?)\s+in\s+\(([^)]*)\)", q):
            for v in re.findall(r'"[^"]*"', vals):
                out.add(atom(f, "in", v))
        for f in re.findall(r"(`[^`]+`|[\w.]+)\s+is not null", q):
            out.add((norm_field(f), "exists", ""))
    elif target == "kusto":
        for fn, f, v in re.findall(r"(ipv[46]_is_in_range)\(([^,]+),\s*(\"[^\"]*\")\)", q):
            a = atom(f, "cidr", v)
            out.add((a[0], fn, a[2]))
        for f, op, v in re.findall(r"(\[?'+[^']+'+\]?|[\w.]+)\s+(contains|startswith|endswith|=~|==)\s+(\"(?:\\.|[^\"])*\")", q):
            o = {"contains": "contains"}.get(op, op)
            a = atom(f, o, v)
            if op in ("startswith", "endswith"):
                a = (a[0], op, a[2])
            out.add(a)
        for f, vals in re.findall(r"(\[?'+[^']+'+\]?|[\w.]+)\s+in~\s+\(([^)]*)\)", q):
            for v in re.findall(r'"[^"]*"', vals):
                out.add(atom(f, "in~", v))
        for f in re.findall(r"isnotempty\(([^()]*(?:\([^)]*\))?[^()]*)\)", q):
            out.add((norm_field(f), "exists", ""))
    return out


def main():
    args = sys.argv[1:]
    rename = {}
    if args and args[0] == "--rename":
        rename = dict(pair.split("=", 1) for pair in args[1].split(","))
        args = args[2:]
    target, ours_file, theirs_file = args[:3]
    ours_dialect, _, theirs_dialect = target.partition(":")
    target = ours_dialect
    ours = {(rename.get(f, f), op, v) for f, op, v in atoms(ours_dialect, open(ours_file).read())}
    theirs = atoms(theirs_dialect or ours_dialect, open(theirs_file).read())
    fields_ours = {a[0] for a in ours}
    fields_theirs = {a[0] for a in theirs}
    print(f"[{target}] atoms: {len(ours & theirs)} same, {len(ours - theirs)} only mamori, {len(theirs - ours)} only pySigma")
    for a in sorted(ours - theirs):
        print(f"  only mamori:  {a}")
    for a in sorted(theirs - ours):
        print(f"  only pySigma: {a}")
    theirs_text = open(theirs_file).read()
    if target == "kusto" and "''" in theirs_text:
        print("  note: pySigma writes names with '.' or '-' as ''name'' (invalid KQL); mamori writes ['name']")
    if target == "splunk" and re.search(r'="[0-9a-fA-F:.]+/\d+"', theirs_text) and ":" in theirs_text:
        print("  note: pySigma (without a pipeline) passes IPv6 CIDR values to SPL search as plain strings, which never match; mamori lists the address's notations")
    if fields_ours != fields_theirs:
        print(f"  FIELDS DIFFER: only mamori {sorted(fields_ours - fields_theirs)}, only pySigma {sorted(fields_theirs - fields_ours)}")
        sys.exit(1)
    print(f"  same {len(fields_ours)} fields")


if __name__ == "__main__":
    main()
