#!/usr/bin/env python3
"""Benchmark of reading a book's history (BENCHMARKS.md, "History").

Makes a git repository of the synthetic book (scripts/gen_corpus.py --n N --seed S) with C
commits at fixed dates (text edits, version bumps with a change summary, moves that also fix
the links to the moved file, a few withdrawals), in one `git fast-import` stream, so the same
arguments always make the same repository (same commit ids). The edition the book replaces is
tagged `edition-previous` at 80 % of the commits and set as `[history] previous_edition`.

Then, in one hyperfine run, `build --no-pdf` of the same tip without `[history]` (a plain copy
of the working tree) and with it (the repository; its history cache, `.wardbook/`, made by the
warm-up runs); then with the cache deleted before each run (a cold read, as after a new commit);
the history read alone from the `timing: history …` lines of WARDBOOK_TIMINGS=1 (cold); and
whether a cold and a warm build give the same bytes.

Usage: scripts/history-bench.py [--n 2000] [--commits 10000] [--seed 1] [--work DIR]
                                [--bin target/release/wardbook] [--runs 10] [--make-only]
Needs: python3, git, hyperfine; a release binary (`cargo build --release`).
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys

START = 1420113600  # 2015-01-01 12:00:00 UTC
STEP = 6 * 3600  # six hours between commits
LINK = re.compile(r"\]\(\.\./([a-z0-9-]+)/([a-z0-9-]+)\.md")


def read_corpus(root):
    files = {}
    for base, _dirs, names in os.walk(os.path.join(root, "guidelines")):
        for name in names:
            if name.endswith(".md"):
                p = os.path.join(base, name)
                rel = os.path.relpath(p, root).replace(os.sep, "/")
                with open(p, encoding="utf-8") as f:
                    files[rel] = f.read()
    return dict(sorted(files.items()))


def bump(text, rng, n):
    """The next minor version, with a change summary."""
    m = re.search(r'^version: "(\d+)\.(\d+)"$', text, re.M)
    major, minor = (int(m.group(1)), int(m.group(2))) if m else (1, 0)
    new = f'version: "{major}.{minor + 1}"\nchange_summary: "Revision {n}: wording and doses reviewed."'
    text = re.sub(r'^version: "[^"]*"\n(change_summary: "[^"]*"\n)?', new + "\n", text, count=1, flags=re.M)
    return edit(text, rng, n)


def edit(text, rng, n):
    """A sentence added to one paragraph of the body."""
    body_at = text.index("\n---\n", 4) + 5
    paras = [m.end() for m in re.finditer(r"[a-z]\.\n", text[body_at:])]
    at = body_at + (rng.choice(paras) - 1 if paras else len(text) - body_at)
    return text[:at] + f" Reviewed at revision {n}." + text[at:]


def withdraw(text):
    return text.replace("\n---\n", "\nstatus: withdrawn\n---\n", 1)


def blob(path, data):
    raw = data.encode("utf-8")
    return f"M 100644 inline {path}\ndata {len(raw)}\n".encode() + raw + b"\n"


def commit(mark, when, message, ops):
    msg = message.encode()
    head = (
        f"commit refs/heads/main\nmark :{mark}\n"
        f"author Bench <bench@example.org> {when} +0000\n"
        f"committer Bench <bench@example.org> {when} +0000\n"
        f"data {len(msg)}\n"
    ).encode() + msg + b"\n"
    if mark > 1:
        head += f"from :{mark - 1}\n".encode()
    return head + b"".join(ops) + b"\n"


def make(args, corpus, repo):
    files = read_corpus(corpus)
    with open(os.path.join(corpus, "book.toml"), encoding="utf-8") as f:
        toml = f.read().rstrip("\n") + '\n\n[history]\nprevious_edition = "edition-previous"\n'
    rng = random.Random(args.seed)
    withdrawn = set()
    stream = [commit(1, START, "The book", [blob("book.toml", toml)] + [blob(p, t) for p, t in files.items()])]
    tag_at = int(args.commits * 0.8)
    for mark in range(2, args.commits + 1):
        live = [p for p in files if p not in withdrawn]
        path = rng.choice(live)
        roll = rng.random()
        ops = []
        if roll < 0.02:  # a move, with every link to it fixed
            sec, slug = path.split("/")[1], path.split("/")[2][:-3]
            new = f"guidelines/{sec}/{slug}-r{mark}.md"
            old_link, new_link = f"](../{sec}/{slug}.md", f"](../{sec}/{slug}-r{mark}.md"
            for p, t in files.items():
                if old_link in t:
                    files[p] = t.replace(old_link, new_link)
                    if p != path:
                        ops.append(blob(p, files[p]))
            files[new] = files.pop(path)
            ops += [f"D {path}\n".encode(), blob(new, files[new])]
            message = f"Move {path} to {new}"
        elif roll < 0.022 and len(withdrawn) < 25:
            files[path] = withdraw(files[path])
            withdrawn.add(path)
            ops.append(blob(path, files[path]))
            message = f"Withdraw {path}"
        elif roll < 0.25:
            files[path] = bump(files[path], rng, mark)
            ops.append(blob(path, files[path]))
            message = f"New version of {path}"
        else:
            files[path] = edit(files[path], rng, mark)
            ops.append(blob(path, files[path]))
            message = f"Edit {path}"
        stream.append(commit(mark, START + STEP * (mark - 1), message, ops))
        if mark == tag_at:
            stream.append(f"reset refs/tags/edition-previous\nfrom :{mark}\n\n".encode())
    if os.path.exists(repo):
        shutil.rmtree(repo)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q", repo], check=True)
    subprocess.run(git + ["-C", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], check=True)
    subprocess.run(["git", "-C", repo, "gc", "-q"], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default="/tmp/wardbook-history-bench")
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release/wardbook"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--make-only", action="store_true")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    corpus, repo, plain = (os.path.join(args.work, d) for d in ("corpus", "repo", "plain"))
    os.makedirs(args.work, exist_ok=True)
    if os.path.exists(corpus):
        shutil.rmtree(corpus)
    subprocess.run([sys.executable, os.path.join(here, "gen_corpus.py"), "--n", str(args.n), "--seed", str(args.seed),
                    "--out", corpus], check=True, stdout=subprocess.DEVNULL)
    make(args, corpus, repo)
    if os.path.exists(plain):
        shutil.rmtree(plain)
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    with open(os.path.join(plain, "book.toml"), encoding="utf-8") as f:
        toml = f.read()
    with open(os.path.join(plain, "book.toml"), "w", encoding="utf-8") as f:
        f.write(toml[: toml.index("\n[history]")] + "\n")
    tip = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    print(f"repository: {repo} ({args.commits} commits, tip {tip.stdout.strip()})")
    if args.make_only:
        return
    build = f"{args.bin} build --no-pdf --quiet --as-of 2026-11-21 --dest {args.work}/out-{{}} {{}}"
    out = os.path.join(args.work, "hyperfine.json")
    subprocess.run(["hyperfine", "-N", "-w", "2", "-r", str(args.runs), "--export-json", out,
                    "-n", "without history", build.format("plain", plain),
                    "-n", "with history", build.format("hist", repo)], check=True)
    res = {r["command"]: statistics.median(r["times"]) for r in json.load(open(out))["results"]}
    print(f"median: without {res['without history']:.3f} s, with {res['with history']:.3f} s (warm cache), "
          f"ratio {res['with history'] / res['without history']:.2f}")
    # With the history cache deleted before each run: a cold read (as after a new commit).
    cache = os.path.join(repo, ".wardbook")
    cold = os.path.join(args.work, "hyperfine-cold.json")
    subprocess.run(["hyperfine", "-N", "-r", str(args.runs), "--prepare", f"rm -rf {cache}", "--export-json", cold,
                    "-n", "with history, cold cache", build.format("hist-cold", repo)], check=True)
    cold_s = statistics.median(json.load(open(cold))["results"][0]["times"])
    print(f"median: with history, cold cache {cold_s:.3f} s, ratio {cold_s / res['without history']:.2f}")
    phases = {}
    for _ in range(args.runs):
        shutil.rmtree(cache, ignore_errors=True)
        r = subprocess.run(build.format("hist", repo).split(), env={**os.environ, "WARDBOOK_TIMINGS": "1"},
                           capture_output=True, text=True, check=True)
        seen = set()  # the first of each name: the read up to the tip (later ones: the edition's)
        for m in re.finditer(r"^timing: (history[a-z ]*) ([0-9.]+) ms$", r.stderr, re.M):
            if m.group(1) not in seen:
                seen.add(m.group(1))
                phases.setdefault(m.group(1), []).append(float(m.group(2)))
    for name, ms in sorted(phases.items()):
        print(f"{name}: median {statistics.median(ms):.1f} ms, min {min(ms):.1f} ms ({len(ms)} runs)")
    subprocess.run(build.format("hist2", repo).split(), check=True, stderr=subprocess.DEVNULL)
    same = subprocess.run(["diff", "-r", "-q", f"{args.work}/out-hist", f"{args.work}/out-hist2"], check=False)
    print("builds with a cold and a warm history cache, same bytes:", "yes" if same.returncode == 0 else "NO")


if __name__ == "__main__":
    main()
