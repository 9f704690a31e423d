#!/usr/bin/env bash
# Benchmark of a national library's scale (BENCHMARKS.md, "Scale"): the 100,000-guideline
# synthetic book (generated here, never committed: 631 MB of Markdown, about a minute to make),
# built with `build --no-pdf`: wall time, peak RSS, the largest file written and print.html's
# size; then what the search loads before its first result (tests/browser/search.bench.mjs, on
# the ward-PC profile). With BASE=<an earlier wardbook binary>, the 2,000-guideline book is timed
# against it in alternating hyperfine runs (each order once).
#
#   scripts/bench-scale.sh                     # release build of this checkout
#   BASE=/path/to/old/wardbook scripts/bench-scale.sh
#
# Needs: cargo, python3, hyperfine, /usr/bin/time, node with tests/browser's packages (npm ci)
# and Debian's chromium for the search part. A 100,000 build needs about 2 GB of memory, a minute,
# and 2 GB of disk for the book and its site. BENCH_DIR (default /tmp/wardbook-bench) holds both;
# delete it when done.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/wardbook"
work="${BENCH_DIR:-/tmp/wardbook-bench}"
n="${BENCH_N:-100000}"
mkdir -p "$work"
book="$work/book-$n"
[ -f "$book/book.toml" ] || python3 scripts/gen_corpus.py --n "$n" --seed 1 --out "$book" >/dev/null
site="$work/site-$n"
args=(build "$book" --no-pdf --quiet --as-of 2026-11-21 --dest "$site")

echo "## $n guidelines, build --no-pdf ($(date -u +%F), $(nproc) cores)"
for run in 1 2; do
  /usr/bin/time -f "run $run: %e s wall, %U s user, %S s sys, peak RSS %M KB" "$bin" "${args[@]}" 2>&1 >/dev/null | tail -1
done
largest=$(find "$site" -type f -printf '%s %P\n' | sort -n | tail -1)
echo "largest file: $((${largest%% *} / 1000000)) MB (${largest#* }); print.html $(( $(stat -c %s "$site/print.html") / 1000 )) KB; $(find "$site" -maxdepth 1 -name 'print-*.html' | wc -l) print pages"
echo "search: $(ls "$site/search" | wc -l) files, terms.js $(( $(stat -c %s "$site/search/terms.js") / 1000 )) KB"
if [ -d tests/browser/node_modules ]; then
  WARD_PC=1 node tests/browser/search.bench.mjs "$site"
fi

if [ -n "${BASE:-}" ]; then
  small="$work/book-2000"
  [ -f "$small/book.toml" ] || python3 scripts/gen_corpus.py --n 2000 --seed 1 --out "$small" >/dev/null
  echo "## 2,000 guidelines, build --no-pdf: this binary against $BASE (alternating)"
  for order in new-first base-first; do
    a="$bin" b="$BASE"
    [ "$order" = base-first ] && a="$BASE" b="$bin"
    hyperfine -N -w 2 -r "${BENCH_RUNS:-15}" \
      "$a build $small --no-pdf --quiet --as-of 2026-11-21 --dest $work/out-a" \
      "$b build $small --no-pdf --quiet --as-of 2026-11-21 --dest $work/out-b" 2>/dev/null |
      grep -E "Time|±|faster|Benchmark"
  done
fi
