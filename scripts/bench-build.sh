#!/usr/bin/env bash
# Benchmark of `wardbook build --no-pdf` on synthetic books of growing size (against the targets:
# 2,000 guidelines in ≤ 0.4 s; 10,000 in ≤ 2 s and ≤ 600 MB peak RSS; time linear in size).
# Uses the release binary, hyperfine for times and GNU time for peak memory. Prints Markdown rows
# for BENCHMARKS.md. Needs: cargo, python3, hyperfine, /usr/bin/time (Debian: hyperfine, time).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/wardbook"
work="${BENCH_DIR:-/tmp/wardbook-bench}"
mkdir -p "$work"
echo "| guidelines | source size | median time | min time | peak RSS | time per 1,000 |"
echo "|---|---|---|---|---|---|"
for n in ${BENCH_SIZES:-500 2000 10000}; do
  book="$work/book-$n"
  [ -f "$book/book.toml" ] || python3 scripts/gen_corpus.py --n "$n" --seed 1 --out "$book" >/dev/null
  dest="$work/out-$n"
  run="$bin build $book --no-pdf --quiet --as-of 2026-11-21 --dest $dest"
  hyperfine --warmup 1 --runs "${BENCH_RUNS:-7}" --export-json "$work/h-$n.json" "$run 2>/dev/null" >/dev/null
  rss=$( { /usr/bin/time -f '%M' $run 2>&1 >/dev/null; } | tail -1)
  python3 - "$work/h-$n.json" "$n" "$rss" "$(du -sh "$book/guidelines" | cut -f1)" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"][0]
n, rss_kb, size = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
med = statistics.median(r["times"])
print(f"| {n} | {size} | {med:.3f} s | {min(r['times']):.3f} s | {rss_kb/1024:.0f} MB | {med/n*1000:.3f} s |")
PY
done
