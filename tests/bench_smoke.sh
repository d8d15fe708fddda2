#!/usr/bin/env bash
# The benchmark suite at a tiny size on the CPU (so that it cannot rot): both
# workloads, both precisions, the QuantLib reference; checks the CSV and the
# Markdown table it writes.
# Usage: tests/bench_smoke.sh path/to/condorsim_bench scratch-dir
set -euo pipefail
bench=$1
dir=$2
rm -rf "$dir"
"$bench" --backends cpu --sizes 2048 --quantlib-paths 100 --threads 2 --output-dir "$dir" --tag smoke >/dev/null
csv=$(ls "$dir"/bench-smoke-*.csv)
md=${csv%.csv}.md
fail() { echo "bench_smoke: $*" >&2; exit 1; }
head -1 "$csv" | grep -q '^device,driver,commit,workload,backend,precision,paths,steps' || fail "CSV header"
# 2 workloads x 2 precisions, plus QuantLib and condorsim on one thread.
rows=$(($(wc -l <"$csv") - 1))
[[ $rows -eq 6 ]] || fail "expected 6 rows, found $rows"
for w in paths-only standard; do
  for p in float double; do
    grep -q ",$w,cpu,$p,2048," "$csv" || fail "no $w $p row"
  done
done
grep -q ',quantlib,double,100,252,' "$csv" || fail "no QuantLib row"
# Every timing, rate and floor is a positive number.
# (The quoted device name may hold commas: drop it first.)
sed 1d "$csv" | sed 's/^"[^"]*",//' |
  awk -F, '{ for (i = 9; i <= 14; ++i) if (i != 11 && !($i > 0)) { print "row " NR " column " i ": " $i; bad = 1 } } END { exit bad }' \
  || fail "non-positive timing, rate or floor"
grep -q 'faster per core' "$md" || fail "no QuantLib comparison in the Markdown"
grep -q '| paths-only | cpu | double |' "$md" || fail "no table row in the Markdown"
# The ceilings, ours and the platform library's special functions side by side: all positive.
grep -E '^\| cpu, (float|double) \|' "$md" |
  awk -F'|' '{ for (i = 3; i <= 6; ++i) if (!($i + 0 > 0)) { print "ceiling column " i ": " $i; bad = 1 } } END { exit bad || NR != 2 }' ||
  fail "the ceilings table lacks a positive rate"
echo "bench_smoke: $rows rows, $(grep -o '[0-9.]*x faster per core' "$md")"
