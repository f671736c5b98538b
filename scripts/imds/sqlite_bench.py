#!/usr/bin/env python3
"""pySigma's evaluation path for local files: load a Zeek TSV log into SQLite, run the query that
pysigma-backend-sqlite makes from the rule, and time both steps.

usage: sqlite_bench.py LOG RULE DB

Prints: load_seconds, query_seconds, matched_rows (tab-separated). Columns the query names but
the log lacks are created empty, so the query runs unchanged.
"""
import re
import sqlite3
import subprocess
import sys
import time


def main():
    log, rule, db = sys.argv[1], sys.argv[2], sys.argv[3]
    query = subprocess.run(["sigma", "convert", "-t", "sqlite", rule], check=True, capture_output=True, text=True).stdout
    query = "\n".join(l for l in query.splitlines() if not l.startswith("Parsing")).strip()
    fields = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("#fields"):
                fields = line.rstrip("\n").split("\t")[1:]
                break
    referenced = set(re.findall(r"`([^`]+)`", query)) | set(re.findall(r"\(([A-Za-z_][A-Za-z0-9_]*)(?:=| LIKE)", query))
    referenced |= set(re.findall(r"(?:OR|AND|\() ?([A-Za-z_][A-Za-z0-9_]*) ?(?:=|LIKE)", query))
    columns = ["line"] + fields + sorted(c for c in referenced if c not in fields)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("DROP TABLE IF EXISTS logs")
    con.execute("CREATE TABLE logs (" + ", ".join(f'"{c}"' for c in columns) + ")")
    placeholders = ", ".join("?" for _ in range(len(fields) + 1))
    insert = "INSERT INTO logs (" + ", ".join(f'"{c}"' for c in ["line"] + fields) + f") VALUES ({placeholders})"

    def rows():
        with open(log, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                if line.startswith("#"):
                    continue
                values = line.rstrip("\n").split("\t")
                if len(values) != len(fields):
                    continue
                yield [n] + [None if v == "-" else v for v in values]

    start = time.perf_counter()
    con.executemany(insert, rows())
    con.commit()
    load = time.perf_counter() - start
    sql = query.replace("<TABLE_NAME>", "logs")
    start = time.perf_counter()
    matched = con.execute(sql).fetchall()
    run = time.perf_counter() - start
    print(f"{load:.2f}\t{run:.2f}\t{len(matched)}")


if __name__ == "__main__":
    main()
