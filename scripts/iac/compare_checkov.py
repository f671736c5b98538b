#!/usr/bin/env python3
"""Side-by-side table of `mamori iac` and Checkov CKV_AWS_386 on the IaC corpus.

Usage: compare_checkov.py CORPUS_DIR MAMORI_JSON CHECKOV_JSON MAMORI_SECONDS CHECKOV_SECONDS
Reads the expected verdicts from CORPUS_DIR/manifest.tsv. Prints a Markdown table and a summary.
"""
import json
import os
import sys


def load_manifest(corpus):
    cases = []
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            path, expected, why = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            cases.append((path, expected, why))
    return cases


def mamori_verdicts(corpus, report):
    verdicts = {}
    prefix = corpus.rstrip("/") + "/"
    for f in report.get("findings", []):
        rel = f["file"][len(prefix):] if f["file"].startswith(prefix) else f["file"]
        verdicts.setdefault(rel, []).append(f"{f['rule']}:{f['severity']}")
    for e in report.get("errors", []):
        rel = e["file"][len(prefix):] if e["file"].startswith(prefix) else e["file"]
        verdicts.setdefault(rel, []).append("error")
    return verdicts


def checkov_verdicts(report):
    """Checkov's JSON is one object per framework (or a list of them); keep CKV_AWS_386 results."""
    runs = report if isinstance(report, list) else [report]
    verdicts = {}
    for run in runs:
        results = run.get("results", {})
        for key, word in (("failed_checks", "FAILED"), ("passed_checks", "passed")):
            for c in results.get(key, []):
                if c.get("check_id") != "CKV_AWS_386":
                    continue
                rel = c["file_path"].lstrip("/")
                verdicts.setdefault(rel, []).append(word)
        for path in results.get("parsing_errors", []):
            verdicts.setdefault(path.split("/Corpus/")[-1].lstrip("/"), []).append("parse error")
    return verdicts


def main():
    corpus, mamori_json, checkov_json, mamori_s, checkov_s = sys.argv[1:6]
    cases = load_manifest(corpus)
    with open(mamori_json, encoding="utf-8") as f:
        mamori = mamori_verdicts(corpus, json.load(f))
    with open(checkov_json, encoding="utf-8") as f:
        checkov = checkov_verdicts(json.load(f))

    print("| case | expected | mamori | checkov CKV_AWS_386 |")
    print("|---|---|---|---|")
    m_ok = c_ok = c_total = 0
    for path, expected, _ in cases:
        got_m = ", ".join(mamori.get(path, [])) or "clean"
        m_right = got_m == expected
        m_ok += m_right
        is_terraform = path.endswith(".tf") or path.endswith(".tf.json")
        if is_terraform:
            # "not evaluated": Checkov produced no CKV_AWS_386 result for the file (unsupported
            # data source, block nesting or syntax), which in practice means "not flagged".
            got_c = ", ".join(checkov.get(path, [])) or "not evaluated"
            c_total += 1
            want_fail = expected not in ("clean", "error")
            if expected == "error":
                c_right = "parse error" in got_c
            else:
                c_right = ("FAILED" in got_c) == want_fail
            c_ok += c_right
            c_cell = f"{got_c}{'' if c_right else ' ✗'}"
        else:
            c_cell = "n/a (no rule for this file type)"
        print(f"| `{path}` | {expected} | {got_m}{'' if m_right else ' ✗'} | {c_cell} |")
    print()
    print(f"mamori: {m_ok}/{len(cases)} cases as expected (all file types)")
    print(f"checkov: {c_ok}/{c_total} Terraform cases as expected; {len(cases) - c_total} other cases have no Checkov rule")
    print(f"wall time on the corpus: mamori {mamori_s}s, checkov {checkov_s}s")


if __name__ == "__main__":
    main()
