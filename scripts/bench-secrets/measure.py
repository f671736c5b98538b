#!/usr/bin/env python3
"""Times `mamori secrets` against its peers on the generated corpus, in one run, and computes
recall on the planted keys and false alarms on AWS's documentation example keys.

Called by scripts/bench-secrets.sh; writes a Markdown table to stdout and results.json.
"""
import argparse, hashlib, json, os, resource, shutil, statistics, subprocess, sys, time

KEY_REGEX = r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b"
EXAMPLE = "AKIAIOSFODNN7EXAMPLE"

CPU = {}
LAST = [None]

def timed(cmd, runs, stdout_path, shell=False, cwd=None):
    """Median wall time over `runs` (and median CPU time, user + system, of the tool and its
    children, in CPU[stdout_path]: on a shared machine CPU time is the steadier figure)."""
    times, cpus = [], []
    for _ in range(runs):
        with open(stdout_path, "wb") as out:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, shell=shell, cwd=cwd)
            times.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if p.returncode not in (0, 1):
            sys.stderr.write(f"warning: {cmd if isinstance(cmd, str) else ' '.join(cmd)} exited {p.returncode}: {p.stderr.decode()[-400:]}\n")
    CPU[stdout_path] = statistics.median(cpus)
    LAST[0] = stdout_path
    return statistics.median(times)

def tree_bytes(root):
    total = 0
    for d, _, files in os.walk(root):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total

def make_sample(tree, sample, mb):
    """Hard-links whole files into `sample` until `mb` MB, for tools too slow for the full tree."""
    if os.path.exists(sample):
        shutil.rmtree(sample)
    total, files = 0, []
    for d, _, names in sorted(os.walk(tree)):
        for n in sorted(names):
            if n == ".gitignore":
                continue
            p = os.path.join(d, n)
            size = os.path.getsize(p)
            if total + size > mb * 1_000_000:
                continue
            rel = os.path.relpath(p, tree)
            os.makedirs(os.path.join(sample, os.path.dirname(rel)), exist_ok=True)
            os.link(p, os.path.join(sample, rel))
            total += size
            files.append(rel)
    return total, set(files)

def keys_from_mamori(path):
    return [f["keyId"] for f in json.load(open(path)) if f.get("keyId")]

def keys_from_rg(path):
    return [l.strip() for l in open(path, errors="replace") if l.strip()]

def keys_from_detect_secrets(path, candidates):
    """detect-secrets reports SHA-1 hashes of what it found; map them back to candidate keys."""
    by_hash = {hashlib.sha1(k.encode()).hexdigest(): k for k in candidates}
    data = json.load(open(path))
    return [by_hash.get(s["hashed_secret"], "?other") for v in data["results"].values() for s in v
            if s["type"] == "AWS Access Key"]

def keys_from_trufflehog(path):
    keys = []
    for line in open(path, errors="replace"):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            keys += [s for s in r.get("stringsFound", []) if s[:4] in ("AKIA", "ASIA", "ABIA", "ACCA")]
    return keys

