#!/usr/bin/env python3
"""Times `mamori secrets` against its peers on the generated corpus, in one run, and computes
recall on the planted keys and false alarms on AWS's documentation example keys.

Called by scripts/bench-secrets.sh; writes a Markdown table to stdout and results.json.
"""
import argparse, hashlib, json, os, re, shutil, statistics, subprocess, sys, time

KEY_REGEX = r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b"
# For ripgrep on trees: the regex (no word boundaries: keys inside longer tokens match
# too), and the same with ASCII word boundaries (what mamori applies). ripgrep's default `\b` is
# Unicode-aware and takes it off its fast path: on the 1 GB real tree 4.5 CPU s instead of 1.8.
RG_PLAIN = r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"
RG_WORD = r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?-u:\b)"
EXAMPLE = "AKIAIOSFODNN7EXAMPLE"

CPU = {}
PEAK = {}
LAST = [None]

def run_once(cmd, stdout_path, shell=False, cwd=None):
    """One run: wall seconds, CPU seconds (user + system of the process and every descendant it
    waited for) and peak resident memory of the largest process, from wait4's rusage for this
    child alone (RUSAGE_CHILDREN would carry the largest earlier child's peak forward)."""
    with open(stdout_path, "wb") as out:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, shell=shell, cwd=cwd)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, p.returncode, err

def timed(cmd, runs, stdout_path, shell=False, cwd=None, ok=(0, 1)):
    """Median wall time over `runs` (median CPU time and peak memory in CPU[stdout_path] and
    PEAK[stdout_path]: on a shared machine CPU time is the steadier figure)."""
    times, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, peak, rc, err = run_once(cmd, stdout_path, shell, cwd)
        times.append(wall); cpus.append(cpu); peaks.append(peak)
        if rc not in ok:
            sys.stderr.write(f"warning: {cmd if isinstance(cmd, str) else ' '.join(cmd)} exited {rc}: {err.decode()[-400:]}\n")
    CPU[stdout_path] = statistics.median(cpus)
    PEAK[stdout_path] = statistics.median(peaks)
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

