#!/usr/bin/env python3
"""Adds local adaptations to a synthetic book made by gen_corpus.py (for the adaptation benchmark).

  python3 scripts/gen_adaptations.py --book DIR [--count 21] [--vary 0.05] [--values 10] [--seed 1]

Appends to DIR/book.toml a [local.values] table of --values values and --count [[adaptations]]
(invented trusts, slugs trust-01, trust-02, ...); names one value in each of about a tenth of the
network guidelines ({{local:vN}} on a line of its own at the end); and writes each adaptation's
adaptations/<slug>/: an adaptation.toml setting every value, and in its guidelines/ overlay one local
section file for each of a --vary share of the guidelines (a different share for each trust),
replacing the guideline's first `##` section, approved against its version. Same arguments ->
byte-identical output (pure stdlib). Run it once, on a freshly generated book.
"""
import argparse
import os
import random
import re
import sys


def front(text):
    """(front matter, body) of a guideline file."""
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


def slug(heading):
    """The heading-id rule for plain generated headings (lowercase, punctuation out, spaces to -)."""
    s = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return s.strip().replace(" ", "-")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--book", required=True)
    ap.add_argument("--count", type=int, default=21)
    ap.add_argument("--vary", type=float, default=0.05)
    ap.add_argument("--values", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    book = os.path.abspath(a.book)
    gdir = os.path.join(book, "guidelines")
    files = sorted(os.path.relpath(os.path.join(r, f), gdir)
                   for r, _, fs in os.walk(gdir) for f in fs if f.endswith(".md"))
    with open(os.path.join(book, "book.toml"), "a", encoding="utf-8") as f:
        f.write("[local.values]\n")
        for i in range(a.values):
            f.write(f'v{i} = {{ help = "Local contact {i}", network = "your hospital contact {i}" }}\n')
        f.write("\n")
        for t in range(1, a.count + 1):
            f.write(f'[[adaptations]]\nslug = "trust-{t:02d}"\nname = "Synthetic Trust {t:02d} NHS Trust"\n\n')
    for rel in files:
        if rng.random() < 0.1:
            p = os.path.join(gdir, rel)
            with open(p, encoding="utf-8") as f:
                text = f.read()
            with open(p, "w", encoding="utf-8") as f:
                f.write(text.rstrip("\n") + f"\n\nCall {{{{local:v{rng.randrange(a.values)}}}}} for advice.\n")
    varied = 0
    for t in range(1, a.count + 1):
        adir = os.path.join(book, "adaptations", f"trust-{t:02d}")
        os.makedirs(adir, exist_ok=True)
        with open(os.path.join(adir, "adaptation.toml"), "w", encoding="utf-8") as f:
            f.write("[values]\n")
            for i in range(a.values):
                f.write(f'v{i} = "Trust {t:02d} extension {1000 + i}"\n')
        for rel in rng.sample(files, max(1, round(len(files) * a.vary))):
            with open(os.path.join(gdir, rel), encoding="utf-8") as f:
                fm, body = front(f.read())
            m = re.search(r"^## (.+)$", body, re.M)
            v = re.search(r'^version: "?([^"\n]+)"?$', fm, re.M)
            if not m or not v:
                continue
            out = os.path.join(adir, "guidelines", rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as f:
                f.write(f"---\nsections: [{slug(m.group(1))}]\napproved_against: \"{v.group(1)}\"\n"
                        f"approved_by: \"Trust {t:02d} governance group\"\napproved_date: 2026-11-01\n---\n"
                        f"## {m.group(1)}\n\nTrust {t:02d} follows its own pathway here: ask the duty registrar "
                        f"on {{{{local:v0}}}} before any change of plan, and record the discussion.\n")
            varied += 1
    print(f"gen_adaptations: {a.count} adaptations, {varied} local section files, {a.values} values -> {book}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
