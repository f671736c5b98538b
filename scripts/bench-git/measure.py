#!/usr/bin/env python3
"""Times git-history secret scanners on one repository with planted keys, in one run: wall time,
CPU time, peak memory (proportional set size of the tool and every process it starts, summed,
sampled every 50 ms) and recall of the planted key IDs. Prints a Markdown table; writes results.json.

Called by scripts/bench-git.sh.
"""
import argparse, json, os, resource, subprocess, sys, time

KEY_REGEX = r"\b((?:AKIA|ASIA)[A-Z2-7]{16})\b"
PAGE = os.sysconf("SC_PAGE_SIZE")

def tree_rss(root):
    """Resident bytes of `root` and all its descendants (Foundation starts git in a new process
    group, so the group is not enough)."""
    parent, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parent[int(pid)] = int(fields[1])
            rss[int(pid)] = int(fields[21]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    total = 0
    for pid in rss:
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += pss(pid) or rss[pid]
    return total

def pss(pid):
    """Proportional set size: pages shared between processes (git's mmapped pack, read by
    rev-list, cat-file and log at once) are counted once in total, not once per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0

def run(cmd, out_path, shell=False):
    """Runs `cmd` in its own process group; returns (wall s, cpu s, peak RSS bytes, exit status)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, shell=shell, start_new_session=True)
        peak = 0
        while p.poll() is None:
            peak = max(peak, tree_rss(p.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, peak, p.returncode

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--planted", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mamori", required=True)
    ap.add_argument("--kingfisher")
    ap.add_argument("--betterleaks")
    ap.add_argument("--with-diff", action="store_true", help="also time mamori's diff engine")
    a = ap.parse_args()
    planted = [json.loads(l)["keyId"] for l in open(a.planted)]
    repo = os.path.abspath(a.repo)
    o = os.path.abspath(a.out)
    tools = [("mamori secrets --git", [a.mamori, "secrets", "--git", repo, "--format", "json"], False, f"{o}/mamori.json")]
    if a.with_diff:
        tools.append(("mamori secrets --git (diff engine)", [a.mamori, "secrets", "--git", repo, "--git-engine", "diff",
                                                             "--format", "json"], False, f"{o}/mamori-diff.json"))
    if a.kingfisher:
        tools.append(("Kingfisher " + subprocess.run([a.kingfisher, "--version"], capture_output=True, text=True).stdout.split()[-1],
                      [a.kingfisher, "scan", repo, "--git-history", "full", "--no-validate", "--no-update-check",
                       "--format", "json", "--output", f"{o}/kingfisher.json"], False, f"{o}/kingfisher.out"))
    if a.betterleaks:
        tools.append(("Betterleaks " + subprocess.run([a.betterleaks, "--version"], capture_output=True, text=True).stdout.strip(),
                      [a.betterleaks, "git", repo, "--no-banner", "--log-opts=--all", "--output", f"{o}/betterleaks.json"], False, f"{o}/betterleaks.out"))
    tools.append(("git log -p --all | rg", f"git --git-dir '{repo}' log -p --all --no-color | rg -o -N '{KEY_REGEX}'",
                  True, f"{o}/rg.out"))
    rows, results = [], []
    for name, cmd, shell, out in tools:
        sys.stderr.write(f"running {name}\n")
        wall, cpu, peak, status = run(cmd, out, shell)
        text = ""
        for path in (out, out.replace(".out", ".json")):
            if os.path.exists(path):
                text += open(path, errors="replace").read()
        found = sum(1 for k in planted if k in text)
        note = "" if status in (0, 1, 200, 205) else f"exit {status}"  # Kingfisher exits 200 with findings
        results.append({"tool": name, "seconds": wall, "cpu": cpu, "peak_rss_mb": peak / 1e6, "recall": found / len(planted),
                        "found": found, "planted": len(planted), "status": status})
        rows.append(f"| {name} | {wall:.1f} | {cpu:.1f} | {peak / 1e6:.0f} | {100 * found / len(planted):.0f}% ({found}/{len(planted)}) | {note} |")
    json.dump(results, open(f"{o}/results.json", "w"), indent=2)
    print("| tool | wall s | CPU s | peak memory MB (PSS) | recall of planted keys | note |")
    print("|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))

if __name__ == "__main__":
    main()