def score(found, planted):
    found_set = set(found)
    planted_set = set(planted)
    recall = len(planted_set & found_set) / len(planted_set) if planted_set else float("nan")
    examples = sum(1 for k in found if k == EXAMPLE)
    other = len([k for k in found_set if k not in planted_set and k != EXAMPLE])
    return recall, examples, other

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--mamori", required=True)
    ap.add_argument("--detect-secrets", dest="ds")
    ap.add_argument("--trufflehog")
    ap.add_argument("--sample-mb", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    tree, repo, out = os.path.join(a.corpus, "tree"), os.path.join(a.corpus, "repo"), os.path.join(a.corpus, "out")
    os.makedirs(out, exist_ok=True)
    planted = [json.loads(l) for l in open(os.path.join(a.corpus, "planted.jsonl"))]
    tree_keys = [p["keyId"] for p in planted if p["where"] == "tree"]
    git_keys = [p["keyId"] for p in planted if p["where"] == "git"]
    rows = []

    # Warm the page cache so every tool reads from memory: we compare CPU cost, not the disk.
    subprocess.run(f"find {tree} -type f -exec cat {{}} + > /dev/null", shell=True)
    size = tree_bytes(tree)

    def row(tool, target, mb, secs, found, planted_keys, note=""):
        r, ex, other = score(found, planted_keys)
        cpu = CPU[LAST[0]]
        rows.append({"tool": tool, "target": target, "MB": round(mb, 1), "seconds": round(secs, 2),
                     "MB/s": round(mb / secs, 1) if secs > 0 else None, "cpu_seconds": round(cpu, 2),
                     "MB/cpu-s": round(mb / cpu, 1) if cpu > 0 else None, "recall": round(100 * r, 2),
                     "example_alarms": ex, "other_alarms": other, "note": note})

    m = timed([a.mamori, "secrets", tree, "--format", "json"], a.runs, f"{out}/mamori-tree.json")
    row("mamori secrets", "tree", size / 1e6, m, keys_from_mamori(f"{out}/mamori-tree.json"), tree_keys)
    r = timed(["rg", "-o", "--no-filename", "--no-line-number", KEY_REGEX, tree], a.runs, f"{out}/rg-tree.txt")
    row("ripgrep (key-ID regex)", "tree", size / 1e6, r, keys_from_rg(f"{out}/rg-tree.txt"), tree_keys,
        "no pairing, no filtering")

    # The slow peers get a sample of whole files; mamori and rg are measured on it too.
    sample = os.path.join(a.corpus, "sample")
    sample_size, sample_files = make_sample(tree, sample, a.sample_mb)
    sample_keys = [p["keyId"] for p in planted if p["where"] == "tree" and p["file"] in sample_files]
    m_s = timed([a.mamori, "secrets", sample, "--format", "json"], a.runs, f"{out}/mamori-sample.json")
    row("mamori secrets", f"sample", sample_size / 1e6, m_s, keys_from_mamori(f"{out}/mamori-sample.json"), sample_keys)
    r_s = timed(["rg", "-o", "--no-filename", "--no-line-number", KEY_REGEX, sample], a.runs, f"{out}/rg-sample.txt")
    row("ripgrep (key-ID regex)", "sample", sample_size / 1e6, r_s, keys_from_rg(f"{out}/rg-sample.txt"), sample_keys)
    if a.ds:
        d = timed([a.ds, "scan", "--all-files", sample], 1, f"{out}/detect-secrets-sample.json")
        row("detect-secrets scan", "sample", sample_size / 1e6, d,
            keys_from_detect_secrets(f"{out}/detect-secrets-sample.json", tree_keys + [EXAMPLE]), sample_keys,
            "default plugins")

    # History: the practical limit is git producing the patches; rg over them is the floor.
    log_bytes = int(subprocess.run(f"git -C {repo} log -p --all --unified=0 --no-color | wc -c", shell=True,
                                   capture_output=True, text=True).stdout.strip() or 0)
    g = timed([a.mamori, "secrets", "--git", repo, "--format", "json"], a.runs, f"{out}/mamori-git.json")
    row("mamori secrets --git", "repo", log_bytes / 1e6, g, keys_from_mamori(f"{out}/mamori-git.json"), git_keys)
    gr = timed(f"git -C {repo} log -p --all --unified=0 --no-color | rg -o --no-line-number '{KEY_REGEX}'", a.runs,
               f"{out}/rg-git.txt", shell=True)
    row("git log -p \\| ripgrep", "repo", log_bytes / 1e6, gr, keys_from_rg(f"{out}/rg-git.txt"), git_keys,
        "also matches deleted lines")
    if a.trufflehog:
        t = timed([a.trufflehog, "--regex", "--entropy=False", "--json", "file://" + os.path.abspath(repo)], 1,
                  f"{out}/trufflehog-git.json")
        row("trufflehog 2.2.1 (PyPI)", "repo", log_bytes / 1e6, t, keys_from_trufflehog(f"{out}/trufflehog-git.json"),
            git_keys, "--regex --entropy=False")

    json.dump(rows, open(os.path.join(out, "results.json"), "w"), indent=1)
    print("| tool | input | MB | wall s | MB/s | CPU s | MB per CPU-s | recall % | example-key alarms | other alarms | note |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for x in rows:
        print(f"| {x['tool']} | {x['target']} | {x['MB']} | {x['seconds']} | {x['MB/s']} | {x['cpu_seconds']} | "
              f"{x['MB/cpu-s']} | {x['recall']} | "
              f"{x['example_alarms']} | {x['other_alarms']} | {x['note']} |")

if __name__ == "__main__":
    main()
