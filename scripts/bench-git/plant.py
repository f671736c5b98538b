#!/usr/bin/env python3
"""Plants AWS key pairs in new commits on top of a real repository's history (plumbing only: no
checkout, so a bare or partial clone works), and writes the planted keys to planted.jsonl.

Keys go into several file types; some are deleted again in a later commit (only history has
them), some files are edited or renamed after the key was added, and some keys sit on a second
branch that starts deep in the old history.

  plant.py --repo bench-out/git/repo.git --out bench-out/git [--keys 40]
"""
import argparse, json, os, random, subprocess, tempfile

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"

TEMPLATES = {
    "env": "# deployment settings\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n",
    "py": "import boto3\n\nclient = boto3.client(\n    's3',\n    aws_access_key_id='{k}',\n    aws_secret_access_key='{s}',\n)\n",
    "json": '{{\n  "Credentials": {{\n    "AccessKeyId": "{k}",\n    "SecretAccessKey": "{s}"\n  }}\n}}\n',
    "yaml": "aws:\n  access_key_id: {k}\n  secret_access_key: {s}\n",
    "ini": "[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n",
    "tf": 'provider "aws" {{\n  region     = "us-east-1"\n  access_key = "{k}"\n  secret_key = "{s}"\n}}\n',
    "sh": "#!/bin/sh\nexport AWS_ACCESS_KEY_ID={k}\nexport AWS_SECRET_ACCESS_KEY={s}\naws s3 ls\n",
    "md": "# Notes\n\nUse these for the demo:\n\n    aws_access_key_id = {k}\n    aws_secret_access_key = {s}\n",
}

def git(repo, *args, env=None, input=None):
    e = dict(os.environ, GIT_AUTHOR_NAME="Bench Planter", GIT_AUTHOR_EMAIL="planter@example.com",
             GIT_COMMITTER_NAME="Bench Planter", GIT_COMMITTER_EMAIL="planter@example.com")
    e.update(env or {})
    return subprocess.run(["git", "--git-dir", repo, *args], env=e, input=input, capture_output=True,
                          check=True).stdout.decode().strip()

def random_key(rng):
    while True:
        k = "AKIA" + "".join(rng.choice(B32) for _ in range(16))
        if not any(w in k for w in ("EXAMPLE", "SAMPLE", "DUMMY", "XXXXX")):
            return k, "".join(rng.choice(B64) for _ in range(40))

class Branch:
    def __init__(self, repo, name, start):
        self.repo, self.name, self.tip = repo, name, start
        self.index = tempfile.mktemp(prefix="mamori-plant-index-")
        git(repo, "read-tree", start, env={"GIT_INDEX_FILE": self.index})

    def commit(self, message, add=(), remove=()):
        env = {"GIT_INDEX_FILE": self.index}
        for path, text in add:
            blob = git(self.repo, "hash-object", "-w", "--stdin", input=text.encode())
            git(self.repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        for path in remove:
            # Mode 0 removes the entry; --force-remove would want a work tree.
            git(self.repo, "update-index", "--index-info", env=env, input=f"0 {'0' * 40}\t{path}\n".encode())
        tree = git(self.repo, "write-tree", env=env)
        self.tip = git(self.repo, "commit-tree", tree, "-p", self.tip, "-m", message)
        git(self.repo, "update-ref", f"refs/heads/{self.name}", self.tip)
        return self.tip

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--keys", type=int, default=40)
    a = ap.parse_args()
    rng = random.Random(17)
    head = git(a.repo, "rev-parse", "HEAD")
    first_parents = git(a.repo, "rev-list", "--first-parent", head).split()
    main_branch = Branch(a.repo, "bench/planted", head)
    old_branch = Branch(a.repo, "bench/planted-old", first_parents[len(first_parents) // 2])
    kinds = sorted(TEMPLATES)
    planted, later = [], []
    for i in range(a.keys):
        kind = kinds[i % len(kinds)]
        k, s = random_key(rng)
        branch = old_branch if i % 5 == 4 else main_branch
        path = f"planted/{kind}/creds{i}.{kind}"
        text = TEMPLATES[kind].format(k=k, s=s)
        commit = branch.commit(f"add settings {i}", add=[(path, text)])
        fate = ["kept", "deleted", "edited", "renamed"][i % 4]
        planted.append({"keyId": k, "file": path, "commit": commit,
                        "kind": kind, "fate": fate, "branch": branch.name})
        later.append((branch, fate, path, text))
    for n, (branch, fate, path, text) in enumerate(later):
        if fate == "deleted":
            branch.commit(f"remove leaked key {n}", remove=[path])
        elif fate == "edited":
            branch.commit(f"edit settings {n}", add=[(path, "# edited\n" + text + "# more\n")])
        elif fate == "renamed":
            branch.commit(f"move settings {n}", add=[(path + ".bak", text)], remove=[path])
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "planted.jsonl"), "w") as f:
        for p in planted:
            f.write(json.dumps(p) + "\n")
    print(f"planted {len(planted)} keys on bench/planted and bench/planted-old of {a.repo}")

if __name__ == "__main__":
    main()
