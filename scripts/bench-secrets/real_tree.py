#!/usr/bin/env python3
"""Builds a large tree of real source code with planted AWS keys, for comparing scanners on what
they meet in practice (not only on the synthetic corpus gen_corpus.py writes).

The tree is the AWS CLI's HEAD (`git archive` of a clone or mirror) plus other real sources
found on the machine (SwiftPM checkouts, Python site-packages), copied until --mb MB. Ignore
files (.gitignore, .ignore, .rgignore) are removed from the copy so that every tool sees the same
files, whatever ignore rules it applies, and hidden directories are not planted in (ripgrep skips
them by default). Keys are planted in several file types (reusing the templates of
scripts/bench-git/plant.py): as new files in existing directories and appended to existing
source files. planted.jsonl lists them.

  real_tree.py --out bench-out/tree-real [--git /work/.mirror/aws+aws-cli/repo]
               [--extra DIR ...] [--mb 1000] [--keys 60]
"""
import argparse, json, os, random, shutil, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench-git"))
from plant import TEMPLATES, random_key  # noqa: E402

IGNORE_FILES = {".gitignore", ".ignore", ".rgignore"}

def size_of(root):
    total = 0
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total

def copy_until(src, dst, budget):
    """Copies regular files from src to dst (sorted walk, symlinks skipped) until budget bytes."""
    used = 0
    for d, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p) or f in IGNORE_FILES:
                continue
            s = os.path.getsize(p)
            if used + s > budget:
                return used
            q = os.path.join(dst, os.path.relpath(p, src))
            os.makedirs(os.path.dirname(q), exist_ok=True)
            shutil.copyfile(p, q)
            used += s
    return used

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--git", default="/work/.mirror/aws+aws-cli/repo")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--mb", type=int, default=1000)
    ap.add_argument("--keys", type=int, default=60)
    a = ap.parse_args()
    tree = os.path.join(a.out, "tree")
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(tree)
    budget = a.mb * 1_000_000
    sources = []
    if a.git and os.path.isdir(a.git):
        dst = os.path.join(tree, "aws-cli")
        os.makedirs(dst)
        subprocess.run(f"git --git-dir '{a.git}' archive HEAD | tar -x -C '{dst}'", shell=True, check=True)
        head = subprocess.run(["git", "--git-dir", a.git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        for d, _, files in os.walk(dst):
            for f in files:
                if f in IGNORE_FILES:
                    os.remove(os.path.join(d, f))
        used = size_of(dst)
        sources.append({"source": f"aws-cli HEAD {head[:12]} ({a.git})", "bytes": used})
        budget -= used
    for i, extra in enumerate(a.extra):
        if budget <= 0:
            break
        dst = os.path.join(tree, f"extra{i}-{os.path.basename(extra.rstrip('/'))}")
        used = copy_until(extra, dst, budget)
        sources.append({"source": extra, "bytes": used})
        budget -= used

    # Plant: half as new files in existing (non-hidden) directories, half appended to existing
    # text files of the matching type when there is one.
    rng = random.Random(17)
    dirs, by_ext = [], {}
    for d, ds, files in os.walk(tree):
        ds[:] = [x for x in ds if not x.startswith(".")]
        dirs.append(d)
        for f in files:
            ext = f.rsplit(".", 1)[-1] if "." in f else ""
            by_ext.setdefault(ext, []).append(os.path.join(d, f))
    dirs.sort()
    for v in by_ext.values():
        v.sort()
    kinds = sorted(TEMPLATES)
    planted = []
    for i in range(a.keys):
        kind = kinds[i % len(kinds)]
        k, s = random_key(rng)
        text = TEMPLATES[kind].format(k=k, s=s)
        existing = by_ext.get(kind, [])
        if i % 2 == 1 and existing:
            path = rng.choice(existing)
            with open(path, "ab") as f:
                f.write(b"\n" + text.encode())
            how = "appended"
        else:
            path = os.path.join(rng.choice(dirs), f"settings{i}.{kind}")
            with open(path, "w") as f:
                f.write(text)
            how = "new file"
        planted.append({"keyId": k, "where": "tree", "file": os.path.relpath(path, tree), "kind": kind, "how": how})
    with open(os.path.join(a.out, "planted.jsonl"), "w") as f:
        for p in planted:
            f.write(json.dumps(p) + "\n")
    files = sum(len(fs) for _, _, fs in os.walk(tree))
    info = {"sources": sources, "bytes": size_of(tree), "files": files, "keys": len(planted)}
    json.dump(info, open(os.path.join(a.out, "tree.json"), "w"), indent=1)
    print(json.dumps(info))

if __name__ == "__main__":
    main()