def keys_from_text(path):
    """Key IDs anywhere in a peer's report (Kingfisher and Betterleaks JSON): the planted keys
    are unique strings, so finding them in the report is finding them."""
    text = open(path, errors="replace").read() if os.path.exists(path) else ""
    return re.findall(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", text)

def score(found, planted):
    found_set = set(found)
    planted_set = set(planted)
    recall = len(planted_set & found_set) / len(planted_set) if planted_set else float("nan")
    examples = sum(1 for k in found if k == EXAMPLE)
    other = len([k for k in found_set if k not in planted_set and k != EXAMPLE])
    return recall, examples, other

def version(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    return (out.stdout.strip() or out.stderr.strip()).split()[-1] if (out.stdout or out.stderr) else "?"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", help="gen_corpus.py's output: synthetic tree, sample and git repository")
    ap.add_argument("--tree", help="a real tree (real_tree.py's tree/) instead of --corpus")
    ap.add_argument("--planted", help="planted.jsonl for --tree")
    ap.add_argument("--out", help="where reports go (default: next to the corpus or tree)")
    ap.add_argument("--mamori", required=True)
    ap.add_argument("--detect-secrets", dest="ds")
    ap.add_argument("--trufflehog")
    ap.add_argument("--kingfisher")
    ap.add_argument("--betterleaks")
    ap.add_argument("--sample-mb", type=int, default=16)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=1, help="runs for peers taking minutes (Betterleaks)")
    a = ap.parse_args()
    if a.tree:
        tree, repo = a.tree, None
        base = os.path.dirname(os.path.abspath(a.tree))
        planted = [json.loads(l) for l in open(a.planted)]
    else:
        tree, repo, base = os.path.join(a.corpus, "tree"), os.path.join(a.corpus, "repo"), a.corpus
        planted = [json.loads(l) for l in open(os.path.join(a.corpus, "planted.jsonl"))]
    out = a.out or os.path.join(base, "out")
    os.makedirs(out, exist_ok=True)
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
                     "MB/cpu-s": round(mb / cpu, 1) if cpu > 0 else None,
                     "peak_MB": round(PEAK[LAST[0]] / 1e6), "recall": round(100 * r, 2),
                     "example_alarms": ex, "other_alarms": other, "note": note})
        sys.stderr.write(f"{tool} on {target}: {secs:.2f} s wall, {cpu:.2f} s CPU\n")

    # ripgrep with -uu: the trees carry no ignore files of their own, and -uu keeps a parent
    # checkout's .gitignore (bench-out/ lives in Mamori's) and hidden files from changing what it
    # reads; binary files are still skipped, as Mamori skips them.
    def rg_rows(target, path, mb, keys):
        for label, regex, note in (("ripgrep -uu, key-ID regex, no \\b", RG_PLAIN, "key IDs only: no boundaries, pairing or filtering"),
                                   ("ripgrep -uu, ASCII \\b regex", RG_WORD, "key IDs only: no pairing or filtering")):
            t = timed(["rg", "-uu", "-o", "--no-filename", "--no-line-number", regex, path], a.runs,
                      f"{out}/rg-{target}-{'word' if 'u:' in regex else 'plain'}.txt")
            row(label, target, mb, t, keys_from_rg(LAST[0]), keys, note)

    def peers(target, path, mb, keys, runs_fast, runs_slow):
        if a.kingfisher:
            kf = f"{out}/kingfisher-{target}.json"
            k = timed([a.kingfisher, "scan", path, "--no-validate", "--no-update-check", "--format", "json",
                       "--output", kf], runs_fast, f"{out}/kingfisher-{target}.out", ok=(0, 1, 200, 205))
            row(f"Kingfisher {version([a.kingfisher, '--version'])}", target, mb, k, keys_from_text(kf), keys,
                "all 488 built-in rules, --no-validate")
        if a.betterleaks:
            bl = f"{out}/betterleaks-{target}.json"
            b = timed([a.betterleaks, "fs", path, "--no-banner", "--output", bl], runs_slow,
                      f"{out}/betterleaks-{target}.out")
            row(f"Betterleaks {version([a.betterleaks, '--version'])}", target, mb, b, keys_from_text(bl), keys,
                "`fs`, default rules" + (", 1 run" if runs_slow == 1 else ""))

    m = timed([a.mamori, "secrets", tree, "--format", "json"], a.runs, f"{out}/mamori-tree.json")
    row("mamori secrets", "tree", size / 1e6, m, keys_from_mamori(f"{out}/mamori-tree.json"), tree_keys)
    rg_rows("tree", tree, size / 1e6, tree_keys)
    peers("tree", tree, size / 1e6, tree_keys, a.runs, a.slow_runs)

    # The slow peers get a sample of whole files; mamori and rg are measured on it too.
    sample = os.path.join(base, "sample")
    sample_size, sample_files = make_sample(tree, sample, a.sample_mb)
    sample_keys = [p["keyId"] for p in planted if p["where"] == "tree" and p["file"] in sample_files]
    m_s = timed([a.mamori, "secrets", sample, "--format", "json"], a.runs, f"{out}/mamori-sample.json")
    row("mamori secrets", f"sample", sample_size / 1e6, m_s, keys_from_mamori(f"{out}/mamori-sample.json"), sample_keys)
    rg_rows("sample", sample, sample_size / 1e6, sample_keys)
    if a.ds:
        d = timed([a.ds, "scan", "--all-files", sample], 1, f"{out}/detect-secrets-sample.json")
        row("detect-secrets scan", "sample", sample_size / 1e6, d,
            keys_from_detect_secrets(f"{out}/detect-secrets-sample.json", tree_keys + [EXAMPLE]), sample_keys,
            "default plugins, 1 run")
    peers("sample", sample, sample_size / 1e6, sample_keys, a.runs, 1)

    if repo:
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
    print("| tool | input | MB | wall s | MB/s | CPU s | MB per CPU-s | peak MB | recall % | example-key alarms | other key IDs | note |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for x in rows:
        print(f"| {x['tool']} | {x['target']} | {x['MB']} | {x['seconds']} | {x['MB/s']} | {x['cpu_seconds']} | "
              f"{x['MB/cpu-s']} | {x['peak_MB']} | {x['recall']} | "
              f"{x['example_alarms']} | {x['other_alarms']} | {x['note']} |")

if __name__ == "__main__":
    main()
