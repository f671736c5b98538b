#!/usr/bin/env python3
"""Builds the `mamori secrets` benchmark corpus: mixed source text with planted AWS keys,
AWS documentation example keys (which no scanner should report), near misses, and a git
repository whose history adds and later deletes keys.

Everything is generated from a fixed seed so that runs are comparable. The manifest
`planted.jsonl` lists every planted key (one JSON object a line) for the recall computation.
"""
import argparse, base64, json, os, random, string, subprocess, sys

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = string.ascii_letters + string.digits + "+/"
WORDS = ("request response handler client server config value index buffer stream parse "
         "render update delete create fetch token session user account region bucket policy "
         "role service metric event record batch queue retry timeout limit offset cursor page "
         "filter result status error message payload header context logger cache store").split()
EXAMPLE_ID = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

def key_id(rng, prefix="AKIA"):
    # A plausible account part (first 8 chars decode to an account) + random rest.
    return prefix + "".join(rng.choice(B32) for _ in range(16))

def secret(rng):
    while True:
        s = "".join(rng.choice(B64) for _ in range(40))
        if any(c.islower() for c in s) and any(c.isupper() for c in s) and any(c.isdigit() for c in s):
            return s

def ident(rng):
    return rng.choice(WORDS) + rng.choice(WORDS).capitalize() + str(rng.randint(0, 99))

def filler_line(rng, kind):
    a, b, c = ident(rng), ident(rng), ident(rng)
    n = rng.randint(0, 100000)
    if kind == "py":
        return rng.choice([f"    {a} = {b}.{c}({n})", f"def {a}({b}, {c}):", f"    return {a} + {b}  # {c}",
                           f"    if {a} is None: raise ValueError('{b} {n}')", f"import {a}"])
    if kind == "js":
        return rng.choice([f"const {a} = await {b}.{c}({n});", f"function {a}({b}) {{ return {c} * {n}; }}",
                           f"  {a}: '{b}-{n}',", f"export default {{ {a}, {b} }};"])
    if kind == "go":
        return rng.choice([f"\t{a} := {b}.{c}({n})", f"func {a}({b} int) error {{", f"\tif err != nil {{ return fmt.Errorf(\"{b}: %w\", err) }}", "}"])
    if kind == "yaml":
        return rng.choice([f"{a}: {b}", f"  - name: {c}", f"    {a}: \"{b}-{n}\"", f"  {a}: {n}"])
    if kind == "json":
        return rng.choice([f'  "{a}": "{b}",', f'  "{a}": {n},', f'  "{c}": {{"{a}": "{b}"}},'])
    if kind == "log":
        return (f"2024-05-{rng.randint(1,28):02d}T12:{rng.randint(0,59):02d}:{rng.randint(0,59):02d}Z INFO "
                f"{a} request_id={n:08x} path=/api/{b}/{c} status=200 bytes={n} ua=\"aws-cli/2.15 Python/3.11\"")
    if kind == "tf":
        return rng.choice([f'resource "aws_s3_bucket" "{a}" {{', f'  bucket = "{b}-{n}"', f'  tags = {{ Name = "{c}" }}', "}"])
    return f"{a} {b} {c} {n} lorem ipsum dolor sit amet"

KINDS = ["py", "js", "go", "yaml", "json", "log", "tf", "md", "ini", "env", "min.js"]

def planted_block(rng, kind, kid, sec):
    """A key pair in the idiom of the file kind (the shapes the issue lists)."""
    if kind == "py":
        return [f"AWS_ACCESS_KEY_ID = \"{kid}\"", f"aws_secret_access_key = \"{sec}\""]
    if kind in ("js", "min.js"):
        return [f"const creds = {{ accessKeyId: '{kid}', secretAccessKey: '{sec}' }};"]
    if kind == "go":
        return [f"\tcreds := credentials.NewStaticCredentials(\"{kid}\", \"{sec}\", \"\")"]
    if kind == "yaml":
        return [f"aws_access_key_id: {kid}", f"aws_secret_access_key: {sec}"]
    if kind == "json":
        return [f'  "AccessKeyId": "{kid}",', f'  "SecretAccessKey": "{sec}",']
    if kind == "log":
        return [f"2024-05-01T00:00:00Z DEBUG env AWS_ACCESS_KEY_ID={kid} AWS_SECRET_ACCESS_KEY={sec}"]
    if kind == "tf":
        return ['provider "aws" {', f'  access_key = "{kid}"', f'  secret_key = "{sec}"', "}"]
    if kind == "ini":
        return ["[default]", f"aws_access_key_id = {kid}", f"aws_secret_access_key = {sec}"]
    if kind == "env":
        return [f"AWS_ACCESS_KEY_ID={kid}", f"AWS_SECRET_ACCESS_KEY={sec}"]
    return [f"Use key `{kid}` with secret `{sec}` for the staging bucket."]

