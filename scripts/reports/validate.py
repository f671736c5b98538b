#!/usr/bin/env python3
"""Validates a directory of Mamori reports (written by `mamori report render --output-dir`).

SARIF: against the vendored OASIS 2.1.0 schema (jsonschema, Draft 4).
OCSF: the attributes OCSF 1.1 marks required for Detection Finding (class 2004) and its objects.
ASFF: the members botocore's securityhub model marks required for AwsSecurityFinding.
CSV: RFC 4180 parse, header, no cell that a spreadsheet would run as a formula.
HTML: self-contained, the data block parses and holds every finding, no markup in the data.
Exit 1 with one line per problem.
"""
import csv
import io
import json
import pathlib
import re
import sys

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
problems = []


def fail(message):
    problems.append(message)


def load(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except Exception as error:  # noqa: BLE001 - report any parse failure
        fail(f"{path.name}: not JSON: {error}")
        return None


def sarif(directory):
    log = load(directory / "findings.sarif")
    if log is None:
        return 0
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    for error in sorted(validator.iter_errors(log), key=lambda e: list(e.path))[:20]:
        fail(f"findings.sarif: {'/'.join(map(str, error.path))}: {error.message}")
    results = log["runs"][0]["results"]
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    for result in results:
        if result["ruleId"] not in rules:
            fail(f"findings.sarif: result for unknown rule {result['ruleId']}")
        if not result.get("partialFingerprints", {}).get("mamori/v1"):
            fail("findings.sarif: result without a fingerprint")
    prints = [r["partialFingerprints"]["mamori/v1"] for r in results]
    if len(set(prints)) != len(prints):
        fail("findings.sarif: duplicate fingerprints")
    return len(results)


OCSF_REQUIRED = ["activity_id", "category_uid", "class_uid", "finding_info", "metadata", "severity_id", "time", "type_uid"]


def ocsf(directory):
    events = load(directory / "findings.ocsf.json")
    if events is None:
        return 0
    for index, event in enumerate(events):
        where = f"findings.ocsf.json[{index}]"
        for key in OCSF_REQUIRED:
            if key not in event:
                fail(f"{where}: missing required {key}")
        if event.get("class_uid") != 2004 or event.get("category_uid") != 2:
            fail(f"{where}: not a Detection Finding (class_uid 2004, category_uid 2)")
        if event.get("type_uid") != event.get("class_uid", 0) * 100 + event.get("activity_id", -1):
            fail(f"{where}: type_uid is not class_uid * 100 + activity_id")
        if event.get("severity_id") not in (0, 1, 2, 3, 4, 5, 6, 99):
            fail(f"{where}: severity_id out of range")
        if not isinstance(event.get("time"), int):
            fail(f"{where}: time is not an integer timestamp (ms)")
        info = event.get("finding_info", {})
        for key in ("uid", "title"):
            if not isinstance(info.get(key), str) or not info.get(key):
                fail(f"{where}: finding_info.{key} missing")
        metadata = event.get("metadata", {})
        if not metadata.get("version") or not metadata.get("product", {}).get("vendor_name"):
            fail(f"{where}: metadata.version and metadata.product.vendor_name are required")
        cloud = event.get("cloud", {})
        if cloud.get("provider") != "AWS":
            fail(f"{where}: cloud.provider must be AWS")
        for resource in event.get("resources", []):
            if not resource.get("uid"):
                fail(f"{where}: resource without uid")
    return len(events)


ASFF_REQUIRED = ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description", "Resources"]
PRODUCT_ARN = re.compile(r"^arn:aws:securityhub:[a-z0-9-]+:(\d{12}):product/(\d{12})/default$")


def asff(directory):
    findings = load(directory / "findings.asff.json")
    if findings is None:
        return 0
    for index, finding in enumerate(findings):
        where = f"findings.asff.json[{index}]"
        for key in ASFF_REQUIRED:
            if key not in finding:
                fail(f"{where}: missing required {key}")
        match = PRODUCT_ARN.match(finding.get("ProductArn", ""))
        if not match or match.group(1) != finding.get("AwsAccountId") or match.group(2) != finding.get("AwsAccountId"):
            fail(f"{where}: ProductArn is not the account's default product")
        if finding.get("Severity", {}).get("Label") not in ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"):
            fail(f"{where}: bad Severity.Label")
        if len(finding.get("Title", "")) > 256 or len(finding.get("Description", "")) > 1024:
            fail(f"{where}: Title or Description too long")
        for resource in finding.get("Resources", []):
            if not resource.get("Type") or not resource.get("Id"):
                fail(f"{where}: resource needs Type and Id")
    botocore_check(findings)
    return len(findings)


def botocore_check(findings):
    """Validates the findings as BatchImportFindings input with botocore's own parameter
    validator and the securityhub service model (offline). Skipped when botocore is missing."""
    try:
        import botocore.session
        from botocore.validate import ParamValidator
    except ImportError:
        print("validate-reports: botocore not installed, skipping the ASFF model check", file=sys.stderr)
        return
    shape = botocore.session.get_session().get_service_model("securityhub").operation_model("BatchImportFindings").input_shape
    # BatchImportFindings takes at most 100 findings per call: validate in batches like an import would.
    for start in range(0, len(findings), 100):
        report = ParamValidator().validate({"Findings": findings[start:start + 100]}, shape)
        if report.has_errors():
            fail("findings.asff.json: botocore securityhub model: " + report.generate_report().replace("\n", "; ")[:2000])


def csv_file(directory):
    raw = (directory / "findings.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header = ["check", "title", "severity", "status", "account", "region", "resource", "resourceType", "message", "remediation"]
    if rows[0] == header + ["mutedReason"]:  # muted findings shown (--all)
        header = rows[0]
    if rows[0] != header:
        fail(f"findings.csv: header is {rows[0]}")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            fail(f"findings.csv:{number}: {len(row)} cells")
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                fail(f"findings.csv:{number}: cell starts a formula: {cell[:20]!r}")
    return len(rows) - 1


def html(directory):
    page = (directory / "report.html").read_text(encoding="utf-8")
    if re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.split('id="mamori-data"')[0]):
        fail("report.html: loads something from the network")
    if page.count("</script>") != 2:
        fail(f"report.html: {page.count('</script>')} </script> tags (expected 2)")
    match = re.search(r'<script type="application/json" id="mamori-data">(.*?)</script>', page, re.S)
    if not match:
        fail("report.html: no data block")
        return 0
    block = match.group(1)
    if any(c in block for c in "<>&"):
        fail("report.html: raw < > or & inside the data block")
    data = json.loads(block)
    return sum(1 for row in data["findings"] if row[2] != 2)


def muted(directory):
    """`--all` output: the muted finding is in every machine format, with its reason."""
    if not any(f.get("status") == "muted" and f.get("mutedReason") for f in load(directory / "findings.json") or []):
        fail("findings.json: no muted finding with mutedReason")
    results = load(directory / "findings.sarif")["runs"][0]["results"]
    if not any(r.get("suppressions") for r in results):
        fail("findings.sarif: no result with suppressions")
    if not any(e.get("status_id") == 3 for e in load(directory / "findings.ocsf.json") or []):
        fail("findings.ocsf.json: no Suppressed (status_id 3) event")
    if not any(f.get("Workflow", {}).get("Status") == "SUPPRESSED" for f in load(directory / "findings.asff.json") or []):
        fail("findings.asff.json: no SUPPRESSED finding")
    if ",muted," not in (directory / "findings.csv").read_text(encoding="utf-8"):
        fail("findings.csv: no muted row")


def main():
    directory = pathlib.Path(sys.argv[1])
    # "all": a `--all` render of the machine formats (no HTML, which lists muted findings apart).
    with_muted = len(sys.argv) > 2 and sys.argv[2] == "all"
    counts = {"sarif": sarif(directory), "ocsf": ocsf(directory), "asff": asff(directory), "csv": csv_file(directory)}
    if with_muted:
        muted(directory)
    else:
        counts["html"] = html(directory)
    if len(set(counts.values())) != 1:
        fail(f"formats disagree on the number of findings: {counts}")
    if problems:
        for problem in problems:
            print(f"validate-reports: {problem}", file=sys.stderr)
        return 1
    print(f"validate-reports: ok ({counts['sarif']} findings in each of {', '.join(counts)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
