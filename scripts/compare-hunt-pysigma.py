#!/usr/bin/env python3
"""pySigma's side of the hunt-rule comparison (issue #13).

Loads Tests/HuntComparison/events.jsonl into SQLite, flattened the way mamori flattens CloudTrail
(CloudTrailRecord: nested objects joined with dots; arrays as compact JSON text and element by
element under their index; JSON null and empty objects absent; booleans and numbers as their JSON
text), converts every rule of Tests/HuntComparison/rules and the single-event files of
rules/cloudtrail with pysigma-backend-sqlite, runs the queries and writes the matching eventIDs per
rule file to Tests/HuntComparison/pysigma-matches.json. HuntComparisonTests runs mamori's engine
over the same events and rules and requires the same ids (known differences listed there, each
with its reason).

Fixes for the backend (pysigma-backend-sqlite 0.2): `|cased` becomes `GLOB 'x' ESCAPE '\\'`,
which SQLite refuses (GLOB has no ESCAPE clause); the clause is dropped.

Two settings make SQLite follow SIGMA rather than SQL, both documented in docs/hunt.md:
- columns are TEXT COLLATE NOCASE, because SIGMA string equality is case-insensitive and the
  backend writes it as `field='value'`;
- NOT is two-valued: the backend's `NOT (expr)` becomes `NOT COALESCE((expr), 0)`, because in SQL
  `NOT (missing_field LIKE 'x')` is NULL and drops the event, while in SIGMA a missing field does
  not match, so its negation does.
"""
import json, pathlib, re, sqlite3, sys
from sigma.collection import SigmaCollection
from sigma.backends.sqlite import sqliteBackend

root = pathlib.Path(__file__).resolve().parent.parent
base = root / "Tests" / "HuntComparison"


def flatten(value, prefix, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list):
        out[prefix] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        for i, v in enumerate(value):
            flatten(v, f"{prefix}.{i}", out)
    elif value is None:
        pass
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    elif isinstance(value, (int, float)):
        out[prefix] = json.dumps(value)
    else:
        out[prefix] = value


class TwoValuedSQLite(sqliteBackend):
    def convert_condition_not(self, cond, state):
        return f"NOT COALESCE(({self.convert_condition(cond.args[0], state)}), 0)"


def main():
    rows = []
    for line in (base / "events.jsonl").read_text().splitlines():
        record = {}
        flatten(json.loads(line), "", record)
        rows.append(record)
    columns = sorted({k for r in rows for k in r})
    db = sqlite3.connect(":memory:")
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and re.search(pattern, value) is not None)
    db.execute("CREATE TABLE events (" + ", ".join(f'"{c}" TEXT COLLATE NOCASE' for c in columns) + ")")
    for r in rows:
        keys = list(r)
        db.execute(f"INSERT INTO events ({', '.join(chr(34) + k + chr(34) for k in keys)}) VALUES ({', '.join('?' for _ in keys)})",
                   [r[k] for k in keys])
    files = sorted((base / "rules").glob("*.yml"))
    files += [p for p in sorted((root / "rules" / "cloudtrail").glob("*.yml")) if "correlation:" not in p.read_text()]
    backend = TwoValuedSQLite()
    result = {}
    for path in files:
        queries = backend.convert(SigmaCollection.from_yaml(path.read_text()))
        ids = set()
        for q in queries:
            sql = q.replace("SELECT * FROM <TABLE_NAME>", "SELECT eventID FROM events")
            # The backend writes `|cased` as `GLOB 'x' ESCAPE '\'`, which SQLite rejects (GLOB takes
            # no ESCAPE); our rules' cased values hold no glob characters, so the clause is dropped.
            sql = re.sub(r"(GLOB '(?:[^']|'')*') ESCAPE '\\'", r"\1", sql)
            while True:
                try:
                    ids.update(row[0] for row in db.execute(sql))
                    break
                except sqlite3.OperationalError as error:
                    # A field no event has: an empty column, so the query runs (and matches nothing there).
                    missing = re.match(r"no such column: (.+)", str(error))
                    if not missing:
                        raise
                    db.execute(f'ALTER TABLE events ADD COLUMN "{missing.group(1)}" TEXT COLLATE NOCASE')
        result[str(path.relative_to(root))] = sorted(ids)
    out = base / "pysigma-matches.json"
    out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"{len(files)} rules over {len(rows)} events: {sum(len(v) for v in result.values())} matches -> {out.relative_to(root)}")


if __name__ == "__main__":
    sys.exit(main())