def decoy_block(rng):
    return rng.choice([
        [f"# from the AWS docs: {EXAMPLE_ID} / {EXAMPLE_SECRET}"],
        [f"aws_access_key_id = {EXAMPLE_ID}", f"aws_secret_access_key = {EXAMPLE_SECRET}"],
        # Near misses: 0/1/8/9 are not in the key alphabet, and a longer token is not a key.
        [f"id = \"AKIA{''.join(rng.choice('0189ABC') for _ in range(16))}\""],
        [f"blob = \"XAKIA{''.join(rng.choice(B32) for _ in range(16))}Q\""],
    ])

def build_files(out, total_bytes, rng, manifest):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, ".gitignore"), "w") as f:
        f.write("ignored/\n")
    # A pool of filler lines per kind, reused so generation is I/O-bound.
    pools = {k: [filler_line(rng, k.split(".")[-1]) for _ in range(4000)] for k in KINDS}
    written, n = 0, 0
    while written < total_bytes:
        kind = KINDS[n % len(KINDS)]
        ext = {"env": ".env", "min.js": ".min.js"}.get(kind, "." + kind)
        d = os.path.join(out, f"pkg{n % 97:02d}", f"mod{n % 13}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"file{n:06d}{ext}")
        size = rng.choice([8_000, 40_000, 200_000, 1_000_000])
        pool = pools[kind]
        lines, cur = [], 0
        plant_at = {rng.randint(0, max(1, size // 60)) for _ in range(rng.choice([0, 0, 1, 1, 2]))}
        decoy_at = {rng.randint(0, max(1, size // 60)) for _ in range(rng.choice([0, 1]))}
        i = 0
        while cur < size:
            if i in plant_at:
                prefix = "ASIA" if rng.random() < 0.2 else "AKIA"
                kid, sec = key_id(rng, prefix), secret(rng)
                block = planted_block(rng, kind, kid, sec)
                manifest.append({"keyId": kid, "file": os.path.relpath(path, out), "where": "tree"})
                lines.extend(block)
            elif i in decoy_at:
                lines.extend(decoy_block(rng))
            else:
                lines.append(pool[rng.randrange(len(pool))])
            cur += len(lines[-1]) + 1
            i += 1
        sep = " " if kind == "min.js" else "\n"   # minified: one very long line
        data = sep.join(lines) + "\n"
        with open(path, "w") as f:
            f.write(data)
        written += len(data)
        n += 1
    return written, n

def build_git(repo, commits, rng, manifest):
    """A linear history built with git fast-import (seconds, not hours)."""
    if os.path.exists(repo):
        subprocess.run(["rm", "-rf", repo], check=True)
    subprocess.run(["git", "init", "-q", repo], check=True)
    files = [f"src/mod{i % 50}/file{i}.py" for i in range(400)]
    contents = {f: [f"# {f}"] for f in files}
    stream = []
    planted_live = {}
    t = 1_600_000_000
    for c in range(1, commits + 1):
        f = files[rng.randrange(len(files))]
        lines = contents[f]
        op = rng.random()
        if c % 100 == 0:
            kid, sec = key_id(rng), secret(rng)
            lines.append(f"AWS_ACCESS_KEY_ID = '{kid}'  # added in commit {c}")
            lines.append(f"AWS_SECRET_ACCESS_KEY = '{sec}'")
            planted_live[f] = planted_live.get(f, []) + [kid]
            manifest.append({"keyId": kid, "file": f, "where": "git"})
        elif c % 100 == 50 and planted_live:
            # Delete a previously planted key: it stays only in history.
            g = rng.choice(sorted(planted_live))
            contents[g] = [l for l in contents[g] if "AWS_" not in l]
            planted_live.pop(g)
            f, lines = g, contents[g]
        else:
            for _ in range(rng.randint(1, 4)):
                if op < 0.8 or len(lines) < 3:
                    lines.insert(rng.randrange(len(lines) + 1), f"{ident(rng)} = {ident(rng)}({rng.randint(0, 9999)})")
                else:
                    del lines[rng.randrange(len(lines))]
        data = ("\n".join(lines) + "\n").encode()
        msg = f"change {c}\n".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Dev {c % 7} <dev{c % 7}@example.com> {t + c * 60} +0000\n".encode())
        stream.append(b"data %d\n%s" % (len(msg), msg))
        stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (f.encode(), len(data), data))
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", repo, "checkout", "-q", "main"], check=True)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=4)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    manifest = []
    written, files = build_files(os.path.join(a.out, "tree"), a.mb * 1_000_000, rng, manifest)
    build_git(os.path.join(a.out, "repo"), a.commits, rng, manifest)
    with open(os.path.join(a.out, "planted.jsonl"), "w") as f:
        for m in manifest:
            f.write(json.dumps(m) + "\n")
    print(f"tree: {written/1e6:.0f} MB in {files} files; planted: "
          f"{sum(m['where']=='tree' for m in manifest)} in tree, {sum(m['where']=='git' for m in manifest)} in git")

if __name__ == "__main__":
    main()
